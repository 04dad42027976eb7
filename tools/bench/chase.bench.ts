// `npm run bench:chase`: the chaser at scale. Seeds 1,000,000 action items set-based
// (INSERT … SELECT generate_series) of which 100,000 are due soon or overdue, spread over the
// five ladder steps, across 50 teams that each have one WEBHOOK channel (plus one leadership
// channel). Measures, against the real Postgres and Redis:
//   1. the first sweep, until every delivery it created is in the delivery queue;
//   2. a second sweep with nothing new;
//   3. delivery throughput: the worker's delivery processor sending every queued delivery to
//      a webhook receiver on loopback (a separate process, counting by X-Hindsight-Delivery),
//      each one signed, marked SENT in Postgres.
// Goals (issue 14): first sweep ≤ 10 s, empty sweep ≤ 250 ms, ≥ 5,000 deliveries/s.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { ChaseCoreModule, ChaseRepository, ChaseSweepService } from '@hindsight/server-chase';
import { ConfigModule, loadConfig } from '@hindsight/server-config';
import { DatabaseModule, migrateDatabase, withDatabase } from '@hindsight/server-db';
import { createTestDatabase, prepareTemplate, TEST_SERVER_URL, TestDatabase } from '@hindsight/server-db/testing';
import { DeliveryProcessor, OutboxRelay, WorkerMetrics, WorkerRedisModule } from '@hindsight/server-worker';
import { processCpuMs, runBench } from './load.util';

const ITEMS = Number(process.env['BENCH_ITEMS'] ?? 1_000_000);
const ACTIONABLE = Number(process.env['BENCH_ACTIONABLE'] ?? 100_000);
const TEAMS = 50;
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-webhook-secret-0123456789';
/** BENCH_KEEP_DB=1 keeps the database (its URL is printed) for inspecting plans afterwards. */
const KEEP_DB = process.env['BENCH_KEEP_DB'] === '1';
const MEASURE_DELIVERIES = process.env['BENCH_DELIVERIES'] !== '0';
/** BENCH_SPLIT=1 times the first sweep's Postgres work and its enqueueing one after the other instead of overlapped. */
const SPLIT = process.env['BENCH_SPLIT'] === '1';
/**
 * BENCH_SEED_CACHE=1 keeps the seeded database as a template (per seed size) and clones it on
 * the next run, applying newer migrations to the clone: for iterating. Figures for the record
 * come from a fresh seed.
 */
const SEED_CACHE = process.env['BENCH_SEED_CACHE'] === '1';
/** BENCH_TRACE=1 prints the time spent in each repository call of each sweep (summed; calls overlap when chunks are read ahead). */
const TRACE = process.env['BENCH_TRACE'] === '1';

/** Wraps every method of the repository to sum its time per method name. */
function traceRepository(repo: ChaseRepository): () => string {
  const totals = new Map<string, { ms: number; calls: number }>();
  const target = repo as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(repo))) {
    const fn = target[name];
    if (name === 'constructor' || typeof fn !== 'function') continue;
    target[name] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>).apply(repo, args);
      } finally {
        const t = totals.get(name) ?? { ms: 0, calls: 0 };
        t.ms += performance.now() - started;
        t.calls++;
        totals.set(name, t);
      }
    };
  }
  return () => {
    const line = [...totals].map(([name, t]) => `${name} ${t.ms.toFixed(0)} ms/${t.calls}`).join(', ');
    totals.clear();
    return line;
  };
}

