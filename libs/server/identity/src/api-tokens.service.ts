import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { apiTokenCreationProblems, type ApiTokenScope } from '@hindsight/domain';
import { assertValid, forbidden, isUuid, notFound, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { ApiTokenRow, IdentityRepository } from './identity.repository';
import { SessionTokenService } from './session-token.service';

/** API tokens: an ADMIN manages everyone's, everyone else their own (rules: apiTokenCreationProblems). */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: IdentityRepository,
    private readonly audit: AuditService,
  ) {}

  /** ADMIN: every token; anyone else: their own. */
  list(actor: SessionActor): Promise<ApiTokenRow[]> {
    return this.repo.listApiTokens(actor.role === 'ADMIN' ? null : actor.id);
  }

  /**
   * A new token acting as `userId` (the caller when omitted), READ_WRITE unless another scope
   * is asked for, expiring at `expiresAt` if given; the secret is returned once. Only from a
   * signed-in session: a token that could mint tokens would outlive its own expiry.
   */
  async create(actor: SessionActor, input: { name: string; userId?: string | null; scope?: ApiTokenScope | null; expiresAt?: Date | null }): Promise<{ token: string; apiToken: ApiTokenRow }> {
    if (actor.via !== 'session') throw forbidden('Create API tokens from a signed-in session, not with another API token.');
    const name = input.name.trim();
    assertValid([
      ...(name === '' ? [{ field: 'name', reason: 'must not be blank' }] : []),
      ...(name.length > 200 ? [{ field: 'name', reason: 'must be at most 200 characters' }] : []),
    ]);
    const ownerId = input.userId ?? actor.id;
    if (!isUuid(ownerId)) throw unknownId('user', ownerId, 'userId');
    const [owner] = await this.repo.usersByIds([ownerId]);
    if (!owner || !owner.active) throw unknownId('active user', ownerId, 'userId');
    const scope = input.scope ?? 'READ_WRITE';
    const expiresAt = input.expiresAt ?? null;
    assertValid(apiTokenCreationProblems({ creator: actor, owner, scope, expiresAt, now: new Date() }));
    const { token, prefix, hash } = SessionTokenService.newApiToken();
    return this.ds.transaction(async (em) => {
      const apiToken = await this.repo.insertApiToken(em, { name, userId: ownerId, tokenHash: hash, prefix, scope, expiresAt });
      await this.audit.record(em, { actorId: actor.id, action: 'api-token.create', entityType: 'ApiToken', entityId: apiToken.id, after: apiToken });
      return { token, apiToken };
    });
  }

  /** ADMIN: any token; anyone else: their own (another's is NOT_FOUND, as if it did not exist). */
  async revoke(actor: SessionActor, id: string): Promise<ApiTokenRow> {
    if (!isUuid(id)) throw notFound('API token', id);
    return this.ds.transaction(async (em) => {
      const row = await this.repo.revokeApiToken(em, id, actor.role === 'ADMIN' ? null : actor.id);
      if (!row) throw notFound('API token', id);
      await this.audit.record(em, { actorId: actor.id, action: 'api-token.revoke', entityType: 'ApiToken', entityId: id, after: row });
      return row;
    });
  }
}
