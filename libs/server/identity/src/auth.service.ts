import { ForbiddenException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  apiTokenRefusal, limitsReached, normaliseEmail, passwordMeetsPolicy, SESSION_TOUCH_SECONDS, SIGN_IN_LIMITS, SignInKey, signInKeys, SignInRule, signInVerdict,
} from '@hindsight/domain';
import { forbidden, rateLimited, unauthenticated } from '@hindsight/server-common';
import { CONFIG, type ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import { PASSWORD_CHANGE_REQUIRED, type SessionActor } from '@hindsight/server-graphql';
import { AccessRefusals } from './access-refusals.service';
import { IdentityRepository, UserRow } from './identity.repository';
import { PasswordHasher } from './password.hasher';
import { SessionTokenService } from './session-token.service';
import { SessionsRepository } from './sessions.repository';

const WAIT_MESSAGES: Record<SignInRule, (seconds: number) => string> = {
  client: (s) => `Too many failed sign-ins from your address. Try again in ${s} seconds.`,
  lock: (s) => `Too many failed sign-in attempts for this account from your address. Try again in ${s} seconds.`,
  backoff: (s) => `This account had many failed sign-ins, so password checks are spaced out. Try again in ${s} seconds.`,
};

class SignInRefused extends Error {
  constructor(readonly rule: SignInRule, readonly retryAfterSeconds: number) {
    super(`refused by the ${rule} limit`);
  }
}

const LIMIT_ACTIONS: Record<SignInRule, string> = { client: 'sign-in.client-limit', lock: 'sign-in.lockout', backoff: 'sign-in.backoff' };

@Injectable()
export class AuthService {
  private readonly log = new Logger('AuthService');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: IdentityRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: SessionTokenService,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditService,
    private readonly refusals: AccessRefusals,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /**
   * Password sign-in. The address is normalised and the account found first, so every spelling
   * of it meets the same counters; then one password check is reserved against the limits
   * (SIGN_IN_LIMITS) before it runs, so concurrent guesses cannot overtake the count.
   */
  async login(rawEmail: string, password: string, clientIp: string, userAgent: string | null = null): Promise<{ token: string; user: UserRow }> {
    if (this.config.passwordLogin === 'off') throw forbidden(`Password sign-in is turned off on this server: use "Sign in with ${this.config.oidc?.name ?? 'single sign-on'}".`);
    const email = normaliseEmail(rawEmail);
    const found = email ? await this.repo.credentialsByEmail(email, clientIp, SIGN_IN_LIMITS.familiarDays) : null;
    const keys = signInKeys({ email, userId: found?.id ?? null, clientIp, familiar: found?.familiar ?? false });
    const failuresIfWrong = await this.reserve(keys);
    let ok: boolean;
    try {
      ok = await this.hasher.verify(found?.passwordHash ?? null, password);
    } catch (e) {
      // Never checked (the hashing queue was full): the attempt does not count.
      await this.repo.releaseSignIn(keys.map((k) => k.key));
      throw e;
    }
    if (!found || !ok) {
      await this.recordFailure(keys, failuresIfWrong, { email, userId: found?.id ?? null, clientIp, reason: !found ? 'unknown-account' : found.passwordHash ? 'wrong-password' : 'no-password' });
      throw unauthenticated('Email or password is incorrect.');
    }
    await Promise.all([
      this.repo.clearSignInCounters(keys.filter((k) => k.rule === 'lock').map((k) => k.key)),
      this.repo.releaseSignIn(keys.filter((k) => k.rule !== 'lock').map((k) => k.key)),
    ]);
    if (!found.active) throw unauthenticated('This account is deactivated. Ask an administrator to reactivate it.');
    // Checked after the password, so that the answer does not tell strangers who is an ADMIN.
    if (this.config.passwordLogin === 'admin-only' && found.role !== 'ADMIN') throw forbidden(`Password sign-in is for administrators only (break-glass): use "Sign in with ${this.config.oidc?.name ?? 'single sign-on'}".`);
    const { passwordHash: _hash, familiar: _familiar, ...user } = found;
    // A password chosen before the rule for new ones keeps working, once: it must be changed now.
    if (!user.mustChangePassword && !passwordMeetsPolicy(password) && (await this.repo.requirePasswordChange(user.id))) {
      user.mustChangePassword = true;
      await this.audit.record(this.ds.manager, { actorId: user.id, action: 'user.password-below-policy', entityType: 'User', entityId: user.id, after: { mustChangePassword: true } });
    }
    return { token: await this.startSession(user.id, { clientIp, userAgent }), user };
  }

  /** A new sign-in session for the user and its token (login; the seed acting as people). */
  async startSession(userId: string, client: { userAgent?: string | null; clientIp?: string | null } = {}): Promise<string> {
    const ttlSeconds = (await this.sessions.lifetimes()).absoluteLifetimeHours * 3600;
    const sessionId = await this.repo.insertSession(userId, ttlSeconds, client);
    return this.tokens.sign(userId, sessionId, ttlSeconds);
  }

  /**
   * The one caller check of every REST route with a Bearer caller (exports, reports, alert
   * intake, SCIM), refused as the GraphQL access guard refuses: 401 without a valid token, 403
   * with `reason: PASSWORD_CHANGE_REQUIRED` while a password an ADMIN reset waits to be changed,
   * 403 when the API token's scope does not cover the request (a write with a READ_ONLY token, a
   * SCIM token anywhere but SCIM). `rest-routes.access.spec.ts` holds every route to it.
   */
  async restCaller(header: string | undefined, access: 'read' | 'write' = 'read', surface: 'rest' | 'scim' = 'rest'): Promise<SessionActor> {
    const actor = await this.actorFromHeader(header);
    if (!actor) throw new UnauthorizedException('Send "Authorization: Bearer <token>" with a token from login or an API token.');
    if (actor.mustChangePassword) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', ...PASSWORD_CHANGE_REQUIRED });
    const refusal = actor.apiToken ? apiTokenRefusal(actor.apiToken.scope, { surface, write: access === 'write' }) : null;
    if (refusal) {
      await this.refusals.apiTokenRefused(actor, refusal.reason, `${surface} ${access}`);
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: refusal.message, reason: refusal.reason });
    }
    return actor;
  }

  /**
   * The actor behind an Authorization header, or null for none/invalid/deactivated: the
   * access guard then refuses whatever needs a sign-in, and public operations still work.
   * A revoked or expired API token is null too, and its use is audited.
   */
  async actorFromHeader(header: string | undefined): Promise<SessionActor | null> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) return null;
    const token = match[1];
    if (SessionTokenService.isApiToken(token)) return this.apiTokenActor(token);
    const session = await this.tokens.verify(token);
    if (!session) return null;
    // A sign-in token counts only while its session is live (not ended by logout or a password change).
    const actor = await this.repo.actorById(session.userId, session.sessionId);
    if (!actor || !actor.active) return null;
    // Last use feeds the idle lifetime and "your sessions"; written at most once a minute.
    if (!actor.sessionLastUsedAt || Date.now() - new Date(actor.sessionLastUsedAt).getTime() > SESSION_TOUCH_SECONDS * 1000) await this.sessions.touch(session.sessionId);
    return { id: actor.id, email: actor.email, name: actor.name, role: actor.role, teamIds: actor.teamIds, via: 'session', sessionId: session.sessionId, mustChangePassword: actor.mustChangePassword };
  }

  /**
   * The person behind a verified request from the Slack app, once matched to their account:
   * as a session of theirs would see them (role and teams as they are now), `via: 'slack'`
   * (so what needs a signed-in session — API tokens, passwords — stays refused). Null for a
   * deactivated or deleted account.
   */
  async chatActor(userId: string): Promise<SessionActor | null> {
    const actor = await this.repo.actorById(userId);
    if (!actor || !actor.active) return null;
    return { id: actor.id, email: actor.email, name: actor.name, role: actor.role, teamIds: actor.teamIds, via: 'slack', mustChangePassword: actor.mustChangePassword };
  }

  /** The active account whose address is this one once normalised (how chat people are matched); null for none. */
  async activeUserByEmail(email: string): Promise<UserRow | null> {
    const normalised = normaliseEmail(email);
    return normalised ? this.repo.activeUserByEmail(normalised) : null;
  }

  private async apiTokenActor(token: string): Promise<SessionActor | null> {
    const presented = await this.repo.presentedApiToken(SessionTokenService.hashApiToken(token));
    if (!presented) return null;
    if (presented.state !== 'live') {
      await this.refusals.apiTokenRefused({ id: presented.userId, apiToken: presented }, presented.state === 'revoked' ? 'API_TOKEN_REVOKED' : 'API_TOKEN_EXPIRED', 'any request');
      return null;
    }
    const actor = await this.repo.actorById(presented.userId);
    if (!actor || !actor.active) return null;
    return {
      id: actor.id, email: actor.email, name: actor.name, role: actor.role, teamIds: actor.teamIds, via: 'api-token',
      apiToken: { id: presented.id, scope: presented.scope, expiresAt: presented.expiresAt },
    };
  }

  /** Reserves one password check under every key (atomically, in one transaction); RATE_LIMITED when a limit refuses. */
  private async reserve(keys: readonly SignInKey[]): Promise<Map<string, number>> {
    try {
      return await this.ds.transaction(async (em) => {
        const { now, counters } = await this.repo.lockSignInCounters(em, keys.map((k) => k.key));
        const verdict = signInVerdict(keys, counters, now);
        // Thrown, so that the transaction rolls back the counters it created: a refused request writes nothing.
        if (!verdict.allowed) throw new SignInRefused(verdict.rule, verdict.retryAfterSeconds);
        return this.repo.reserveSignIn(em, keys.map((k) => k.key), SIGN_IN_LIMITS.windowSeconds);
      });
    } catch (e) {
      if (!(e instanceof SignInRefused)) throw e;
      this.log.log(`sign-in refused by the ${e.rule} limit for ${e.retryAfterSeconds} s`);
      throw rateLimited(e.retryAfterSeconds, WAIT_MESSAGES[e.rule](e.retryAfterSeconds));
    }
  }

  /** Every failed sign-in is audited; a lock or back-off is audited once, when it starts. */
  private async recordFailure(keys: readonly SignInKey[], failures: Map<string, number>, f: { email: string | null; userId: string | null; clientIp: string; reason: string }): Promise<void> {
    const entity = f.userId ? { entityType: 'User', entityId: f.userId } : { entityType: 'SignIn', entityId: f.email ?? '(not an address)' };
    await this.ds.transaction(async (em) => {
      await this.audit.record(em, { actorId: null, action: 'sign-in.failure', ...entity, after: { email: f.email, clientIp: f.clientIp, reason: f.reason } });
      // The account's and the address's counters reach a limit together: one entry per rule.
      const reachedRules = new Map(limitsReached(keys, failures).map((k) => [k.rule, k]));
      for (const reached of reachedRules.values()) {
        const target = reached.rule === 'client' ? { entityType: 'ClientAddress', entityId: f.clientIp } : entity;
        await this.audit.record(em, {
          actorId: null, action: LIMIT_ACTIONS[reached.rule], ...target,
          after: { email: f.email, clientIp: f.clientIp, failures: failures.get(reached.key), windowSeconds: SIGN_IN_LIMITS.windowSeconds, scope: reached.rule === 'backoff' ? 'every address' : 'this client address' },
        });
      }
    });
  }
}
