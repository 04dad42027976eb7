import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { checkName, isOneOf, CHANGE_SOURCE_KINDS, type ChangeSourceKind } from '@hindsight/domain';
import { AuditService } from '@hindsight/server-audit';
import { assertValid, badInput, isUuid, notFound, SECRET_BOX, SecretBox, SecretBoxError } from '@hindsight/server-common';
import { CONFIG, type ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { newChangeSourceSecret } from './change-signature.rule';
import { ChangeSourceRow, ChangesRepository } from './changes.repository';
import type { ChangeSourceType, CreatedChangeSourceType } from './changes.types';

/**
 * Change sources (ADMIN): a GitHub or GitLab sender of change webhooks and the secret that
 * verifies them, generated here, shown once, kept encrypted with HINDSIGHT_ENCRYPTION_KEY.
 * Senders that can send an API token (Argo CD, scripts) need none.
 */
@Injectable()
export class ChangeSourcesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly repo: ChangesRepository,
    private readonly audit: AuditService,
  ) {}

  webhookUrl(id: string): string {
    return `${this.config.publicUrl}/api/changes/${id}`;
  }

  toType(row: ChangeSourceRow): ChangeSourceType {
    return { id: row.id, name: row.name, kind: row.kind, webhookUrl: this.webhookUrl(row.id), createdAt: row.createdAt, lastReceivedAt: row.lastReceivedAt };
  }

  async list(): Promise<ChangeSourceType[]> {
    return (await this.repo.sources()).map((r) => this.toType(r));
  }

  async create(actor: SessionActor, input: { name: string; kind: ChangeSourceKind }): Promise<CreatedChangeSourceType> {
    assertValid([checkName('input.name', input.name)].filter((e) => e !== null));
    if (!isOneOf(CHANGE_SOURCE_KINDS, input.kind)) throw badInput('input.kind', `must be one of ${CHANGE_SOURCE_KINDS.join(', ')}`);
    const secret = newChangeSourceSecret();
    const sealed = this.seal(secret);
    const row = await this.ds.transaction(async (em) => {
      const created = await this.repo.insertSource(em, input.name.trim(), input.kind, sealed, actor.id);
      await this.audit.record(em, { actorId: actor.id, action: 'change-source.create', entityType: 'ChangeSource', entityId: created.id, after: redacted(created) });
      return created;
    });
    return { changeSource: this.toType(row), secret };
  }

  /** A new secret, shown once; the old one stops working at once. */
  async rotateSecret(actor: SessionActor, id: string): Promise<CreatedChangeSourceType> {
    if (!isUuid(id)) throw notFound('change source', id);
    const secret = newChangeSourceSecret();
    const sealed = this.seal(secret);
    const row = await this.ds.transaction(async (em) => {
      const updated = await this.repo.setSourceSecret(em, id, sealed);
      if (!updated) throw notFound('change source', id);
      await this.audit.record(em, { actorId: actor.id, action: 'change-source.rotate-secret', entityType: 'ChangeSource', entityId: id, after: redacted(updated) });
      return updated;
    });
    return { changeSource: this.toType(row), secret };
  }

  /** Its webhooks are refused from then on; the changes it sent stay. */
  async delete(actor: SessionActor, id: string): Promise<string> {
    if (!isUuid(id)) throw notFound('change source', id);
    return this.ds.transaction(async (em) => {
      const deleted = await this.repo.deleteSource(em, id);
      if (!deleted) throw notFound('change source', id);
      await this.audit.record(em, { actorId: actor.id, action: 'change-source.delete', entityType: 'ChangeSource', entityId: id, before: redacted(deleted) });
      return id;
    });
  }

  async byId(id: string): Promise<ChangeSourceRow | null> {
    return isUuid(id) ? this.repo.source(id) : null;
  }

  /** Throws SecretBoxError when this server's keys cannot read it (HINDSIGHT_ENCRYPTION_KEY changed without _PREVIOUS). */
  secretOf(row: ChangeSourceRow): string {
    return this.box.decrypt(row.secretEnc);
  }

  private seal(secret: string): string {
    try {
      return this.box.encrypt(secret);
    } catch (e) {
      if (e instanceof SecretBoxError) throw badInput('secret', `cannot be stored: ${e.message}`);
      throw e;
    }
  }
}

/** The audit log never holds a secret, not even encrypted. */
function redacted(row: ChangeSourceRow): Omit<ChangeSourceRow, 'secretEnc'> {
  const { secretEnc: _secret, ...rest } = row;
  return rest;
}

/**
 * Re-encrypts every change source secret with the current key (`npm run trackers:rotate-key`),
 * in one transaction; rows already on the current key are left alone.
 */
export async function rotateChangeSourceSecrets(ds: DataSource, box: SecretBox): Promise<{ reencrypted: number; total: number }> {
  const repo = new ChangesRepository(ds);
  const audit = AuditService.standalone(ds);
  return ds.transaction(async (em) => {
    const rows = await repo.allSourceSecrets(em);
    let reencrypted = 0;
    for (const r of rows) {
      if (SecretBox.keyIdOf(r.secretEnc) === box.currentKeyId) continue;
      await repo.setSourceSecret(em, r.id, box.encrypt(box.decrypt(r.secretEnc)));
      reencrypted++;
    }
    await audit.record(em, { actorId: null, action: 'change-source-secrets.rotate', entityType: 'ChangeSource', entityId: 'all', after: { keyId: box.currentKeyId, reencrypted } });
    return { reencrypted, total: rows.length };
  });
}
