import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import {
  blockLastCandidate,
  ChaseSeed,
  deliveryCounts,
  expireSendLeases,
  expectedWebhookDeliveries,
  REDIS_URL,
  seedChase,
  startWorkerProcess,
  stopWorkers,
  until,
  WebhookReceiver,
  withClient,
  WorkerProcess,
} from './testing/chase-harness';

/*
 * Fault tests for "exactly once per step" (PRODUCT.md 4), with real worker processes
 * (apps/worker/src/main.ts), a real HTTP receiver, real Redis and Postgres. Each scenario
 * has its own database, queue prefix and receiver, and ends with the same verdict:
 *   - every expected delivery reached the receiver and was answered 2xx (none missing);
 *   - no delivery id was answered 2xx twice, and no step reached a recipient under two ids;
 *   - every delivery row is SENT and the ledger holds exactly one record per reached step.
 * A request the receiver had not answered when its sender died does not count as received:
 * the sender never learnt of it and resends it, with the same delivery id.
 */

const SIZE = { teams: 4, perCase: 100 };

interface Scenario {
  db: TestDatabase;
  receiver: WebhookReceiver;
  seed: ChaseSeed;
  expected: number;
  prefix: string;
  env: Record<string, string>;
  workers: WorkerProcess[];
}

async function setUp(redisUrl = REDIS_URL): Promise<Scenario> {
  const db = await createTestDatabase();
  const receiver = await new WebhookReceiver().start();
  const seed = await seedChase(db.url, receiver.url(), SIZE);
  const prefix = `hs-chase-f-${randomBytes(4).toString('hex')}`;
  const env = { DATABASE_URL: db.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, CHASE_INTERVAL_SECONDS: '5', CHASE_SWEEP_CHUNK: '500', LOG_LEVEL: 'info' };
  return { db, receiver, seed, expected: expectedWebhookDeliveries(seed), prefix, env, workers: [] };
}

function start(s: Scenario): WorkerProcess {
  const w = startWorkerProcess(s.env);
  s.workers.push(w);
  return w;
}

async function tearDown(s: Scenario | undefined, redisUrl = REDIS_URL): Promise<void> {
  if (!s) return;
  await stopWorkers(s.workers);
  await s.receiver.close();
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${s.prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } catch {
    // The scenario's own Redis may be gone already.
  } finally {
    redis.disconnect();
  }
  await s.db.drop();
}

