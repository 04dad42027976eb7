import { DataSource } from 'typeorm';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { DATA_SOURCE, SqlCounter } from '@hindsight/server-db';
import { Client } from 'pg';

/*
 * No N+1: a page of action items with their incident, owning team (and its manager and
 * members), assignee (and their teams), the factor and safeguard they address and their
 * deadline history costs the same number of statements for 5 rows as for 50.
 */

let api: ApiHarness;
let db: Client;
let token: string;
const counter = new SqlCounter();

const PAGE = `query($first: Int) { actionItems(first: $first) { totalCount nodes {
  id title isOverdue riceScore
  incident { reference title }
  ownerTeam { name manager { name } members { name } }
  assignee { name teams { name } }
  addressesFactor { category } addressesSafeguard { kind }
  dueDateChanges { reason changedBy { name } }
} } }`;

const INCIDENT_PAGE = `query($first: Int) { incidents(first: $first) { nodes { reference actionItems { title ownerTeam { name } assignee { name } } } } }`;

async function statementsFor(query: string, first: number): Promise<{ count: number; rows: number; statements: string[] }> {
  // The caller is then known to the API (ActorCache): the count is the page's own statements.
  await api.gql('{ me { id } }', {}, token);
  counter.reset();
  const res = await api.gql<Record<string, { nodes: unknown[] }>>(query, { first }, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  const rows = Object.values(res.data!)[0].nodes.length;
  return { count: counter.count, rows, statements: [...counter.statements] };
}

/** How often the most repeated statement ran: an N+1 shows up as one statement run N times. */
function maxRepeats(statements: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const sql of statements) counts.set(sql, (counts.get(sql) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

beforeAll(async () => {
  api = await startApi();
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  token = await api.login();
  const { rows: admin } = await db.query(`SELECT id FROM users LIMIT 1`);
  const adminId = admin[0].id;
  // 5 teams with a manager and two members each, 60 incidents with a factor and a safeguard, 60 items.
  await db.query(`
    INSERT INTO users (email, name, role, password_hash)
      SELECT 'u' || g || '@test.local', 'User ' || g, 'MANAGER', 'x' FROM generate_series(1, 15) g;
    INSERT INTO teams (name, slug, manager_id)
      SELECT 'Team ' || g, 'team-' || g, (SELECT id FROM users WHERE email = 'u' || g || '@test.local') FROM generate_series(1, 5) g;
    INSERT INTO team_members (team_id, user_id)
      SELECT t.id, u.id FROM teams t JOIN users u ON u.email IN ('u' || (5 + substr(t.slug, 6)::int) || '@test.local', 'u' || (10 + substr(t.slug, 6)::int) || '@test.local');
    INSERT INTO incidents (title, severity, status, started_at)
      SELECT 'Incident ' || g, 'SEV2', 'RESOLVED', now() - g * interval '1 day' FROM generate_series(1, 60) g;
    INSERT INTO contributing_factors (incident_id, category, description) SELECT id, 'CAPACITY', 'Too little headroom' FROM incidents;
    INSERT INTO failed_safeguards (incident_id, kind, expected_behavior, why_it_failed) SELECT id, 'ALERTING', 'Page early', 'Threshold too high' FROM incidents;
  `);
  await db.query(
    `INSERT INTO action_items (incident_id, title, kind, priority, owner_team_id, assignee_id, due_at, addresses_factor_id, addresses_safeguard_id, reach, impact, confidence, effort_days, created_by)
     SELECT i.id, 'Item for ' || i.title, 'PREVENT', 'P2',
            (SELECT id FROM teams ORDER BY slug OFFSET (i.number % 5) LIMIT 1),
            (SELECT id FROM users WHERE email = 'u' || (1 + i.number % 15) || '@test.local'),
            now() + i.number * interval '1 hour',
            (SELECT id FROM contributing_factors f WHERE f.incident_id = i.id),
            (SELECT id FROM failed_safeguards g WHERE g.incident_id = i.id),
            10, 1, 0.5, 2, $1
       FROM incidents i`,
    [adminId],
  );
  await db.query(
    `INSERT INTO action_item_due_changes (action_item_id, previous_due_at, new_due_at, reason, changed_by)
     SELECT id, due_at - interval '1 day', due_at, 'Waiting on capacity', $1 FROM action_items`,
    [adminId],
  );
  (api.app.get<DataSource>(DATA_SOURCE)).logger = counter;
});

afterAll(async () => {
  await db.end();
  await api.close();
});

it('a 50-row actionItems page costs the same bounded number of statements as a 5-row page', async () => {
  const small = await statementsFor(PAGE, 5);
  const large = await statementsFor(PAGE, 50);
  expect(small.rows).toBe(5);
  expect(large.rows).toBe(50);
  // The page, its count, then one batch per relation: incident, team,
  // factor, safeguard, deadline history, team members, user teams, and users. Users are asked
  // for at three depths (assignee; manager after the team; changedBy after the history), which
  // DataLoader may or may not coalesce depending on timing, hence a bound rather than equality.
  const BOUND = 12;
  expect(small.count).toBeLessThanOrEqual(BOUND);
  expect(large.count).toBeLessThanOrEqual(BOUND);
  expect(maxRepeats(large.statements)).toBeLessThanOrEqual(3);
});

it('incidents with their action items, owners and assignees: 5 rows cost as much as 50', async () => {
  const small = await statementsFor(INCIDENT_PAGE, 5);
  const large = await statementsFor(INCIDENT_PAGE, 50);
  expect(small.rows).toBe(5);
  expect(large.rows).toBe(50);
  expect(large.count).toBeLessThanOrEqual(small.count);
  expect(maxRepeats(large.statements)).toBe(1);
});
