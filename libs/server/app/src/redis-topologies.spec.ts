import { randomBytes } from 'node:crypto';
import { createTestDatabase, TestDatabase, until } from '@hindsight/server-db/testing';
import { startCluster, startSentinels, startTlsRedis } from '@hindsight/server-queue/testing';
import { ChaseSeed, expectedWebhookDeliveries, seedChase, startWorkerProcess, WebhookReceiver, withClient, WorkerProcess } from '@hindsight/server-worker/testing';
import { ApiHarness, startApi } from './testing';

/*
 * The queues on each Redis topology of docs/scaling.md, with the API (in this process) and a
 * real worker process, against throw-away Debian redis-servers on loopback: Sentinel through a
 * switchover and a killed primary, a three-node Cluster with a hash-tagged prefix, and TLS.
 * Each ends with every expected delivery answered once (none missing, none twice).
 */

interface Scenario {
  db: TestDatabase;
  api: ApiHarness;
  admin: string;
  receiver: WebhookReceiver;
  worker: WorkerProcess;
  expected: number;
}

const open: Scenario[] = [];

async function scenario(env: Record<string, string>): Promise<Scenario> {
  const db = await createTestDatabase();
  const receiver = await new WebhookReceiver().start();
  const api = await startApi({ ...env, CHASE_INTERVAL_SECONDS: '5' }, { db });
  const worker = startWorkerProcess({ DATABASE_URL: db.url, CHASE_INTERVAL_SECONDS: '5', ...env });
  const s: Scenario = { db, api, admin: await api.login(), receiver, worker, expected: 0 };
  open.push(s);
  await worker.ready;
  return s;
}

/** New teams and items due for reminders, then the sweep asked for through the API (retried while its Redis connection comes back). */
async function chase(s: Scenario): Promise<ChaseSeed> {
  const seed = await seedChase(s.db.url, s.receiver.url(), { teams: 1, perCase: 4 });
  s.expected += expectedWebhookDeliveries(seed);
  await until(async () => !(await s.api.gql(`mutation { runChaseNow }`, {}, s.admin)).errors, 30_000, 'runChaseNow to be accepted');
  return seed;
}

/** Every reminder expected and everything else the chase sent (weekly digests) reached the receiver exactly once. */
async function allDeliveredOnce(s: Scenario): Promise<void> {
  await until(() => s.receiver.succeeded().size >= s.expected, 60_000, `${s.expected} deliveries`);
  const sent = await until(() => withClient(s.db.url, async (c) => {
    const { rows } = await c.query<{ id: string; status: string }>(`SELECT id, status FROM deliveries`);
    return rows.every((r) => r.status === 'SENT') ? rows.map((r) => r.id).sort() : null;
  }), 60_000, 'every delivery to be SENT');
  expect(sent.length).toBeGreaterThanOrEqual(s.expected);
  expect([...s.receiver.succeeded().keys()].sort()).toEqual(sent);
  expect([...s.receiver.succeeded().entries()].filter(([, n]) => n > 1)).toEqual([]);
}

/** Before the test's Redis stops, so no connection is left retrying a server that is gone. */
async function closeScenarios(): Promise<void> {
  for (const s of open.splice(0)) {
    if (s.worker.child.exitCode === null) {
      s.worker.child.kill('SIGTERM');
      await s.worker.exited;
    }
    await s.receiver.close();
    await s.api.close();
  }
}

it('Sentinel: the API and the worker ride through a switchover and a killed primary', async () => {
  const redis = await startSentinels();
  try {
    const s = await scenario({ REDIS_URL: 'redis://ignored:6379', REDIS_SENTINELS: redis.sentinelList, REDIS_SENTINEL_NAME: redis.name, QUEUE_PREFIX: `hs-sen-${randomBytes(3).toString('hex')}` });
    await chase(s);
    await allDeliveredOnce(s);

    // A switchover: the old primary becomes a replica while the connections to it are open (READONLY).
    const sentinel = await import('ioredis').then(({ default: IORedis }) => new IORedis({ host: '127.0.0.1', port: redis.sentinels[0].port }));
    await sentinel.call('SENTINEL', 'FAILOVER', redis.name);
    sentinel.disconnect();
    await until(async () => (await redis.currentPrimary()) === redis.replica.port, 30_000, 'the replica to be promoted');
    await chase(s);
    await allDeliveredOnce(s);

    // The new primary dies: the sentinels promote the first one back.
    await redis.replica.kill('SIGKILL');
    await until(async () => (await redis.currentPrimary()) === redis.primary.port, 30_000, 'the old primary to be promoted again');
    await chase(s);
    await allDeliveredOnce(s);
  } finally {
    await closeScenarios();
    await redis.stop();
  }
}, 180_000);

it('Cluster: the queues live under a hash-tagged prefix on a three-node Redis Cluster', async () => {
  const redis = await startCluster();
  try {
    const s = await scenario({ REDIS_URL: redis.url, REDIS_CLUSTER: 'true', QUEUE_PREFIX: `{hs-cl-${randomBytes(3).toString('hex')}}` });
    await chase(s);
    await allDeliveredOnce(s);
  } finally {
    await closeScenarios();
    await redis.stop();
  }
}, 120_000);

it('TLS: rediss:// with the certificate authority in REDIS_TLS_CA_FILE, and a clear refusal without it', async () => {
  const redis = await startTlsRedis();
  try {
    const s = await scenario({ REDIS_URL: redis.url, REDIS_TLS_CA_FILE: redis.caFile, QUEUE_PREFIX: `hs-tls-${randomBytes(3).toString('hex')}` });
    await chase(s);
    await allDeliveredOnce(s);

    const untrusting = startWorkerProcess({ DATABASE_URL: s.db.url, REDIS_URL: redis.url, QUEUE_PREFIX: 'hs-tls-refused' });
    expect(await untrusting.exited).not.toBe(0);
    expect(untrusting.output()).toMatch(/cannot reach Redis at rediss:\/\/127\.0\.0\.1:\d+ .*REDIS_URL/);
  } finally {
    await closeScenarios();
    await redis.stop();
  }
}, 120_000);
