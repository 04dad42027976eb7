import { Client } from 'pg';
import { ApiHarness, ApiWorld, startApiWorld } from '@hindsight/server-app/testing';
import { MIGRATIONS } from '@hindsight/server-db';
import { must, Scenario } from '@hindsight/server-testing';

/*
 * Runbooks through the API (issue 13): role rules, revisions with CONFLICT on a stale
 * version, diff, review clock, feedback → linked PROCESS item → a new revision completes it,
 * and the migration of the old Service.runbook text.
 */

const DAY = 86_400_000;
let t: ApiWorld;
let api: ApiHarness;
let world: Scenario;
let db: Client;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
let payments: string;
let search: string;
let checkout: string;
let incidentId: string;

const RUNBOOK = `id title detection mitigation verification escalation rollback pitfalls version reviewIntervalDays lastReviewedAt reviewDueAt isStale updatedAt
  service { id } team { id } revisions { version note editedBy { id } editedAt title mitigation }`;
const CREATE = `mutation($s: ID!, $i: RunbookInput!) { createRunbook(serviceId: $s, input: $i) { ${RUNBOOK} } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $i: RunbookInput!, $note: String, $resolves: [ID!]) {
  updateRunbook(id: $id, expectedVersion: $v, input: $i, note: $note, resolvesActionItemIds: $resolves) { ${RUNBOOK} actionItems { id status completionNote } } }`;
const REVIEW = `mutation($id: ID!) { markRunbookReviewed(id: $id) { id lastReviewedAt reviewDueAt isStale version } }`;
const FEEDBACK = `mutation($inc: ID!, $rb: ID!, $v: RunbookVerdict!, $note: String) { recordRunbookFeedback(incidentId: $inc, runbookId: $rb, verdict: $v, note: $note) {
  id verdict note author { id } incident { id } runbook { id } createdAt } }`;

type Runbook = {
  id: string; title: string; mitigation: string | null; detection: string | null; version: number; reviewIntervalDays: number; reviewDueAt: string; isStale: boolean;
  lastReviewedAt: string | null; updatedAt: string; revisions: { version: number; note: string | null; editedBy: { id: string }; title: string; mitigation: string | null }[];
  actionItems?: { id: string; status: string; completionNote: string | null }[];
};

