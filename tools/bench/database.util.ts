import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, PoolClient } from 'pg';
import { createApiApp } from '@hindsight/server-app';
import { loadConfig } from '@hindsight/server-config';
import { migrateDatabase, withDatabase } from '@hindsight/server-db';
import { asServerAdmin, prepareTemplate, TEST_SERVER_URL } from '@hindsight/server-db/testing';

/**
 * A benchmark's own database on the test server, made from the migrated test template. A kept
 * one (BENCH_KEEP=1 on an earlier run) is reused: true then, its seed is there. `fresh` drops
 * it first.
 */
export async function benchDatabase(name: string, fresh: boolean): Promise<boolean> {
  const template = await prepareTemplate();
  return asServerAdmin(async (c) => {
    if (fresh) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    if ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) return true;
    await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    return false;
  });
}

export async function dropBenchDatabase(name: string): Promise<void> {
  await asServerAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export type SeedStep = (label: string, sql: string, params?: unknown[]) => Promise<void>;

/**
 * Runs `seed` on one connection of the pool, with a step that prints each statement's rows and
 * seconds; a failure rolls back the transaction it left open.
 */
export async function seedWith(pool: Pool, seed: (client: PoolClient, step: SeedStep) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await seed(client, seedStep(client));
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** A seeding statement on `client` that prints how many rows it wrote and how long it took. */
export function seedStep(client: PoolClient): SeedStep {
  return async (label, sql, params = []) => {
    const t = performance.now();
    const res = await client.query(sql, params);
    console.log(`  ${label}: ${res.rowCount ?? 0} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
}

const ADMIN = { email: 'bench@bench.local', password: 'bench-password-1' };

/** The API in this process on a benchmark's own database (benchDatabase), listening on a free port. */
export interface BenchApi {
  /** A kept database was reused: its seed is there. */
  reused: boolean;
  /** Two connections to the database, for seeding and for timing the bare SQL. */
  pool: Pool;
  app: Awaited<ReturnType<typeof createApiApp>>;
  /** One GraphQL request; an answer with errors throws. */
  gql(query: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, unknown>>;
  /** Signs in as the benchmark's admin and returns the token. */
  login(): Promise<string>;
  /** Ends the API and the pool; drops the database unless `keep`. */
  close(): Promise<void>;
}

export async function startBenchApi(name: string, options: { fresh: boolean; keep: boolean }): Promise<BenchApi> {
  const reused = await benchDatabase(name, options.fresh);
  const url = withDatabase(TEST_SERVER_URL, name);
  // A kept database may predate newer migrations: apply them (their backfills run once).
  if (reused) {
    const t = performance.now();
    const { applied } = await migrateDatabase(url);
    if (applied.length) console.log(`migrated ${name}: ${applied.join(', ')} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const config = loadConfig(
    {
      NODE_ENV: 'production', DATABASE_URL: url, REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      HINDSIGHT_ADMIN_EMAIL: ADMIN.email, HINDSIGHT_ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'silent', JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    },
    join(mkdtempSync(join(tmpdir(), 'hs-bench-')), 'jwt'),
  );
  const pool = new Pool({ connectionString: url, max: 2 });
  const app = await createApiApp(config, { webRoot: null });
  const close = async () => {
    await app.close();
    await pool.end();
    if (!options.keep) await dropBenchDatabase(name);
  };
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (e) {
    await close();
    throw e;
  }
  const address = app.getHttpServer().address();
  const apiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  const gql = async (query: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, unknown>> => {
    const res = await fetch(apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
    if (!body.data || body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const login = async () => ((await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password }))['login'] as { token: string }).token;
  return { reused, pool, app, gql, login, close };
}
