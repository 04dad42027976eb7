import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@hindsight/server-db';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import { SecretBox } from '@hindsight/server-common';
import { rotateSlackSecrets } from './slack-secret-rotation';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = await createDataSource({ url: db.url, poolSize: 2, applicationName: 'hindsight-slack-rotation-spec' }).initialize();
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

it("re-seals the Slack app's stored credentials with the new key, once, and audits it", async () => {
  const key = () => randomBytes(32).toString('base64');
  expect(await rotateSlackSecrets(ds, SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: key() }))).toEqual({ reencrypted: 0, total: 0 });

  const oldKey = key();
  const old = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: oldKey });
  await ds.query(`INSERT INTO slack_settings (id, bot_token, signing_secret, updated_at) VALUES (true, $1, $2, '2026-01-02T03:04:05Z')`, [old.encrypt('xoxb-stored-token'), old.encrypt('s'.repeat(32))]);
  const newKey = key();
  const rotated = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: newKey, HINDSIGHT_ENCRYPTION_KEY_PREVIOUS: oldKey });
  expect(await rotateSlackSecrets(ds, rotated)).toEqual({ reencrypted: 1, total: 1 });
  expect(await rotateSlackSecrets(ds, rotated)).toEqual({ reencrypted: 0, total: 1 });

  const [row] = await ds.query(`SELECT bot_token, signing_secret, updated_at FROM slack_settings`);
  expect([SecretBox.keyIdOf(row.bot_token), SecretBox.keyIdOf(row.signing_secret)]).toEqual([rotated.currentKeyId, rotated.currentKeyId]);
  // Once rotated, the old key can go: the new one alone reads them.
  const newOnly = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: newKey });
  expect([newOnly.decrypt(row.bot_token), newOnly.decrypt(row.signing_secret)]).toEqual(['xoxb-stored-token', 's'.repeat(32)]);
  expect(row.updated_at.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  const audit = await ds.query(`SELECT after FROM audit_log WHERE action = 'slack-secrets.rotate'`);
  expect(audit).toEqual([{ after: { keyId: rotated.currentKeyId, reencrypted: 1 } }]);
  expect(JSON.stringify(audit)).not.toContain('xoxb-stored-token');
});
