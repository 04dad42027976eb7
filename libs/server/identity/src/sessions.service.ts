import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SessionLifetimes, validateSessionLifetimes } from '@hindsight/domain';
import { assertValid, forbidden, isUuid, notFound } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { IdentityRepository } from './identity.repository';
import { SessionRow, SessionsRepository } from './sessions.repository';

/**
 * Sign-in sessions as their owner and ADMINs see them. Ending one is a database write, so the
 * very next request with its token is UNAUTHENTICATED, in every API process.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: SessionsRepository,
    private readonly identity: IdentityRepository,
    private readonly audit: AuditService,
  ) {}

  mine(actor: SessionActor): Promise<SessionRow[]> {
    return this.repo.listLive(actor.id);
  }

  /** Ends one of the caller's own sessions (the current one too: that is a sign-out). */
  async endOwn(actor: SessionActor, sessionId: string): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const ended = isUuid(sessionId) ? await this.repo.end(em, actor.id, 'ended-by-user', { id: sessionId }) : [];
      if (ended.length === 0) throw notFound('live session of yours', sessionId);
      await this.audit.record(em, { actorId: actor.id, action: 'session.end', entityType: 'User', entityId: actor.id, after: { sessionId } });
      return true;
    });
  }

  /** Ends all the caller's sessions, or all but the calling one; returns how many ended. */
  async signOutEverywhere(actor: SessionActor, keepCurrent: boolean): Promise<number> {
    if (actor.via !== 'session') throw forbidden('Sign out everywhere from a signed-in session; an API token has no sessions of its own.');
    return this.ds.transaction(async (em) => {
      const ended = await this.repo.end(em, actor.id, 'signed-out-everywhere', { except: keepCurrent ? actor.sessionId : null });
      await this.audit.record(em, { actorId: actor.id, action: 'session.sign-out-everywhere', entityType: 'User', entityId: actor.id, after: { keptSessionId: keepCurrent ? actor.sessionId : null, ended: ended.length } });
      return ended.length;
    });
  }

  /** An ADMIN ends every session of a user (a lost laptop, a suspicion); their API tokens stay. */
  async endUserSessions(actor: SessionActor, userId: string): Promise<number> {
    return this.ds.transaction(async (em) => {
      const user = isUuid(userId) ? await this.identity.lockUser(em, userId) : null;
      if (!user) throw notFound('user', userId);
      const ended = await this.repo.end(em, userId, 'ended-by-admin');
      await this.audit.record(em, { actorId: actor.id, action: 'user.end-sessions', entityType: 'User', entityId: userId, after: { ended: ended.length } });
      return ended.length;
    });
  }

  lifetimes(): Promise<SessionLifetimes> {
    return this.repo.lifetimes();
  }

  async updateLifetimes(actor: SessionActor, change: Partial<SessionLifetimes>): Promise<SessionLifetimes> {
    return this.ds.transaction(async (em) => {
      await this.repo.lockLifetimes(em);
      const before = await this.repo.lifetimes(em);
      const after: SessionLifetimes = {
        idleTimeoutMinutes: change.idleTimeoutMinutes ?? before.idleTimeoutMinutes,
        absoluteLifetimeHours: change.absoluteLifetimeHours ?? before.absoluteLifetimeHours,
      };
      assertValid(validateSessionLifetimes(after));
      await this.repo.saveLifetimes(em, after, actor.id);
      await this.audit.record(em, { actorId: actor.id, action: 'session-lifetimes.update', entityType: 'Settings', entityId: 'session-lifetimes', before, after });
      return after;
    });
  }
}
