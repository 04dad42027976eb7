import { Injectable } from '@nestjs/common';
import { rateLimited, unauthenticated } from '@hindsight/server-common';
import type { SessionActor } from '@hindsight/server-graphql';
import { IdentityRepository, UserRow } from './identity.repository';
import { PasswordHasher } from './password.hasher';
import { SessionTokenService } from './session-token.service';

/** Failed sign-ins allowed per window, per account and per client address. */
export const LOGIN_LIMITS = { windowSeconds: 15 * 60, perEmail: 10, perClient: 50 } as const;

@Injectable()
export class AuthService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: SessionTokenService,
  ) {}

  async login(email: string, password: string, clientIp: string): Promise<{ token: string; user: UserRow }> {
    const emailKey = `email:${email.trim().toLowerCase()}`;
    const clientKey = `ip:${clientIp}`;
    for (const [key, limit] of [[emailKey, LOGIN_LIMITS.perEmail], [clientKey, LOGIN_LIMITS.perClient]] as const) {
      const { failures, retryAfterSeconds } = await this.repo.loginFailures(key, LOGIN_LIMITS.windowSeconds);
      if (failures >= limit) throw rateLimited(Math.max(retryAfterSeconds, 1));
    }
    const found = await this.repo.credentialsByEmail(email.trim());
    const ok = await this.hasher.verify(found?.passwordHash ?? null, password);
    if (!found || !ok) {
      await Promise.all([this.repo.recordLoginFailure(emailKey, LOGIN_LIMITS.windowSeconds), this.repo.recordLoginFailure(clientKey, LOGIN_LIMITS.windowSeconds)]);
      throw unauthenticated('Email or password is incorrect.');
    }
    if (!found.active) throw unauthenticated('This account is deactivated. Ask an administrator to reactivate it.');
    await this.repo.clearLoginFailures(emailKey);
    const { passwordHash: _hash, ...user } = found;
    return { token: await this.tokens.sign(user.id), user };
  }

  /**
   * The actor behind an Authorization header, or null for none/invalid/deactivated: the
   * access guard then refuses whatever needs a sign-in, and public operations still work.
   */
  async actorFromHeader(header: string | undefined): Promise<SessionActor | null> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) return null;
    const token = match[1];
    const viaApiToken = SessionTokenService.isApiToken(token);
    const userId = viaApiToken ? await this.repo.userIdForApiToken(SessionTokenService.hashApiToken(token)) : await this.tokens.verify(token);
    if (!userId) return null;
    const actor = await this.repo.actorById(userId);
    if (!actor || !actor.active) return null;
    return { id: actor.id, email: actor.email, name: actor.name, role: actor.role, teamIds: actor.teamIds, via: viaApiToken ? 'api-token' : 'session' };
  }
}
