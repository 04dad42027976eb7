import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { fixesHeldByTeam, fixOutcome, themes as referenceThemes } from '@hindsight/domain';
import { Client } from 'pg';

/**
 * Learning across incidents (issue 26) through the API: near misses counted apart, ideas and
 * commitments, similar incidents, fixes that held, themes, the review checklist — every
 * mutation by every role, figures exact against the domain's reference on a generated history.
 */
const DAY = 86_400_000;
let api: ApiHarness;
let db: Client;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
const teams: Record<string, string> = {};
const services: Record<string, string> = {};

async function gql<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const res = await api.gql<T>(query, variables, token);
  if (res.errors || !res.data) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

async function refused(query: string, variables: Record<string, unknown>, token: string): Promise<{ code?: string; field?: string }> {
  const res = await api.gql(query, variables, token);
  expect(res.errors?.length).toBeGreaterThan(0);
  return { code: res.errors?.[0].extensions?.code, field: res.errors?.[0].extensions?.field as string | undefined };
}

async function user(key: string, role: string, teamKey?: string, manager = false): Promise<void> {
  const email = `${key}@learning.test`;
  const { createUser } = await gql<{ createUser: { id: string } }>(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input: { email, name: key, role, password: `${key}-password-1` } }, tokens['admin'],
  );
  users[key] = createUser.id;
  if (teamKey) {
    await db.query(`INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)`, [teams[teamKey], createUser.id]);
    if (manager) await db.query(`UPDATE teams SET manager_id = $2 WHERE id = $1`, [teams[teamKey], createUser.id]);
  }
  tokens[key] = await api.login(email, `${key}-password-1`);
}

async function incident(title: string, startedAt: Date, serviceKeys: string[], over: Record<string, unknown> = {}): Promise<string> {
  const { createIncident } = await gql<{ createIncident: { id: string } }>(
    `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`,
    { input: { title, severity: 'SEV2', startedAt: startedAt.toISOString(), serviceIds: serviceKeys.map((k) => services[k]), ...over } }, tokens['commander'],
  );
  return createIncident.id;
}

const factor = async (incidentId: string, category: string, isTrigger = false): Promise<string> =>
  (await gql<{ addContributingFactor: { id: string } }>(
    `mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(incidentId: $id, input: $input) { id } }`,
    { id: incidentId, input: { category, description: `${category} factor`, isTrigger } }, tokens['commander'])).addContributingFactor.id;

const safeguard = async (incidentId: string, kind: string): Promise<string> =>
  (await gql<{ addFailedSafeguard: { id: string } }>(
    `mutation($id: ID!, $input: FailedSafeguardInput!) { addFailedSafeguard(incidentId: $id, input: $input) { id } }`,
    { id: incidentId, input: { kind, expectedBehavior: 'catch it', whyItFailed: 'it did not' } }, tokens['commander'])).addFailedSafeguard.id;

const ITEM = `id status committed isOverdue priority dueAt wontDoReason ownerTeam { id }`;
const createItem = async (incidentId: string, input: Record<string, unknown>, token = tokens['commander']) =>
  (await gql<{ createActionItem: { id: string; committed: boolean; isOverdue: boolean } }>(
    `mutation($id: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $id, input: $input) { ${ITEM} } }`,
    { id: incidentId, input: { title: 'Rotate certificates automatically', kind: 'PREVENT', priority: 'P2', ownerTeamId: teams['payments'], ...input } }, token)).createActionItem;
const COMMIT = `mutation($id: ID!, $team: ID!, $p: Priority!, $due: DateTime) { commitActionItem(id: $id, ownerTeamId: $team, priority: $p, dueAt: $due) { ${ITEM} } }`;
const DROP = `mutation($id: ID!, $reason: String!) { dropActionItemIdea(id: $id, reason: $reason) { ${ITEM} } }`;

