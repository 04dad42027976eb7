import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { SqlCounter } from '@hindsight/server-db';

/*
 * No N+1: the runbook list with service, team, revisions (and their editors), feedback (and
 * its incident and author) and linked items, the services page with its runbooks, and the
 * incident page's runbook panel cost the same number of statements for 3 rows as for 30.
 */

let api: ApiHarness;
let db: Client;
let token: string;
const counter = new SqlCounter();

const RUNBOOKS = `{ runbooks { id title isStale service { name } team { name }
  revisions { version editedBy { name } } feedback { verdict author { name } incident { reference } } actionItems { title } nudges { step } } }`;
const SERVICES = `{ services { name runbooks { title isStale team { name } } } }`;
const INCIDENTS = `query($first: Int) { incidents(first: $first) { nodes { reference runbooks { title service { name } } runbookFeedback { verdict author { name } } actionItems { addressesRunbook { title } } } } }`;

async function statements(query: string, variables: Record<string, unknown> = {}): Promise<number> {
  // The caller is then known to the API (ActorCache): the count is the page's own statements.
  await api.gql('{ me { id } }', {}, token);
  counter.reset();
  const res = await api.gql(query, variables, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return counter.count;
}

/** n services, each with one runbook (two revisions), an incident affecting it, feedback and a linked item. */
async function seed(n: number): Promise<void> {
  await db.query(`TRUNCATE runbook_feedback, runbook_revisions, runbooks, action_items, incident_services, incidents, services CASCADE`);
  await db.query(
    `WITH t AS (SELECT id FROM teams ORDER BY name LIMIT 1), u AS (SELECT id FROM users ORDER BY created_at LIMIT 1),
     s AS (INSERT INTO services (name, kind, tier, team_id) SELECT 'svc-' || g, 'API', 2, (SELECT id FROM t) FROM generate_series(1, $1) g RETURNING id, name),
     r AS (INSERT INTO runbooks (service_id, title, review_interval_days, review_due_at, created_by) SELECT s.id, 'Runbook of ' || s.name, 90, now() + interval '1 day', (SELECT id FROM u) FROM s RETURNING id, service_id),
     v AS (INSERT INTO runbook_revisions (runbook_id, version, title, edited_by) SELECT r.id, k, 'Runbook', (SELECT id FROM u) FROM r, generate_series(1, 2) k RETURNING runbook_id),
     i AS (INSERT INTO incidents (title, severity, status, started_at) SELECT 'Incident of ' || s.name, 'SEV3', 'RESOLVED', now() - interval '2 days' FROM s RETURNING id, title),
     x AS (INSERT INTO incident_services (incident_id, service_id) SELECT i.id, s.id FROM i JOIN s ON i.title = 'Incident of ' || s.name RETURNING incident_id, service_id),
     f AS (INSERT INTO runbook_feedback (runbook_id, incident_id, verdict, author_id) SELECT r.id, x.incident_id, 'MISSING_STEPS', (SELECT id FROM u) FROM r JOIN x ON x.service_id = r.service_id RETURNING id)
     INSERT INTO action_items (incident_id, title, kind, priority, owner_team_id, due_at, addresses_runbook_id)
       SELECT x.incident_id, 'Fix the runbook', 'PROCESS', 'P2', (SELECT id FROM t), now() + interval '30 days', r.id FROM r JOIN x ON x.service_id = r.service_id`,
    [n],
  );
}

beforeAll(async () => {
  api = await startApi({}, { sqlCounter: counter });
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  token = await api.login();
  await db.query(`INSERT INTO teams (name, slug, manager_id) VALUES ('Payments', 'payments', (SELECT id FROM users LIMIT 1))`);
});

afterAll(async () => {
  await db?.end();
  await api?.close();
});

it.each([
  ['the runbook list', RUNBOOKS],
  ['the services page', SERVICES],
  ["the incident page's runbook panel", INCIDENTS],
])('%s costs as many statements for 30 runbooks as for 3', async (_what, query) => {
  await seed(3);
  const few = await statements(query, { first: 50 });
  await seed(30);
  const many = await statements(query, { first: 50 });
  expect(many).toBe(few);
  expect(few).toBeLessThan(20);
});
