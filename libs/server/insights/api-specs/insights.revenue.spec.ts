import { Client } from 'pg';
import { InsightsModule, InsightsService } from '@hindsight/server-insights';
import { ModuleHarness, testModule } from '@hindsight/server-testing';
import { asSelected, loadReferenceRows, referenceFor } from './reference.fixtures';

/*
 * A service's revenue change is recorded by its write and applied to the rollups after it
 * (insight_facts_catch_up): the write stays cheap at a million incidents, and a report whose
 * snapshot still holds the change applies it first, so it stays exact. The insights room
 * alone (no API): the report is its service's, compared field by field with the reference.
 */

let room: ModuleHarness;
let db: Client;
let serviceId: string;

const FROM = new Date('2024-01-01T00:00:00Z');
const TO = new Date('2024-04-01T00:00:00Z');

const report = async () => asSelected(await room.get(InsightsService).reliabilityReport({ from: FROM, to: TO }), await reference());
const reference = async () => {
  const rows = await loadReferenceRows(db, 150, new Date());
  const r = referenceFor(rows, FROM, TO, 'WEEK', () => true);
  return { incidents: r.incidents, totalCost: r.totalCost, points: r.points.map((p) => ({ periodStart: p.periodStart, cost: p.cost })), timeToResolveMinutes: {
    count: r.timeToResolveMinutes.count, median: r.timeToResolveMinutes.median, p90: r.timeToResolveMinutes.p90, max: r.timeToResolveMinutes.max } };
};
const facts = async () => (await db.query<{ revenue_loss: number }>(`SELECT revenue_loss FROM incident_facts ORDER BY started_at`)).rows.map((r) => r.revenue_loss);
const pending = async () => (await db.query(`SELECT service_id FROM insight_revenue_changes`)).rowCount;

beforeAll(async () => {
  room = await testModule([InsightsModule]);
  db = new Client({ connectionString: room.db.url });
  await db.connect();
  await db.query(`INSERT INTO teams (name, slug) VALUES ('Payments', 'payments')`);
  serviceId = (await db.query<{ id: string }>(`INSERT INTO services (name, kind, tier, team_id, revenue_per_minute) SELECT 'checkout', 'API', 1, id, 12.5 FROM teams RETURNING id`)).rows[0].id;
  await db.query(`INSERT INTO incidents (title, severity, status, started_at, mitigated_at, resolved_at)
    SELECT 'i' || n, 'SEV2', 'RESOLVED', timestamptz '2024-01-03' + n * interval '5 days', timestamptz '2024-01-03' + n * interval '5 days' + n * interval '7 minutes',
           timestamptz '2024-01-03' + n * interval '5 days' + n * interval '19 minutes'
      FROM generate_series(1, 12) n`);
  await db.query(`INSERT INTO incident_services (incident_id, service_id) SELECT id, $1 FROM incidents`, [serviceId]);
});

afterAll(async () => {
  await db.end();
  await room.close();
});

it('records the change in the write and leaves the rollups to the catch-up', async () => {
  const before = await facts();
  expect(before.every((loss) => loss > 0)).toBe(true);
  await db.query(`UPDATE services SET revenue_per_minute = 40 WHERE id = $1`, [serviceId]);
  expect(await facts()).toEqual(before);
  expect(await pending()).toBe(1);
  // Twice before it is applied: one change to apply, with the latest revenue.
  await db.query(`UPDATE services SET revenue_per_minute = 41.5 WHERE id = $1`, [serviceId]);
  expect(await pending()).toBe(1);
});

it('is applied by the report that finds it in its snapshot: the report equals the reference', async () => {
  expect(await report()).toEqual(await reference());
  expect(await pending()).toBe(0);
  expect((await facts()).map((loss) => Math.round(loss * 1000) / 1000)).toEqual(
    (await db.query<{ loss: number }>(`SELECT extract(epoch FROM mitigated_at - started_at) / 60 * 41.5 AS loss FROM incidents ORDER BY started_at`)).rows.map((r) => Math.round(r.loss * 1000) / 1000),
  );
});

it('is applied by the catch-up as the worker runs it, cells and team rows included', async () => {
  await db.query(`UPDATE services SET revenue_per_minute = NULL WHERE id = $1`, [serviceId]);
  expect((await db.query<{ n: number }>(`SELECT insight_facts_catch_up(false) AS n`)).rows[0].n).toBe(1);
  expect(await facts()).toEqual(new Array(12).fill(0));
  expect((await db.query<{ cents: number }>(`SELECT sum(cents)::float8 AS cents FROM incident_fact_cells`)).rows[0].cents).toBe(0);
  expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incident_fact_teams WHERE revenue_loss <> 0`)).rows[0].n).toBe(0);
  expect((await db.query<{ n: number }>(`SELECT insight_facts_catch_up(false) AS n`)).rows[0].n).toBe(0);
  expect(await report()).toEqual(await reference());
});
