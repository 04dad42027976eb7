// Changes on the incident (issue 25): the window before detection and its edges, linking a
// change as triggering or contributing (and what the timeline then shows), who may, audit, and
// the changes list's paging. The changes room and the rooms it reads (no API): deploys arrive
// through the ingest service `POST /api/changes` calls, links and windows through
// IncidentChangesService (what the mutations call), the list as ChangesService answers
// `Incident.changesBeforeDetection` for other rooms. What a client meets (the refusals' codes on
// the wire, the default window, the schema naming nobody): changes.ingest.api.spec.ts.
import { CatalogService } from '@hindsight/server-catalog';
import { ChangeIngestService, ChangesModule, ChangesRepository, ChangesService, IncidentChangesService } from '@hindsight/server-changes';
import type { SessionActor } from '@hindsight/server-graphql';
import { AnalysisRepository, IncidentsService, type IncidentInput } from '@hindsight/server-incidents';
import { ModuleHarness, selected, testModule } from '@hindsight/server-testing';

let room: ModuleHarness;
let admin: SessionActor;
let commander: SessionActor;
let manager: SessionActor;
let viewer: SessionActor;
/** The COMMANDER whose API token the deploy pipeline sends changes with. */
let deployer: SessionActor;
let checkoutId: string;
let ledgerId: string;
let incidentId: string;
const ids: Record<string, string> = {};

// Detection at 10:00; the default window reaches back to 06:00, both ends included.
const DETECTED = '2026-11-20T10:00:00.000Z';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

async function deploy(key: string, body: Record<string, unknown>): Promise<void> {
  const answer = await room.get(ChangeIngestService).fromToken(deployer, { 'content-type': 'application/json' }, { id: key, environment: 'production', service: 'checkout-api', ...body });
  if (!answer.change) throw new Error(JSON.stringify(answer));
  ids[key] = answer.change.id;
}

async function incident(input: Record<string, unknown>): Promise<string> {
  const { startedAt, detectedAt, ...rest } = input;
  return (await room.get(IncidentsService).create(commander, {
    severity: 'SEV2', ...rest, startedAt: new Date(startedAt as string), ...(detectedAt ? { detectedAt: new Date(detectedAt as string) } : {}),
  } as IncidentInput)).id;
}

async function listed(id = incidentId): Promise<{ key: string; role: string | null }[]> {
  const row = await room.get(IncidentsService).byId(id);
  if (!row) throw new Error(`no incident ${id}`);
  const keyOf = (changeId: string) => Object.entries(ids).find(([, v]) => v === changeId)?.[0] ?? changeId;
  return (await room.get(ChangesService).beforeDetectionOf(row)).map((c) => ({ key: keyOf(c.id), role: c.role }));
}

/** The link's outcome as a client reads it: 'ok', or the refusal's code. */
const outcome = (work: Promise<unknown>): Promise<string> =>
  work.then(() => 'ok', (e: { extensions?: { code?: string } }) => e.extensions?.code ?? String(e));
const link = (key: string, role: 'TRIGGERING' | 'CONTRIBUTING', actor = commander, incident = incidentId) =>
  room.get(IncidentChangesService).link(actor, incident, ids[key] ?? key, role);
const unlink = (key: string, actor = commander) => room.get(IncidentChangesService).unlink(actor, incidentId, ids[key]);
const timeline = async () =>
  selected<{ kind: string; description: string; evidenceUrl: string | null; occurredAt: string }[]>(
    (await room.get(AnalysisRepository).timelinesOf([incidentId])).filter((e) => e.kind === 'CHANGE'), 'kind description evidenceUrl occurredAt');