/** The receiver runs in its own process so it does not share the worker's event loop. */
const RECEIVER = `
const http = require('node:http');
const seen = new Map();
let posts = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET') { res.end(JSON.stringify({ posts, distinct: seen.size, repeats: posts - seen.size })); return; }
  const id = req.headers['x-hindsight-delivery'];
  req.resume();
  req.on('end', () => { posts++; seen.set(id, (seen.get(id) || 0) + 1); res.writeHead(200).end('{}'); });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

async function seed(pool: Pool, hookUrl: string): Promise<void> {
  await pool.query(`INSERT INTO teams (name, slug) SELECT 'Team ' || t, 'team-' || t FROM generate_series(1, $1::int) t`, [TEAMS]);
  await pool.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) SELECT 'WEBHOOK', 'hook-' || slug, $1, $2, id FROM teams`, [hookUrl, SECRET]);
  await pool.query(`INSERT INTO notification_channels (kind, name, target, secret) VALUES ('WEBHOOK', 'leadership', $1, $2)`, [hookUrl, SECRET]);
  await pool.query(`INSERT INTO incidents (title, severity, status, started_at) SELECT 'Incident ' || i, 'SEV2', 'RESOLVED', now() - interval '300 days' FROM generate_series(1, 1000) i`);
  // Quiet items: far from due (open), or closed. Then the actionable ones, a fifth per step.
  await pool.query(
    `WITH t AS (SELECT array_agg(id ORDER BY slug) AS ids FROM teams), i AS (SELECT array_agg(id) AS ids FROM incidents)
     INSERT INTO action_items (incident_id, title, kind, priority, status, owner_team_id, due_at, completed_at, completion_note)
     SELECT i.ids[1 + n % 1000], 'Quiet item ' || n, 'PREVENT', 'P2',
            CASE WHEN n % 3 = 0 THEN 'DONE' ELSE 'OPEN' END, t.ids[1 + n % ${TEAMS}],
            CASE WHEN n % 3 = 0 THEN now() - (n % 300) * interval '1 day' ELSE now() + interval '4 days' + (n % 170) * interval '1 day' END,
            CASE WHEN n % 3 = 0 THEN now() - (n % 300) * interval '1 day' END, CASE WHEN n % 3 = 0 THEN 'done' END
       FROM generate_series(1, $1::int) n, t, i`,
    [ITEMS - ACTIONABLE],
  );
  await pool.query(
    `WITH t AS (SELECT array_agg(id ORDER BY slug) AS ids FROM teams), i AS (SELECT array_agg(id) AS ids FROM incidents)
     INSERT INTO action_items (incident_id, title, kind, priority, status, owner_team_id, due_at)
     SELECT i.ids[1 + n % 1000], 'Overdue item ' || n, 'DETECT', 'P1', 'OPEN', t.ids[1 + n % ${TEAMS}],
            now() + CASE n % 5
              WHEN 0 THEN interval '1 day' + (n % 40) * interval '1 hour'          -- DUE_SOON
              WHEN 1 THEN - (n % 20) * interval '1 hour'                           -- DUE
              WHEN 2 THEN - interval '25 hours' - (n % 120) * interval '1 hour'    -- OVERDUE
              WHEN 3 THEN - interval '8 days' - (n % 12) * interval '1 day'        -- ESCALATED
              ELSE - interval '22 days' - (n % 200) * interval '1 day'             -- LEADERSHIP
            END
       FROM generate_series(1, $1::int) n, t, i`,
    [ACTIONABLE],
  );
  // A live database is vacuumed by autovacuum; a freshly bulk-loaded one is not yet.
  await pool.query('VACUUM ANALYZE');
}

