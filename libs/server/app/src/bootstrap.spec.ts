import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, freePort, scaled, serverArgs, TestDatabase } from '@hindsight/server-db/testing';

/*
 * The first ADMIN comes from HINDSIGHT_ADMIN_EMAIL / HINDSIGHT_ADMIN_PASSWORD when no user
 * exists, exactly once even when two API processes start together on an empty database.
 */

const ROOT = join(__dirname, '..', '..', '..', '..');
const ADMIN = { email: 'first-admin@bootstrap.test', password: 'bootstrap-password-1' };

interface ApiProcess { child: ChildProcess; port: number; output: () => string; exited: Promise<number | null> }

function startApiProcess(port: number, databaseUrl: string): ApiProcess {
  const child = spawn(process.execPath, serverArgs('apps/api/src/main.ts'), {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'test',
      HINDSIGHT_PROCESS: 'api',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      JWT_SECRET: 'bootstrap-test-secret-0123456789-abcdef',
      HINDSIGHT_ADMIN_EMAIL: ADMIN.email,
      HINDSIGHT_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, port, output: () => out, exited };
}

async function waitReady(api: ApiProcess, ms = 45000): Promise<Record<string, unknown>> {
  const end = Date.now() + scaled(ms);
  for (;;) {
    if (api.child.exitCode !== null) throw new Error(`API on port ${api.port} exited with ${api.child.exitCode}:\n${api.output()}`);
    const res = await fetch(`http://127.0.0.1:${api.port}/health/ready`).catch(() => null);
    if (res?.status === 200) return (await res.json()) as Record<string, unknown>;
    if (Date.now() > end) throw new Error(`API on port ${api.port} not ready in time:\n${api.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('first-admin bootstrap', () => {
  let db: TestDatabase;
  let pg: Client;
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    for (const api of apis) if (api.child.exitCode === null) api.child.kill('SIGKILL');
    await pg.end();
    await db.drop();
  });

  it('creates exactly one ADMIN and one audit entry when two API processes start together', async () => {
    expect((await pg.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(0);
    const [portA, portB] = [await freePort(), await freePort()];
    apis.push(startApiProcess(portA, db.url), startApiProcess(portB, db.url));

    const readiness = await Promise.all(apis.map((api) => waitReady(api)));
    for (const r of readiness) expect(r).toMatchObject({ status: 'ok', checks: { postgres: { status: 'up' }, redis: { status: 'up' } } });

    const users = await pg.query('SELECT email, role, active FROM users');
    expect(users.rows).toEqual([{ email: ADMIN.email, role: 'ADMIN', active: true }]);
    const audit = await pg.query('SELECT action, actor_id, entity_type, after FROM audit_log');
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ action: 'user.bootstrap-admin', actor_id: null, entity_type: 'User', after: { email: ADMIN.email, role: 'ADMIN' } });
    // Exactly one of the two processes says it created the administrator.
    const creators = apis.filter((api) => api.output().includes('created the first administrator'));
    expect(creators).toHaveLength(1);

    // Either process signs the bootstrapped admin in.
    for (const api of apis) {
      const res = await fetch(`http://127.0.0.1:${api.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { email role } } }', variables: { e: ADMIN.email, p: ADMIN.password } }),
      });
      expect(await res.json()).toEqual({ data: { login: { user: { email: ADMIN.email, role: 'ADMIN' } } } });
    }

    for (const api of apis) api.child.kill('SIGTERM');
    await Promise.all(apis.map((api) => api.exited));
    for (const api of apis) expect(api.child.exitCode !== null || api.child.signalCode !== null).toBe(true);
  }, 60000);

  it('does nothing on a later start when users exist', async () => {
    const api = startApiProcess(await freePort(), db.url);
    apis.push(api);
    await waitReady(api);
    expect((await pg.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(1);
    expect((await pg.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(1);
    expect(api.output()).not.toContain('created the first administrator');
    api.child.kill('SIGTERM');
    await api.exited;
  }, 60000);
});
