import { MigrationInterface, QueryRunner } from 'typeorm';
import { redactWebhookUrl } from '@hindsight/domain';
import { SecretBox, SecretBoxError } from '@hindsight/server-common';

type Json = Record<string, unknown> | null;

/**
 * A Slack incoming-webhook URL is a credential (whoever has it posts into the channel), so it
 * moves out of `notification_channels.target` into `secret`, sealed with
 * HINDSIGHT_ENCRYPTION_KEY like the HMAC keys of WEBHOOK channels; `target` keeps the URL
 * redacted (`…/T0/B0/****`) for display, and so do the channels' audit entries. Without a key
 * (production that never set one) the URL is moved as plain text and sealed by the first API or
 * worker that starts with the key, as channel secrets always were. Room for sealed URLs: a
 * 2048-character URL is about 2.8 kB sealed (and a 1024-character WEBHOOK secret did not fit
 * either). The audit entries' redaction is not undone by `down`.
 */
export class SlackWebhookSecrets1796101000000 implements MigrationInterface {
  name = 'SlackWebhookSecrets1796101000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notification_channels DROP CONSTRAINT notification_channels_secret_check;
      ALTER TABLE notification_channels ADD CONSTRAINT notification_channels_secret_check CHECK (length(secret) <= 8192);
    `);
    const box = keyOfThisProcess();
    const rows: { id: string; target: string }[] = await q.query(`SELECT id, target FROM notification_channels WHERE kind = 'SLACK' AND secret IS NULL ORDER BY id FOR UPDATE`);
    for (const r of rows) {
      await q.query(`UPDATE notification_channels SET secret = $2, target = $3 WHERE id = $1`, [r.id, seal(box, r.target), redactWebhookUrl(r.target)]);
    }
    await q.query(`ALTER TABLE notification_channels ADD CONSTRAINT notification_channels_slack_url_check CHECK (kind <> 'SLACK' OR secret IS NOT NULL)`);

    const entries: { id: string; before: Json; after: Json }[] = await q.query(
      `SELECT id, before, after FROM audit_log WHERE entity_type = 'NotificationChannel' AND ('SLACK' IN (before->>'kind', after->>'kind')) ORDER BY id FOR UPDATE`,
    );
    for (const e of entries) {
      await q.query(`UPDATE audit_log SET before = $2, after = $3 WHERE id = $1`, [e.id, redacted(e.before), redacted(e.after)]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_channels DROP CONSTRAINT notification_channels_slack_url_check`);
    const box = keyOfThisProcess();
    const rows: { id: string; secret: string }[] = await q.query(`SELECT id, secret FROM notification_channels WHERE kind = 'SLACK' ORDER BY id FOR UPDATE`);
    for (const r of rows) {
      if (SecretBox.isSealed(r.secret) && !box) throw new Error('reverting needs HINDSIGHT_ENCRYPTION_KEY: the Slack webhook URLs are sealed with it');
      const url = SecretBox.isSealed(r.secret) && box ? box.decrypt(r.secret) : r.secret;
      await q.query(`UPDATE notification_channels SET target = $2, secret = NULL WHERE id = $1`, [r.id, url]);
    }
    await q.query(`
      ALTER TABLE notification_channels DROP CONSTRAINT notification_channels_secret_check;
      ALTER TABLE notification_channels ADD CONSTRAINT notification_channels_secret_check CHECK (length(secret) <= 1024) NOT VALID;
    `);
  }
}

/** The key the API and worker use (HINDSIGHT_ENCRYPTION_KEY, or the development key file); null when there is none. */
function keyOfThisProcess(): SecretBox | null {
  try {
    const box = SecretBox.forProcess();
    box.encrypt('probe');
    return box;
  } catch (e) {
    if (e instanceof SecretBoxError) return null;
    throw e;
  }
}

function seal(box: SecretBox | null, url: string): string {
  return box ? box.encrypt(url) : url;
}

function redacted(entry: Json): Json {
  if (!entry || entry['kind'] !== 'SLACK' || typeof entry['target'] !== 'string') return entry;
  return { ...entry, target: redactWebhookUrl(entry['target']) };
}
