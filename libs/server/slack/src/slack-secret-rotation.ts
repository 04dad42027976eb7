import type { DataSource } from 'typeorm';
import { AuditService } from '@hindsight/server-audit';
import { SecretBox } from '@hindsight/server-common';
import { SlackRepository } from './slack.repository';

/**
 * `npm run trackers:rotate-key`'s part for the Slack app: re-seals the stored bot token and
 * signing secret (Settings → Slack) with the current key, reading them with the previous one.
 * Idempotent: credentials already on the current key are left alone.
 */
export async function rotateSlackSecrets(ds: DataSource, box: SecretBox): Promise<{ reencrypted: number; total: number }> {
  const repo = new SlackRepository(ds);
  const audit = AuditService.standalone(ds);
  return ds.transaction(async (em) => {
    const row = await repo.settingsForUpdate(em);
    if (!row) return { reencrypted: 0, total: 0 };
    if (SecretBox.keyIdOf(row.botToken) === box.currentKeyId && SecretBox.keyIdOf(row.signingSecret) === box.currentKeyId) return { reencrypted: 0, total: 1 };
    await repo.resealSettings(em, box.encrypt(box.decrypt(row.botToken)), box.encrypt(box.decrypt(row.signingSecret)));
    await audit.record(em, { actorId: null, action: 'slack-secrets.rotate', entityType: 'SlackSettings', entityId: 'slack', after: { keyId: box.currentKeyId, reencrypted: 1 } });
    return { reencrypted: 1, total: 1 };
  });
}
