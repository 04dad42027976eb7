import { ApiHarness, ApiWorld, startApiWorld } from '@hindsight/server-app/testing';
import { Client } from 'pg';
import { must, Rows, Scenario } from '@hindsight/server-testing';

const DAY = 86_400_000;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let t: ApiWorld;
let api: ApiHarness;
let world: Scenario;
let db: Client;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
let payments: string;
let search: string;
let incidentId: string;
let otherIncidentId: string;
let factorId: string;
let safeguardId: string;
let otherFactorId: string;
let otherSafeguardId: string;

interface Item {
  id: string;
  title: string;
  priority: string;
  status: string;
  dueAt: string;
  completedAt: string | null;
  completionNote: string | null;
  verification: string | null;
  wontDoReason: string | null;
  snoozedUntil: string | null;
  isOverdue: boolean;
  daysOverdue: number;
  riceScore: number | null;
  externalUrl: string | null;
  incident: { id: string };
  ownerTeam: { id: string; name: string };
  assignee: { id: string; name: string } | null;
  addressesFactor: { id: string; category: string } | null;
  addressesSafeguard: { id: string; kind: string } | null;
  dueDateChanges: { previousDueAt: string; newDueAt: string; reason: string; changedBy: { id: string } | null }[];
}

const ITEM = `id title priority status dueAt completedAt completionNote verification wontDoReason snoozedUntil isOverdue daysOverdue riceScore externalUrl
  incident { id } ownerTeam { id name } assignee { id name } addressesFactor { id category } addressesSafeguard { id kind }
  dueDateChanges { previousDueAt newDueAt reason changedBy { id } }`;
const CREATE = `mutation($incidentId: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $incidentId, input: $input) { ${ITEM} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateActionItemInput!, $note: String, $verification: String, $reason: String) {
  updateActionItem(id: $id, input: $input, note: $note, verification: $verification, reason: $reason) { ${ITEM} } }`;
const COMPLETE = `mutation($id: ID!, $note: String!, $verification: String) { completeActionItem(id: $id, note: $note, verification: $verification) { ${ITEM} } }`;
const CHANGE_DUE = `mutation($id: ID!, $dueAt: DateTime!, $reason: String!) { changeActionItemDueDate(id: $id, dueAt: $dueAt, reason: $reason) { ${ITEM} } }`;
const SNOOZE = `mutation($id: ID!, $until: DateTime!, $reason: String!) { snoozeActionItem(id: $id, until: $until, reason: $reason) { ${ITEM} } }`;

async function insertIncident(title: string): Promise<string> {
  return (await new Rows(db).incident({ title })).id;
}

async function insertFactor(incident: string): Promise<string> {
  const { rows } = await db.query(`INSERT INTO contributing_factors (incident_id, category, description) VALUES ($1, 'CONFIG_CHANGE', 'A flag flipped in prod') RETURNING id`, [incident]);
  return rows[0].id;
}

