import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { SqlCounter } from '@hindsight/server-db';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { daysAgo, daysFromNow, must, Rows } from '@hindsight/server-testing';

/*
 * Answering nudges through the API (issue 10): myWork for every persona, claim, and the
 * rules of extension requests and their decisions. Messages about requests are covered
 * with real workers and receivers in libs/server/worker/src/nudge-answers.spec.ts.
 */

const DAY = 86_400_000;
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `hs-work-${randomBytes(4).toString('hex')}`;

let api: ApiHarness;
let db: Client;
const sql = new SqlCounter();
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
let payments: string;
let search: string;
let incidentId: string;

const MY_WORK = `{ myWork {
  overdue { id title } dueSoon { id title } unassignedInMyTeams { id title } escalatedInMyTeams { id title }
  extensionRequests { id reason status requestedBy { id } actionItem { id title } }
  postmortemsToWrite { id incident { id title } } reviewsRequested { id incident { id title } } openIncidents { id title }
} }`;
const CLAIM = `mutation($id: ID!) { claimActionItem(id: $id) { id assignee { id } } }`;
const REQUEST = `mutation($id: ID!, $until: DateTime!, $reason: String!) { requestDueDateExtension(actionItemId: $id, until: $until, reason: $reason) {
  id until reason status createdAt requestedBy { id } actionItem { id } decidedBy { id } decidedAt note } }`;
const DECIDE = `mutation($id: ID!, $approve: Boolean!, $note: String) { decideDueDateExtension(id: $id, approve: $approve, note: $note) {
  id status decidedBy { id } decidedAt note actionItem { id dueAt dueDateChanges { newDueAt reason changedBy { id } } extensionRequests { id status } } } }`;

type Lists = Record<string, { id: string; title?: string; incident?: { title: string }; reason?: string }[]>;


async function createUser(key: string, role: string, name: string): Promise<void> {
  const email = `${key}@responses.test`;
  const data = await must<{ createUser: { id: string } }>(api, `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input: { email, name, role, password: `${key}-password` } }, tokens['admin']);
  users[key] = data.createUser.id;
  tokens[key] = await api.login(email, `${key}-password`);
}

async function item(title: string, over: { team?: string; assignee?: string | null; dueInDays?: number; priority?: string; status?: string } = {}): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO action_items (incident_id, title, kind, priority, status, owner_team_id, assignee_id, due_at, completed_at, completion_note)
     VALUES ($1, $2, 'PREVENT', $3, $4, $5, $6, now() + $7 * interval '1 day', CASE WHEN $4 = 'DONE' THEN now() END, CASE WHEN $4 = 'DONE' THEN 'done' END) RETURNING id`,
    [incidentId, title, over.priority ?? 'P1', over.status ?? 'OPEN', over.team ?? payments, over.assignee === undefined ? null : over.assignee, over.dueInDays ?? 20],
  );
  return rows[0].id;
}

const auditCount = async (action: string): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1`, [action])).rows[0].n;
const titles = (lists: Lists, list: string) => lists[list].map((r) => r.title ?? r.incident?.title ?? r.reason);

beforeAll(async () => {
  api = await startApi({ QUEUE_PREFIX: prefix, PUBLIC_URL: 'https://hindsight.example.test' }, { sqlCounter: sql });
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  tokens['admin'] = await api.login();
  users['admin'] = (await db.query(`SELECT id FROM users WHERE email = 'admin@test.local'`)).rows[0].id;
  await createUser('manager', 'MANAGER', 'Maria Manager');
  await createUser('member', 'COMMANDER', 'Mo Member');
  await createUser('commander', 'COMMANDER', 'Cam Commander');
  await createUser('otherManager', 'MANAGER', 'Olga Other');
  await createUser('viewer', 'VIEWER', 'Vic Viewer');
  const team = async (name: string, managerId: string, memberIds: string[]) =>
    (await must<{ createTeam: { id: string } }>(api, `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name, managerId, memberIds } }, tokens['admin'])).createTeam.id;
  payments = await team('Payments', users['manager'], [users['member'], users['viewer']]);
  search = await team('Search', users['otherManager'], []);
  // Team membership is read at sign-in: sign in again.
  for (const key of ['manager', 'member', 'viewer', 'otherManager']) tokens[key] = await api.login(`${key}@responses.test`, `${key}-password`);
  incidentId = (await new Rows(db).incident({ title: 'Card declines', started_at: daysAgo(9), resolved_at: daysAgo(8), commander_id: users['commander'] })).id;
}, 60_000);

