import type { Pool, PoolClient } from 'pg';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { createTestDatabase, TestDatabase } from './testing';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = await createDataSource({ url: db.url, poolSize: 2, applicationName: 'hindsight-ds-spec' }).initialize();
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

it('survives a checked-out connection killed between queries, and the pool serves the next query on a new one', async () => {
  const pool = (ds.driver as unknown as { master: Pool }).master;
  // Checked out and idle: neither the pool's idle listener nor a query is there to take the error.
  const held: PoolClient = await pool.connect();
  const pid = (await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  try {
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    expect((await admin.query('SELECT pg_terminate_backend($1) AS ok', [pid])).rows[0].ok).toBe(true);
    await admin.end();
    // Let the FATAL message and the socket's end reach the client.
    await new Promise((r) => setTimeout(r, 300));
    expect(uncaught).toEqual([]);
    await expect(held.query('SELECT 1')).rejects.toThrow();
  } finally {
    process.off('uncaughtException', onUncaught);
    held.release(true);
  }
  expect(await ds.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
});