async function nudgeCount(url: string): Promise<number> {
  return withClient(url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM nudges`)).rows[0].n as number);
}

/** Records one per reached step of every chased item. */
function expectedNudges(seed: ChaseSeed): number {
  const depth = { DUE_SOON: 1, DUE: 2, OVERDUE: 3, ESCALATED: 4, LEADERSHIP: 5 } as const;
  return seed.items.reduce((n, i) => n + (i.expected ? depth[i.expected] : 0), 0);
}

async function expectExactlyOnce(s: Scenario, ms = 120_000): Promise<void> {
  try {
    await until(async () => s.receiver.succeeded().size >= s.expected && (await deliveryCounts(s.db.url))['SENT'] === s.expected, ms, `all ${s.expected} deliveries received and recorded`);
  } catch (e) {
    const state = { received: s.receiver.received.length, succeeded: s.receiver.succeeded().size, rows: await deliveryCounts(s.db.url), nudges: await nudgeCount(s.db.url) };
    throw new Error(`${(e as Error).message}: ${JSON.stringify(state)}\n${s.workers.map((w) => w.output().slice(-1500)).join('\n---\n')}`);
  }
  // Anything still in flight would show up now.
  await new Promise((r) => setTimeout(r, 1500));
  const succeeded = s.receiver.succeeded();
  expect(succeeded.size).toBe(s.expected);
  expect([...succeeded.values()].filter((n) => n > 1)).toEqual([]);
  const rows = await withClient(s.db.url, async (c) => (await c.query(`SELECT id FROM deliveries`)).rows.map((r: { id: string }) => r.id));
  expect(new Set(rows)).toEqual(new Set(succeeded.keys()));
  expect(await deliveryCounts(s.db.url)).toEqual({ SENT: s.expected });
  const steps = new Set(s.receiver.received.filter((r) => r.acked && r.status === 200).map((r) => { const b = JSON.parse(r.body); return `${b.subject.id}/${b.step}/${b.recipient}`; }));
  expect(steps.size).toBe(s.expected);
  expect(await nudgeCount(s.db.url)).toBe(expectedNudges(s.seed));
}

describe('exactly once per step under faults (worker processes)', () => {
  let s: Scenario | undefined;

  afterEach(async () => {
    await tearDown(s);
    s = undefined;
  }, 60_000);

  it('two worker processes at once (both sweep at startup, on schedule, and deliver)', async () => {
    s = await setUp();
    const a = start(s);
    const b = start(s);
    await Promise.all([a.ready, b.ready]);
    await expectExactlyOnce(s);
    // Several scheduled sweeps later, still nothing new.
    await new Promise((r) => setTimeout(r, 6000));
    expect(s.receiver.received.filter((r) => r.acked).length).toBe(s.expected);
  }, 180_000);

  it('a worker killed with SIGKILL in the middle of a sweep, then restarted', async () => {
    s = await setUp();
    const total = expectedNudges(s.seed);
    // No delivery is answered until the restart, so the kill cannot land between an answer and its record.
    s.receiver.hold();
    const block = await blockLastCandidate(s.db.url);
    const a = start(s);
    await a.ready;
    await until(async () => (await nudgeCount((s as Scenario).db.url)) > 1, 60_000, 'the sweep has committed a first chunk');
    a.child.kill('SIGKILL');
    await a.exited;
    await block.release();
    // Killed with part of the sweep committed (the held row was rolled back).
    const afterKill = await nudgeCount(s.db.url);
    expect(afterKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(total);
    s.receiver.release();
    await expireSendLeases(s.db.url);
    const b = start(s);
    await b.ready;
    await expectExactlyOnce(s);
  }, 180_000);

  it('a worker killed with SIGKILL in the middle of a delivery batch, then restarted', async () => {
    s = await setUp();
    const a = start(s);
    await a.ready;
    await until(() => (s as Scenario).receiver.succeeded().size >= (s as Scenario).expected / 3, 60_000, 'a third delivered');
    // Stop answering, let the worker record what was answered, then kill it with requests in flight.
    s.receiver.hold();
    await until(() => (s as Scenario).receiver.waiting() >= 5, 10_000, 'requests in flight');
    await new Promise((r) => setTimeout(r, 1500));
    const delivered = s.receiver.succeeded().size;
    expect(delivered).toBeLessThan(s.expected);
    a.child.kill('SIGKILL');
    await a.exited;
    s.receiver.release();
    expect(await expireSendLeases(s.db.url)).toBeGreaterThan(0);
    const b = start(s);
    await b.ready;
    await expectExactlyOnce(s, 150_000);
  }, 240_000);

  it('Postgres connections of the worker terminated during a sweep (pg_terminate_backend, standing in for a Postgres restart)', async () => {
    s = await setUp();
    s.receiver.hold();
    const block = await blockLastCandidate(s.db.url);
    const a = start(s);
    await a.ready;
    await until(async () => (await nudgeCount((s as Scenario).db.url)) > 1, 60_000, 'the sweep has committed a first chunk');
    const total = expectedNudges(s.seed);
    const dbName = s.db.name;
    // Every worker backend, including the sweep's connection waiting inside its chunk.
    const killed = await withClient(s.db.url, async (c) =>
      (await c.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'hindsight%'`, [dbName])).rows[0].n as number,
    );
    expect(killed).toBeGreaterThan(0);
    expect(await nudgeCount(s.db.url)).toBeLessThan(total);
    await block.release();
    s.receiver.release();
    await expectExactlyOnce(s);
    expect(a.child.exitCode).toBeNull();
  }, 180_000);
});

describe('exactly once per step when Redis restarts during a sweep', () => {
  const port = 6390 + Math.floor(Math.random() * 500);
  const url = `redis://127.0.0.1:${port}`;
  let redis: ChildProcess | null = null;
  let s: Scenario | undefined;

  /** A private redis-server without persistence: a restart loses every queue and schedule. */
  async function startRedis(): Promise<void> {
    redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], { stdio: 'ignore' });
    const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    await until(async () => probe.connect().then(() => true, () => false), 10_000, 'redis-server up');
    probe.disconnect();
  }

  async function stopRedis(): Promise<void> {
    const r = redis;
    redis = null;
    if (!r || r.exitCode !== null) return;
    const exited = new Promise((resolve) => r.on('exit', resolve));
    r.kill('SIGKILL');
    await exited;
  }

  afterEach(async () => {
    await tearDown(s, url);
    s = undefined;
    await stopRedis();
  }, 60_000);

  it('loses nothing and sends nothing twice', async () => {
    await startRedis();
    s = await setUp(url);
    const block = await blockLastCandidate(s.db.url);
    const a = start(s);
    await a.ready;
    await until(async () => (await nudgeCount((s as Scenario).db.url)) > 1 && (s as Scenario).receiver.succeeded().size > 0, 60_000, 'sweep and deliveries under way');
    const before = s.receiver.succeeded().size;
    expect(before).toBeLessThan(s.expected);
    await stopRedis();
    await new Promise((r) => setTimeout(r, 1000));
    await startRedis();
    // The sweep is still held mid-way; let it finish against the new, empty Redis.
    await block.release();
    await expectExactlyOnce(s, 150_000);
    expect(a.child.exitCode).toBeNull();
  }, 240_000);
});
