import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import { WorkerHealthServer } from './worker-health.server';
import { REDIS_URL } from './testing/chase-harness';
import { startWorkerContext } from './testing/worker-context';
import { dropQueueKeys } from '@hindsight/server-queue/testing';

const METRICS_TOKEN = 'worker-metrics-token-0123456789';

/* The worker's health port with METRICS_TOKEN set: /metrics needs the bearer token, health does not. */
describe("the worker's /metrics behind METRICS_TOKEN (real worker context, HTTP)", () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let base: string;
  const prefix = `hs-metrics-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startWorkerContext(db.url, { QUEUE_PREFIX: prefix, METRICS_TOKEN });
    base = `http://127.0.0.1:${app.get(WorkerHealthServer).address()?.port}`;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await dropQueueKeys(REDIS_URL, prefix);
    await db?.drop();
  }, 60_000);

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-metrics-token-at-all' }],
  ])('refuses %s with 401', async (_, headers) => {
    const res = await fetch(`${base}/metrics`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const body = await res.text();
    expect(body).toContain('METRICS_TOKEN');
    expect(body).not.toContain('hindsight_queue_jobs');
  });

  it('listens on loopback only when WORKER_HEALTH_HOST is unset: another interface of this host is refused', async () => {
    const { address, port } = app.get(WorkerHealthServer).address()!;
    expect(address).toBe('127.0.0.1');
    const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (outside) await expect(fetch(`http://${outside.address}:${port}/health/live`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });

  it('answers the right bearer token; health stays open', async () => {
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('hindsight_queue_jobs');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });
});
