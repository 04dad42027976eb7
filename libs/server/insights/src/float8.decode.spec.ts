import { Client } from 'pg';
import { parseTimestamptz } from '@hindsight/server-db';
import { TEST_SERVER_URL } from '@hindsight/server-db/testing';
import { float8s, instantsMs } from './float8.decode';

let c: Client;
beforeAll(async () => {
  c = new Client({ connectionString: TEST_SERVER_URL });
  await c.connect();
});
afterAll(() => c.end());

it('reads float8send bytes as the values PostgreSQL sent, to the bit', async () => {
  const values = [0, -0.5, 1 / 3, 1e-300, 123456.789, Number.MAX_VALUE];
  const { rows } = await c.query<{ b: Buffer }>(`SELECT string_agg(float8send(v), ''::bytea ORDER BY k) AS b FROM unnest($1::float8[]) WITH ORDINALITY AS u(v, k)`, [values]);
  expect(Array.from(float8s(rows[0].b))).toEqual(values);
});

it('reads timestamptz_send bytes as the milliseconds the API reads those instants as, before 2000 too', async () => {
  const instants = ['2024-05-01T10:00:00.123456Z', '1999-12-31T23:59:59.999999Z', '1970-01-01T00:00:00Z', '2000-01-01T00:00:00.0005Z'];
  const { rows } = await c.query<{ b: Buffer; d: string[] }>(
    `SELECT string_agg(timestamptz_send(v), ''::bytea ORDER BY k) AS b, array_agg(v::text ORDER BY k) AS d FROM unnest($1::timestamptz[]) WITH ORDINALITY AS u(v, k)`,
    [instants],
  );
  expect(Array.from(instantsMs(rows[0].b))).toEqual(rows[0].d.map((d) => parseTimestamptz(d)?.getTime()));
  expect(Array.from(instantsMs(rows[0].b))).toEqual([Date.parse('2024-05-01T10:00:00.123Z'), Date.parse('1999-12-31T23:59:59.999Z'), 0, Date.parse('2000-01-01T00:00:00.000Z')]);
});
