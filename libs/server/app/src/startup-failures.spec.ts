import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, scaled, serverArgs, TEST_SERVER_URL, TestDatabase } from '@hindsight/server-db/testing';

/*
 * What an operator sees when the API or the worker cannot start: the real processes
 * (apps/*\/src/main.ts), each failure one line on stderr naming the setting to change, a
 * non-zero exit within seconds, no stack trace and no password.
 */

// Each case starts a real process that loads the app (compiling it on the fly outside
// `npm test`): seconds, more when busy.
jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..', '..');
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

interface Outcome { code: number | null; stderr: string; stdout: string; ms: number }

function run(app: 'api' | 'worker', env: Record<string, string>): Promise<Outcome> {
  const started = Date.now();
  const child = spawn(process.execPath, serverArgs(`apps/${app}/src/main.ts`), {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test', LOG_LEVEL: 'info', LOG_FORMAT: 'json', JWT_SECRET: 's'.repeat(40), REDIS_URL, QUEUE_PREFIX: 'hs-startup-test', WORKER_HEALTH_PORT: '0', PORT: String(20000 + Math.floor(Math.random() * 20000)), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), scaled(50_000));
  return new Promise((resolve) => child.on('exit', (code) => {
    clearTimeout(killer);
    resolve({ code, stdout, stderr, ms: Date.now() - started });
  }));
}

/** The one line the process printed, after Node's own warnings (none expected, but harmless). */
function failureLines(o: Outcome): string[] {
  return o.stderr.split('\n').filter((l) => l.trim() !== '' && !/^\(node:\d+\)|--trace-warnings/.test(l));
}

/**
 * How long each process takes to load its code and refuse a bad setting before touching anything
 * (measured in this run: seconds more on a busy machine, or when compiling on the fly).
 */
const loading: Record<'api' | 'worker', number> = { api: 0, worker: 0 };

function expectOneLine(o: Outcome, processName: string, pattern: RegExp): void {
  expect(o.code).toBe(1);
  const lines = failureLines(o);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${processName} cannot start: `));
  expect(lines[0]).toMatch(pattern);
  expect(o.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(o.stdout).not.toMatch(/"level":50/); // and no second, JSON copy of the error
  // It gives up within seconds of loading, rather than retrying for minutes.
  expect(o.ms).toBeLessThan(loading[processName === 'hindsight-api' ? 'api' : 'worker'] + scaled(10_000));
}

let db: TestDatabase;
let taken: Server;
let takenPort: number;

beforeAll(async () => {
  db = await createTestDatabase();
  taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '0.0.0.0', r));
  takenPort = (taken.address() as { port: number }).port;
  for (const app of ['api', 'worker'] as const) {
    const o = await run(app, { DATABASE_URL: 'localhost/hindsight' });
    expect(o.code).toBe(1);
    loading[app] = o.ms;
  }
}, 120_000);
afterAll(async () => {
  await new Promise((r) => taken.close(r));
  await db.drop();
});

describe.each(['api', 'worker'] as const)('the %s', (app) => {
  const name = `hindsight-${app}`;

  it('names DATABASE_URL, with the password masked, when PostgreSQL does not answer', async () => {
    const o = await run(app, { DATABASE_URL: 'postgres://postgres:hunter2-secret@127.0.0.1:1/hindsight' });
    expectOneLine(o, name, /cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/hindsight \(ECONNREFUSED\).*DATABASE_URL/);
    expect(o.stderr + o.stdout).not.toContain('hunter2-secret');
  });

  it('names DATABASE_URL when it is not a URL', async () => {
    expectOneLine(await run(app, { DATABASE_URL: 'localhost/hindsight' }), name, /DATABASE_URL is not a valid URL/);
  });

  it('says to run the migrations when the database has pending ones', async () => {
    const empty = `hindsight_t_empty_${process.pid}_${app}`;
    const admin = new Client({ connectionString: TEST_SERVER_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${empty}"`);
    try {
      const url = new URL(TEST_SERVER_URL);
      url.pathname = `/${empty}`;
      expectOneLine(await run(app, { DATABASE_URL: url.toString() }), name, /pending migrations: run `npm run db:migrate`/);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${empty}" WITH (FORCE)`);
      await admin.end();
    }
  });
});

it('the API names PORT when its port is taken', async () => {
  expectOneLine(await run('api', { DATABASE_URL: db.url, PORT: String(takenPort), HOST: '0.0.0.0' }), 'hindsight-api', new RegExp(`PORT=${takenPort} is already in use.*set PORT to a free port`));
});

it('a second worker on the same host names WORKER_HEALTH_PORT and the way to run several', async () => {
  expectOneLine(await run('worker', { DATABASE_URL: db.url, WORKER_HEALTH_PORT: String(takenPort) }), 'hindsight-worker', new RegExp(`WORKER_HEALTH_PORT=${takenPort} is already in use.*WORKER_HEALTH_PORT=0 picks a free port`));
});

it('the worker names REDIS_URL, with the password masked, when Redis does not answer', async () => {
  const o = await run('worker', { DATABASE_URL: db.url, REDIS_URL: 'redis://:redis-secret@127.0.0.1:1' });
  expectOneLine(o, 'hindsight-worker', /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 \(ECONNREFUSED\).*REDIS_URL/);
  expect(o.stderr + o.stdout).not.toContain('redis-secret');
});
