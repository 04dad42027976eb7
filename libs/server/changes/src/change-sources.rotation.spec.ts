import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SecretBox } from '@hindsight/server-common';
import { createDataSource } from '@hindsight/server-db';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import { rotateChangeSourceSecrets } from './change-sources.service';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = await createDataSource({ url: db.url, poolSize: 2, applicationName: 'hindsight-change-rotation-spec' }).initialize();
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

it('trackers:rotate-key re-encrypts change source secrets with the new key, once, and audits it', async () => {
  const oldKey = randomBytes(32).toString('base64');
  const old = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: oldKey });
  await ds.query(`INSERT INTO change_sources (name, kind, secret_enc) VALUES ('gh', 'GITHUB', $1), ('gl', 'GITLAB', $2)`, [old.encrypt('secret-gh'), old.encrypt('secret-gl')]);
  const newKey = randomBytes(32).toString('base64');
  const rotated = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: newKey, HINDSIGHT_ENCRYPTION_KEY_PREVIOUS: oldKey });
  expect(await rotateChangeSourceSecrets(ds, rotated)).toEqual({ reencrypted: 2, total: 2 });
  expect(await rotateChangeSourceSecrets(ds, rotated)).toEqual({ reencrypted: 0, total: 2 });
  const rows: { name: string; secret_enc: string }[] = await ds.query(`SELECT name, secret_enc FROM change_sources ORDER BY name`);
  // Once rotated, the old key can go: the new one alone reads every row.
  const newOnly = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: newKey });
  expect(rows.map((r) => newOnly.decrypt(r.secret_enc))).toEqual(['secret-gh', 'secret-gl']);
  const audit = await ds.query(`SELECT after FROM audit_log WHERE action = 'change-source-secrets.rotate' ORDER BY id`);
  expect(audit.map((a: { after: { reencrypted: number } }) => a.after.reencrypted)).toEqual([2, 0]);
});
