import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../database-admin';
import { DECLARED_FUNCTIONS } from '../declared-functions';
import { migrateDatabase } from '../migrate';

/** The server the tests use; each test file gets its own database on it. */
export const TEST_SERVER_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** Named after the migrations' content and the declared functions', so a changed migration or function gets a fresh template. */
export function templateName(): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).sort()) hash.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  for (const f of DECLARED_FUNCTIONS) hash.update(f.sql);
  return `hindsight_tpl_${hash.digest('hex').slice(0, 12)}`;
}

const TEMPLATE_NOTE = 'hindsight test template, created at ';
const STALE_TEMPLATE_MS = 6 * 3600 * 1000;

/** `fn` with a connection to `url`, ended when it settles. */
export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs `fn` with a connection to the test server's maintenance database (CREATE and DROP DATABASE), closed after. */
export const asServerAdmin = <T>(fn: (c: Client) => Promise<T>): Promise<T> => withClient(TEST_SERVER_URL, fn);

/** Creates and migrates the template once (Jest globalSetup); concurrent runs wait on a lock. */
export async function prepareTemplate(): Promise<string> {
  const name = templateName();
  await asServerAdmin(async (c) => {
    await c.query('SELECT pg_advisory_lock(7212)');
    try {
      const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate', [name]);
      if (rowCount) return;
      await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      await migrateDatabase(withDatabase(TEST_SERVER_URL, name));
      await c.query(`ALTER DATABASE "${name}" WITH is_template true ALLOW_CONNECTIONS false`);
      await c.query(`COMMENT ON DATABASE "${name}" IS '${TEMPLATE_NOTE}${Date.now()}'`);
      // Templates of other migration contents: dropped only once stale, because another
      // checkout on this server (a branch, a CI clone) may be running its tests right now.
      const old = await c.query(
        `SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname LIKE 'hindsight\\_tpl\\_%' AND datname <> $1`,
        [name],
      );
      for (const { datname, note } of old.rows as { datname: string; note: string | null }[]) {
        const created = Number((note ?? '').replace(TEMPLATE_NOTE, ''));
        if (Number.isFinite(created) && created > 0 && Date.now() - created < STALE_TEMPLATE_MS) continue;
        await c.query(`ALTER DATABASE "${datname}" WITH is_template false`).catch(() => undefined);
        await c.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock(7212)');
    }
  });
  return name;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database cloned from the template: one per test file, dropped after. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = templateName();
  const name = `hindsight_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const create = () => asServerAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  await create().catch(async (error: { code?: string }) => {
    // 3D000: the template is missing (dropped by a cleanup elsewhere): rebuild it once.
    if (error.code !== '3D000') throw error;
    await prepareTemplate();
    await create();
  });
  return {
    name,
    url: withDatabase(TEST_SERVER_URL, name),
    drop: () => asServerAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