/** A seeded database: freshly seeded, or (BENCH_SEED_CACHE=1) cloned from the cached seed and migrated. */
async function seededDatabase(hookUrl: string): Promise<{ db: TestDatabase; pool: Pool; cached: boolean }> {
  const admin = new Pool({ connectionString: TEST_SERVER_URL, max: 1 });
  const cacheName = `hindsight_bench_chase_${ITEMS}_${ACTIONABLE}`;
  try {
    const cached = SEED_CACHE && (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [cacheName])).rowCount === 1;
    if (cached) {
      const name = `hindsight_t_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${cacheName}"`);
      const db: TestDatabase = { name, url: withDatabase(TEST_SERVER_URL, name), drop: async () => void (await dropDatabase(name)) };
      const { applied } = await migrateDatabase(db.url);
      const pool = new Pool({ connectionString: db.url, max: 2 });
      await pool.query(`UPDATE notification_channels SET target = $1`, [hookUrl]);
      if (applied.length) await pool.query('VACUUM ANALYZE');
      return { db, pool, cached };
    }
    await prepareTemplate();
    const db = await createTestDatabase();
    let pool = new Pool({ connectionString: db.url, max: 2 });
    await seed(pool, hookUrl);
    if (SEED_CACHE) {
      // A template must have no open connections.
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS "${cacheName}"`);
      await admin.query(`CREATE DATABASE "${cacheName}" TEMPLATE "${db.name}"`);
      pool = new Pool({ connectionString: db.url, max: 2 });
    }
    return { db, pool, cached };
  } finally {
    await admin.end();
  }

  async function dropDatabase(name: string): Promise<void> {
    const a = new Pool({ connectionString: TEST_SERVER_URL, max: 1 });
    await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await a.end();
  }
}

/**
 * CPU time (ms) used so far by each part, steadier than wall-clock figures on a busy machine:
 * this process (sweep and worker), the Postgres backends of the bench's database (those that
 * start later count from zero), Redis, and the receiver.
 */
async function cpuNow(pool: Pool, redis: IORedis, receiverPid: number) {
  const backends = (await pool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows as { pid: number }[];
  const info = await redis.info('cpu');
  const redisMs = ['used_cpu_sys', 'used_cpu_user'].reduce((a, k) => a + 1000 * Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0), 0);
  const pg = new Map(backends.map((b) => [b.pid, (() => { try { return processCpuMs(b.pid); } catch { return 0; } })()]));
  return { self: processCpuMs(process.pid), receiver: processCpuMs(receiverPid), redis: redisMs, pg };
}
type CpuSample = Awaited<ReturnType<typeof cpuNow>>;
const pgCpuMs = (a: CpuSample, b: CpuSample) => [...b.pg].reduce((sum, [pid, ms]) => sum + ms - (a.pg.get(pid) ?? 0), 0);

async function main(): Promise<void> {
  const prefix = `hs-bench-chase-${randomBytes(4).toString('hex')}`;
  const receiverFile = join(tmpdir(), `hs-bench-receiver-${process.pid}.js`);
  writeFileSync(receiverFile, RECEIVER);
  const receiver = fork(receiverFile, [], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => receiver.once('message', (p) => resolve(Number(p))));
  const counts = async () => (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { posts: number; distinct: number; repeats: number };
  let t = performance.now();
  const { db, pool, cached } = await seededDatabase(`http://127.0.0.1:${port}/hook`);
  const redis = new IORedis(REDIS_URL);
  try {
    console.log(`${cached ? 'cloned the cached seed of' : 'seeded'} ${ITEMS.toLocaleString('en')} action items (${ACTIONABLE.toLocaleString('en')} actionable) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix, JWT_SECRET: 'b'.repeat(40), LOG_LEVEL: 'warn', PUBLIC_URL: 'https://hindsight.bench', OUTBOUND_ALLOWLIST: '127.0.0.1' });
    @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, WorkerRedisModule, ChaseCoreModule], providers: [OutboxRelay, WorkerMetrics] })
    class SweepOnly {}
    const app = await NestFactory.createApplicationContext(SweepOnly, { logger: ['error', 'warn'] });
    const sweeps = app.get(ChaseSweepService);
    const relay = app.get(OutboxRelay);
    const traced = TRACE ? traceRepository(app.get(ChaseRepository)) : null;
    const runSweep = async () => {
      const started = performance.now();
      const result = await sweeps.sweep(new Date(), async (ids) => void (await relay.enqueue(ids, true)));
      await relay.recover(false);
      return { ms: performance.now() - started, result };
    };

    if (SPLIT) {
      const collected: string[] = [];
      let started = performance.now();
      const r = await sweeps.sweep(new Date(), async (ids) => void collected.push(...ids));
      const pgMs = performance.now() - started;
      started = performance.now();
      await relay.enqueue(collected, true);
      console.log(`split first sweep: Postgres ${(pgMs / 1000).toFixed(2)} s (${r.sent + r.superseded} ledger rows, ${r.deliveries} deliveries), enqueue ${((performance.now() - started) / 1000).toFixed(2)} s`);
    }
    const sweepCpu0 = await cpuNow(pool, redis, receiver.pid ?? 0);
    const first = await runSweep();
    const sweepCpu1 = await cpuNow(pool, redis, receiver.pid ?? 0);
    const queued = await relay.batches.getJobCounts('waiting', 'delayed', 'active');
    console.log(`${SPLIT ? 'sweep after the split one' : 'first sweep'}: ${(first.ms / 1000).toFixed(2)} s — ${first.result.evaluated} items evaluated, ${first.result.sent} steps sent, ${first.result.superseded} superseded, ${first.result.deliveries} deliveries, ${queued['waiting'] ?? 0} batch jobs waiting (goal ≤ 10 s)`);
    console.log(`first sweep CPU: sweeping process ${((sweepCpu1.self - sweepCpu0.self) / 1000).toFixed(2)} s, Postgres ${(pgCpuMs(sweepCpu0, sweepCpu1) / 1000).toFixed(2)} s, Redis ${((sweepCpu1.redis - sweepCpu0.redis) / 1000).toFixed(2)} s`);
    if (traced) console.log(`first sweep, time in repository calls: ${traced()}`);
    const second = await runSweep();
    if (traced) console.log(`empty sweep, time in repository calls: ${traced()}`);
    console.log(`empty sweep: ${second.ms.toFixed(0)} ms — ${second.result.sent} steps sent (goal ≤ 250 ms)`);
    await app.close();
    if (!MEASURE_DELIVERIES) return;

    @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, WorkerRedisModule, ChaseCoreModule], providers: [OutboxRelay, WorkerMetrics, DeliveryProcessor] })
    class DeliveryOnly {}
    t = performance.now();
    const workerApp = await NestFactory.createApplicationContext(DeliveryOnly, { logger: ['error', 'warn'] });
    await workerApp.init();
    const total = (await pool.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'PENDING'`)).rows[0].n as number;
    const cpu0 = await cpuNow(pool, redis, receiver.pid ?? 0);
    for (;;) {
      const c = await counts();
      if (c.distinct >= total) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const received = performance.now() - t;
    for (;;) {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'SENT'`);
      if (rows[0].n >= total) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const recorded = performance.now() - t;
    const cpu1 = await cpuNow(pool, redis, receiver.pid ?? 0);
    const c = await counts();
    const pgMs = pgCpuMs(cpu0, cpu1);
    const per = (ms: number) => `${((1000 * ms) / total).toFixed(0)} µs`;
    console.log(`CPU per delivery: worker ${per(cpu1.self - cpu0.self)}, Postgres ${per(pgMs)}, Redis ${per(cpu1.redis - cpu0.redis)}, receiver ${per(cpu1.receiver - cpu0.receiver)}`);
    console.log(
      `deliveries: ${total.toLocaleString('en')} received in ${(received / 1000).toFixed(1)} s = ${Math.round(total / (received / 1000)).toLocaleString('en')}/s ` +
        `(all marked SENT after ${(recorded / 1000).toFixed(1)} s = ${Math.round(total / (recorded / 1000)).toLocaleString('en')}/s; ${c.repeats} repeats) (goal ≥ 5,000/s)`,
    );
    await workerApp.close();
  } finally {
    receiver.kill();
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
    await pool.end();
    if (KEEP_DB) console.log(`database kept: ${db.url}`);
    else await db.drop();
  }
}

runBench(main);
