import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApiApp } from '@hindsight/server-app';
import { loadConfig } from '@hindsight/server-config';
import { createDataSource, migrateDatabase, MIGRATIONS, withDatabase } from '@hindsight/server-db';
import { TEST_SERVER_URL } from '@hindsight/server-db/testing';
import { EmailConflicts, PasswordHasher } from '@hindsight/server-identity';

/*
 * The migration to one spelling per address (IdentityHardening1796100000000) on a database
 * whose addresses collide once normalised: each is reported at API start, naming both
 * accounts; none is merged; the account already spelled normally keeps signing in; and once
 * an ADMIN gives one of them another address, the other takes the normalised spelling.
 */

const NAME = `hindsight_norm_${process.pid}_${randomBytes(4).toString('hex')}`;
const URL = withDatabase(TEST_SERVER_URL, NAME);
const MINE = MIGRATIONS.findIndex((m) => m.name === 'IdentityHardening1796100000000');
const PASSWORD = 'pre-migration-pass';

let pg: Client;
let app: NestFastifyApplication;
let url: string;
const warnings: string[] = [];
const ids: Record<string, string> = {};

async function migrate(upTo: number): Promise<void> {
  const ds = createDataSource({ url: URL, poolSize: 1 });
  ds.setOptions({ migrations: MIGRATIONS.slice(0, upTo) });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ data: T | null; errors?: { extensions: Record<string, unknown> }[] }> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data: T | null; errors?: { extensions: Record<string, unknown> }[] };
}
const login = async (email: string) => (await gql<{ login: { token: string } }>(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: email, p: PASSWORD })).data?.login.token ?? null;
const emailOf = async (id: string) => (await pg.query<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [id])).rows[0]?.email;

beforeAll(async () => {
  const admin = new Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${NAME}"`);
  await admin.end();
  expect(MINE).toBeGreaterThan(0);
  await migrate(MINE);
  pg = new Client({ connectionString: URL });
  await pg.connect();
  const hash = await new PasswordHasher().hash(PASSWORD);
  const accounts: [string, string, string][] = [
    ['root', 'root@example.com', 'ADMIN'],
    ['alice', 'alice@example.com', 'COMMANDER'],
    ['aliceWide', 'ａｌｉｃｅ@example.com', 'VIEWER'],
    ['bob', 'Bob@Example.COM', 'VIEWER'],
    ['hans', 'hans@BÜCHER.example', 'VIEWER'],
    ['carolWide', 'ＣＡＲＯＬ@example.com', 'VIEWER'],
    ['carol', 'Carol@Example.com', 'MANAGER'],
  ];
  for (const [key, email, role] of accounts) {
    const { rows } = await pg.query<{ id: string }>(`INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`, [email, key, role, hash]);
    ids[key] = rows[0].id;
  }
  // The rest, and the declared database functions, as `npm run db:migrate` applies them.
  await migrateDatabase(URL);

  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (this: Logger, message: unknown) {
    warnings.push(String(message));
  });
  const config = loadConfig(
    { NODE_ENV: 'test', DATABASE_URL: URL, REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', LOG_LEVEL: 'silent', JWT_SECRET: 'test-secret-test-secret-test-secret-0123' },
    join(mkdtempSync(join(tmpdir(), 'hs-secret-')), 'jwt'),
  );
  app = await createApiApp(config, { webRoot: null });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  warn.mockRestore();
});
afterAll(async () => {
  await app?.close();
  await pg?.end();
  const admin = new Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`);
  await admin.end();
});

it('normalises every address that collides with none, and merges none of those that do', async () => {
  expect(await emailOf(ids['bob'])).toBe('bob@example.com');
  expect(await emailOf(ids['hans'])).toBe('hans@xn--bcher-kva.example');
  expect(await emailOf(ids['alice'])).toBe('alice@example.com');
  expect(await emailOf(ids['aliceWide'])).toBe('ａｌｉｃｅ@example.com');
  expect(await emailOf(ids['carolWide'])).toBe('ＣＡＲＯＬ@example.com');
  expect(await emailOf(ids['carol'])).toBe('Carol@Example.com');
  expect((await pg.query(`SELECT count(*)::int AS n FROM users`)).rows[0].n).toBe(7);
});

it('reports each collision at API start, naming both accounts and what to do', () => {
  const reports = warnings.filter((w) => w.includes('share the address'));
  expect(reports).toHaveLength(2);
  const [alice, carol] = reports;
  expect(alice).toMatch(/2 accounts share the address alice@example\.com/);
  expect(alice).toContain(`alice <alice@example.com> (id ${ids['alice']}, COMMANDER)`);
  expect(alice).toContain(`aliceWide <ａｌｉｃｅ@example.com> (id ${ids['aliceWide']}, VIEWER)`);
  expect(carol).toContain(ids['carolWide']);
  expect(carol).toContain(ids['carol']);
  expect(alice).toMatch(/not merged.*give each account but one another address/s);
});

it('the account already spelled normally still signs in; a new account cannot take a contested address', async () => {
  expect(await login('Alice@Example.com')).toEqual(expect.any(String));
  expect(await login('bob@EXAMPLE.com')).toEqual(expect.any(String));
  const root = (await login('root@example.com')) as string;
  const taken = await gql(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email: 'carol@example.com', name: 'New Carol', role: 'VIEWER', password: 'a-brand-new-password' } }, root);
  expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
});

it("once an ADMIN gives one account another address, the collision is settled and the other takes the normalised spelling", async () => {
  const root = (await login('root@example.com')) as string;
  const update = `mutation($id: ID!, $e: String) { updateUser(id: $id, input: { email: $e }) { id email } }`;
  expect((await gql(update, { id: ids['aliceWide'], e: 'alice.viewer@example.com' }, root)).errors).toBeUndefined();
  expect((await gql(update, { id: ids['carolWide'], e: 'carol.viewer@example.com' }, root)).errors).toBeUndefined();
  expect(await emailOf(ids['carol'])).toBe('carol@example.com');
  expect(await login('carol@example.com')).toEqual(expect.any(String));
  expect(await app.get(EmailConflicts).report()).toEqual([]);
  expect((await pg.query(`SELECT count(*)::int AS n FROM user_email_conflicts`)).rows[0].n).toBe(0);
});
