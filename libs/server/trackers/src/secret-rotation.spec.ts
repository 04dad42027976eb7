import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@hindsight/server-db';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import { SecretBox } from '@hindsight/server-common';
import { rotateTrackerSecrets } from './secret-rotation';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = await createDataSource({ url: db.url, poolSize: 2, applicationName: 'hindsight-rotation-spec' }).initialize();
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

it('re-encrypts every token and secret with the new key, once, and audits it', async () => {
  const oldKey = randomBytes(32).toString('base64');
  const old = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: oldKey });
  await ds.query(
    `INSERT INTO tracker_connections (kind, name, base_url, project, token_enc, webhook_secret_enc)
     VALUES ('GITHUB', 'a', 'https://api.github.com', 'acme/api', $1, $2), ('GITLAB', 'b', 'https://gitlab.example.com', 'acme/api', $3, NULL)`,
    [old.encrypt('token-a'), old.encrypt('secret-a-0123456789'), old.encrypt('token-b')],
  );
  const newKey = randomBytes(32).toString('base64');
  const rotated = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: newKey, HINDSIGHT_ENCRYPTION_KEY_PREVIOUS: oldKey });
  expect(await rotateTrackerSecrets(ds, rotated)).toEqual({ reencrypted: 2, total: 2 });
  expect(await rotateTrackerSecrets(ds, rotated)).toEqual({ reencrypted: 0, total: 2 });

  const rows: { name: string; token_enc: string; webhook_secret_enc: string | null }[] = await ds.query(`SELECT name, token_enc, webhook_secret_enc FROM tracker_connections ORDER BY name`);
  expect(rows.map((r) => SecretBox.keyIdOf(r.token_enc))).toEqual([rotated.currentKeyId, rotated.currentKeyId]);
  // Once rotated, the old key can go: the new one alone reads every row.
  const newOnly = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: newKey });
  expect(newOnly.decrypt(rows[0].token_enc)).toBe('token-a');
  expect(newOnly.decrypt(rows[0].webhook_secret_enc ?? '')).toBe('secret-a-0123456789');
  expect(newOnly.decrypt(rows[1].token_enc)).toBe('token-b');
  expect(rows[1].webhook_secret_enc).toBeNull();
  const audit = await ds.query(`SELECT after FROM audit_log WHERE action = 'tracker-secrets.rotate' ORDER BY id`);
  expect(audit.map((a: { after: { reencrypted: number } }) => a.after.reencrypted)).toEqual([2, 0]);
});
