import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { SIGN_IN_LIMITS } from '@hindsight/domain';
import { createTestDatabase, scaled, serverArgs, TestDatabase } from '@hindsight/server-db/testing';
import { MaintenanceJob, QueueName } from '@hindsight/server-queue';

/*
 * SIGTERM while a job runs: the worker stops taking jobs, lets the active one finish, then
 * exits 0. The job is the real login-attempts pruning; the test holds a lock on its table
 * so the job is provably mid-flight when the signal arrives.
 */

const ROOT = join(__dirname, '..', '..', '..', '..');
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20000): Promise<T> {
  const end = Date.now() + scaled(ms);
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${scaled(ms)} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('worker shutdown', () => {
  let db: TestDatabase;
  let redis: IORedis;
  let locker: Client;
  let child: ChildProcess | null = null;
  const prefix = `hs-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new IORedis(REDIS_URL);
    locker = new Client({ connectionString: db.url });
    await locker.connect();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await locker.end().catch(() => undefined);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.drop();
  });

  it('SIGTERM during a job lets it finish, then the process exits 0', async () => {
    const window = SIGN_IN_LIMITS.windowSeconds;
    await locker.query(
      `INSERT INTO login_attempts (key, window_start, failures) VALUES
         ('email:old@example.com', now() - make_interval(secs => $1 + 60), 3),
         ('ip:203.0.113.9', now() - make_interval(secs => $1 * 4), 50),
         ('email:recent@example.com', now() - interval '1 minute', 2)`,
      [window],
    );

    child = spawn(process.execPath, serverArgs('apps/worker/src/main.ts'), {
      cwd: ROOT,
      env: {
        ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test', LOG_LEVEL: 'info', WORKER_HEALTH_PORT: '0', JWT_SECRET: 'w'.repeat(40),
        DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix, CHASE_INTERVAL_SECONDS: '3600',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const port = Number((await until('worker started', async () => (child!.exitCode === null ? /health and metrics on port (\d+)/.exec(out)?.[1] : Promise.reject(new Error(out))), 30000)));

    const queue = new Queue(QueueName.Maintenance, { connection: redis, prefix });
    try {
      // Hold the table so the job blocks inside its DELETE.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE login_attempts IN ACCESS EXCLUSIVE MODE');
      await queue.add(MaintenanceJob.PruneLoginAttempts, { scheduledBy: 'operator' });

      // The job is active and its statement waits on our lock (whichever prune job the worker took).
      const active = await until('a prune job active', async () => (await queue.getActive()).find((j) => j.name === MaintenanceJob.PruneLoginAttempts), 60000);
      // Asked of pg_locks rather than of pg_stat_activity's query text, which a backend still
      // parsing its statement may not show yet.
      await until('the prune waiting on the lock', async () => {
        const { rows } = await locker.query(
          `SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE c.relname = 'login_attempts' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND NOT l.granted`,
        );
        return rows.length > 0;
      }, 60000).catch(async (e: Error) => {
        const activity = await locker.query(`SELECT pid, application_name, state, wait_event_type, wait_event, left(query, 120) AS query FROM pg_stat_activity WHERE datname = current_database()`);
        throw new Error(`${e.message}; backends: ${JSON.stringify(activity.rows)}; worker output:\n${out.slice(-4000)}`);
      });

      child.kill('SIGTERM');
      // Shutting down, not gone: it reports so on its health endpoint and keeps the job.
      const live = await until('shutting down reported', async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null);
        return res?.status === 503 ? res.json() : null;
      });
      expect(live).toEqual({ status: 'shutting-down' });
      await new Promise((r) => setTimeout(r, 500));
      expect(child.exitCode).toBeNull();
      expect(await Job.fromId(queue, active.id!).then((j) => j?.getState())).toBe('active');

      await locker.query('COMMIT');
      expect(await exited).toBe(0);

      expect(await Job.fromId(queue, active.id!).then((j) => j?.getState())).toBe('completed');
      const { rows } = await locker.query<{ key: string }>('SELECT key FROM login_attempts ORDER BY key');
      expect(rows.map((r) => r.key)).toEqual(['email:recent@example.com']);
      expect(out).toContain('shutting down: finishing active jobs');
      expect(out).toContain('worker stopped');
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await queue.close();
    }
  }, 180000);
});
