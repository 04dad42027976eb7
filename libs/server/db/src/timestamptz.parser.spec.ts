import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from './testing';
import { installTimestamptzParser, parseTimestamptz } from './timestamptz.parser';

// What pg read before (postgres-date), the reference for every value the fast path takes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const reference = require('postgres-date') as (s: string) => Date | number | null;

describe('parseTimestamptz', () => {
  it.each([
    '2026-11-30 18:31:21.123456+00',
    '2026-11-30 18:31:21+00',
    '2026-11-30 18:31:21.1+00',
    '2026-11-30 18:31:21.12+00',
    '2026-11-30 18:31:21.123+00',
    '2024-02-29 23:59:59.999999+05:30',
    '2024-01-01 00:00:00-03',
    '1999-12-31 23:30:00.5-09:30',
    '9999-12-31 23:59:59+14',
  ])('reads %s as the default parser does', (s) => {
    expect(parseTimestamptz(s)?.toISOString()).toBe((reference(s) as Date).toISOString());
  });

  it('is exact where the default rounds through floating point', () => {
    expect(parseTimestamptz('2026-01-01 00:00:00.289+00')?.getUTCMilliseconds()).toBe(289);
  });

  it.each(['infinity', '-infinity', '0044-03-15 12:00:00+00 BC', '12026-01-01 00:00:00+00', '0099-01-01 00:00:00+00', '1900-01-01 00:00:00+00:19:32', '2026-11-30T18:31:21Z', '2026-11-30 18:31:21.+00', ''])(
    'leaves %s to the default parser',
    (s) => {
      expect(parseTimestamptz(s)).toBeNull();
    },
  );
});

describe('installed for pg', () => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    installTimestamptzParser();
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('reads what Postgres writes, in any session time zone, and still reads infinity', async () => {
    for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns']) {
      await client.query(`SET TIME ZONE '${zone}'`);
      const { rows } = await client.query<{ t: Date; i: unknown }>(`SELECT '2026-03-08 06:30:00.123456+00'::timestamptz AS t, 'infinity'::timestamptz AS i`);
      expect(rows[0].t.toISOString()).toBe('2026-03-08T06:30:00.123Z');
      expect(rows[0].i).toBe(Infinity);
    }
  });
});
