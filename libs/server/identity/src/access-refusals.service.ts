import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { AccessRefusalLog, SessionActor } from '@hindsight/server-graphql';

/** The same refusal of the same credential is written to the audit log at most once a minute. */
export const REFUSAL_AUDIT_SECONDS = 60;

/**
 * Refused uses of a real credential — a revoked or expired API token, a token outside its
 * scope, a sign-in token or a non-ADMIN's token at SCIM — go to the audit log with the
 * credential's owner, so an ADMIN sees a leaked or forgotten token still being tried.
 * Unknown tokens name nobody and are only logged.
 */
@Injectable()
export class AccessRefusals implements AccessRefusalLog {
  private readonly log = new Logger('AccessRefusals');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async apiTokenRefused(actor: Pick<SessionActor, 'id' | 'apiToken'>, reason: string, where: string): Promise<void> {
    const entity = actor.apiToken ? { entityType: 'ApiToken', entityId: actor.apiToken.id } : { entityType: 'User', entityId: actor.id };
    this.log.warn(`refused ${entity.entityType} ${entity.entityId} (${reason}) at ${where}`);
    await this.audit.recordOncePer(
      this.ds.manager,
      { actorId: actor.id, action: 'api-token.refused', ...entity, after: { reason, where, scope: actor.apiToken?.scope ?? null } },
      REFUSAL_AUDIT_SECONDS,
    );
  }

  /** A refusal at SCIM of a credential that is no API token or acts as a non-ADMIN. */
  async scimRefused(actor: Pick<SessionActor, 'id' | 'apiToken'>, reason: string): Promise<void> {
    const entity = actor.apiToken ? { entityType: 'ApiToken', entityId: actor.apiToken.id } : { entityType: 'User', entityId: actor.id };
    this.log.warn(`SCIM refused ${entity.entityType} ${entity.entityId} (${reason})`);
    await this.audit.recordOncePer(this.ds.manager, { actorId: actor.id, action: 'scim.refused', ...entity, after: { reason } }, REFUSAL_AUDIT_SECONDS);
  }
}
