import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SECRET_BOX, SecretBox } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { ChaseRepository } from './chase.repository';

/** Decrypted secrets kept per ciphertext: deliveries to one channel decrypt its secret once. */
const CACHE_LIMIT = 1000;

/**
 * Seals plain channel secrets (rows from before encryption) and re-encrypts those on an old
 * key with the current one; a secret on a key no longer configured is left alone. Idempotent,
 * and safe when several processes start at once. Returns how many rows changed.
 */
export async function sealChannelSecrets(ds: DataSource, box: SecretBox, repo = new ChaseRepository(ds)): Promise<{ changed: number; stale: number }> {
  return ds.transaction(async (em) => {
    const rows = await repo.channelSecretsNotOn(em, box.currentKeyId);
    let changed = 0;
    for (const r of rows) {
      const sealed = SecretBox.isSealed(r.secret);
      let plain: string;
      try {
        plain = sealed ? box.decrypt(r.secret) : r.secret;
      } catch {
        continue;
      }
      if (await repo.replaceChannelSecret(em, r.id, r.secret, box.encrypt(plain))) changed++;
    }
    return { changed, stale: rows.length };
  });
}

/**
 * Notification channel secrets (the HMAC keys of WEBHOOK channels) at rest: sealed with
 * HINDSIGHT_ENCRYPTION_KEY like tracker tokens. Rows written before encryption hold the plain
 * text; they are read as they are and sealed when a process starts with the key set.
 */
@Injectable()
export class ChannelSecrets implements OnApplicationBootstrap {
  private readonly log = new Logger('ChannelSecrets');
  private readonly opened = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly repo: ChaseRepository,
  ) {}

  /** Throws SecretBoxError when no key is set (production without HINDSIGHT_ENCRYPTION_KEY). */
  seal(plain: string): string {
    return this.box.encrypt(plain);
  }

  open(stored: string | null): string | null {
    if (stored === null || !SecretBox.isSealed(stored)) return stored;
    let plain = this.opened.get(stored);
    if (plain === undefined) {
      plain = this.box.decrypt(stored);
      if (this.opened.size >= CACHE_LIMIT) this.opened.clear();
      this.opened.set(stored, plain);
    }
    return plain;
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const { changed } = await sealChannelSecrets(this.ds, this.box, this.repo);
      if (changed > 0) this.log.log(`sealed ${changed} notification channel secret(s) with the encryption key`);
    } catch (e) {
      // No key (or a key missing from HINDSIGHT_ENCRYPTION_KEY_PREVIOUS): the plain rows keep working.
      this.log.warn(`notification channel secrets left as they are: ${(e as Error).message}`);
    }
  }
}
