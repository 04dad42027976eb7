import { Client } from 'pg';
import { INSIGHT_CELLS_BUILD, INSIGHT_CELLS_LOCK, type SqlFunction } from '@hindsight/server-insights-sql';
import { createDataSource } from './data-source';
import { assertMigrated } from './database.module';
import { DECLARED_FUNCTIONS, functionHash, pendingFunctions } from './declared-functions';
import { migrateDatabase } from './migrate';
import { createTestDatabase, Rows, TestDatabase } from './testing';

/*
 * A declared function is re-applied by the migrate runner when its file changes, with the
 * rebuild of the rows it writes when their definition changed, and left alone otherwise.
 */

let db: TestDatabase;
let c: Client;

/** pg_proc's row of a function: its body, and the transaction that last wrote the row (CREATE OR REPLACE rewrites it, even unchanged). */
const proc = async (signature: string): Promise<{ src: string; xmin: string }> =>
  (await c.query<{ src: string; xmin: string }>(`SELECT prosrc AS src, xmin::text FROM pg_proc WHERE oid = $1::regprocedure`, [signature])).rows[0];
const procs = async (): Promise<Map<string, string>> => new Map(await Promise.all(DECLARED_FUNCTIONS.map(async (f) => [f.signature, (await proc(f.signature)).xmin] as const)));
const recorded = async (signature: string): Promise<string> => (await c.query<{ hash: string }>(`SELECT hash FROM schema_functions WHERE signature = $1`, [signature])).rows[0].hash;
/** The registry with one function replaced, as if its file had been edited. */
const edited = (f: SqlFunction): SqlFunction[] => DECLARED_FUNCTIONS.map((g) => (g.signature === f.signature ? f : g));

beforeAll(async () => {
  db = await createTestDatabase();
  c = new Client({ connectionString: db.url });
  await c.connect();
  // Two incidents on one day: their cell has a repeat count of 1.
  const rows = new Rows(c);
  const service = await rows.service({ team_id: await rows.team({ name: 'T' }), name: 's' });
  for (const [title, started_at] of [['a', '2024-05-01T08:00Z'], ['b', '2024-05-01T09:00Z']]) {
    const { id } = await rows.incident({ title, status: 'INVESTIGATING', started_at });
    await rows.insert('incident_services', { incident_id: id, service_id: service }, '*');
  }
  await c.query(`INSERT INTO contributing_factors (incident_id, category, description, is_trigger) SELECT id, 'CAPACITY', 'f', false FROM incidents`);
});

afterAll(async () => {
  await c.end();
  await db.drop();
});

it('records every declared function when the database is migrated, and migrating again touches none', async () => {
  for (const f of DECLARED_FUNCTIONS) expect(await recorded(f.signature)).toBe(functionHash(f));
  const before = await procs();
  expect(await migrateDatabase(db.url)).toEqual({ created: false, applied: [], functions: [], rebuilt: [] });
  expect(await procs()).toEqual(before);
});

it('re-applies a function whose file changed, and only that one; a change that keeps what it writes rebuilds nothing', async () => {
  const lock: SqlFunction = { ...INSIGHT_CELLS_LOCK, sql: INSIGHT_CELLS_LOCK.sql.replace('$fn$\n', '$fn$\n  -- edited\n') };
  expect(lock.sql).not.toBe(INSIGHT_CELLS_LOCK.sql);
  expect((await pendingFunctions((sql, p) => c.query(sql, p).then((r) => r.rows), edited(lock))).map((f) => f.signature)).toEqual([lock.signature]);
  const before = await procs();

  expect(await migrateDatabase(db.url, edited(lock))).toEqual({ created: false, applied: [], functions: [lock.signature], rebuilt: [] });
  expect((await proc(lock.signature)).src).toContain('-- edited');
  expect(await recorded(lock.signature)).toBe(functionHash(lock));
  const after = await procs();
  for (const f of DECLARED_FUNCTIONS) {
    if (f.signature === lock.signature) expect(after.get(f.signature)).not.toBe(before.get(f.signature));
    else expect({ [f.signature]: after.get(f.signature) }).toEqual({ [f.signature]: before.get(f.signature) });
  }

  // Back as declared: re-applied once more, then nothing is pending.
  expect((await migrateDatabase(db.url)).functions).toEqual([lock.signature]);
  expect(await pendingFunctions((sql, p) => c.query(sql, p).then((r) => r.rows))).toEqual([]);
});

it('rebuilds the rows a function writes when their definition changed, and again when it changes back', async () => {
  const repeats = async () => (await c.query<{ repeats: number }>(`SELECT sum(repeats)::int AS repeats FROM incident_fact_cells`)).rows[0].repeats;
  expect(await repeats()).toBe(1);
  // A cell that no longer counts repeats: the stored cells follow at once.
  const sql = INSIGHT_CELLS_BUILD.sql.replace('count(*) FILTER (WHERE f.is_repeat)::int', '0::int');
  expect(sql).not.toBe(INSIGHT_CELLS_BUILD.sql);
  const build: SqlFunction = { ...INSIGHT_CELLS_BUILD, sql, rebuild: { ...INSIGHT_CELLS_BUILD.rebuild!, definition: sql } };

  expect(await migrateDatabase(db.url, edited(build))).toEqual({ created: false, applied: [], functions: [build.signature], rebuilt: ['incident_fact_cells'] });
  expect(await repeats()).toBe(0);
  expect(await migrateDatabase(db.url)).toEqual({ created: false, applied: [], functions: [build.signature], rebuilt: ['incident_fact_cells'] });
  expect(await repeats()).toBe(1);
});

it('keeps the API from starting on a database whose functions the code declares differently, naming the command to run', async () => {
  const [f] = DECLARED_FUNCTIONS;
  await c.query(`UPDATE schema_functions SET hash = 'stale' WHERE signature = $1`, [f.signature]);
  const ds = createDataSource({ url: db.url, poolSize: 1 });
  await ds.initialize();
  await expect(assertMigrated(ds, db.url)).rejects.toThrow(/has 1 database function\(s\) to update \(insight_facts_flag_repeats\(uuid\[\]\)…\): run `npm run db:migrate`/);
  expect(ds.isInitialized).toBe(false);
  expect((await migrateDatabase(db.url)).functions).toEqual([f.signature]);
  const again = createDataSource({ url: db.url, poolSize: 1 });
  await again.initialize();
  await assertMigrated(again, db.url);
  await again.destroy();
});