const auditCount = async (): Promise<number> => (await room.sql.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;

beforeAll(async () => {
  room = await testModule([ChangesModule]);
  admin = await room.actor('ADMIN');
  commander = await room.actor('COMMANDER');
  manager = await room.actor('MANAGER');
  viewer = await room.actor('VIEWER');
  const bot = { email: 'bot@test.local', name: 'bot', role: 'COMMANDER' as const };
  deployer = { ...bot, id: await room.rows.user(bot), teamIds: [], via: 'api-token' };
  const team = await room.rows.team({ name: 'Payments' });
  const service = async (name: string) => (await room.get(CatalogService).createService(admin, { name, kind: 'API', tier: 1, teamId: team, revenuePerMinute: null })).id;
  checkoutId = await service('checkout-api');
  ledgerId = await service('ledger');
  incidentId = await incident({ title: 'Checkout 5xx', startedAt: '2026-11-20T09:40:00Z', detectedAt: DETECTED, serviceIds: [checkoutId] });

  await deploy('exactly-4h-before', { version: 'v1', finishedAt: '2026-11-20T06:00:00Z' });
  await deploy('a-second-too-early', { version: 'v0', finishedAt: '2026-11-20T05:59:59Z' });
  await deploy('at-detection', { version: 'v3', finishedAt: DETECTED });
  await deploy('after-detection', { version: 'v4', finishedAt: '2026-11-20T10:00:01Z' });
  await deploy('half-hour-before', { version: 'v2', finishedAt: '2026-11-20T09:30:00Z', url: 'https://github.com/acme/checkout/releases/tag/v2' });
  await deploy('staging', { version: 'v2-rc', environment: 'staging', finishedAt: '2026-11-20T09:00:00Z' });
  await deploy('other-service', { version: 'l7', service: 'ledger', finishedAt: '2026-11-20T09:00:00Z' });
  await deploy('failed-deploy', { version: 'v2.1', status: 'failed', finishedAt: '2026-11-20T09:45:00Z' });
});
afterAll(() => room?.close());

describe('changes before detection', () => {
  it('lists the production changes to the affected services in the 4 hours up to detection, both ends included, newest first', async () => {
    expect(await listed()).toEqual([
      { key: 'at-detection', role: null },
      { key: 'failed-deploy', role: null },
      { key: 'half-hour-before', role: null },
      { key: 'exactly-4h-before', role: null },
    ]);
    expect(await room.get(ChangesRepository).windowsOf([incidentId])).toEqual([]);
  });

  it('a narrower window for this incident, set by a commander, lists less; null goes back to 4 hours', async () => {
    const set = (minutes: number | null, actor = commander) => room.get(IncidentChangesService).setWindow(actor, incidentId, minutes);
    const window = async () => (await room.get(ChangesRepository).windowsOf([incidentId]))[0]?.minutes ?? null;
    await set(30);
    expect(await window()).toBe(30);
    expect((await listed()).map((c) => c.key)).toEqual(['at-detection', 'failed-deploy', 'half-hour-before']);
    await expect(set(0)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'minutes' } });
    await expect(set(60, viewer)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await set(null);
    expect(await window()).toBeNull();
    const audit = await room.sql.query(`SELECT before, after FROM audit_log WHERE action = 'incident.change-window' ORDER BY id`);
    expect(audit.rows).toEqual([{ before: { minutes: null }, after: { minutes: 30 } }, { before: { minutes: 30 }, after: { minutes: null } }]);
  });

  it('an incident not marked detected looks back from its start, over every affected service', async () => {
    const other = await incident({ title: 'Ledger drift', severity: 'SEV3', startedAt: '2026-11-20T09:10:00Z', serviceIds: [ledgerId, checkoutId] });
    expect((await listed(other)).map((c) => c.key)).toEqual(['other-service', 'exactly-4h-before', 'a-second-too-early']);
  });
});

