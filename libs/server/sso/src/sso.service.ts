import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { emailDomainAllowed, normaliseEmail, roleFromClaim, safeReturnPath, ssoTabNonce, type Role } from '@hindsight/domain';
import { isUniqueViolation } from '@hindsight/server-common';
import { CONFIG, type OidcConfig, type ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import { AuthService, UsersService, type UserRow } from '@hindsight/server-identity';
import { OidcProviderClient, type ProviderIdentity } from './oidc-provider.client';
import { SsoError } from './sso.error';
import { SsoRepository } from './sso.repository';

/** How long someone may spend at the provider (password, MFA) before the attempt expires. */
export const ATTEMPT_TTL_SECONDS = 10 * 60;

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * OpenID Connect sign-in: starts attempts, and turns a provider's callback into a Hindsight
 * session for the person (created at their first sign-in, linked to an existing account only
 * through a verified e-mail, their role re-applied from the provider's groups).
 */
@Injectable()
export class SsoService {
  private readonly log = new Logger('SsoService');
  private readonly settings: OidcConfig | null;

  constructor(
    @Inject(CONFIG) config: ResolvedConfig,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: SsoRepository,
    private readonly users: UsersService,
    private readonly provider: OidcProviderClient,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {
    this.settings = config.oidc;
  }

  /**
   * A new attempt: where to send the browser, and the random binding the browser keeps (in a
   * cookie) so that only the browser that started the attempt can finish it (no login CSRF).
   * The page's tab nonce, when well formed, is kept to be handed back with the token.
   */
  async begin(returnTo: unknown, tabNonce: unknown = null): Promise<{ authorizationUrl: string; browserBinding: string }> {
    const { url, checks } = await this.provider.start();
    const browserBinding = randomBytes(32).toString('base64url');
    await this.repo.pruneAttempts();
    await this.repo.insertAttempt({
      stateHash: sha256(checks.state), browserHash: sha256(browserBinding), nonce: checks.nonce, codeVerifier: checks.codeVerifier,
      returnTo: safeReturnPath(returnTo), tabNonce: ssoTabNonce(tabNonce), ttlSeconds: ATTEMPT_TTL_SECONDS,
    });
    return { authorizationUrl: url, browserBinding };
  }

  /** The provider's callback: a session token, where to go and the tab nonce to hand back, or an SsoError saying why not. */
  async complete(
    query: Record<string, string>,
    browserBinding: string | null,
    client: { clientIp: string; userAgent: string | null },
  ): Promise<{ token: string; returnTo: string; tabNonce: string | null }> {
    if (!this.settings) throw new SsoError('not-configured');
    const state = query['state'];
    if (!state) throw new SsoError(query['error'] ? 'provider-refused' : 'unknown-attempt', query['error']);
    const attempt = await this.repo.claimAttempt(sha256(state));
    if (!attempt) throw new SsoError('unknown-attempt');
    if (attempt.alreadyUsed) throw new SsoError('attempt-used');
    if (attempt.expired) throw new SsoError('attempt-expired');
    if (!browserBinding || !sameHash(sha256(browserBinding), attempt.browserHash)) throw new SsoError('other-browser');
    const identity = await this.provider.finish(query, { state, nonce: attempt.nonce, codeVerifier: attempt.codeVerifier });
    const user = await this.accountFor(identity, this.settings).catch(async (e: unknown) => {
      // Two first sign-ins of one person at once: the loser finds what the winner created.
      if (isUniqueViolation(e)) return this.accountFor(identity, this.settings as OidcConfig);
      throw e;
    });
    return { token: await this.auth.startSession(user.id, client), returnTo: attempt.returnTo, tabNonce: attempt.tabNonce };
  }

  private accountFor(identity: ProviderIdentity, settings: OidcConfig): Promise<UserRow> {
    // The provider's spelling is normalised like every other (PRODUCT.md §6): linking compares
    // it exactly, so a look-alike (`vİctim@…`) never reaches the account it imitates.
    const email = identity.email ? normaliseEmail(identity.email) : null;
    if (!email) throw new SsoError('missing-email');
    if (!emailDomainAllowed(email, settings.allowedDomains)) throw new SsoError('domain-not-allowed', email);
    const mapped = settings.roleMap.length > 0 ? roleFromClaim(identity.roleClaim, settings.roleMap) : null;
    return this.ds.transaction(async (em) => {
      const linked = await this.repo.lockUserByIdentity(em, identity.issuer, identity.subject);
      if (linked) {
        if (!linked.active) throw new SsoError('deactivated');
        await this.repo.touchIdentity(em, identity.issuer, identity.subject);
        return this.applyRole(em, linked, mapped);
      }
      const existing = await this.repo.lockUserByEmail(em, email);
      if (existing) {
        // Linking hands the account to whoever controls this provider account: only when the
        // provider vouches that they own the address.
        if (identity.emailVerified !== true) throw new SsoError('email-not-verified', email);
        if (await this.repo.hasIdentityAt(em, existing.id, identity.issuer)) throw new SsoError('linked-elsewhere', email);
        if (!existing.active) throw new SsoError('deactivated');
        await this.repo.linkIdentity(em, existing.id, identity.issuer, identity.subject);
        await this.audit.record(em, { actorId: existing.id, action: 'user.link-identity', entityType: 'User', entityId: existing.id, after: { issuer: identity.issuer, subject: identity.subject } });
        return this.applyRole(em, existing, mapped);
      }
      // An address the provider says it has not verified shows no membership of an allowed
      // domain (a provider with self-registration lets anyone type one). Providers that do not
      // say (Entra ID) manage the addresses themselves.
      if (settings.allowedDomains.length > 0 && identity.emailVerified === false) throw new SsoError('domain-unverified', email);
      const name = (identity.name ?? email.slice(0, email.indexOf('@'))).slice(0, 200) || email;
      const created = await this.users.createForProvider(em, { email, name, role: mapped ?? 'VIEWER' }, { via: 'oidc', issuer: identity.issuer, subject: identity.subject });
      await this.repo.linkIdentity(em, created.id, identity.issuer, identity.subject);
      return created;
    });
  }

  /**
   * The provider's groups decide the role at every sign-in (when OIDC_ROLE_MAP is set), audited
   * when it changes. The last active ADMIN keeps the role, as with setUserRole: a group
   * change at the provider must not lock everyone out of administration.
   */
  private async applyRole(em: EntityManager, user: UserRow, mapped: Role | null): Promise<UserRow> {
    if (mapped === null) return user;
    const applied = await this.users.applyProviderRole(em, user, mapped);
    if (applied.keptLastAdmin) this.log.warn(`OIDC role map says ${mapped} for ${user.email}, the last active ADMIN: the role stays ADMIN`);
    return applied.user;
  }
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
