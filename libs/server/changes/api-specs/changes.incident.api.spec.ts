// Changes on the incident (issue 25): the window before detection and its edges, linking a
// change as triggering or contributing (and what the timeline then shows), permissions, audit,
// the changes query's paging, and nobody's name anywhere leadership reads.
import { Client } from 'pg';
import { ApiHarness, ApiWorld, startApiWorld } from '@hindsight/server-app/testing';
import { must, Scenario } from '@hindsight/server-testing';

let t: ApiWorld;
let api: ApiHarness;
let world: Scenario;
let admin: string;
let commander: string;
let manager: string;
let viewer: string;
let deployToken: string;
let checkoutId: string;
let ledgerId: string;
let incidentId: string;
let db: Client;
const ids: Record<string, string> = {};

// Detection at 10:00; the default window reaches back to 06:00, both ends included.
const DETECTED = '2026-11-20T10:00:00.000Z';


async function deploy(key: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${api.url}/api/changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${deployToken}` },
    body: JSON.stringify({ id: key, environment: 'production', service: 'checkout-api', ...body }),
  });
  const answer = (await res.json()) as { change: { id: string } };
  if (res.status !== 200) throw new Error(JSON.stringify(answer));
  ids[key] = answer.change.id;
}

const BEFORE = `query($id: ID!) { incident(id: $id) { changeWindowMinutes changesBeforeDetection { role change { id version serviceName service { name } environment } } } }`;

async function listed(id = incidentId, token = viewer): Promise<{ key: string; role: string | null }[]> {
  const { incident } = await must<{ incident: { changesBeforeDetection: { role: string | null; change: { id: string } }[] } }>(api, BEFORE, { id }, token);
  const keyOf = (changeId: string) => Object.entries(ids).find(([, v]) => v === changeId)?.[0] ?? changeId;
  return incident.changesBeforeDetection.map((c) => ({ key: keyOf(c.change.id), role: c.role }));
}

const LINK = `mutation($i: ID!, $c: ID!, $r: ChangeRole!) { linkChangeToIncident(incidentId: $i, changeId: $c, role: $r) { id changesBeforeDetection { role change { id } } } }`;
const link = (key: string, role: string, token = commander, incident = incidentId) => api.gql(LINK, { i: incident, c: ids[key] ?? key, r: role }, token);
const unlink = (key: string, token = commander) =>
  api.gql(`mutation($i: ID!, $c: ID!) { unlinkChangeFromIncident(incidentId: $i, changeId: $c) { id } }`, { i: incidentId, c: ids[key] }, token);
const timeline = async () =>
  (await must<{ incident: { timeline: { kind: string; description: string; evidenceUrl: string | null; occurredAt: string }[] } }>(api, `query($id: ID!) { incident(id: $id) { timeline { kind description evidenceUrl occurredAt } } }`, { id: incidentId }, admin))
    .incident.timeline.filter((e) => e.kind === 'CHANGE');

beforeAll(async () => {
  ({ api, db, admin, world } = t = await startApiWorld());
  const person = async (email: string, role: string) => (await world.signedIn({ email, role, password: 'deploy-window-pass' })).token;
  commander = await person('cara@test.local', 'COMMANDER');
  manager = await person('mo@test.local', 'MANAGER');
  viewer = await person('vera@test.local', 'VIEWER');
  deployToken = await world.apiToken((await world.person({ email: 'bot@test.local', role: 'COMMANDER' })).id, 'ci');
  const team = await world.team({ name: 'Payments' });
  const service = (name: string) => world.service({ name, teamId: team });
  checkoutId = await service('checkout-api');
  ledgerId = await service('ledger');
  incidentId = (await must<{ createIncident: { id: string } }>(api, `mutation($s: [ID!]) { createIncident(input: { title: "Checkout 5xx", severity: SEV2, startedAt: "2026-11-20T09:40:00Z", detectedAt: "${DETECTED}", serviceIds: $s }) { id } }`, { s: [checkoutId] }, commander)).createIncident.id;

  await deploy('exactly-4h-before', { version: 'v1', finishedAt: '2026-11-20T06:00:00Z' });
  await deploy('a-second-too-early', { version: 'v0', finishedAt: '2026-11-20T05:59:59Z' });
  await deploy('at-detection', { version: 'v3', finishedAt: DETECTED });
  await deploy('after-detection', { version: 'v4', finishedAt: '2026-11-20T10:00:01Z' });
  await deploy('half-hour-before', { version: 'v2', finishedAt: '2026-11-20T09:30:00Z', url: 'https://github.com/acme/checkout/releases/tag/v2' });
  await deploy('staging', { version: 'v2-rc', environment: 'staging', finishedAt: '2026-11-20T09:00:00Z' });
  await deploy('other-service', { version: 'l7', service: 'ledger', finishedAt: '2026-11-20T09:00:00Z' });
  await deploy('failed-deploy', { version: 'v2.1', status: 'failed', finishedAt: '2026-11-20T09:45:00Z' });
});
afterAll(() => t?.close());

describe('changes before detection', () => {
  it('lists the production changes to the affected services in the 4 hours up to detection, both ends included, newest first', async () => {
    expect(await listed()).toEqual([
      { key: 'at-detection', role: null },
      { key: 'failed-deploy', role: null },
      { key: 'half-hour-before', role: null },
      { key: 'exactly-4h-before', role: null },
    ]);
    const { incident } = await must<{ incident: { changeWindowMinutes: number } }>(api, BEFORE, { id: incidentId }, admin);
    expect(incident.changeWindowMinutes).toBe(240);
  });

  it('a narrower window for this incident, set by a commander, lists less; null goes back to 4 hours', async () => {
    const set = (minutes: number | null, token = commander) =>
      api.gql(`mutation($i: ID!, $m: Int) { setIncidentChangeWindow(incidentId: $i, minutes: $m) { changeWindowMinutes } }`, { i: incidentId, m: minutes }, token);
    expect((await set(30)).data).toEqual({ setIncidentChangeWindow: { changeWindowMinutes: 30 } });
    expect((await listed()).map((c) => c.key)).toEqual(['at-detection', 'failed-deploy', 'half-hour-before']);
    expect((await set(0)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'minutes' });
    expect((await set(60, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await set(null)).data).toEqual({ setIncidentChangeWindow: { changeWindowMinutes: 240 } });
    const audit = await db.query(`SELECT before, after FROM audit_log WHERE action = 'incident.change-window' ORDER BY id`);
    expect(audit.rows).toEqual([{ before: { minutes: null }, after: { minutes: 30 } }, { before: { minutes: 30 }, after: { minutes: null } }]);
  });

  it('an incident not marked detected looks back from its start, over every affected service', async () => {
    const other = (await must<{ createIncident: { id: string } }>(api, `mutation($s: [ID!]) { createIncident(input: { title: "Ledger drift", severity: SEV3, startedAt: "2026-11-20T09:10:00Z", serviceIds: $s }) { id } }`, { s: [ledgerId, checkoutId] }, commander)).createIncident.id;
    expect((await listed(other)).map((c) => c.key)).toEqual(['other-service', 'exactly-4h-before', 'a-second-too-early']);
  });
});

describe('linking a change', () => {
  it('a VIEWER may not; an unknown change or incident says so', async () => {
    expect((await link('half-hour-before', 'TRIGGERING', viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await link('00000000-0000-4000-8000-000000000000', 'TRIGGERING')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changeId' });
    expect((await link('half-hour-before', 'TRIGGERING', commander, '00000000-0000-4000-8000-000000000000')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('as TRIGGERING: shown with its role, and on the timeline as a CHANGE event at its finish, with its link', async () => {
    const res = await link('half-hour-before', 'TRIGGERING');
    expect(res.errors).toBeUndefined();
    expect(await listed()).toContainEqual({ key: 'half-hour-before', role: 'TRIGGERING' });
    expect(await timeline()).toEqual([
      { kind: 'CHANGE', occurredAt: '2026-11-20T09:30:00.000Z', evidenceUrl: 'https://github.com/acme/checkout/releases/tag/v2', description: 'Triggering change: checkout-api v2 deployed to production (via API)' },
    ]);
  });

  it('again with the same role changes nothing', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;
    expect((await link('half-hour-before', 'TRIGGERING')).errors).toBeUndefined();
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n).toBe(before);
    expect(await timeline()).toHaveLength(1);
  });

  it('a second triggering change is refused with CONFLICT naming the first; contributing is fine', async () => {
    const res = await link('failed-deploy', 'TRIGGERING', manager);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', changeId: ids['half-hour-before'] });
    expect(res.errors?.[0].message).toContain('checkout-api v2');
    expect((await link('failed-deploy', 'CONTRIBUTING', manager)).errors).toBeUndefined();
    expect((await timeline()).map((e) => e.description)).toEqual([
      'Triggering change: checkout-api v2 deployed to production (via API)',
      'Contributing change: checkout-api v2.1 deploy failed to production (via API)',
    ]);
  });

  it('moving the trigger: the first becomes contributing (its event reworded), then the other may trigger', async () => {
    expect((await link('half-hour-before', 'CONTRIBUTING')).errors).toBeUndefined();
    expect((await link('failed-deploy', 'TRIGGERING')).errors).toBeUndefined();
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
    const answers = await Promise.all([link('at-detection', 'TRIGGERING'), link('exactly-4h-before', 'TRIGGERING', manager)]);
    expect(answers.map((a) => a.errors?.[0].extensions?.code ?? 'ok').sort()).toEqual(['CONFLICT', 'ok']);
    const triggers = (await listed()).filter((c) => c.role === 'TRIGGERING');
    expect(triggers).toHaveLength(1);
    await unlink(triggers[0].key);
  });

  it('a linked change stays listed when the window no longer reaches it', async () => {
    await link('a-second-too-early', 'CONTRIBUTING');
    expect(await listed()).toContainEqual({ key: 'a-second-too-early', role: 'CONTRIBUTING' });
  });

  it('unlinking takes it off the incident and its event off the timeline; unlinking again changes nothing', async () => {
    expect((await unlink('a-second-too-early')).errors).toBeUndefined();
    expect((await listed()).map((c) => c.key)).not.toContain('a-second-too-early');
    expect((await timeline()).map((e) => e.description)).toEqual(['Contributing change: checkout-api v2 deployed to production (via API)']);
    expect((await unlink('a-second-too-early')).errors).toBeUndefined();
    expect((await unlink('half-hour-before', viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('every link, role change and unlink is audited', async () => {
    const { rows } = await db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_type = 'IncidentChange' ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual([
      'incident-change.create', 'incident-change.create', 'incident-change.update', 'incident-change.update',
      'incident-change.delete', 'incident-change.create', 'incident-change.delete', 'incident-change.create', 'incident-change.delete',
    ]);
  });
});

describe('the changes query', () => {
  it('filters by service and time (from ≤ finishedAt < to), pages with after, and bounds first', async () => {
    const page = async (vars: Record<string, unknown>) => (await must<{ changes: { id: string; version: string }[] }>(api, `query($s: ID, $f: DateTime, $t: DateTime, $n: Int, $a: ID) { changes(serviceId: $s, from: $f, to: $t, first: $n, after: $a) { id version } }`, vars, viewer)).changes;
    expect((await page({ s: checkoutId })).map((c) => c.version)).toEqual(['v4', 'v3', 'v2.1', 'v2', 'v2-rc', 'v1', 'v0']);
    expect((await page({ s: checkoutId, f: '2026-11-20T06:00:00Z', t: DETECTED })).map((c) => c.version)).toEqual(['v2.1', 'v2', 'v2-rc', 'v1']);
    const first = await page({ s: checkoutId, n: 3 });
    const second = await page({ s: checkoutId, n: 3, a: first[2].id });
    expect([...first, ...second].map((c) => c.version)).toEqual(['v4', 'v3', 'v2.1', 'v2', 'v2-rc', 'v1']);
    for (const bad of [{ n: 0 }, { n: 201 }, { a: 'nope' }, { s: 'nope' }, { f: DETECTED, t: DETECTED }]) {
      const res = await api.gql(`query($s: ID, $f: DateTime, $t: DateTime, $n: Int, $a: ID) { changes(serviceId: $s, from: $f, to: $t, first: $n, after: $a) { id } }`, bad, viewer);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('no type leadership reads names the person who made a change', async () => {
    const fields = async (type: string) => (await must<{ __type: { fields: { name: string }[] } }>(api, `query($n: String!) { __type(name: $n) { fields { name } } }`, { n: type }, admin)).__type.fields.map((f) => f.name);
    for (const type of ['Change', 'IncidentChange']) {
      expect((await fields(type)).filter((f) => /author|creator|user|deployer|sender|actor|by$/i.test(f))).toEqual([]);
    }
  });
});