const create = (input: Record<string, unknown>, token = tokens['member'], serviceId = checkout) => api.gql<{ createRunbook: Runbook }>(CREATE, { s: serviceId, i: input }, token);
const auditCount = async (action: string): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1`, [action])).rows[0].n;

beforeAll(async () => {
  ({ api, db, world } = t = await startApiWorld());
  tokens['admin'] = t.admin;
  const people = await world.signedInPeople({ manager: 'MANAGER', member: 'MANAGER', commander: 'COMMANDER', otherManager: 'MANAGER', viewer: 'VIEWER' }, 'runbooks.test');
  for (const [key, person] of Object.entries(people)) [users[key], tokens[key]] = [person.id, person.token];
  payments = await world.team({ name: 'Payments', managerId: users['manager'], memberIds: [users['member'], users['viewer']] });
  search = await world.team({ name: 'Search', managerId: users['otherManager'] });
  checkout = await world.service({ name: 'checkout-api', teamId: payments });
  ({ id: incidentId } = await world.as(tokens['commander']).incident({ title: 'Checkout errors', startedAt: new Date(Date.now() - DAY).toISOString(), serviceIds: [checkout] }));
});

afterAll(() => t?.close());

describe('role rules', () => {
  it.each([
    ['a member of the owning team', 'member', true],
    ['its manager', 'manager', true],
    ['a commander', 'commander', true],
    ['an admin', 'admin', true],
    ["another team's manager", 'otherManager', false],
    ['a viewer, even in the team', 'viewer', false],
  ])('%s (%s) may create, edit and review: %s', async (_who, key, allowed) => {
    const created = await create({ title: `By ${key}`, mitigation: 'Restart' }, tokens[key]);
    if (!allowed) {
      expect(created.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const other = (await create({ title: `For ${key}` })).data!.createRunbook;
      const upd = await api.gql(UPDATE, { id: other.id, v: 1, i: { mitigation: 'x' } }, tokens[key]);
      expect(upd.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const rev = await api.gql(REVIEW, { id: other.id }, tokens[key]);
      expect(rev.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      return;
    }
    const rb = created.data!.createRunbook;
    expect((await api.gql(UPDATE, { id: rb.id, v: 1, i: { mitigation: 'Restart twice' } }, tokens[key])).errors).toBeUndefined();
    expect((await api.gql(REVIEW, { id: rb.id }, tokens[key])).errors).toBeUndefined();
  });

  it('lets a viewer read runbooks', async () => {
    const res = await api.gql<{ runbooks: { id: string }[] }>(`{ runbooks { id } }`, {}, tokens['viewer']);
    expect(res.errors).toBeUndefined();
    expect(res.data!.runbooks.length).toBeGreaterThan(0);
  });

  it('takes feedback from everyone signed in, VIEWERs and other teams included (PRODUCT.md 1), audited; not from strangers', async () => {
    const rb = (await create({ title: 'Feedback rules' })).data!.createRunbook;
    for (const key of ['commander', 'member', 'manager', 'admin', 'viewer', 'otherManager']) {
      const res = await api.gql<{ recordRunbookFeedback: { author: { id: string } } }>(FEEDBACK, { inc: incidentId, rb: rb.id, v: 'OUTDATED', note: `from ${key}` }, tokens[key]);
      expect({ key, errors: res.errors }).toEqual({ key, errors: undefined });
      if (key !== 'admin') expect(res.data!.recordRunbookFeedback.author.id).toBe(users[key]);
    }
    const audited = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'runbook.feedback' AND entity_id = $1 AND actor_id = $2`, [rb.id, users['viewer']]);
    expect(audited.rows[0].n).toBe(1);
    expect((await api.gql(FEEDBACK, { inc: incidentId, rb: rb.id, v: 'HELPED' })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('revisions', () => {
  it('creates revision 1 with the policy default interval, and each save adds one', async () => {
    const rb = (await create({ title: '  Queue backlog ', detection: 'Check lag' })).data!.createRunbook;
    expect(rb).toMatchObject({ title: 'Queue backlog', version: 1, reviewIntervalDays: 90, isStale: false, service: { id: checkout }, team: { id: payments } });
    expect(new Date(rb.reviewDueAt).getTime() - new Date(rb.updatedAt).getTime()).toBe(90 * DAY);
    expect(rb.revisions).toEqual([expect.objectContaining({ version: 1, editedBy: { id: users['member'] }, note: null })]);

    const v2 = (await must<{ updateRunbook: Runbook }>(api, UPDATE, { id: rb.id, v: 1, i: { mitigation: 'Drain the queue', reviewIntervalDays: 30 }, note: 'after INC' }, tokens['manager'])).updateRunbook;
    expect(v2).toMatchObject({ version: 2, detection: 'Check lag', mitigation: 'Drain the queue', reviewIntervalDays: 30 });
    expect(v2.revisions.map((r) => [r.version, r.note, r.editedBy.id])).toEqual([[2, 'after INC', users['manager']], [1, null, users['member']]]);
    expect(await auditCount('runbook.update')).toBeGreaterThan(0);

    // Any old revision can be read, and two compared.
    const read = await must<{ runbook: { revision: { version: number; mitigation: string | null; detection: string | null }; diff: { section: string; lines: { op: string; text: string }[] }[] } }>(
      api,
      `query($id: ID!) { runbook(id: $id) { revision(version: 1) { version mitigation detection } diff(fromVersion: 1, toVersion: 2) { section heading lines { op text } } } }`,
      { id: rb.id },
      tokens['viewer'],
    );
    expect(read.runbook.revision).toEqual({ version: 1, mitigation: null, detection: 'Check lag' });
    expect(read.runbook.diff).toEqual([{ section: 'mitigation', heading: 'Immediate mitigation', lines: [{ op: 'ADDED', text: 'Drain the queue' }] }]);
  });

  it('refuses a stale expectedVersion with CONFLICT and the current version, changing nothing', async () => {
    const rb = (await create({ title: 'Conflicts', mitigation: 'one' })).data!.createRunbook;
    await must(api, UPDATE, { id: rb.id, v: 1, i: { mitigation: 'two' } }, tokens['member']);
    const stale = await api.gql(UPDATE, { id: rb.id, v: 1, i: { mitigation: 'three' } }, tokens['manager']);
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2, field: 'expectedVersion' });
    const now = await must<{ runbook: { version: number; mitigation: string } }>(api, `query($id: ID!) { runbook(id: $id) { version mitigation } }`, { id: rb.id }, tokens['member']);
    expect(now.runbook).toEqual({ version: 2, mitigation: 'two' });
  });

  it('validates with extensions.field', async () => {
    expect((await create({ title: '' })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    expect((await create({ title: 'x', reviewIntervalDays: 0 })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reviewIntervalDays' });
    expect((await create({ title: 'x', pitfalls: 'x'.repeat(102_401) })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.pitfalls' });
    expect((await create({ title: 'x' }, tokens['member'], '00000000-0000-0000-0000-000000000000')).errors?.[0].extensions).toMatchObject({ field: 'serviceId' });
    const missing = await api.gql(UPDATE, { id: '00000000-0000-0000-0000-000000000000', v: 1, i: {} }, tokens['member']);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('kept true', () => {
  it('lists stale runbooks, and a review or a new revision resets the clock', async () => {
    const rb = (await create({ title: 'Getting stale', reviewIntervalDays: 10 })).data!.createRunbook;
    await db.query(`UPDATE runbooks SET updated_at = now() - interval '11 days', review_due_at = now() - interval '1 day' WHERE id = $1`, [rb.id]);
    const stale = async () => (await must<{ runbooks: { id: string; isStale: boolean }[] }>(api, `query($s: ID) { runbooks(serviceId: $s, stale: true) { id isStale } }`, { s: checkout }, tokens['viewer'])).runbooks;
    expect(await stale()).toContainEqual({ id: rb.id, isStale: true });

    const reviewed = (await must<{ markRunbookReviewed: Runbook }>(api, REVIEW, { id: rb.id }, tokens['manager'])).markRunbookReviewed;
    expect(reviewed.version).toBe(1);
    expect(reviewed.isStale).toBe(false);
    expect(new Date(reviewed.reviewDueAt).getTime() - new Date(reviewed.lastReviewedAt!).getTime()).toBe(10 * DAY);
    expect((await stale()).map((r) => r.id)).not.toContain(rb.id);
    expect(await auditCount('runbook.review')).toBeGreaterThan(0);

    await db.query(`UPDATE runbooks SET last_reviewed_at = now() - interval '11 days', updated_at = now() - interval '11 days', review_due_at = now() - interval '1 day' WHERE id = $1`, [rb.id]);
    const saved = (await must<{ updateRunbook: Runbook }>(api, UPDATE, { id: rb.id, v: 1, i: { pitfalls: 'Do not restart both' } }, tokens['member'])).updateRunbook;
    expect(saved.isStale).toBe(false);
    expect(new Date(saved.reviewDueAt).getTime() - new Date(saved.updatedAt).getTime()).toBe(10 * DAY);
  });

  it('takes its default interval from the policy an ADMIN sets', async () => {
    await must(api, `mutation { updatePolicies(input: { runbookReviewDays: 45 }) { runbookReviewDays } }`, {}, tokens['admin']);
    const rb = (await create({ title: 'Policy default' })).data!.createRunbook;
    expect(rb.reviewIntervalDays).toBe(45);
    const bad = await api.gql(`mutation { updatePolicies(input: { runbookReviewDays: 0 }) { runbookReviewDays } }`, {}, tokens['admin']);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.runbookReviewDays' });
    await must(api, `mutation { updatePolicies(input: { runbookReviewDays: 90 }) { runbookReviewDays } }`, {}, tokens['admin']);
  });
});

describe('learning from incidents', () => {
  it('feedback → linked PROCESS item → a new revision completes it, naming the revision; a P1 still needs its verification', async () => {
    const rb = (await create({ title: 'Card declines', mitigation: 'Fail over to the backup acquirer' })).data!.createRunbook;
    const fb = (await must<{ recordRunbookFeedback: { verdict: string; author: { id: string }; incident: { id: string }; runbook: { id: string } } }>(
      api,
      FEEDBACK, { inc: incidentId, rb: rb.id, v: 'MISSING_STEPS', note: 'No step to check the acquirer status page' }, tokens['commander'],
    )).recordRunbookFeedback;
    expect(fb).toMatchObject({ verdict: 'MISSING_STEPS', author: { id: users['commander'] }, incident: { id: incidentId }, runbook: { id: rb.id } });

    const newItem = async (priority: string) =>
      (await must<{ createActionItem: { id: string; addressesRunbook: { id: string } } }>(
        api,
        `mutation($inc: ID!, $i: CreateActionItemInput!) { createActionItem(incidentId: $inc, input: $i) { id addressesRunbook { id } } }`,
        { inc: incidentId, i: { title: `Runbook: add the status-page check (${priority})`, kind: 'PROCESS', priority, ownerTeamId: payments, addressesRunbookId: rb.id } },
        tokens['commander'],
      )).createActionItem;
    const p2 = await newItem('P2');
    const p1 = await newItem('P1');
    expect(p2.addressesRunbook).toEqual({ id: rb.id });

    const panel = await must<{ incident: { runbooks: { id: string }[]; runbookFeedback: { verdict: string }[] } }>(
      api,
      `query($id: ID!) { incident(id: $id) { runbooks { id } runbookFeedback { verdict } } }`, { id: incidentId }, tokens['viewer'],
    );
    expect(panel.incident.runbooks.map((r) => r.id)).toContain(rb.id);
    expect(panel.incident.runbookFeedback.map((f) => f.verdict)).toContain('MISSING_STEPS');

    // The postmortem document carries it too (the export reaches runbooks through its port).
    const reference = (await must<{ incident: { reference: string } }>(api, `query($id: ID!) { incident(id: $id) { reference } }`, { id: incidentId }, tokens['viewer'])).incident.reference;
    const exported = await fetch(`${api.url}/incidents/${reference}/postmortem.md`, { headers: { authorization: `Bearer ${tokens['viewer']}` } });
    expect(exported.status).toBe(200);
    const feedback = (await exported.text()).split('## Runbook feedback\n\n')[1]?.split('\n## ')[0] ?? '';
    expect(feedback).toContain('- **Card declines** (checkout-api): Missing steps — No step to check the acquirer status page\n');

    const saved = (await must<{ updateRunbook: Runbook }>(
      api,
      UPDATE, { id: rb.id, v: 1, i: { detection: 'Check the acquirer status page' }, note: 'Status-page check', resolves: [p2.id, p1.id] }, tokens['member'],
    )).updateRunbook;
    expect(saved.version).toBe(2);
    const byId = new Map(saved.actionItems!.map((i) => [i.id, i]));
    expect(byId.get(p2.id)).toEqual({ id: p2.id, status: 'DONE', completionNote: 'Resolved by runbook revision 2' });
    expect(byId.get(p1.id)).toMatchObject({ status: 'OPEN' });
    expect(await auditCount('action-item.resolve-by-runbook')).toBe(1);
    expect(await auditCount('action-item.runbook-revision')).toBe(1);

    // An item that does not address this runbook is refused, and the save does not happen.
    const unrelated = await api.gql(UPDATE, { id: rb.id, v: 2, i: { pitfalls: 'x' }, resolves: [p2.id] }, tokens['member']);
    expect(unrelated.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'resolvesActionItemIds' });
    expect((await db.query(`SELECT version FROM runbooks WHERE id = $1`, [rb.id])).rows[0].version).toBe(2);
  });

  it('refuses an unknown runbook on an action item', async () => {
    const res = await api.gql(
      `mutation($inc: ID!, $i: CreateActionItemInput!) { createActionItem(incidentId: $inc, input: $i) { id } }`,
      { inc: incidentId, i: { title: 'x', kind: 'PROCESS', priority: 'P2', ownerTeamId: payments, addressesRunbookId: '00000000-0000-0000-0000-000000000000' } },
      tokens['commander'],
    );
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.addressesRunbookId' });
  });
});

describe('Service.runbooks', () => {
  it('lists the runbooks of each service', async () => {
    const svc = await world.service({ name: 'search-api', tier: 2, teamId: search });
    await must(api, CREATE, { s: svc, i: { title: 'B index lag' } }, tokens['otherManager']);
    await must(api, CREATE, { s: svc, i: { title: 'A shard down' } }, tokens['otherManager']);
    const res = await must<{ services: { id: string; runbooks: { title: string }[] }[] }>(api, `{ services { id runbooks { title } } }`, {}, tokens['viewer']);
    expect(res.services.find((s) => s.id === svc)!.runbooks.map((r) => r.title)).toEqual(['A shard down', 'B index lag']);
  });
});

describe('migration of Service.runbook', () => {
  it('makes the old text each service\'s first runbook, whole, by the last editor of the service', async () => {
    const text = '# Checkout\n\n1. Page **payments**\n2. Roll back the last deploy\n\n' + 'é'.repeat(1000);
    const svc = (await must<{ createService: { id: string } }>(api, `mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, { i: { name: 'legacy-api', kind: 'API', tier: 1, teamId: payments, runbook: text } }, tokens['admin'])).createService.id;
    const blank = (await must<{ createService: { id: string } }>(api, `mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, { i: { name: 'blank-api', kind: 'API', tier: 3, teamId: payments, runbook: '   ' } }, tokens['admin'])).createService.id;
    await db.query(`UPDATE services SET updated_at = '2026-01-02T03:04:05Z' WHERE id = $1`, [svc]);
    const before = (await db.query(`SELECT count(*)::int AS n FROM runbooks`)).rows[0].n;
    const Migration = MIGRATIONS.find((m) => m.name === 'Runbooks1796055564467');
    if (!Migration) throw new Error('the runbooks migration is not registered');
    const migration = new Migration();
    const runner = { query: (sql: string, params?: unknown[]) => db.query(sql, params as unknown[]).then((r) => r.rows) } as never;
    await migration.down(runner);
    await migration.up(runner);
    const rows = (await db.query(`SELECT r.*, v.note, v.edited_by, v.edited_at, v.mitigation AS v_mitigation FROM runbooks r JOIN runbook_revisions v ON v.runbook_id = r.id WHERE r.service_id = ANY($1::uuid[])`, [[svc, blank]])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ service_id: svc, title: 'legacy-api runbook', mitigation: text, v_mitigation: text, version: 1, review_interval_days: 90, edited_by: (await db.query(`SELECT id FROM users WHERE email = 'admin@test.local'`)).rows[0].id, note: "Moved from the service's runbook field" });
    expect(rows[0].edited_at.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(rows[0].review_due_at.toISOString()).toBe('2026-04-02T03:04:05.000Z');
    // The old column is untouched; the runbooks made through the API before were dropped and re-made only from service text (down/up in a test database).
    expect((await db.query(`SELECT runbook FROM services WHERE id = $1`, [svc])).rows[0].runbook).toBe(text);
    expect(before).toBeGreaterThan(0);
    const viaApi = await must<{ services: { id: string; runbook: string; runbooks: { title: string; mitigation: string; isStale: boolean }[] }[] }>(api, `{ services { id runbook runbooks { title mitigation isStale } } }`, {}, tokens['viewer']);
    expect(viaApi.services.find((s) => s.id === svc)).toEqual({ id: svc, runbook: text, runbooks: [{ title: 'legacy-api runbook', mitigation: text, isStale: true }] });
  });
});

describe('legacy Service.runbook text written through createService / updateService', () => {
  const CREATE_SERVICE = `mutation($i: CreateServiceInput!) { createService(input: $i) { id runbook } }`;
  const UPDATE_SERVICE = `mutation($id: ID!, $i: UpdateServiceInput!) { updateService(id: $id, input: $i) { id runbook } }`;
  const adminId = async (): Promise<string> => (await db.query(`SELECT id FROM users WHERE email = 'admin@test.local'`)).rows[0].id;
  const runbooksOf = async (serviceId: string) =>
    (await db.query(
      `SELECT r.id, r.title, r.detection, r.mitigation, r.verification, r.escalation, r.rollback, r.pitfalls, r.version, r.review_interval_days, r.created_by,
              v.version AS v_version, v.title AS v_title, v.mitigation AS v_mitigation, v.edited_by, v.note
         FROM runbooks r JOIN runbook_revisions v ON v.runbook_id = r.id WHERE r.service_id = $1 ORDER BY r.created_at, v.version`,
      [serviceId],
    )).rows;
  const creationAudits = async (runbookIds: string[]) =>
    (await db.query(`SELECT actor_id, after FROM audit_log WHERE action = 'runbook.create' AND entity_type = 'Runbook' AND entity_id = ANY($1::text[])`, [runbookIds])).rows;

  it("createService with text makes the service's first runbook the way the migration did, as revision 1 by the caller, audited", async () => {
    const text = '# Vault\n\n1. Unseal with three of the five keys\n2. Check the audit device\n\n' + 'é'.repeat(500);
    const svc = (await must<{ createService: { id: string; runbook: string } }>(api, CREATE_SERVICE, { i: { name: 'vault-api', kind: 'DATASTORE', tier: 1, teamId: payments, runbook: text } }, tokens['admin'])).createService;
    expect(svc.runbook).toBe(text);
    const admin = await adminId();
    const rows = await runbooksOf(svc.id);
    expect(rows).toEqual([
      {
        id: expect.any(String), title: 'vault-api runbook', detection: null, mitigation: text, verification: null, escalation: null, rollback: null, pitfalls: null,
        version: 1, review_interval_days: 90, created_by: admin,
        v_version: 1, v_title: 'vault-api runbook', v_mitigation: text, edited_by: admin, note: "Moved from the service's runbook field",
      },
    ]);
    const audits = await creationAudits([rows[0].id]);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_id: admin, after: { serviceId: svc.id, version: 1, title: 'vault-api runbook', mitigation: text } });
    // Readers see it where they look for runbooks: Service.runbooks, editable with updateRunbook.
    const viaApi = await must<{ runbooks: { id: string; title: string; isStale: boolean; team: { id: string } }[] }>(api, `query($s: ID!) { runbooks(serviceId: $s) { id title isStale team { id } } }`, { s: svc.id }, tokens['viewer']);
    expect(viaApi.runbooks).toEqual([{ id: rows[0].id, title: 'vault-api runbook', isStale: false, team: { id: payments } }]);
    expect((await api.gql(UPDATE, { id: rows[0].id, v: 1, i: { detection: 'Seal status panel' } }, tokens['member'])).errors).toBeUndefined();
  });

  it('makes no runbook for a service created without text or with blank text', async () => {
    const none = (await must<{ createService: { id: string } }>(api, CREATE_SERVICE, { i: { name: 'no-text-api', kind: 'API', tier: 3, teamId: payments } }, tokens['admin'])).createService.id;
    const blank = (await must<{ createService: { id: string } }>(api, CREATE_SERVICE, { i: { name: 'blank-text-api', kind: 'API', tier: 3, teamId: payments, runbook: ' \n ' } }, tokens['admin'])).createService.id;
    expect(await runbooksOf(none)).toEqual([]);
    expect(await runbooksOf(blank)).toEqual([]);
  });

  it('updateService with text on a service without runbooks makes its first runbook; later text changes only the legacy column', async () => {
    const svc = (await must<{ createService: { id: string } }>(api, CREATE_SERVICE, { i: { name: 'late-text-api', kind: 'API', tier: 2, teamId: payments } }, tokens['admin'])).createService.id;
    // Other fields alone make nothing.
    await must(api, UPDATE_SERVICE, { id: svc, i: { tier: 1 } }, tokens['admin']);
    expect(await runbooksOf(svc)).toEqual([]);

    await must(api, UPDATE_SERVICE, { id: svc, i: { runbook: 'Restart the pods one at a time.' } }, tokens['admin']);
    const first = await runbooksOf(svc);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ title: 'late-text-api runbook', mitigation: 'Restart the pods one at a time.', version: 1, v_version: 1, edited_by: await adminId(), note: "Moved from the service's runbook field" });
    expect(await creationAudits([first[0].id])).toHaveLength(1);

    // Now it has a runbook: the text goes to the old column only, the runbook and its revisions stay as they were.
    const res = await must<{ updateService: { runbook: string } }>(api, UPDATE_SERVICE, { id: svc, i: { runbook: 'Drain the node first.' } }, tokens['admin']);
    expect(res.updateService.runbook).toBe('Drain the node first.');
    expect(await runbooksOf(svc)).toEqual(first);
    // Clearing it touches no runbook either.
    await must(api, UPDATE_SERVICE, { id: svc, i: { runbook: null } }, tokens['admin']);
    expect(await runbooksOf(svc)).toEqual(first);
  });

  it('writes only the legacy column for a service that already has runbooks made in the runbook editor', async () => {
    const svc = (await must<{ createService: { id: string } }>(api, CREATE_SERVICE, { i: { name: 'edited-api', kind: 'API', tier: 2, teamId: payments } }, tokens['admin'])).createService.id;
    await must(api, CREATE, { s: svc, i: { title: 'Pods crash-looping', mitigation: 'Roll back' } }, tokens['member']);
    const before = await runbooksOf(svc);
    const auditsBefore = await auditCount('runbook.create');
    const res = await must<{ updateService: { runbook: string } }>(api, UPDATE_SERVICE, { id: svc, i: { runbook: '# Old notes' } }, tokens['admin']);
    expect(res.updateService.runbook).toBe('# Old notes');
    expect(await runbooksOf(svc)).toEqual(before);
    expect(await auditCount('runbook.create')).toBe(auditsBefore);
  });

  it('writes the service and its first runbook in one transaction: a failed runbook insert leaves no service', async () => {
    // A trigger in this test database stands in for any failure of the runbook write.
    await db.query(`CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
    await db.query(`CREATE TRIGGER refuse_doomed BEFORE INSERT ON runbooks FOR EACH ROW WHEN (NEW.title = 'doomed-api runbook') EXECUTE FUNCTION refuse_doomed()`);
    try {
      const res = await api.gql(CREATE_SERVICE, { i: { name: 'doomed-api', kind: 'API', tier: 2, teamId: payments, runbook: 'Text' } }, tokens['admin']);
      expect(res.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect((await db.query(`SELECT count(*)::int AS n FROM services WHERE name = 'doomed-api'`)).rows[0].n).toBe(0);
      expect((await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'service.create' AND after->>'name' = 'doomed-api'`)).rows[0].n).toBe(0);
    } finally {
      await db.query(`DROP TRIGGER refuse_doomed ON runbooks; DROP FUNCTION refuse_doomed()`);
    }
  });
});

describe('GET /runbooks/<id>.md', () => {
  it('exports a runbook as Markdown to anyone signed in, and nothing to anonymous callers', async () => {
    const rb = (await create({ title: 'Export me', detection: 'Look at **lag**', rollback: 'Redeploy the previous build' })).data!.createRunbook;
    const res = await fetch(`${api.url}/runbooks/${rb.id}.md`, { headers: { authorization: `Bearer ${tokens['viewer']}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/markdown');
    expect(await res.text()).toBe('# Export me\n\n_Service: checkout-api · Version 1_\n\n## What to look at first\n\nLook at **lag**\n\n## Last-resort rollback\n\nRedeploy the previous build\n');
    expect((await fetch(`${api.url}/runbooks/${rb.id}.md`)).status).toBe(401);
    expect((await fetch(`${api.url}/runbooks/00000000-0000-0000-0000-000000000000.md`, { headers: { authorization: `Bearer ${tokens['viewer']}` } })).status).toBe(404);
  });
});

describe('search', () => {
  it('finds runbooks by words in any section, best match first', async () => {
    await create({ title: 'Acquirer outage', mitigation: 'Fail over to the backup acquirer; the acquirer status page says when.' });
    await create({ title: 'Ledger lag', pitfalls: 'Never restore the ledger over itself.' });
    const found = async (search: string) => (await must<{ runbooks: { title: string }[] }>(api, `query($q: String) { runbooks(search: $q) { title } }`, { q: search }, tokens['viewer'])).runbooks.map((r) => r.title);
    expect(await found('acquirer')).toContain('Acquirer outage');
    expect(await found('acquirer')).not.toContain('Ledger lag');
    expect(await found('restore ledger')).toEqual(['Ledger lag']);
    expect(await found('"status page" -ledger')).toEqual(['Acquirer outage']);
  });
});

describe('ReliabilityReport.runbooks', () => {
  it('gives coverage, feedback by verdict and stale runbooks, overall, per team and per service, as computed by hand', async () => {
    const service = async (name: string, teamId: string) =>
      (await must<{ createService: { id: string } }>(api, `mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, { i: { name, kind: 'API', tier: 2, teamId } }, tokens['admin'])).createService.id;
    const a = await service('report-a', payments);
    const b = await service('report-b', search);
    const rbA = (await create({ title: 'A runbook' }, tokens['admin'], a)).data!.createRunbook.id;
    const rbB = (await create({ title: 'B runbook' }, tokens['admin'], b)).data!.createRunbook.id;
    // A's runbook existed all along; B's only from 15 March; B's review is due now.
    await db.query(`UPDATE runbooks SET created_at = '2025-01-01T00:00:00Z' WHERE id = $1`, [rbA]);
    await db.query(`UPDATE runbooks SET created_at = '2025-03-15T00:00:00Z', review_due_at = now() - interval '1 day' WHERE id = $1`, [rbB]);
    const incident = async (title: string, startedAt: string, serviceIds: string[]) =>
      (await must<{ createIncident: { id: string } }>(api, `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`, { i: { title, severity: 'SEV3', startedAt, serviceIds } }, tokens['commander'])).createIncident.id;
    const i1 = await incident('Both services', '2025-03-10T10:00:00Z', [a, b]); // A had one, B not yet → not covered
    const i2 = await incident('B later', '2025-03-20T10:00:00Z', [b]); // covered
    await incident('A alone', '2025-03-05T10:00:00Z', [a]); // covered
    await must(api, FEEDBACK, { inc: i1, rb: rbA, v: 'MISSING_STEPS' }, tokens['commander']);
    await must(api, FEEDBACK, { inc: i2, rb: rbB, v: 'HELPED' }, tokens['commander']);

    const FIGURES = `incidents coveredIncidents coverage staleRunbooks feedback { verdict count }`;
    type Figures = { incidents: number; coveredIncidents: number; coverage: number | null; staleRunbooks: number; feedback: { verdict: string; count: number }[] };
    const report = async (filter: Record<string, unknown>) =>
      (await must<{ reliabilityReport: { runbooks: Figures & { byTeam: (Figures & { team: { id: string } })[]; byService: (Figures & { service: { id: string } })[] } } }>(
        api,
        `query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { runbooks { ${FIGURES} byTeam { team { id } ${FIGURES} } byService { service { id } ${FIGURES} } } } }`,
        { f: { from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z', ...filter } },
        tokens['viewer'],
      )).reliabilityReport.runbooks;
    const verdicts = (f: Figures) => Object.fromEntries(f.feedback.filter((v) => v.count > 0).map((v) => [v.verdict, v.count]));

    const all = await report({});
    expect(all).toMatchObject({ incidents: 3, coveredIncidents: 2 });
    expect(all.coverage).toBeCloseTo(2 / 3);
    expect(verdicts(all)).toEqual({ MISSING_STEPS: 1, HELPED: 1 });
    expect(all.byTeam.find((t) => t.team.id === payments)).toMatchObject({ incidents: 2, coveredIncidents: 2, coverage: 1 });
    expect(all.byTeam.find((t) => t.team.id === search)).toMatchObject({ incidents: 2, coveredIncidents: 1, coverage: 0.5 });
    expect(all.byService.find((s) => s.service.id === b)).toMatchObject({ incidents: 2, coveredIncidents: 1, coverage: 0.5, staleRunbooks: 1 });
    expect(verdicts(all.byService.find((s) => s.service.id === a)!)).toEqual({ MISSING_STEPS: 1 });

    const onlyB = await report({ serviceId: b });
    expect(onlyB).toMatchObject({ incidents: 2, coveredIncidents: 1, coverage: 0.5, staleRunbooks: 1 });
    expect(verdicts(onlyB)).toEqual({ MISSING_STEPS: 1, HELPED: 1 });
  });
});