afterAll(async () => {
  await db?.end();
  await api?.close();
  await dropQueueKeys(REDIS_URL, prefix);
});

describe('myWork', () => {
  beforeAll(async () => {
    await item('Overdue for Mo', { assignee: users['member'], dueInDays: -2 });
    await item('Long overdue for Mo', { assignee: users['member'], dueInDays: -12 });
    await item('Due soon for Mo', { assignee: users['member'], dueInDays: 3 });
    await item('Later for Mo', { assignee: users['member'], dueInDays: 30 });
    await item('Done for Mo', { assignee: users['member'], dueInDays: -5, status: 'DONE' });
    await item('Nobody has it', { assignee: null, dueInDays: 10 });
    await item('Search item nobody has', { team: search, assignee: null, dueInDays: 10 });
    // Open incidents commanded by Cam, a postmortem to write, a review asked of Maria.
    const rows = new Rows(db);
    await rows.incident({ title: 'Checkout latency', severity: 'SEV1', status: 'IDENTIFIED', started_at: daysAgo(1 / 24), commander_id: users['commander'] });
    const pm = await rows.postmortem({ incident_id: incidentId, status: 'IN_REVIEW', due_at: daysFromNow(2) });
    await rows.insert('postmortem_reviews', { postmortem_id: pm.id, reviewer_id: users['manager'] }, '*');
  });

  it("shows a member their overdue and due-soon items, most urgent first, and their team's unassigned items", async () => {
    const { myWork } = await must<{ myWork: Lists }>(api, MY_WORK, {}, tokens['member']);
    expect(titles(myWork, 'overdue')).toEqual(['Long overdue for Mo', 'Overdue for Mo']);
    expect(titles(myWork, 'dueSoon')).toEqual(['Due soon for Mo']);
    expect(titles(myWork, 'unassignedInMyTeams')).toEqual(['Nobody has it']);
    expect(myWork['escalatedInMyTeams']).toEqual([]);
    expect(myWork['extensionRequests']).toEqual([]);
  });

  it("shows a manager the team's escalated items and the reviews asked of them", async () => {
    const { myWork } = await must<{ myWork: Lists }>(api, MY_WORK, {}, tokens['manager']);
    expect(titles(myWork, 'escalatedInMyTeams')).toEqual(['Long overdue for Mo']);
    expect(titles(myWork, 'reviewsRequested')).toEqual(['Card declines']);
    expect(titles(myWork, 'unassignedInMyTeams')).toEqual(['Nobody has it']);
    expect(myWork['overdue']).toEqual([]);
  });

  it('shows a commander the postmortems to write and the open incidents they command', async () => {
    const { myWork } = await must<{ myWork: Lists }>(api, MY_WORK, {}, tokens['commander']);
    expect(titles(myWork, 'postmortemsToWrite')).toEqual(['Card declines']);
    expect(titles(myWork, 'openIncidents')).toEqual(['Checkout latency']);
    expect(myWork['unassignedInMyTeams']).toEqual([]);
  });

  it('answers a VIEWER with valid, empty lists (leadership never edits), and anonymous callers UNAUTHENTICATED', async () => {
    const { myWork } = await must<{ myWork: Lists }>(api, MY_WORK, {}, tokens['viewer']);
    expect(Object.keys(myWork).sort()).toEqual(['dueSoon', 'escalatedInMyTeams', 'extensionRequests', 'openIncidents', 'overdue', 'postmortemsToWrite', 'reviewsRequested', 'unassignedInMyTeams']);
    expect(Object.values(myWork).every((list) => Array.isArray(list) && list.length === 0)).toBe(true);
    const anonymous = await api.gql(MY_WORK, {}, null);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('costs the same few statements whether the lists are short or long (no N+1)', async () => {
    // The caller is then known to the API (ActorCache): the counts are the page's own statements.
    await must(api, '{ me { id } }', {}, tokens['manager']);
    sql.reset();
    await must(api, MY_WORK, {}, tokens['manager']);
    const few = sql.count;
    for (let i = 0; i < 8; i++) {
      await item(`Escalated ${i}`, { assignee: i % 2 ? users['member'] : null, dueInDays: -10 - i });
      await db.query(`INSERT INTO due_date_extension_requests (action_item_id, requested_by, previous_due_at, until, reason) SELECT id, $2, due_at, due_at + interval '9 days', 'Vendor ' || $3 FROM action_items WHERE title = $1`, [`Escalated ${i}`, users['member'], i]);
    }
    await must(api, '{ me { id } }', {}, tokens['manager']);
    sql.reset();
    const { myWork } = await must<{ myWork: Lists }>(api, MY_WORK, {}, tokens['manager']);
    expect(myWork['escalatedInMyTeams'].length).toBeGreaterThanOrEqual(9);
    expect(myWork['extensionRequests']).toHaveLength(8);
    expect(sql.count).toBeLessThanOrEqual(few + 4);
    expect(sql.count).toBeLessThanOrEqual(9);
  });
});

describe('myWork.queue: one list by the home urgency rule', () => {
  const QUEUE = `{ myWork { queue {
    id kind urgency reason dueAt answers { kind label path }
    actionItem { id title } extensionRequest { id reason } postmortem { id status } incident { id title }
    owner { id name } team { id name }
  } } }`;
  interface Entry { id: string; kind: string; urgency: string; reason: string; answers: { kind: string; label: string; path: string }[]; actionItem: { title: string } | null; owner: { id: string } | null; team: { name: string } | null; postmortem: { status: string } | null }
  const queueOf = async (who: string) => (await must<{ myWork: { queue: Entry[] } }>(api, QUEUE, {}, tokens[who])).myWork.queue;
  const line = (e: Entry) => [e.kind, e.urgency, e.reason, e.actionItem?.title ?? e.postmortem?.status ?? null, e.answers.map((a) => a.kind).join(',')];
  let queueTeam: string;
  let escalatedId: string;

  beforeAll(async () => {
    await createUser('quinn', 'MANAGER', 'Quinn Queue');
    await createUser('quill', 'COMMANDER', 'Quill Queue');
    queueTeam = (await must<{ createTeam: { id: string } }>(api, `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name: 'Queue', managerId: users['quinn'], memberIds: [users['quill']] } }, tokens['admin'])).createTeam.id;
    for (const key of ['quinn', 'quill']) tokens[key] = await api.login(`${key}@responses.test`, `${key}-password`);
    const own = { team: queueTeam, assignee: users['quill'] };
    await item('Q snoozed P0', { ...own, priority: 'P0', dueInDays: -20 });
    await db.query(`UPDATE action_items SET snoozed_until = now() + interval '3 days', snooze_reason = 'vendor fix' WHERE title = 'Q snoozed P0'`);
    await item('Q due soon', { ...own, priority: 'P2', dueInDays: 3 });
    await item('Q overdue P3', { ...own, priority: 'P3', dueInDays: -2 });
    escalatedId = await item('Q escalated P2', { ...own, priority: 'P2', dueInDays: -9 });
    await item('Q overdue P0', { ...own, priority: 'P0', dueInDays: -5 });
    await item('Q nobody', { team: queueTeam, assignee: null, priority: 'P2', dueInDays: 30 });
    await db.query(`INSERT INTO due_date_extension_requests (action_item_id, requested_by, previous_due_at, until, reason) SELECT id, $2, due_at, now() + interval '20 days', 'Waiting on the vendor' FROM action_items WHERE id = $1`, [escalatedId, users['quill']]);
    const rows = new Rows(db);
    const inc = await rows.incident({ title: 'Queue stall', started_at: daysAgo(12), resolved_at: daysAgo(11), commander_id: users['quill'] });
    const pm = await rows.postmortem({ incident_id: inc.id, status: 'IN_REVIEW', due_at: daysAgo(1) });
    await rows.insert('postmortem_reviews', { postmortem_id: pm.id, reviewer_id: users['quinn'] }, '*');
  });

  it('a member sees their overdue P0 first, their snoozed P0 last, each with its reason and their answers', async () => {
    expect((await queueOf('quill')).map(line)).toEqual([
      ['ACTION_ITEM', 'OVERDUE_P0', 'overdue', 'Q overdue P0', 'COMPLETE,EXTEND'],
      ['ACTION_ITEM', 'ESCALATED', 'overdue', 'Q escalated P2', 'COMPLETE,EXTEND'],
      ['ACTION_ITEM', 'OVERDUE', 'overdue', 'Q overdue P3', 'COMPLETE,EXTEND'],
      ['POSTMORTEM', 'POSTMORTEM_PAST_DUE', 'in review, past due', 'IN_REVIEW', 'REVIEW'],
      ['ACTION_ITEM', 'DUE_SOON', 'due soon', 'Q due soon', 'COMPLETE,EXTEND'],
      ['ACTION_ITEM', 'UNCLAIMED', 'nobody has taken it', 'Q nobody', 'CLAIM,COMPLETE,EXTEND'],
      ['ACTION_ITEM', 'SNOOZED', 'overdue', 'Q snoozed P0', 'COMPLETE,EXTEND'],
    ]);
  });

  it("the team's manager sees the extension request in the escalated item's place, whose item it is, and only the answers a manager gives", async () => {
    const queue = await queueOf('quinn');
    expect(queue.map(line)).toEqual([
      ['EXTENSION_REQUEST', 'ESCALATED', 'extension asked', 'Q escalated P2', 'APPROVE,DECLINE'],
      ['REVIEW', 'REVIEW_REQUESTED', 'review requested', 'IN_REVIEW', 'REVIEW'],
      ['ACTION_ITEM', 'UNCLAIMED', 'nobody has taken it', 'Q nobody', 'CLAIM,COMPLETE,EXTEND'],
      ['ACTION_ITEM', 'SNOOZED', 'escalated to you', 'Q snoozed P0', 'COMPLETE,EXTEND'],
    ]);
    expect(queue[0]).toMatchObject({ id: `item:${escalatedId}`, owner: { id: users['quill'] }, team: { name: 'Queue' } });
    expect(queue[2].owner).toBeNull();
    expect(queue[3].answers).toEqual([
      { kind: 'COMPLETE', label: 'Done', path: expect.stringMatching(/^\/action-items\/[0-9a-f-]+\?action=complete$/) },
      { kind: 'EXTEND', label: 'Need more time', path: expect.stringMatching(/\?action=extend$/) },
    ]);
    expect(new Set(queue.map((e) => e.id)).size).toBe(queue.length);
  });

  it('a VIEWER has an empty queue', async () => {
    expect(await queueOf('viewer')).toEqual([]);
  });

  it('costs the same few statements whether the queue is short or long (no N+1)', async () => {
    await must(api, '{ me { id } }', {}, tokens['quinn']);
    sql.reset();
    await queueOf('quinn');
    const few = sql.count;
    for (let i = 0; i < 10; i++) {
      const id = await item(`Q more ${i}`, { team: queueTeam, assignee: i % 2 ? users['quill'] : null, priority: 'P2', dueInDays: -8 - i });
      if (i % 3 === 0) await db.query(`INSERT INTO due_date_extension_requests (action_item_id, requested_by, previous_due_at, until, reason) SELECT id, $2, due_at, now() + interval '9 days', 'More' FROM action_items WHERE id = $1`, [id, users['quill']]);
    }
    await must(api, '{ me { id } }', {}, tokens['quinn']);
    sql.reset();
    expect((await queueOf('quinn')).length).toBeGreaterThanOrEqual(14);
    expect(sql.count).toBeLessThanOrEqual(few + 2);
    expect(sql.count).toBeLessThanOrEqual(9);
  });
});

describe('claimActionItem', () => {
  it('assigns an unassigned item to a member of the owning team, audited; a second claim is a CONFLICT', async () => {
    const id = await item('Claim me');
    const before = await auditCount('action-item.claim');
    const claimed = await must<{ claimActionItem: { assignee: { id: string } } }>(api, CLAIM, { id }, tokens['member']);
    expect(claimed.claimActionItem.assignee.id).toBe(users['member']);
    expect(await auditCount('action-item.claim')).toBe(before + 1);
    const again = await api.gql(CLAIM, { id }, tokens['manager']);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    // Claiming what one already holds changes nothing.
    await must(api, CLAIM, { id }, tokens['member']);
    expect(await auditCount('action-item.claim')).toBe(before + 1);
  });

  it("keeps the reminder's delivery id in the audit entry when the answer came from a nudge link", async () => {
    const via = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    const id = await item('Claimed from a reminder');
    await must(api, `mutation($id: ID!, $via: ID) { claimActionItem(id: $id, viaDelivery: $via) { id } }`, { id, via }, tokens['member']);
    const { rows } = await db.query(`SELECT after FROM audit_log WHERE action = 'action-item.claim' AND entity_id = $1`, [id]);
    expect(rows[0].after).toEqual({ assigneeId: users['member'], viaDelivery: via });
    const until = new Date(Date.now() + 60 * DAY).toISOString();
    const asked = await must<{ requestDueDateExtension: { id: string } }>(
      api,
      `mutation($id: ID!, $until: DateTime!, $via: ID) { requestDueDateExtension(actionItemId: $id, until: $until, reason: "Vendor", viaDelivery: $via) { id } }`,
      { id, until, via }, tokens['member'],
    );
    const request = await db.query(`SELECT after->>'viaDelivery' AS via FROM audit_log WHERE action = 'extension-request.create' AND entity_id = $1`, [asked.requestDueDateExtension.id]);
    expect(request.rows[0].via).toBe(via);
    const bad = await api.gql(`mutation($id: ID!) { claimActionItem(id: $id, viaDelivery: "not-a-delivery") { id } }`, { id: await item('Bad link') }, tokens['member']);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'viaDelivery' });
  });

  it.each([
    ['viewer', 'FORBIDDEN'], ['otherManager', 'FORBIDDEN'], ['commander', 'FORBIDDEN'],
  ])('refuses %s: %s, and writes nothing', async (who, code) => {
    const id = await item(`Not for ${who}`);
    const res = await api.gql(CLAIM, { id }, tokens[who]);
    expect(res.errors?.[0].extensions?.code).toBe(code);
    expect((await db.query(`SELECT assignee_id FROM action_items WHERE id = $1`, [id])).rows[0].assignee_id).toBeNull();
  });

  it('lets the manager and an ADMIN claim; treats a deactivated assignee as nobody; refuses a closed item', async () => {
    await must(api, CLAIM, { id: await item('For the manager') }, tokens['manager']);
    const gone = await db.query(`INSERT INTO users (email, name, role, active) VALUES ('gone@responses.test', 'Gone', 'COMMANDER', false) RETURNING id`);
    const orphan = await item('Orphaned', { assignee: gone.rows[0].id });
    expect((await must<{ claimActionItem: { assignee: { id: string } } }>(api, CLAIM, { id: orphan }, tokens['admin'])).claimActionItem.assignee.id).toBe(users['admin']);
    const closed = await api.gql(CLAIM, { id: await item('Closed', { status: 'DONE' }) }, tokens['member']);
    expect(closed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const unknown = await api.gql(CLAIM, { id: '00000000-0000-4000-8000-000000000000' }, tokens['member']);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('extension requests', () => {
  const later = (days: number) => new Date(Date.now() + days * DAY).toISOString();

  it.each([
    ['a past date', { until: new Date(Date.now() - DAY).toISOString(), reason: 'Vendor' }, 'until'],
    ['a date before the current due date', { until: later(5), reason: 'Vendor' }, 'until'],
    ['an empty reason', { until: later(40), reason: '  ' }, 'reason'],
  ])('refuses %s with BAD_USER_INPUT on the field, writing nothing', async (_what, args, field) => {
    const id = await item('Needs time', { assignee: users['member'], dueInDays: 20 });
    const res = await api.gql(REQUEST, { id, ...args }, tokens['member']);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect((await db.query(`SELECT count(*)::int AS n FROM due_date_extension_requests WHERE action_item_id = $1`, [id])).rows[0].n).toBe(0);
  });

  it('refuses a VIEWER and someone outside the owning team (FORBIDDEN), and an unknown item (NOT_FOUND)', async () => {
    const id = await item('Needs time too', { assignee: users['member'] });
    expect((await api.gql(REQUEST, { id, until: later(40), reason: 'Vendor' }, tokens['viewer'])).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(REQUEST, { id, until: later(40), reason: 'Vendor' }, tokens['otherManager'])).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(REQUEST, { id: '00000000-0000-4000-8000-000000000000', until: later(40), reason: 'Vendor' }, tokens['member'])).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('is decided once by the owning team manager: never the requester, nor another manager or a viewer; approval moves the due date with the reason', async () => {
    const id = await item('Migrate the card vault', { assignee: users['member'], dueInDays: 20 });
    const until = later(45);
    const requested = (await must<{ requestDueDateExtension: { id: string; status: string; requestedBy: { id: string }; decidedBy: null } }>(
      api,
      REQUEST, { id, until, reason: ' Waiting on the vendor\'s new API ' }, tokens['member'],
    )).requestDueDateExtension;
    expect(requested).toMatchObject({ status: 'PENDING', reason: "Waiting on the vendor's new API", requestedBy: { id: users['member'] }, decidedBy: null, until });
    expect(await auditCount('extension-request.create')).toBeGreaterThan(0);
    // One pending request per item.
    expect((await api.gql(REQUEST, { id, until: later(50), reason: 'More' }, tokens['member'])).errors?.[0].extensions?.code).toBe('CONFLICT');

    const home = await must<{ myWork: Lists }>(api, MY_WORK, {}, tokens['manager']);
    expect(home.myWork['extensionRequests'].map((r) => r.id)).toContain(requested.id);

    for (const who of ['member', 'otherManager', 'viewer', 'commander']) {
      const res = await api.gql(DECIDE, { id: requested.id, approve: true }, tokens[who]);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const decided = (await must<{ decideDueDateExtension: { status: string; decidedBy: { id: string }; note: string; actionItem: { dueAt: string; dueDateChanges: { newDueAt: string; reason: string; changedBy: { id: string } }[]; extensionRequests: { id: string; status: string }[] } } }>(
      api,
      DECIDE, { id: requested.id, approve: true, note: 'Fine, the vendor is slow' }, tokens['manager'],
    )).decideDueDateExtension;
    expect(decided).toMatchObject({ status: 'APPROVED', decidedBy: { id: users['manager'] }, note: 'Fine, the vendor is slow' });
    expect(decided.actionItem.dueAt).toBe(until);
    expect(decided.actionItem.dueDateChanges).toEqual([{ newDueAt: until, reason: "Extension approved: Waiting on the vendor's new API", changedBy: { id: users['manager'] } }]);
    expect(decided.actionItem.extensionRequests).toEqual([{ id: requested.id, status: 'APPROVED' }]);

    const second = await api.gql(DECIDE, { id: requested.id, approve: false }, tokens['manager']);
    expect(second.errors?.[0].extensions?.code).toBe('CONFLICT');
    const afterHome = await must<{ myWork: Lists }>(api, MY_WORK, {}, tokens['manager']);
    expect(afterHome.myWork['extensionRequests'].map((r) => r.id)).not.toContain(requested.id);
  });

  it('an ADMIN who asked may not decide their own request; a declined request leaves the date alone', async () => {
    const id = await item('Rotate the signing keys', { dueInDays: 20 });
    const { rows } = await db.query(`SELECT due_at FROM action_items WHERE id = $1`, [id]);
    const asked = (await must<{ requestDueDateExtension: { id: string } }>(api, REQUEST, { id, until: later(60), reason: 'Audit first' }, tokens['admin'])).requestDueDateExtension;
    expect((await api.gql(DECIDE, { id: asked.id, approve: true }, tokens['admin'])).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const declined = (await must<{ decideDueDateExtension: { status: string; actionItem: { dueAt: string } } }>(api, DECIDE, { id: asked.id, approve: false }, tokens['manager'])).decideDueDateExtension;
    expect(declined.status).toBe('DECLINED');
    expect(declined.actionItem.dueAt).toBe(rows[0].due_at.toISOString());
  });

  it('another ADMIN decides when the requester is the manager', async () => {
    const id = await item('Shard the ledger', { dueInDays: 20 });
    const asked = (await must<{ requestDueDateExtension: { id: string } }>(api, REQUEST, { id, until: later(60), reason: 'Capacity' }, tokens['manager'])).requestDueDateExtension;
    expect((await api.gql(DECIDE, { id: asked.id, approve: true }, tokens['manager'])).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await must<{ decideDueDateExtension: { status: string } }>(api, DECIDE, { id: asked.id, approve: true }, tokens['admin'])).decideDueDateExtension.status).toBe('APPROVED');
    expect((await api.gql(DECIDE, { id: '00000000-0000-4000-8000-000000000000', approve: true }, tokens['admin'])).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('response metrics (per team and ladder step, never per person)', () => {
  it('reports the share of nudges answered within 2 days and the median hours to an answer', async () => {
    const nudge = async (itemId: string, step: string, hoursAgo: number) =>
      db.query(`INSERT INTO nudges (subject_kind, subject_id, due_at, step, team_id, created_at) SELECT 'ACTION_ITEM', id, due_at, $2, owner_team_id, now() - $3 * interval '1 hour' FROM action_items WHERE id = $1`, [itemId, step, hoursAgo]);
    const act = async (itemId: string, actor: string, hoursAgo: number) =>
      db.query(`INSERT INTO audit_log (actor_id, action, entity_type, entity_id, at) VALUES ($1, 'action-item.update', 'ActionItem', $2, now() - $3 * interval '1 hour')`, [actor, itemId, hoursAgo]);
    const quick = await item('Answered in 3 hours', { assignee: users['member'] });
    await nudge(quick, 'ESCALATED', 120);
    await act(quick, users['member'], 117);
    const stranger = await item('Touched only by another team', { assignee: users['member'] });
    await nudge(stranger, 'ESCALATED', 120);
    await act(stranger, users['otherManager'], 119);
    const slow = await item('Answered after 60 hours', { assignee: users['member'] });
    await nudge(slow, 'ESCALATED', 120);
    await db.query(`INSERT INTO due_date_extension_requests (action_item_id, requested_by, previous_due_at, until, reason, created_at) SELECT id, $2, due_at, due_at + interval '9 days', 'Vendor', now() - interval '60 hours' FROM action_items WHERE id = $1`, [slow, users['member']]);
    await nudge(await item('Nudged an hour ago', { assignee: users['member'] }), 'LEADERSHIP', 1);

    const res = await must<{ reliabilityReport: { nudgeResponses: { team: { name: string }; step: string; nudges: number; answeredWithinTwoDays: number; answeredShare: number | null; medianHoursToAnswer: number | null }[] } }>(
      api,
      `query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { nudgeResponses { team { name } step nudges answeredWithinTwoDays answeredShare medianHoursToAnswer } } }`,
      { f: { from: new Date(Date.now() - 30 * DAY).toISOString(), to: new Date(Date.now() + DAY).toISOString(), teamId: payments } },
      tokens['viewer'],
    );
    const rows = res.reliabilityReport.nudgeResponses;
    expect(rows.map((r) => [r.team.name, r.step, r.nudges, r.answeredWithinTwoDays])).toEqual([['Payments', 'ESCALATED', 3, 1], ['Payments', 'LEADERSHIP', 0, 0]]);
    expect(rows[0].answeredShare).toBeCloseTo(1 / 3, 5);
    expect(rows[0].medianHoursToAnswer).toBeCloseTo(31.5, 1);
    expect(rows[1].answeredShare).toBeNull();
  });
});
