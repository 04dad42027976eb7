import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from './testing';

/*
 * The chase ledger's references are checked once per statement (migration 1796067000000) instead
 * of by per-row foreign keys. What the foreign keys guaranteed must still hold: no delivery or
 * nudge naming a row that does not exist, deletions cascading or unlinking as before, and a
 * channel deletion waiting for a transaction that is inserting deliveries to that channel.
 */

let db: TestDatabase;
let c: Client;
let teamId: string;
let channelId: string;

async function connect(): Promise<Client> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  return client;
}

async function newNudge(client: Client, team: string | null = teamId): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO nudges (subject_kind, subject_id, due_at, step, team_id) VALUES ('ACTION_ITEM', gen_random_uuid(), now(), 'DUE', $1) RETURNING id`,
    [team],
  );
  return rows[0].id;
}

function insertDelivery(client: Client, nudgeId: string, channel: string | null = channelId) {
  return client.query(`INSERT INTO deliveries (nudge_id, kind, channel_id, recipient) VALUES ($1, 'WEBHOOK', $2, 'hook') RETURNING id`, [nudgeId, channel]);
}

beforeAll(async () => {
  db = await createTestDatabase();
  c = await connect();
  teamId = (await c.query<{ id: string }>(`INSERT INTO teams (name, slug) VALUES ('Payments', 'payments') RETURNING id`)).rows[0].id;
  channelId = (
    await c.query<{ id: string }>(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('WEBHOOK', 'hook', 'https://example.test/h', repeat('s', 20), $1) RETURNING id`, [teamId])
  ).rows[0].id;
});

afterAll(async () => {
  await c.end();
  await db.drop();
});

describe('chase ledger references', () => {
  it('accepts a statement whose references all exist, and refuses one naming a missing nudge, channel or team (23503, whole statement)', async () => {
    const nudge = await newNudge(c);
    await expect(insertDelivery(c, nudge)).resolves.toMatchObject({ rowCount: 1 });

    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(insertDelivery(c, missing)).rejects.toMatchObject({ code: '23503', message: expect.stringContaining('deliveries_nudge_id_fkey') });
    await expect(insertDelivery(c, nudge, missing)).rejects.toMatchObject({ code: '23503', message: expect.stringContaining('deliveries_channel_id_fkey') });
    await expect(newNudge(c, missing)).rejects.toMatchObject({ code: '23503', message: expect.stringContaining('nudges_team_id_fkey') });

    // One bad row among good ones: nothing of the statement is kept.
    const before = (await c.query(`SELECT count(*)::int AS n FROM deliveries`)).rows[0].n as number;
    await expect(
      c.query(
        `INSERT INTO deliveries (nudge_id, kind, channel_id, recipient) SELECT n, 'WEBHOOK', $2, 'hook' FROM unnest($1::uuid[]) n`,
        [[nudge, missing, nudge], channelId],
      ),
    ).rejects.toMatchObject({ code: '23503' });
    expect((await c.query(`SELECT count(*)::int AS n FROM deliveries`)).rows[0].n).toBe(before);
    // Superseded steps name no team, deliveries of a digest no nudge: NULLs need nothing.
    await expect(newNudge(c, null)).resolves.toBeTruthy();
  });

  it('deleting a nudge deletes its deliveries; deleting a channel or a team unlinks what named it', async () => {
    const nudge = await newNudge(c);
    const delivery = (await insertDelivery(c, nudge)).rows[0].id as string;
    await c.query(`DELETE FROM nudges WHERE id = $1`, [nudge]);
    expect((await c.query(`SELECT 1 FROM deliveries WHERE id = $1`, [delivery])).rowCount).toBe(0);

    const team = (await c.query<{ id: string }>(`INSERT INTO teams (name, slug) VALUES ('Search', 'search') RETURNING id`)).rows[0].id;
    const channel = (await c.query<{ id: string }>(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('WEBHOOK', 'h2', 'https://example.test/2', repeat('s', 20), $1) RETURNING id`, [team])).rows[0].id;
    const kept = await newNudge(c, team);
    const sent = (await insertDelivery(c, kept, channel)).rows[0].id as string;
    await c.query(`DELETE FROM notification_channels WHERE id = $1`, [channel]);
    expect((await c.query(`SELECT channel_id FROM deliveries WHERE id = $1`, [sent])).rows[0].channel_id).toBeNull();
    await c.query(`DELETE FROM teams WHERE id = $1`, [team]);
    expect((await c.query(`SELECT team_id FROM nudges WHERE id = $1`, [kept])).rows[0].team_id).toBeNull();
  });

  it('a channel deletion waits for the transaction inserting deliveries to it, then unlinks them', async () => {
    const channel = (await c.query<{ id: string }>(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('WEBHOOK', 'h3', 'https://example.test/3', repeat('s', 20), $1) RETURNING id`, [teamId])).rows[0].id;
    const nudge = await newNudge(c);
    const sweep = await connect();
    const admin = await connect();
    try {
      await sweep.query('BEGIN');
      const delivery = (await insertDelivery(sweep, nudge, channel)).rows[0].id as string;
      let deleted = false;
      const deletion = admin.query(`DELETE FROM notification_channels WHERE id = $1`, [channel]).then(() => (deleted = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(deleted).toBe(false);
      await sweep.query('COMMIT');
      await deletion;
      expect((await c.query(`SELECT channel_id FROM deliveries WHERE id = $1`, [delivery])).rows[0].channel_id).toBeNull();
    } finally {
      await sweep.end();
      await admin.end();
    }
  });
});
