import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { SESSION_TOUCH_SECONDS } from '@hindsight/domain';
import { forbidden, rateLimited, unauthenticated } from '@hindsight/server-common';
import { CONFIG, type ResolvedConfig } from '@hindsight/server-config';
import { PASSWORD_CHANGE_REQUIRED, type SessionActor } from '@hindsight/server-graphql';
import { IdentityRepository, UserRow } from './identity.repository';
import { PasswordHasher } from './password.hasher';
import { SessionTokenService } from './session-token.service';
import { SessionsRepository } from './sessions.repository';

/** Failed sign-ins allowed per window, per account and per client address. */
export const LOGIN_LIMITS = { windowSeconds: 15 * 60, perEmail: 10, perClient: 50 } as const;

@Injectable()
export class AuthService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: SessionTokenService,
    private readonly sessions: SessionsRepository,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async login(email: string, password: string, clientIp: string, userAgent: string | null = null): Promise<{ token: string; user: UserRow }> {
    if (this.config.passwordLogin === 'off') throw forbidden(`Password sign-in is turned off on this server: use "Sign in with ${this.config.oidc?.name ?? 'single sign-on'}".`);
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
    // Checked after the password, so that the answer does not tell strangers who is an ADMIN.
    if (this.config.passwordLogin === 'admin-only' && found.role !== 'ADMIN') throw forbidden(`Password sign-in is for administrators only (break-glass): use "Sign in with ${this.config.oidc?.name ?? 'single sign-on'}".`);
    await this.repo.clearLoginFailures(emailKey);
    const { passwordHash: _hash, ...user } = found;
    return { token: await this.startSession(user.id, { clientIp, userAgent }), user };
  }

  /** A new sign-in session for the user and its token (login; the seed acting as people). */
  async startSession(userId: string, client: { userAgent?: string | null; clientIp?: string | null } = {}): Promise<string> {
    const ttlSeconds = (await this.sessions.lifetimes()).absoluteLifetimeHours * 3600;
    const sessionId = await this.repo.insertSession(userId, ttlSeconds, client);
    return this.tokens.sign(userId, sessionId, ttlSeconds);
  }

  /**
   * The caller of a REST endpoint (the exports), refused as the GraphQL access guard refuses:
   * 401 without a valid token, 403 while a password an ADMIN reset waits to be changed.
   */
  async restCaller(header: string | undefined): Promise<SessionActor> {
    const actor = await this.actorFromHeader(header);
    if (!actor) throw new UnauthorizedException('Send "Authorization: Bearer <token>" with a token from login or an API token.');
    if (actor.mustChangePassword) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', ...PASSWORD_CHANGE_REQUIRED });
    return actor;
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
    const session = viaApiToken ? null : await this.tokens.verify(token);
    const userId = viaApiToken ? await this.repo.userIdForApiToken(SessionTokenService.hashApiToken(token)) : session?.userId;
    if (!userId) return null;
    // A sign-in token counts only while its session is live (not ended by logout or a password change).
    const actor = await this.repo.actorById(userId, session?.sessionId ?? null);
    if (!actor || !actor.active) return null;
    const who = { id: actor.id, email: actor.email, name: actor.name, role: actor.role, teamIds: actor.teamIds };
    if (!session) return { ...who, via: 'api-token' };
    // Last use feeds the idle lifetime and "your sessions"; written at most once a minute.
    if (!actor.sessionLastUsedAt || Date.now() - new Date(actor.sessionLastUsedAt).getTime() > SESSION_TOUCH_SECONDS * 1000) await this.sessions.touch(session.sessionId);
    return { ...who, via: 'session', sessionId: session.sessionId, mustChangePassword: actor.mustChangePassword };
  }
}
