import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertValid, isUuid, notFound, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditRepository } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { ApiTokenRow, IdentityRepository } from './identity.repository';
import { SessionTokenService } from './session-token.service';

@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: IdentityRepository,
    private readonly audit: AuditRepository,
  ) {}

  list(): Promise<ApiTokenRow[]> {
    return this.repo.listApiTokens();
  }

  /** A new token acting as `userId` (the caller when omitted); the secret is returned once. */
  async create(actor: SessionActor, name: string, userId: string | null | undefined): Promise<{ token: string; apiToken: ApiTokenRow }> {
    const trimmed = name.trim();
    assertValid([
      ...(trimmed === '' ? [{ field: 'name', reason: 'must not be blank' }] : []),
      ...(trimmed.length > 200 ? [{ field: 'name', reason: 'must be at most 200 characters' }] : []),
    ]);
    const owner = userId ?? actor.id;
    if (!isUuid(owner)) throw unknownId('user', owner, 'userId');
    const [user] = await this.repo.usersByIds([owner]);
    if (!user || !user.active) throw unknownId('active user', owner, 'userId');
    const { token, prefix, hash } = SessionTokenService.newApiToken();
    return this.ds.transaction(async (em) => {
      const apiToken = await this.repo.insertApiToken(em, { name: trimmed, userId: owner, tokenHash: hash, prefix });
      await this.audit.record(em, { actorId: actor.id, action: 'api-token.create', entityType: 'ApiToken', entityId: apiToken.id, after: apiToken });
      return { token, apiToken };
    });
  }

  async revoke(actor: SessionActor, id: string): Promise<ApiTokenRow> {
    if (!isUuid(id)) throw notFound('API token', id);
    return this.ds.transaction(async (em) => {
      const row = await this.repo.revokeApiToken(em, id);
      if (!row) throw notFound('API token', id);
      await this.audit.record(em, { actorId: actor.id, action: 'api-token.revoke', entityType: 'ApiToken', entityId: id, after: row });
      return row;
    });
  }
}
