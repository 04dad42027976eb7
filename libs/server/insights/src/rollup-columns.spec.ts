import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import { CELL_COLUMNS, FACT_COLUMNS } from '@hindsight/server-insights-sql';

/* The rollups' columns as the declared model lists them are the tables' own, in table order (insight_cells_build returns rows of the cells' table). */

let db: TestDatabase;
let c: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  c = new Client({ connectionString: db.url });
  await c.connect();
});

afterAll(async () => {
  await c.end();
  await db.drop();
});

const columnsOf = async (table: string): Promise<string[]> =>
  (await c.query<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table])).rows.map((r) => r.name);

it('lists incident_facts, incident_fact_teams and incident_fact_cells as they are', async () => {
  expect(await columnsOf('incident_facts')).toEqual(FACT_COLUMNS);
  expect(await columnsOf('incident_fact_teams')).toEqual(['team_id', ...FACT_COLUMNS]);
  expect(await columnsOf('incident_fact_cells')).toEqual(CELL_COLUMNS);
});
