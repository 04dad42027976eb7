import { Client } from 'pg';
import { Scenario } from '@hindsight/server-testing';
import { ApiHarness, startApi, StartApiOptions } from './api-harness';

/** The API and what most API specs set up before their first test. */
export interface ApiWorld {
  api: ApiHarness;
  /** A connection to the API's database: rows the API will not make, and what it wrote. */
  db: Client;
  /** The bootstrapped ADMIN's session token. */
  admin: string;
  /** Builds the world as that ADMIN. */
  world: Scenario;
  /** How many rows `table` holds now. */
  count(table: string): Promise<number>;
  /** Closes the connection, the API and its database. */
  close(): Promise<void>;
}

/**
 * `startApi`, a connection to its database and the ADMIN's builder, in one call: one per test
 * file, closed in afterAll.
 *
 *   let t: ApiWorld;
 *   beforeAll(async () => { t = await startApiWorld(); });
 *   afterAll(() => t?.close());
 */
export async function startApiWorld(env: Record<string, string> = {}, options: StartApiOptions = {}): Promise<ApiWorld> {
  const api = await startApi(env, options);
  const db = new Client({ connectionString: api.db.url });
  try {
    await db.connect();
    const admin = await api.login();
    return {
      api,
      db,
      admin,
      world: new Scenario(api, admin),
      count: async (table) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n,
      close: async () => {
        await db.end();
        await api.close();
      },
    };
  } catch (error) {
    await db.end().catch(() => undefined);
    await api.close();
    throw error;
  }
}