async function insertSafeguard(incident: string): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO failed_safeguards (incident_id, kind, expected_behavior, why_it_failed) VALUES ($1, 'CANARY', 'Catch the error spike', 'Canary had no traffic') RETURNING id`,
    [incident],
  );
  return rows[0].id;
}

/** A fresh P2 item owned by Payments, created by the admin. */
async function newItem(patch: Record<string, unknown> = {}): Promise<Item> {
  const data = await must<{ createActionItem: Item }>(api, CREATE, { incidentId, input: { title: 'Add a config linter', kind: 'PREVENT', priority: 'P2', ownerTeamId: payments, ...patch } }, tokens['admin']);
  return data.createActionItem;
}

beforeAll(async () => {
  ({ api, db, world } = t = await startApiWorld());
  tokens['admin'] = t.admin;
  users['admin'] = (await must<{ me: { id: string } }>(api, `{ me { id } }`, {}, tokens['admin'])).me.id;
  const people = await world.signedInPeople(
    {
      viewer: { role: 'VIEWER', name: 'Vera Viewer' },
      commander: { role: 'COMMANDER', name: 'Cora Commander' },
      manager: { role: 'MANAGER', name: 'Mia Manager' },
      otherManager: { role: 'MANAGER', name: 'Sam Manager' },
      member: { role: 'MANAGER', name: 'Max Member' },
      gone: { role: 'COMMANDER', name: 'Gus Gone' },
    },
    'test.local',
  );
  for (const [key, person] of Object.entries(people)) [users[key], tokens[key]] = [person.id, person.token];
  await must(api, `mutation($id: ID!) { setUserActive(userId: $id, active: false) { id } }`, { id: users['gone'] }, tokens['admin']);
  payments = await world.team({ name: 'Payments', managerId: users['manager'], memberIds: [users['member'], users['viewer']] });
  search = await world.team({ name: 'Search', managerId: users['otherManager'] });
  incidentId = await insertIncident('Checkout down');
  otherIncidentId = await insertIncident('Search slow');
  factorId = await insertFactor(incidentId);
  safeguardId = await insertSafeguard(incidentId);
  otherFactorId = await insertFactor(otherIncidentId);
  otherSafeguardId = await insertSafeguard(otherIncidentId);
});

afterAll(() => t?.close());

describe('createActionItem', () => {
  it('creates an item with its links, defaults the due date from the priority policy and audits it', async () => {
    const before = Date.now();
    const item = (
      await must<{ createActionItem: Item }>(
        api,
        CREATE,
        {
          incidentId,
          input: {
            title: '  Validate flags before rollout ', kind: 'PREVENT', priority: 'P1', ownerTeamId: payments, assigneeId: users['member'],
            addressesFactorId: factorId, addressesSafeguardId: safeguardId, externalUrl: 'https://tracker.example.com/PAY-12',
            reach: 10, impact: 2, confidence: 0.5, effortDays: 4,
          },
        },
        tokens['commander'],
      )
    ).createActionItem;
    expect(item).toMatchObject({
      title: 'Validate flags before rollout', priority: 'P1', status: 'OPEN', incident: { id: incidentId }, ownerTeam: { id: payments, name: 'Payments' },
      assignee: { id: users['member'], name: 'Max Member' }, addressesFactor: { id: factorId, category: 'CONFIG_CHANGE' }, addressesSafeguard: { id: safeguardId, kind: 'CANARY' },
      externalUrl: 'https://tracker.example.com/PAY-12', riceScore: 2.5, isOverdue: false, daysOverdue: 0, completedAt: null, dueDateChanges: [],
    });
    // P1: 30 days after creation by the default policy.
    const due = new Date(item.dueAt).getTime();
    expect(due).toBeGreaterThanOrEqual(before + 30 * DAY - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 30 * DAY + 1000);
    const audit = await db.query(`SELECT actor_id, after FROM audit_log WHERE entity_type = 'ActionItem' AND entity_id = $1`, [item.id]);
    expect(audit.rows).toEqual([expect.objectContaining({ actor_id: users['commander'] })]);
    expect(audit.rows[0].after.title).toBe('Validate flags before rollout');
  });

  it('uses the policy in force: an ADMIN change of the P3 days moves the default', async () => {
    await must(api, `mutation { updatePolicies(input: { actionItemDueDays: { P3: 200 } }) { actionItemDueDays { P3 } } }`, {}, tokens['admin']);
    const item = await newItem({ priority: 'P3' });
    expect(Math.round((new Date(item.dueAt).getTime() - Date.now()) / DAY)).toBe(200);
  });

  it('accepts a due date in the past (backfill): the item is overdue at once', async () => {
    const item = await newItem({ dueAt: new Date(Date.now() - 3.5 * DAY).toISOString() });
    expect(item).toMatchObject({ isOverdue: true, daysOverdue: 3, riceScore: null });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an empty title', { title: '   ' }, 'input.title'],
    ['a title over 200 characters', { title: 'x'.repeat(201) }, 'input.title'],
    ['a description over 100 kB', { description: 'x'.repeat(102401) }, 'input.description'],
    ['a javascript: URL', { externalUrl: 'javascript:alert(1)' }, 'input.externalUrl'],
    ['a relative URL', { externalUrl: '/tickets/12' }, 'input.externalUrl'],
    ['an unknown owning team', { ownerTeamId: UNKNOWN }, 'input.ownerTeamId'],
    ['an owning team that is no id', { ownerTeamId: 'payments' }, 'input.ownerTeamId'],
    ['an unknown assignee', { assigneeId: UNKNOWN }, 'input.assigneeId'],
    ['a deactivated assignee', { assigneeId: 'gone' }, 'input.assigneeId'],
    ['a factor of another incident', { addressesFactorId: 'otherFactor' }, 'input.addressesFactorId'],
    ['an unknown factor', { addressesFactorId: UNKNOWN }, 'input.addressesFactorId'],
    ['a safeguard of another incident', { addressesSafeguardId: 'otherSafeguard' }, 'input.addressesSafeguardId'],
    ['a RICE impact above 3', { impact: 5 }, 'input.impact'],
    ['a RICE impact below 0.25', { impact: 0.1 }, 'input.impact'],
    ['a RICE confidence above 1', { confidence: 1.5 }, 'input.confidence'],
    ['a RICE effort of 0', { effortDays: 0 }, 'input.effortDays'],
    ['a negative RICE reach', { reach: -1 }, 'input.reach'],
    ['an unknown priority', { priority: 'P9' }, 'input.priority'],
  ])('refuses %s with BAD_USER_INPUT on the field and writes nothing', async (_label, patch, field) => {
    const resolved: Record<string, unknown> = { ...patch };
    if (patch.assigneeId === 'gone') resolved['assigneeId'] = users['gone'];
    if (patch.addressesFactorId === 'otherFactor') resolved['addressesFactorId'] = otherFactorId;
    if (patch.addressesSafeguardId === 'otherSafeguard') resolved['addressesSafeguardId'] = otherSafeguardId;
    const [items, audits] = [await t.count('action_items'), await t.count('audit_log')];
    const res = await api.gql(CREATE, { incidentId, input: { title: 'Fix it', kind: 'REPAIR', priority: 'P2', ownerTeamId: payments, ...resolved } }, tokens['admin']);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await t.count('action_items')).toBe(items);
    expect(await t.count('audit_log')).toBe(audits);
  });

  it('answers NOT_FOUND for an unknown incident', async () => {
    const res = await api.gql(CREATE, { incidentId: UNKNOWN, input: { title: 'Fix it', kind: 'REPAIR', priority: 'P2', ownerTeamId: payments } }, tokens['admin']);
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('editing rights (PRODUCT.md 1)', () => {
  // Payments is managed by `manager` and has `member` (a MANAGER by role) and `viewer` as members.
  const matrix: [string, boolean][] = [
    ['viewer', false], ['commander', true], ['manager', true], ['otherManager', false], ['member', true], ['admin', true],
  ];

  it.each(matrix)('createActionItem as %s: allowed = %s', async (who, allowed) => {
    const before = await t.count('action_items');
    const res = await api.gql(CREATE, { incidentId, input: { title: `By ${who}`, kind: 'DETECT', priority: 'P2', ownerTeamId: payments } }, tokens[who]);
    if (allowed) expect(res.errors).toBeUndefined();
    else expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await t.count('action_items')).toBe(before + (allowed ? 1 : 0));
  });

  it.each(matrix)('updateActionItem, completeActionItem, changeActionItemDueDate and snoozeActionItem as %s: allowed = %s', async (who, allowed) => {
    const item = await newItem();
    const token = tokens[who];
    const calls: [string, Record<string, unknown>][] = [
      [UPDATE, { id: item.id, input: { title: `Edited by ${who}` } }],
      [CHANGE_DUE, { id: item.id, dueAt: new Date(Date.now() + 40 * DAY).toISOString(), reason: 'Waiting on the vendor' }],
      [SNOOZE, { id: item.id, until: new Date(Date.now() + 2 * DAY).toISOString(), reason: 'Freeze week' }],
      [COMPLETE, { id: item.id, note: 'Linter runs in CI' }],
    ];
    for (const [query, variables] of calls) {
      const res = await api.gql(query, variables, token);
      if (allowed) expect(res.errors).toBeUndefined();
      else expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const { rows } = await db.query(`SELECT title, status FROM action_items WHERE id = $1`, [item.id]);
    expect(rows[0]).toEqual(allowed ? { title: `Edited by ${who}`, status: 'DONE' } : { title: item.title, status: 'OPEN' });
    expect(await db.query(`SELECT 1 FROM action_item_due_changes WHERE action_item_id = $1`, [item.id]).then((r) => r.rowCount)).toBe(allowed ? 1 : 0);
  });

  it('refuses creating an item for a team the actor may not edit', async () => {
    const res = await api.gql(CREATE, { incidentId, input: { title: 'Search item', kind: 'DETECT', priority: 'P2', ownerTeamId: search } }, tokens['member']);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses handing an item to a team the actor may not edit, allows it for a commander', async () => {
    const item = await newItem();
    const refused = await api.gql(UPDATE, { id: item.id, input: { ownerTeamId: search } }, tokens['member']);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const moved = await must<{ updateActionItem: Item }>(api, UPDATE, { id: item.id, input: { ownerTeamId: search } }, tokens['commander']);
    expect(moved.updateActionItem.ownerTeam.name).toBe('Search');
  });

  describe('snoozing a P0 (manager approval)', () => {
    it.each([
      ['member', false], ['commander', false], ['otherManager', false], ['viewer', false], ['manager', true], ['admin', true],
    ])('as %s: allowed = %s', async (who, allowed) => {
      const item = await newItem({ priority: 'P0' });
      const until = new Date(Date.now() + 3 * DAY).toISOString();
      const res = await api.gql<{ snoozeActionItem: Item }>(SNOOZE, { id: item.id, until, reason: 'Holiday freeze' }, tokens[who]);
      if (allowed) expect(res.data?.snoozeActionItem.snoozedUntil).toBe(until);
      else expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const { rows } = await db.query(`SELECT snoozed_until FROM action_items WHERE id = $1`, [item.id]);
      expect(rows[0].snoozed_until === null).toBe(!allowed);
    });
  });
});

describe('status rules', () => {
  it('needs a completion note, and a verification at P0/P1', async () => {
    const p1 = await newItem({ priority: 'P1' });
    const noNote = await api.gql(COMPLETE, { id: p1.id, note: '  ', verification: 'Dashboards green' }, tokens['admin']);
    expect(noNote.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
    const noVerification = await api.gql(COMPLETE, { id: p1.id, note: 'Shipped' }, tokens['admin']);
    expect(noVerification.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'verification' });
    expect((await db.query(`SELECT status FROM action_items WHERE id = $1`, [p1.id])).rows[0].status).toBe('OPEN');

    const done = (await must<{ completeActionItem: Item }>(api, COMPLETE, { id: p1.id, note: 'Shipped', verification: 'Chaos test passes' }, tokens['admin'])).completeActionItem;
    expect(done).toMatchObject({ status: 'DONE', completionNote: 'Shipped', verification: 'Chaos test passes', isOverdue: false });
    expect(done.completedAt).not.toBeNull();
    const again = await api.gql(COMPLETE, { id: p1.id, note: 'Again' }, tokens['admin']);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

    const p3 = await newItem({ priority: 'P3' });
    expect((await must<{ completeActionItem: Item }>(api, COMPLETE, { id: p3.id, note: 'Done' }, tokens['admin'])).completeActionItem.status).toBe('DONE');
  });

  it('needs a reason for WONT_DO, refuses DONE → WONT_DO, and reopening clears the closing fields', async () => {
    const item = await newItem();
    const noReason = await api.gql(UPDATE, { id: item.id, input: { status: 'WONT_DO' } }, tokens['admin']);
    expect(noReason.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const wontDo = (await must<{ updateActionItem: Item }>(api, UPDATE, { id: item.id, input: { status: 'WONT_DO' }, reason: 'Service is being retired' }, tokens['admin'])).updateActionItem;
    expect(wontDo).toMatchObject({ status: 'WONT_DO', wontDoReason: 'Service is being retired' });
    expect(wontDo.completedAt).not.toBeNull();

    const reopened = (await must<{ updateActionItem: Item }>(api, UPDATE, { id: item.id, input: { status: 'IN_PROGRESS' } }, tokens['admin'])).updateActionItem;
    expect(reopened).toMatchObject({ status: 'IN_PROGRESS', completedAt: null, wontDoReason: null });
    const done = (await must<{ updateActionItem: Item }>(api, UPDATE, { id: item.id, input: { status: 'DONE' }, note: 'Shipped after all' }, tokens['admin'])).updateActionItem;
    expect(done).toMatchObject({ status: 'DONE', completionNote: 'Shipped after all' });
    const jump = await api.gql(UPDATE, { id: item.id, input: { status: 'WONT_DO' }, reason: 'Changed our minds' }, tokens['admin']);
    expect(jump.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.status' });
  });

  it('refuses clearing a required field and checks RICE ranges on update', async () => {
    const item = await newItem();
    for (const [input, field] of [[{ title: null }, 'input.title'], [{ ownerTeamId: null }, 'input.ownerTeamId'], [{ confidence: 2 }, 'input.confidence'], [{ externalUrl: 'ftp://x' }, 'input.externalUrl']] as const) {
      const res = await api.gql(UPDATE, { id: item.id, input }, tokens['admin']);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const missing = await api.gql(UPDATE, { id: UNKNOWN, input: { title: 'x' } }, tokens['admin']);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('due dates and snoozes', () => {
  it('keeps every due-date change with who, when and why; a past date is allowed', async () => {
    const item = await newItem();
    const past = new Date(Date.now() - 2 * DAY).toISOString();
    const moved = (await must<{ changeActionItemDueDate: Item }>(api, CHANGE_DUE, { id: item.id, dueAt: past, reason: 'Backfilled from the old tracker' }, tokens['manager'])).changeActionItemDueDate;
    expect(moved).toMatchObject({ dueAt: past, isOverdue: true, daysOverdue: 2 });
    expect(moved.dueDateChanges).toEqual([{ previousDueAt: item.dueAt, newDueAt: past, reason: 'Backfilled from the old tracker', changedBy: { id: users['manager'] } }]);
    const audit = await db.query(`SELECT before, after FROM audit_log WHERE action = 'action-item.change-due-date' AND entity_id = $1`, [item.id]);
    expect(audit.rows[0].after.reason).toBe('Backfilled from the old tracker');
  });

  it.each<[string, { reason?: string; same?: boolean }, string]>([
    ['a blank reason', { reason: ' ' }, 'reason'],
    ['the same date', { same: true }, 'dueAt'],
  ])('refuses a due-date change with %s and writes no history', async (_label, patch, field) => {
    const item = await newItem();
    const res = await api.gql(CHANGE_DUE, { id: item.id, dueAt: patch.same ? item.dueAt : new Date(Date.now() + 9 * DAY).toISOString(), reason: patch.reason ?? 'Because' }, tokens['admin']);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect((await db.query(`SELECT 1 FROM action_item_due_changes WHERE action_item_id = $1`, [item.id])).rowCount).toBe(0);
  });

  it('freezes the due date of a closed item', async () => {
    const item = await newItem();
    await must(api, COMPLETE, { id: item.id, note: 'Done' }, tokens['admin']);
    const res = await api.gql(CHANGE_DUE, { id: item.id, dueAt: new Date(Date.now() + 9 * DAY).toISOString(), reason: 'Late' }, tokens['admin']);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it.each<[string, { until?: number; reason?: string }, string]>([
    ['more than 14 days', { until: 15 }, 'until'],
    ['a time in the past', { until: -1 }, 'until'],
    ['a blank reason', { reason: '' }, 'reason'],
  ])('refuses a snooze for %s', async (_label, patch, field) => {
    const item = await newItem();
    const res = await api.gql(SNOOZE, { id: item.id, until: new Date(Date.now() + (patch.until ?? 3) * DAY).toISOString(), reason: patch.reason ?? 'Freeze' }, tokens['admin']);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect((await db.query(`SELECT snoozed_until FROM action_items WHERE id = $1`, [item.id])).rows[0].snoozed_until).toBeNull();
  });
});

describe('actionItems list', () => {
  let listIncident: string;
  const ids: string[] = [];

  beforeAll(async () => {
    listIncident = await insertIncident('List incident');
    // 7 items: due on days 1..7; teams, priorities and assignees vary; the one due on day 2 is overdue.
    const plan = [
      { team: 'payments', priority: 'P0', days: 5, assignee: 'member' },
      { team: 'search', priority: 'P1', days: -2, assignee: null },
      { team: 'payments', priority: 'P2', days: 3, assignee: 'manager' },
      { team: 'search', priority: 'P3', days: 7, assignee: 'otherManager' },
      { team: 'payments', priority: 'P1', days: 1, assignee: 'member' },
      { team: 'payments', priority: 'P2', days: 6, assignee: null },
      { team: 'search', priority: 'P2', days: 4, assignee: null },
    ];
    for (const [i, p] of plan.entries()) {
      const data = await must<{ createActionItem: Item }>(
        api,
        CREATE,
        {
          incidentId: listIncident,
          input: { title: `List ${i}`, kind: 'REPAIR', priority: p.priority, ownerTeamId: p.team === 'payments' ? payments : search, assigneeId: p.assignee ? users[p.assignee] : null, dueAt: new Date(Date.now() + p.days * DAY).toISOString() },
        },
        tokens['admin'],
      );
      ids.push(data.createActionItem.id);
    }
    await must(api, COMPLETE, { id: ids[5], note: 'Done' }, tokens['admin']);
  });

  const list = async (filter: Record<string, unknown>, first?: number, after?: string) =>
    must<{ actionItems: { totalCount: number; nodes: { title: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } }>(
      api,
      `query($filter: ActionItemFilter, $first: Int, $after: String) { actionItems(filter: $filter, first: $first, after: $after) { totalCount nodes { title } pageInfo { endCursor hasNextPage } } }`,
      { filter: { incidentId: listIncident, ...filter }, first, after },
      tokens['viewer'],
    ).then((d) => d.actionItems);

  it('orders by due date and filters by team, assignee, status, priority and overdue', async () => {
    const titles = async (f: Record<string, unknown>) => (await list(f)).nodes.map((n) => n.title);
    expect(await titles({})).toEqual(['List 1', 'List 4', 'List 2', 'List 6', 'List 0', 'List 5', 'List 3']);
    expect(await titles({ teamIds: [search] })).toEqual(['List 1', 'List 6', 'List 3']);
    expect(await titles({ assigneeIds: [users['member']] })).toEqual(['List 4', 'List 0']);
    expect(await titles({ statuses: ['DONE'] })).toEqual(['List 5']);
    expect(await titles({ priorities: ['P1', 'P3'] })).toEqual(['List 1', 'List 4', 'List 3']);
    expect(await titles({ overdue: true })).toEqual(['List 1']);
    expect(await titles({ overdue: false, teamIds: [search] })).toEqual(['List 6', 'List 3']);
    expect(await titles({ teamIds: [payments], priorities: ['P2'], statuses: ['OPEN'] })).toEqual(['List 2']);
  });

  it('pages with a stable cursor and a total count', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await list({}, 3, after);
      expect(res.totalCount).toBe(7);
      seen.push(...res.nodes.map((n) => n.title));
      if (!res.pageInfo.hasNextPage) break;
      after = res.pageInfo.endCursor ?? undefined;
    }
    expect(seen).toEqual(['List 1', 'List 4', 'List 2', 'List 6', 'List 0', 'List 5', 'List 3']);
  });

  it('pages exactly through due dates with sub-millisecond digits (set by SQL, not by the API)', async () => {
    const incident = await insertIncident('Microseconds');
    await db.query(
      `INSERT INTO action_items (incident_id, title, kind, priority, owner_team_id, due_at)
       SELECT $1, 'Micro ' || g, 'REPAIR', 'P2', $2, timestamptz '2031-01-01 00:00:00.000100+00' + g * interval '1 microsecond' FROM generate_series(1, 5) g`,
      [incident, payments],
    );
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await list({ incidentId: incident }, 2, after);
      seen.push(...res.nodes.map((n) => n.title));
      if (!res.pageInfo.hasNextPage) break;
      after = res.pageInfo.endCursor ?? undefined;
    }
    expect(seen).toEqual(['Micro 1', 'Micro 2', 'Micro 3', 'Micro 4', 'Micro 5']);
  });

  it.each([
    ['first: 0', { first: 0 }, 'first'],
    ['first: 101', { first: 101 }, 'first'],
    ['a forged cursor', { after: 'bm90LWEtY3Vyc29y' }, 'after'],
    ['a team id that is no id', { filter: { teamIds: ['payments'] } }, 'filter.teamIds'],
  ])('refuses %s', async (_label, vars, field) => {
    const res = await api.gql(`query($filter: ActionItemFilter, $first: Int, $after: String) { actionItems(filter: $filter, first: $first, after: $after) { totalCount } }`, vars, tokens['viewer']);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('reads one item by id, null for an unknown id', async () => {
    const one = await must<{ actionItem: { title: string } | null }>(api, `query($id: ID!) { actionItem(id: $id) { title } }`, { id: ids[0] }, tokens['viewer']);
    expect(one.actionItem).toEqual({ title: 'List 0' });
    const none = await must<{ actionItem: null }>(api, `query($id: ID!) { actionItem(id: $id) { title } }`, { id: UNKNOWN }, tokens['viewer']);
    expect(none.actionItem).toBeNull();
  });

  it('lists the items of an incident on Incident.actionItems', async () => {
    const res = await must<{ incident: { actionItems: { title: string }[] } }>(api, `query($id: ID!) { incident(id: $id) { actionItems { title } } }`, { id: listIncident }, tokens['viewer']);
    expect(res.incident.actionItems.map((a) => a.title)).toEqual(['List 1', 'List 4', 'List 2', 'List 6', 'List 0', 'List 5', 'List 3']);
  });

  it('requires sign-in to read', async () => {
    const res = await api.gql(`{ actionItems { totalCount } }`, {}, null);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
