import { Client } from 'pg';
import { migrateDatabase, ReplicaReads } from '@hindsight/server-db';
import { PostgresServer, startPostgres, startReplica, until } from '@hindsight/server-db/testing';
import { ApiHarness, startApi } from './testing';

/*
 * DATABASE_READ_URL against a real streaming replica (a throw-away primary and a hot standby
 * made with pg_basebackup, docs/scaling.md): reports read the replica when it has replayed
 * what the primary had committed, the primary otherwise (read-your-writes); lag past
 * DATABASE_READ_MAX_LAG_SECONDS and a stopped replica send reports to the primary; the lag is
 * a metric.
 */

let primary: PostgresServer;
let replica: PostgresServer;
let api: ApiHarness;
let admin: string;
const FROM = new Date(Date.now() - 30 * 86_400_000).toISOString();
const TO = new Date(Date.now() + 86_400_000).toISOString();

async function onReplica<T>(sql: string): Promise<T[]> {
  const c = new Client({ connectionString: replica.url('hindsight') });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  primary = await startPostgres();
  replica = await startReplica(primary);
  await migrateDatabase(primary.url('hindsight'));
  await until(() => onReplica<{ n: number }>(`SELECT count(*)::int AS n FROM migrations`).then(([r]) => r.n > 0), 30_000, 'the replica to replay the migrations');
  const db = { name: 'hindsight', url: primary.url('hindsight'), drop: async () => undefined };
  api = await startApi({ DATABASE_READ_URL: replica.url('hindsight'), DATABASE_READ_MAX_LAG_SECONDS: '1' }, { db });
  admin = await api.login();
}, 120_000);

afterAll(async () => {
  await api?.close();
  replica?.remove();
  primary?.remove();
}, 60_000);

const reads = () => api.app.get(ReplicaReads);
const routed = (route: string) => reads().routed.get(route as never) ?? 0;

async function declare(title: string): Promise<void> {
  const res = await api.gql(`mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`, { i: { title, severity: 'SEV2', startedAt: new Date(Date.now() - 3_600_000).toISOString() } }, admin);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}

async function reportedIncidents(): Promise<number> {
  const res = await api.gql<{ reliabilityReport: { incidents: number } }>(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents } }`, { f: { from: FROM, to: TO } }, admin);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.reliabilityReport.incidents;
}

async function metrics(): Promise<string> {
  return (await fetch(`${api.url}/metrics`)).text();
}

it('reads a report from the replica, with what the person has just written in it', async () => {
  await until(() => reads().current.up, 10_000, 'the replica to be up');
  const before = routed('replica');
  await declare('Search is slow');
  expect(await reportedIncidents()).toBe(1);
  expect(routed('replica')).toBe(before + 1);
  const review = await api.gql(`query($f: ReliabilityFilter!) { reliabilityReview(filter: $f) { current { incidents } } }`, { f: { from: FROM, to: TO } }, admin);
  expect(review.errors).toBeUndefined();
  expect(routed('replica')).toBe(before + 2);
});

it('answers a report and the review from the primary, exactly, while a revenue change waits to be applied (a replica cannot apply it)', async () => {
  await until(() => reads().current.up, 10_000, 'the replica to be up');
  const sql = new Client({ connectionString: primary.url('hindsight') });
  await sql.connect();
  try {
    const team = (await sql.query<{ id: string }>(`INSERT INTO teams (name, slug) VALUES ('Replica checkout', 'replica-checkout') RETURNING id`)).rows[0].id;
    const service = (await sql.query<{ id: string }>(`INSERT INTO services (name, kind, tier, team_id, revenue_per_minute) VALUES ('replica-checkout', 'API', 1, $1, 10) RETURNING id`, [team])).rows[0].id;
    const replicaRoutes = routed('replica');
    await sql.query(`UPDATE services SET revenue_per_minute = 20 WHERE id = $1`, [service]);
    expect((await sql.query(`SELECT 1 FROM insight_revenue_changes`)).rowCount).toBeGreaterThan(0);
    const report = await api.gql(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents } }`, { f: { from: FROM, to: TO } }, admin);
    expect(report.errors).toBeUndefined();
    // Applied on the primary by the report that found it.
    expect((await sql.query(`SELECT 1 FROM insight_revenue_changes`)).rowCount).toBe(0);
    await sql.query(`UPDATE services SET revenue_per_minute = 30 WHERE id = $1`, [service]);
    const review = await api.gql(`query($f: ReliabilityFilter!) { reliabilityReview(filter: $f) { current { incidents } } }`, { f: { from: FROM, to: TO } }, admin);
    expect(review.errors).toBeUndefined();
    expect((await sql.query(`SELECT 1 FROM insight_revenue_changes`)).rowCount).toBe(0);
    // Both were routed to the replica, which handed them to the primary on finding the change.
    expect(routed('replica')).toBe(replicaRoutes + 2);
  } finally {
    await sql.end();
  }
});

it('answers from the primary while the replica has not replayed the write, and past the lag threshold', async () => {
  await onReplica(`SELECT pg_wal_replay_pause()`);
  await declare('Checkout errors');
  const behind = routed('replica-behind');
  // The replica cannot see the second incident: the report must come from the primary.
  expect(await reportedIncidents()).toBe(2);
  expect(routed('replica-behind')).toBe(behind + 1);

  await until(() => (reads().current.lagSeconds ?? 0) > 1, 15_000, 'the measured lag to pass 1 s');
  expect(await metrics()).toMatch(/^hindsight_db_replica_lag_seconds\{process="api"\} ([1-9]\d*|\d+\.\d+)/m);
  const lagging = routed('replica-lagging');
  expect(await reportedIncidents()).toBe(2);
  expect(routed('replica-lagging')).toBe(lagging + 1);

  await onReplica(`SELECT pg_wal_replay_resume()`);
  await until(() => reads().current.lagSeconds === 0, 15_000, 'the replica to catch up');
  const onReplicaBefore = routed('replica');
  expect(await reportedIncidents()).toBe(2);
  expect(routed('replica')).toBe(onReplicaBefore + 1);
}, 60_000);

it('answers from the primary when the replica stops, and says so in the metrics', async () => {
  replica.stop('immediate');
  expect(await reportedIncidents()).toBe(2);
  await until(() => !reads().current.up, 10_000, 'the replica to be seen down');
  expect(await reportedIncidents()).toBe(2);
  expect(routed('replica-down')).toBeGreaterThan(0);
  expect(await metrics()).toMatch(/^hindsight_db_replica_up\{process="api"\} 0$/m);
  await replica.start();
  await until(() => reads().current.up, 15_000, 'the replica to be back');
  expect(await metrics()).toMatch(/^hindsight_db_replica_up\{process="api"\} 1$/m);
}, 60_000);