beforeAll(async () => {
  api = await startApi();
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  tokens['admin'] = await api.login();
  for (const name of ['payments', 'search']) {
    teams[name] = (await gql<{ createTeam: { id: string } }>(`mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: name }, tokens['admin'])).createTeam.id;
  }
  for (const [name, team] of [['checkout-api', 'payments'], ['ledger', 'payments'], ['search-api', 'search']]) {
    services[name] = (await gql<{ createService: { id: string } }>(
      `mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`, { input: { name, kind: 'API', tier: 1, teamId: teams[team] } }, tokens['admin'])).createService.id;
  }
  await user('commander', 'COMMANDER');
  await user('viewer', 'VIEWER');
  await user('paymentsManager', 'MANAGER', 'payments', true);
  await user('searchManager', 'MANAGER', 'search', true);
}, 120_000);

afterAll(async () => {
  await db?.end();
  await api?.close();
});

describe('near misses', () => {
  it('are analysed alike but counted apart, with the ratio reviewed to incidents', async () => {
    const from = new Date('2025-03-01T00:00:00Z');
    const to = new Date('2025-04-01T00:00:00Z');
    const a = await incident('Checkout errors', new Date('2025-03-03T10:00:00Z'), ['checkout-api'], { resolvedAt: '2025-03-03T11:00:00Z' });
    const nm = await incident('Certificate nearly expired', new Date('2025-03-05T10:00:00Z'), ['checkout-api'], { kind: 'NEAR_MISS' });
    const nm2 = await incident('Disk almost full', new Date('2025-03-06T10:00:00Z'), ['ledger'], { kind: 'NEAR_MISS' });
    const REPORT = `query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents nearMisses { nearMisses reviewed incidents reviewedPerIncident } } }`;
    const report = async () => (await gql<{ reliabilityReport: { incidents: number; nearMisses: Record<string, number | null> } }>(REPORT, { f: { from, to } }, tokens['viewer'])).reliabilityReport;
    expect(await report()).toEqual({ incidents: 1, nearMisses: { nearMisses: 2, reviewed: 0, incidents: 1, reviewedPerIncident: 0 } });

    // The lighter template: no impact, no action item; a published near miss counts as reviewed.
    await factor(nm, 'CERTIFICATE_OR_SECRET', true);
    await gql(`mutation($id: ID!) { updatePostmortem(incidentId: $id, expectedVersion: 1, input: { summary: "Caught by a manual check" }) { version } }`, { id: nm }, tokens['commander']);
    await gql(`mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { status } }`, { id: nm, r: [users['paymentsManager']] }, tokens['commander']);
    await gql(`mutation($id: ID!) { reviewPostmortem(incidentId: $id, verdict: APPROVED) { status } }`, { id: nm }, tokens['paymentsManager']);
    await gql(`mutation($id: ID!) { publishPostmortem(incidentId: $id) { status } }`, { id: nm }, tokens['commander']);
    expect((await report()).nearMisses).toEqual({ nearMisses: 2, reviewed: 1, incidents: 1, reviewedPerIncident: 1 });

    // Turning an incident into a near miss takes it out of every figure (the rollups follow).
    await gql(`mutation($id: ID!) { updateIncident(id: $id, input: { kind: NEAR_MISS }) { kind } }`, { id: a }, tokens['commander']);
    expect(await report()).toEqual({ incidents: 0, nearMisses: { nearMisses: 3, reviewed: 1, incidents: 0, reviewedPerIncident: null } });
    const facts = await db.query(`SELECT count(*)::int AS n FROM incident_facts WHERE incident_id = ANY($1::uuid[])`, [[a, nm, nm2]]);
    expect(facts.rows[0].n).toBe(0);
    await gql(`mutation($id: ID!) { updateIncident(id: $id, input: { kind: INCIDENT }) { kind } }`, { id: a }, tokens['commander']);
    expect((await report()).incidents).toBe(1);
    expect((await refused(`mutation($id: ID!) { updateIncident(id: $id, input: { kind: null }) { kind } }`, { id: a }, tokens['commander'])).code).toBe('BAD_USER_INPUT');
  });
});

describe('ideas and commitments', () => {
  let incidentId: string;
  beforeAll(async () => {
    incidentId = await incident('Expired certificate took checkout down', new Date(Date.now() - 40 * DAY), ['checkout-api'], { resolvedAt: new Date(Date.now() - 39 * DAY).toISOString() });
  });

  it('an idea is never overdue, never chased, not in health; a commitment is', async () => {
    const past = new Date(Date.now() - 10 * DAY).toISOString();
    const idea = await createItem(incidentId, { committed: false, dueAt: past });
    const kept = await createItem(incidentId, { dueAt: past });
    expect([idea.committed, idea.isOverdue, kept.committed, kept.isOverdue]).toEqual([false, false, true, true]);
    const overdue = await gql<{ actionItems: { nodes: { id: string }[] } }>(`query($f: ActionItemFilter) { actionItems(filter: $f, first: 100) { nodes { id } } }`, { f: { incidentId, overdue: true } }, tokens['viewer']);
    expect(overdue.actionItems.nodes.map((n) => n.id)).toEqual([kept.id]);
    const ideas = await gql<{ actionItems: { nodes: { id: string }[] } }>(`query($f: ActionItemFilter) { actionItems(filter: $f) { nodes { id } } }`, { f: { incidentId, committed: false } }, tokens['viewer']);
    expect(ideas.actionItems.nodes.map((n) => n.id)).toEqual([idea.id]);
    const facts = await db.query(`SELECT items_open AS open, cardinality(open_item_due_ats) AS dues FROM incident_facts WHERE incident_id = $1`, [incidentId]);
    expect(facts.rows[0]).toEqual({ open: 2 - 1, dues: 1 });
    expect((await refused(`mutation($id: ID!) { completeActionItem(id: $id, note: "done") { id } }`, { id: idea.id }, tokens['commander'])).code).toBe('BAD_USER_INPUT');
  });

  it('commitActionItem by role: commanders, the teams\' managers and ADMINs; never VIEWERs or another team\'s manager', async () => {
    const idea = async () => (await createItem(incidentId, { committed: false })).id;
    const vars = (id: string, team = teams['payments']) => ({ id, team, p: 'P1' });
    expect((await refused(COMMIT, vars(await idea()), tokens['viewer'])).code).toBe('FORBIDDEN');
    expect((await refused(COMMIT, vars(await idea()), tokens['searchManager'])).code).toBe('FORBIDDEN');
    // A payments manager cannot hand it to search, whose items they may not edit.
    expect((await refused(COMMIT, vars(await idea(), teams['search']), tokens['paymentsManager'])).code).toBe('FORBIDDEN');
    for (const who of ['commander', 'paymentsManager', 'admin']) {
      const { commitActionItem } = await gql<{ commitActionItem: { committed: boolean; priority: string; dueAt: string; ownerTeam: { id: string } } }>(COMMIT, vars(await idea()), tokens[who]);
      expect(commitActionItem).toMatchObject({ committed: true, priority: 'P1', ownerTeam: { id: teams['payments'] } });
      // P1: due 30 days from now by the default policy.
      expect(Math.round((Date.parse(commitActionItem.dueAt) - Date.now()) / DAY)).toBe(30);
    }
    const due = new Date(Date.now() + 3 * DAY).toISOString();
    const withDue = await gql<{ commitActionItem: { dueAt: string; ownerTeam: { id: string } } }>(COMMIT, { ...vars(await idea(), teams['search']), due }, tokens['commander']);
    expect(withDue.commitActionItem).toEqual({ ...withDue.commitActionItem, dueAt: due, ownerTeam: { id: teams['search'] } });
    const committed = await idea();
    await gql(COMMIT, vars(committed), tokens['commander']);
    expect(await refused(COMMIT, vars(committed), tokens['commander'])).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await refused(COMMIT, vars('00000000-0000-4000-8000-000000000000'), tokens['commander'])).code).toBe('NOT_FOUND');
    expect((await refused(COMMIT, vars(await idea(), '00000000-0000-4000-8000-000000000000'), tokens['commander'])).field).toBe('ownerTeamId');
    const audit = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'action-item.commit'`);
    expect(audit.rows[0].n).toBe(5);
  });

  it('dropActionItemIdea by role, with a reason; a commitment is closed otherwise', async () => {
    const idea = async () => (await createItem(incidentId, { committed: false })).id;
    expect((await refused(DROP, { id: await idea(), reason: 'dup' }, tokens['viewer'])).code).toBe('FORBIDDEN');
    expect((await refused(DROP, { id: await idea(), reason: 'dup' }, tokens['searchManager'])).code).toBe('FORBIDDEN');
    expect(await refused(DROP, { id: await idea(), reason: '  ' }, tokens['commander'])).toEqual({ code: 'BAD_USER_INPUT', field: 'reason' });
    for (const who of ['commander', 'paymentsManager', 'admin']) {
      const { dropActionItemIdea } = await gql<{ dropActionItemIdea: { status: string; committed: boolean; wontDoReason: string } }>(DROP, { id: await idea(), reason: 'covered by the ledger item' }, tokens[who]);
      expect(dropActionItemIdea).toMatchObject({ status: 'WONT_DO', committed: false, wontDoReason: 'covered by the ledger item' });
    }
    const kept = (await createItem(incidentId, {})).id;
    expect(await refused(DROP, { id: kept, reason: 'x' }, tokens['commander'])).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    const dropped = await idea();
    await gql(DROP, { id: dropped, reason: 'no' }, tokens['commander']);
    expect(await refused(COMMIT, { id: dropped, team: teams['payments'], p: 'P2' }, tokens['commander'])).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('similar incidents, fixes that held, themes, checklist', () => {
  it('ranks the incident sharing service and category first, with reasons and last time\'s action items', async () => {
    const base = new Date('2024-06-01T00:00:00Z').getTime();
    const then = await incident('TLS certificate expired on checkout', new Date(base), ['checkout-api']);
    await factor(then, 'CERTIFICATE_OR_SECRET', true);
    await safeguard(then, 'ALERTING');
    await createItem(then, { title: 'Alert 30 days before a certificate expires' });
    const other = await incident('Search index rebuild slow', new Date(base + 10 * DAY), ['search-api']);
    await factor(other, 'CAPACITY');
    const textOnly = await incident('Expired certificate on the status page', new Date(base + 20 * DAY), []);
    const now = await incident('Checkout certificate expired again', new Date(base + 60 * DAY), ['checkout-api']);
    await factor(now, 'CERTIFICATE_OR_SECRET', true);
    await safeguard(now, 'ALERTING');
    const { incident: got } = await gql<{ incident: { similar: { score: number; reasons: string[]; incident: { id: string; actionItems: { title: string; status: string }[] } }[] } }>(
      `query($id: ID!) { incident(id: $id) { similar(first: 10) { score reasons incident { id actionItems { title status } } } } }`, { id: now }, tokens['viewer']);
    expect(got.similar[0].incident.id).toBe(then);
    expect(got.similar[0].reasons).toEqual([
      'same service and factor category: checkout-api; certificate or secret',
      'same failed safeguard: alerting',
      expect.stringMatching(/^similar text: .*certif/),
    ]);
    expect(got.similar[0].incident.actionItems).toEqual([{ title: 'Alert 30 days before a certificate expires', status: 'OPEN' }]);
    expect(got.similar.map((s) => s.incident.id)).toContain(textOnly);
    expect(got.similar.map((s) => s.incident.id)).not.toContain(other);
    expect(got.similar.map((s) => s.incident.id)).not.toContain(now);
    expect((await refused(`query($id: ID!) { incident(id: $id) { similar(first: 0) { score } } }`, { id: now }, tokens['viewer'])).field).toBe('first');
  });

  it('fixes held, per item and per team, and themes, exact against the domain on a generated history', async () => {
    // A generated history on two services of payments and one of search.
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const start = new Date('2023-01-01T00:00:00Z').getTime();
    const cats = ['CONFIG_CHANGE', 'CAPACITY', 'NETWORK'];
    const kinds = ['ALERTING', 'CANARY'];
    const svc = ['checkout-api', 'ledger', 'search-api'];
    const theme = (await gql<{ createTheme: { id: string } }>(`mutation { createTheme(name: "Friday deploys") { id } }`, {}, tokens['commander'])).createTheme.id;
    expect((await refused(`mutation { createTheme(name: " friday DEPLOYS ") { id } }`, {}, tokens['commander'])).code).toBe('CONFLICT');
    expect((await refused(`mutation { createTheme(name: "x") { id } }`, {}, tokens['viewer'])).code).toBe('FORBIDDEN');
    const done: string[] = [];
    for (let k = 0; k < 36; k++) {
      const at = new Date(start + Math.floor(rnd() * 360) * DAY);
      const id = await incident(`Generated ${k}`, at, [svc[Math.floor(rnd() * 3)]]);
      const f = await factor(id, cats[Math.floor(rnd() * 3)]);
      if (rnd() < 0.5) await safeguard(id, kinds[Math.floor(rnd() * 2)]);
      if (rnd() < 0.3) await gql(`mutation($t: ID!, $i: ID!) { tagIncidentWithTheme(themeId: $t, incidentId: $i) { incidents } }`, { t: theme, i: id }, tokens['commander']);
      if (rnd() < 0.6) {
        const team = rnd() < 0.5 ? 'payments' : 'search';
        const item = await createItem(id, { ownerTeamId: teams[team], addressesFactorId: f, priority: 'P2' });
        await gql(`mutation($id: ID!) { completeActionItem(id: $id, note: "done") { id } }`, { id: item.id }, tokens['admin']);
        await db.query(`UPDATE action_items SET completed_at = $2 WHERE id = $1`, [item.id, new Date(at.getTime() + Math.floor(rnd() * 30) * DAY)]);
        done.push(item.id);
      }
    }
    const from = new Date('2023-01-01T00:00:00Z');
    const to = new Date('2024-01-01T00:00:00Z');

    // The domain's reference, from the raw rows.
    const items = (await db.query(`SELECT a.id, a.owner_team_id AS "ownerTeamId", a.completed_at AS "completedAt",
        ARRAY(SELECT service_id::text FROM incident_services WHERE incident_id = a.incident_id) AS "serviceIds", f.category, NULL AS "safeguardKind"
        FROM action_items a JOIN contributing_factors f ON f.id = a.addresses_factor_id WHERE a.id = ANY($1::uuid[]) ORDER BY a.completed_at, a.id`, [done])).rows;
    const all = (await db.query(`SELECT i.id, i.started_at AS "startedAt", ARRAY(SELECT service_id::text FROM incident_services WHERE incident_id = i.id) AS "serviceIds",
        ARRAY(SELECT DISTINCT category FROM contributing_factors WHERE incident_id = i.id) AS categories,
        ARRAY(SELECT DISTINCT kind FROM failed_safeguards WHERE incident_id = i.id) AS "safeguardKinds",
        coalesce((SELECT json_agg(json_build_object('id', t.id, 'name', t.name)) FROM incident_themes x JOIN themes t ON t.id = x.theme_id WHERE x.incident_id = i.id), '[]') AS named
        FROM incidents i WHERE i.kind = 'INCIDENT'`)).rows;
    const nowAt = new Date();
    const outcomes = items.map((i) => fixOutcome(i, all, nowAt));
    const FIX = `id fixOutcome { held recurredAt daysHeld recurrence { id } }`;
    const got = await gql<{ actionItems: { nodes: { id: string; fixOutcome: { held: boolean | null; recurredAt: string | null; daysHeld: number; recurrence: { id: string } | null } | null }[] } }>(
      `query($f: ActionItemFilter) { actionItems(filter: $f, first: 100) { nodes { ${FIX} } } }`, { f: { statuses: ['DONE'] } }, tokens['viewer']);
    const byId = new Map(got.actionItems.nodes.map((n) => [n.id, n.fixOutcome]));
    items.forEach((i, k) => {
      const o = outcomes[k];
      expect(byId.get(i.id)).toEqual({ held: o.held, recurredAt: o.recurredAt?.toISOString() ?? null, daysHeld: o.daysHeld, recurrence: o.recurrenceId ? { id: o.recurrenceId } : null });
    });
    expect(outcomes.some((o) => o.held === false)).toBe(true);
    expect(outcomes.some((o) => o.held === true)).toBe(true);

    const REPORT = `query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) {
      fixesHeld { team { id } held recurred tooEarly sampleSize heldShare }
      themes(first: 50) { key label count previousCount countLow countHigh change pValue incidents { id } points { periodStart count } } } }`;
    const r = (await gql<{ reliabilityReport: { fixesHeld: { team: { id: string } }[]; themes: { key: string; incidents: { id: string }[] }[] } }>(
      REPORT, { f: { from, to, interval: 'MONTH' } }, tokens['viewer'])).reliabilityReport;
    const inRange = items.filter((i) => i.completedAt >= from && i.completedAt < to);
    const expectedTeams = fixesHeldByTeam(inRange, inRange.map((i) => fixOutcome(i, all, nowAt)));
    expect(r.fixesHeld.map(({ team, ...f }) => ({ teamId: team.id, ...f })).sort((a, b) => (a.teamId < b.teamId ? -1 : 1)))
      .toEqual([...expectedTeams].sort((a, b) => (a.teamId < b.teamId ? -1 : 1)));

    const within = (a: Date, b: Date) => all.filter((i) => i.startedAt >= a && i.startedAt < b);
    const expectedThemes = referenceThemes({ from, to, interval: 'MONTH', incidents: within(from, to), previous: within(new Date('2022-01-01T00:00:00Z'), from) });
    expect(r.themes.map(({ incidents, ...t }) => ({ ...t, incidentIds: incidents.map((i) => i.id) }))).toEqual(
      expectedThemes.map(({ kind: _k, points, ...t }) => ({ ...t, points: points.map((p) => ({ ...p, periodStart: p.periodStart.toISOString() })) })),
    );
    expect(r.themes.find((t) => t.key === `theme:${theme}`)).toBeDefined();
    // The themes query answers the same for a filter.
    const q = await gql<{ themes: { key: string; count: number }[] }>(`query($f: ReliabilityFilter!) { themes(filter: $f) { key count } }`, { f: { from, to, teamId: teams['search'] } }, tokens['viewer']);
    const searchIds = new Set(all.filter((i) => i.serviceIds.includes(services['search-api'])).map((i) => i.id));
    const expectedSearch = referenceThemes({ from, to, interval: 'WEEK', incidents: within(from, to).filter((i) => searchIds.has(i.id)), previous: within(new Date('2022-01-01T00:00:00Z'), from).filter((i) => searchIds.has(i.id)) });
    expect(q.themes).toEqual(expectedSearch.map((t) => ({ key: t.key, count: t.count })));

    // The window is the fixHoldDays policy: at 30 days some recurrences no longer count, per item and per team.
    await gql(`mutation { updatePolicies(input: { fixHoldDays: 30 }) { fixHoldDays } }`, {}, tokens['admin']);
    const short = items.map((i) => fixOutcome(i, all, nowAt, 30));
    expect(short.filter((o) => o.held === true).length).toBeGreaterThan(outcomes.filter((o) => o.held === true).length);
    const again = await gql<{ actionItems: { nodes: { id: string; fixOutcome: { held: boolean | null; daysHeld: number } | null }[] } }>(
      `query($f: ActionItemFilter) { actionItems(filter: $f, first: 100) { nodes { id fixOutcome { held daysHeld } } } }`, { f: { statuses: ['DONE'] } }, tokens['viewer']);
    const shortById = new Map(again.actionItems.nodes.map((n) => [n.id, n.fixOutcome]));
    items.forEach((i, k) => expect(shortById.get(i.id)).toEqual({ held: short[k].held, daysHeld: short[k].daysHeld }));
    const r30 = (await gql<{ reliabilityReport: { fixesHeld: { team: { id: string } }[] } }>(
      `query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { fixesHeld { team { id } held recurred tooEarly sampleSize heldShare } } }`, { f: { from, to } }, tokens['viewer'])).reliabilityReport;
    const expected30 = fixesHeldByTeam(inRange, inRange.map((i) => fixOutcome(i, all, nowAt, 30)));
    expect(r30.fixesHeld.map(({ team, ...f }) => ({ teamId: team.id, ...f })).sort((a, b) => (a.teamId < b.teamId ? -1 : 1)))
      .toEqual([...expected30].sort((a, b) => (a.teamId < b.teamId ? -1 : 1)));
    await gql(`mutation { updatePolicies(input: { fixHoldDays: 90 }) { fixHoldDays } }`, {}, tokens['admin']);
  }, 180_000);

  it('scores the review checklist on the postmortem, and per team in the report', async () => {
    const id = await incident('Ledger lag', new Date('2025-08-01T10:00:00Z'), ['ledger'], { customerImpact: 'Balances late by 20 minutes' });
    await factor(id, 'CAPACITY', true);
    const CHECK = `query($id: ID!) { incident(id: $id) { postmortem { checklist { key label met why } } } }`;
    const before = (await gql<{ incident: { postmortem: { checklist: { key: string; met: boolean; why: string | null }[] } } }>(CHECK, { id }, tokens['viewer'])).incident.postmortem.checklist;
    expect(before.map((c) => [c.key, c.met])).toEqual([['impact', false], ['trigger', false], ['factors', false], ['actions', false], ['shared', false]]);
    await gql(`mutation($id: ID!) { updatePostmortem(incidentId: $id, expectedVersion: 1, input: { impact: "Balances late" }) { version } }`, { id }, tokens['commander']);
    await gql(`mutation($id: ID!) { addTimelineEvent(incidentId: $id, input: { occurredAt: "2025-08-01T10:05:00Z", kind: DIAGNOSIS, description: "lag graph", evidenceUrl: "https://grafana.example/d/1" }) { id } }`, { id }, tokens['commander']);
    const f2 = await safeguard(id, 'CAPACITY_PLANNING');
    await createItem(id, { addressesSafeguardId: f2, priority: 'P2' });
    await gql(`mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { status } }`, { id, r: [users['paymentsManager']] }, tokens['commander']);
    const after = (await gql<{ incident: { postmortem: { checklist: { key: string; met: boolean }[] } } }>(CHECK, { id }, tokens['viewer'])).incident.postmortem.checklist;
    expect(after.every((c) => c.met)).toBe(true);
    const r = await gql<{ reliabilityReport: { checklistByTeam: { team: { id: string }; postmortems: number; items: { key: string; met: number }[] }[] } }>(
      `query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { checklistByTeam { team { id } postmortems items { key met } } } }`,
      { f: { from: '2025-08-01T00:00:00Z', to: '2025-09-01T00:00:00Z' } }, tokens['viewer']);
    expect(r.reliabilityReport.checklistByTeam).toEqual([{ team: { id: teams['payments'] }, postmortems: 1, items: after.map((c) => ({ key: c.key, met: 1 })) }]);
  });
});
