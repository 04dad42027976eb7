import type { DataSource } from 'typeorm';
import { AuditService } from '@hindsight/server-audit';
import { SecretBox } from '@hindsight/server-common';
import { TrackersRepository } from './trackers.repository';

/**
 * Re-encrypts every tracker token and webhook secret with the current key, in one transaction.
 * Run after moving the old key to HINDSIGHT_ENCRYPTION_KEY_PREVIOUS; once it reports 0 left on
 * old keys, the previous key can be removed.
 */
export async function rotateTrackerSecrets(ds: DataSource, box: SecretBox): Promise<{ reencrypted: number; total: number }> {
  const repo = new TrackersRepository(ds);
  const audit = AuditService.standalone(ds);
  return ds.transaction(async (em) => {
    const rows = await repo.allConnectionSecrets(em);
    let reencrypted = 0;
    for (const r of rows) {
      const stale = SecretBox.keyIdOf(r.tokenEnc) !== box.currentKeyId || (r.webhookSecretEnc !== null && SecretBox.keyIdOf(r.webhookSecretEnc) !== box.currentKeyId);
      if (!stale) continue;
      await repo.reencryptConnection(em, r.id, box.encrypt(box.decrypt(r.tokenEnc)), r.webhookSecretEnc === null ? null : box.encrypt(box.decrypt(r.webhookSecretEnc)));
      reencrypted++;
    }
    await audit.record(em, { actorId: null, action: 'tracker-secrets.rotate', entityType: 'TrackerConnection', entityId: 'all', after: { keyId: box.currentKeyId, reencrypted } });
    return { reencrypted, total: rows.length };
  });
}