describe('linking a change', () => {
  it('a VIEWER may not; an unknown change or incident says so', async () => {
    await expect(link('half-hour-before', 'TRIGGERING', viewer)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(link(NO_SUCH_ID, 'TRIGGERING')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'changeId' } });
    await expect(link('half-hour-before', 'TRIGGERING', commander, NO_SUCH_ID)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('as TRIGGERING: shown with its role, and on the timeline as a CHANGE event at its finish, with its link', async () => {
    await link('half-hour-before', 'TRIGGERING');
    expect(await listed()).toContainEqual({ key: 'half-hour-before', role: 'TRIGGERING' });
    expect(await timeline()).toEqual([
      { kind: 'CHANGE', occurredAt: '2026-11-20T09:30:00.000Z', evidenceUrl: 'https://github.com/acme/checkout/releases/tag/v2', description: 'Triggering change: checkout-api v2 deployed to production (via API)' },
    ]);
  });

  it('again with the same role changes nothing', async () => {
    const before = await auditCount();
    await link('half-hour-before', 'TRIGGERING');
    expect(await auditCount()).toBe(before);
    expect(await timeline()).toHaveLength(1);
  });

  it('a second triggering change is refused with CONFLICT naming the first; contributing is fine', async () => {
    const refusal = await link('failed-deploy', 'TRIGGERING', manager).catch((e: Error & { extensions?: Record<string, unknown> }) => e);
    expect(refusal).toMatchObject({ extensions: { code: 'CONFLICT', changeId: ids['half-hour-before'] } });
    expect((refusal as Error).message).toContain('checkout-api v2');
    await link('failed-deploy', 'CONTRIBUTING', manager);
    expect((await timeline()).map((e) => e.description)).toEqual([
      'Triggering change: checkout-api v2 deployed to production (via API)',
      'Contributing change: checkout-api v2.1 deploy failed to production (via API)',
    ]);
  });

  it('moving the trigger: the first becomes contributing (its event reworded), then the other may trigger', async () => {
    await link('half-hour-before', 'CONTRIBUTING');
    await link('failed-deploy', 'TRIGGERING');
    expect(await listed()).toEqual([
      { key: 'at-detection', role: null },
      { key: 'failed-deploy', role: 'TRIGGERING' },
      { key: 'half-hour-before', role: 'CONTRIBUTING' },
      { key: 'exactly-4h-before', role: null },
    ]);
    expect((await timeline()).map((e) => e.description)).toEqual([
      'Contributing change: checkout-api v2 deployed to production (via API)',
      'Triggering change: checkout-api v2.1 deploy failed to production (via API)',
    ]);
  });

  it('two commanders marking two changes as triggering at once: one wins, the other gets CONFLICT', async () => {
    await unlink('failed-deploy');
    const answers = await Promise.all([outcome(link('at-detection', 'TRIGGERING')), outcome(link('exactly-4h-before', 'TRIGGERING', manager))]);
    expect(answers.sort()).toEqual(['CONFLICT', 'ok']);
    const triggers = (await listed()).filter((c) => c.role === 'TRIGGERING');
    expect(triggers).toHaveLength(1);
    await unlink(triggers[0].key);
  });

  it('a linked change stays listed when the window no longer reaches it', async () => {
    await link('a-second-too-early', 'CONTRIBUTING');
    expect(await listed()).toContainEqual({ key: 'a-second-too-early', role: 'CONTRIBUTING' });
  });

  it('unlinking takes it off the incident and its event off the timeline; unlinking again changes nothing', async () => {
    await unlink('a-second-too-early');
    expect((await listed()).map((c) => c.key)).not.toContain('a-second-too-early');
    expect((await timeline()).map((e) => e.description)).toEqual(['Contributing change: checkout-api v2 deployed to production (via API)']);
    const before = await auditCount();
    await unlink('a-second-too-early');
    expect(await auditCount()).toBe(before);
    await expect(unlink('half-hour-before', viewer)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });

  it('every link, role change and unlink is audited', async () => {
    const { rows } = await room.sql.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_type = 'IncidentChange' ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual([
      'incident-change.create', 'incident-change.create', 'incident-change.update', 'incident-change.update',
      'incident-change.delete', 'incident-change.create', 'incident-change.delete', 'incident-change.create', 'incident-change.delete',
    ]);
  });
});

describe('the changes list', () => {
  it('filters by service and time (from ≤ finishedAt < to), pages with after, and bounds first', async () => {
    const page = async (args: { s?: string; f?: string; t?: string; n?: number; a?: string }) =>
      room.get(ChangesService).list({ serviceId: args.s, from: args.f ? new Date(args.f) : null, to: args.t ? new Date(args.t) : null, first: args.n, after: args.a });
    expect((await page({ s: checkoutId })).map((c) => c.version)).toEqual(['v4', 'v3', 'v2.1', 'v2', 'v2-rc', 'v1', 'v0']);
    expect((await page({ s: checkoutId, f: '2026-11-20T06:00:00Z', t: DETECTED })).map((c) => c.version)).toEqual(['v2.1', 'v2', 'v2-rc', 'v1']);
    const first = await page({ s: checkoutId, n: 3 });
    const second = await page({ s: checkoutId, n: 3, a: first[2].id });
    expect([...first, ...second].map((c) => c.version)).toEqual(['v4', 'v3', 'v2.1', 'v2', 'v2-rc', 'v1']);
    for (const [bad, field] of [[{ n: 0 }, 'first'], [{ n: 201 }, 'first'], [{ a: 'nope' }, 'after'], [{ s: 'nope' }, 'serviceId'], [{ f: DETECTED, t: DETECTED }, 'to']] as const) {
      await expect(page(bad)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
    }
  });
});
