import { spawn, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createTestDatabase, scaled, serverArgs, TestDatabase } from '@hindsight/server-db/testing';
import { MaintenanceJob, QueueName } from '@hindsight/server-queue';
import { Client } from 'pg';
import { Rows } from '@hindsight/server-testing';
import { CATCH_UP_INSIGHTS_SCHEDULER_ID, HEARTBEAT_SCHEDULER_ID, heartbeatKey, PRUNE_LOGIN_ATTEMPTS_SCHEDULER_ID, PRUNE_SESSIONS_SCHEDULER_ID } from './maintenance.processor';

const ROOT = join(__dirname, '..', '..', '..', '..');
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function startWorkerProcess(env: Record<string, string>): { child: ChildProcess; port: Promise<number>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, serverArgs('apps/worker/src/main.ts'), {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test', LOG_LEVEL: 'info', WORKER_HEALTH_PORT: '0', JWT_SECRET: 'w'.repeat(40), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /health and metrics on port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`worker exited early: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, port, exited };
}

async function until<T>(fn: () => Promise<T | null | undefined>, ms = 20000): Promise<T> {
  const end = Date.now() + scaled(ms);
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('worker process', () => {
  let db: TestDatabase;
  let redis: IORedis;
  const prefix = `hs-test-${randomBytes(4).toString('hex')}`;

  /**
   * A worker on a queue prefix of its own and a connection to its database for `use`; both
   * ended after it. `runNow` waits for the worker to be up, queues a maintenance job as an
   * operator would, and waits for it to finish.
   */
  async function withWorker(name: string, use: (w: { pg: Client; runNow(job: MaintenanceJob): Promise<void> }) => Promise<void>): Promise<void> {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const worker = startWorkerProcess({ DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: `${prefix}-${name}`, CHASE_INTERVAL_SECONDS: '60' });
    const queue = new Queue(QueueName.Maintenance, { connection: redis, prefix: `${prefix}-${name}` });
    const runNow = async (jobName: MaintenanceJob): Promise<void> => {
      await worker.port;
      const job = await queue.add(jobName, { scheduledBy: 'operator' });
      await until(async () => (await queue.getJob(job.id!)) === undefined || (await job.isCompleted()));
    };
    try {
      await use({ pg, runNow });
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await queue.close();
      await pg.end();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new IORedis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.drop();
  });

  it('registers one recurring scheduler, processes it, reports health, and stops gracefully on SIGTERM', async () => {
    const env = { DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix, CHASE_INTERVAL_SECONDS: '5' };
    // Two workers at once: the scheduler must still be a single schedule.
    const a = startWorkerProcess(env);
    const b = startWorkerProcess(env);
    const [portA] = await Promise.all([a.port, b.port]);

    const queue = new Queue(QueueName.Maintenance, { connection: redis, prefix });
    try {
      // Processors register their schedules while the health server starts: wait for both.
      const schedulers = await until(async () => {
        const found = await queue.getJobSchedulers();
        return found.length >= 4 ? found : null;
      });
      expect(schedulers.map((s) => s.key).sort()).toEqual([HEARTBEAT_SCHEDULER_ID, PRUNE_LOGIN_ATTEMPTS_SCHEDULER_ID, PRUNE_SESSIONS_SCHEDULER_ID, CATCH_UP_INSIGHTS_SCHEDULER_ID].sort());
      expect(schedulers.find((s) => s.key === CATCH_UP_INSIGHTS_SCHEDULER_ID)).toMatchObject({ name: MaintenanceJob.CatchUpInsights, every: 5000 });
      expect(schedulers.find((s) => s.key === HEARTBEAT_SCHEDULER_ID)).toMatchObject({ name: MaintenanceJob.Heartbeat, every: 5000 });
      expect(schedulers.find((s) => s.key === PRUNE_LOGIN_ATTEMPTS_SCHEDULER_ID)).toMatchObject({ name: MaintenanceJob.PruneLoginAttempts, every: 3600000 });
      expect(schedulers.find((s) => s.key === PRUNE_SESSIONS_SCHEDULER_ID)).toMatchObject({ name: MaintenanceJob.PruneSessions, every: 3600000 });
    } finally {
      await queue.close();
    }

    const beat = await until(() => redis.get(heartbeatKey(prefix)));
    expect(Date.now() - new Date(beat).getTime()).toBeLessThan(scaled(10_000));

    const ready = await fetch(`http://127.0.0.1:${portA}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'up' }, redis: { status: 'up' } } });
    const metrics = await (await fetch(`http://127.0.0.1:${portA}/metrics`)).text();
    expect(metrics).toContain('hindsight_queue_jobs{queue="maintenance"');
    expect(metrics).toContain('hindsight_job_duration_seconds');

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }, 60000);

  it('refuses to start with a clear message when the configuration is invalid', async () => {
    const child = spawn(process.execPath, serverArgs('apps/worker/src/main.ts'), {
      cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', CHASE_INTERVAL_SECONDS: 'often', REDIS_URL: 'http://x' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(err).toContain('CHASE_INTERVAL_SECONDS must be a whole number from 5 to 86400 (got "often")');
    expect(err).toContain('REDIS_URL must be a redis:// or rediss:// URL');
  }, 30000);
  it("applies a service's revenue change to the insights' rollups after the write", async () => {
    await withWorker('catch-up', async ({ pg, runNow }) => {
      const rows = new Rows(pg);
      const teamId = await rows.team({ name: 'Revenue' });
      const serviceId = await rows.service({ team_id: teamId, name: 'till', revenue_per_minute: 10 });
      const { id: incidentId } = await rows.incident({ title: 'outage', severity: 'SEV1', started_at: '2024-05-01T10:00Z', resolved_at: '2024-05-01T11:00Z' });
      await pg.query(`INSERT INTO incident_services (incident_id, service_id) VALUES ($1, $2)`, [incidentId, serviceId]);
      const loss = async () => (await pg.query<{ loss: number }>(`SELECT revenue_loss AS loss FROM incident_facts WHERE incident_id = $1`, [incidentId])).rows[0].loss;
      expect(await loss()).toBe(600);
      // The write records the change; the facts are repriced after it.
      await pg.query(`UPDATE services SET revenue_per_minute = 25 WHERE id = $1`, [serviceId]);
      expect(await loss()).toBe(600);
      expect((await pg.query(`SELECT 1 FROM insight_revenue_changes WHERE service_id = $1`, [serviceId])).rowCount).toBe(1);
      await runNow(MaintenanceJob.CatchUpInsights);
      expect(await loss()).toBe(1500);
      expect((await pg.query(`SELECT 1 FROM insight_revenue_changes`)).rowCount).toBe(0);
    });
  }, 60000);

  it('prunes sessions that ended or expired over 30 days ago and Slack request keys over a day old, and keeps every other', async () => {
    await withWorker('prune', async ({ pg, runNow }) => {
      const userId = await new Rows(pg).user();
      const sessions: [string, string, string | null][] = [
        ['ended 40 days ago', `now() + interval '1 day'`, `now() - interval '40 days'`],
        ['expired 31 days ago', `now() - interval '31 days'`, null],
        ['ended 29 days ago', `now() + interval '1 day'`, `now() - interval '29 days'`],
        ['expired 5 days ago', `now() - interval '5 days'`, null],
        ['live', `now() + interval '7 days'`, null],
        ['ended just now, its token long expired', `now() - interval '60 days'`, 'now()'],
      ];
      for (const [label, expiresAt, endedAt] of sessions) {
        await pg.query(`INSERT INTO sessions (user_id, created_at, expires_at, ended_at, end_reason, user_agent) VALUES ($1, now() - interval '70 days', ${expiresAt}, ${endedAt ?? 'NULL'}, ${endedAt ? `'logout'` : 'NULL'}, $2)`, [userId, label]);
      }
      // The same sweep forgets the keys of Slack requests applied over a day ago.
      await pg.query(
        `INSERT INTO slack_requests (key, received_at) VALUES ('two days ago', now() - interval '2 days'), ('25 hours ago', now() - interval '25 hours'),
           ('23 hours ago', now() - interval '23 hours'), ('just now', now())`,
      );
      await runNow(MaintenanceJob.PruneSessions);
      const left = (await pg.query<{ user_agent: string }>(`SELECT user_agent FROM sessions ORDER BY user_agent`)).rows.map((r) => r.user_agent);
      expect(left).toEqual(['ended 29 days ago', 'expired 5 days ago', 'live'].sort());
      const slackKeys = async () => (await pg.query<{ key: string }>(`SELECT key FROM slack_requests ORDER BY key`)).rows.map((r) => r.key);
      expect(await slackKeys()).toEqual(['23 hours ago', 'just now'].sort());
      // Again: nothing more goes.
      await runNow(MaintenanceJob.PruneSessions);
      expect((await pg.query(`SELECT 1 FROM sessions`)).rowCount).toBe(3);
      expect(await slackKeys()).toEqual(['23 hours ago', 'just now'].sort());
    });
  }, 60000);
});
