import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { CONFIG, type OidcConfig, type ResolvedConfig } from '@hindsight/server-config';
import { SsoError } from './sso.error';

/** What one finished sign-in tells us about the person, from the ID token and UserInfo. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  /** The provider's `email_verified`; null when it does not say (Entra ID). */
  emailVerified: boolean | null;
  name: string | null;
  /** The raw value of OIDC_ROLE_CLAIM (a list of groups, usually). */
  roleClaim: unknown;
}

/** What the callback must prove, kept from the start of the attempt. */
export interface AttemptChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

const SCOPE = 'openid email profile';
const TIMEOUT_SECONDS = 10;

/**
 * The one adapter to an OpenID Provider (authorization code + PKCE, `state` and `nonce`),
 * over openid-client. It maps every failure to an SsoError code the sign-in page explains.
 */
@Injectable()
export class OidcProviderClient {
  private readonly settings: OidcConfig | null;
  private readonly redirectUri: string;
  // Discovery is cached once it succeeds; a failed one is retried on the next sign-in, so a
  // provider that is down when the API starts does not need a restart. openid-client refetches
  // the provider's keys by itself when they rotate.
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(@Inject(CONFIG) config: ResolvedConfig) {
    this.settings = config.oidc;
    this.redirectUri = `${config.publicUrl}/auth/oidc/callback`;
  }

  /** The provider's authorization URL for a new attempt, and the secrets its callback must match. */
  async start(): Promise<{ url: string; checks: AttemptChecks }> {
    const configuration = await this.discover();
    const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: SCOPE,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, checks };
  }

  /**
   * Exchanges the callback's code (with the PKCE verifier), verifies the ID token (signature,
   * issuer, audience, expiry, nonce) and reads UserInfo for the claims the ID token lacks.
   */
  async finish(query: Record<string, string>, checks: AttemptChecks): Promise<ProviderIdentity> {
    const configuration = await this.discover();
    const settings = this.settings as OidcConfig;
    const callbackUrl = new URL(this.redirectUri);
    callbackUrl.search = new URLSearchParams(query).toString();
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new SsoError('id-token-invalid', 'no ID token');
      const userInfo = configuration.serverMetadata().userinfo_endpoint ? await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub) : {};
      // UserInfo first, the signed ID token over it: the identity (iss, sub) is the token's.
      const claims: Record<string, unknown> = { ...userInfo, ...idClaims };
      const email = typeof claims['email'] === 'string' && claims['email'].trim() !== '' ? claims['email'].trim() : null;
      const given = [claims['given_name'], claims['family_name']].filter((v) => typeof v === 'string' && v.trim() !== '').join(' ');
      const name = [claims['name'], given, claims['preferred_username']].find((v): v is string => typeof v === 'string' && v.trim() !== '') ?? null;
      return {
        issuer: idClaims.iss,
        subject: idClaims.sub,
        email,
        emailVerified: verifiedClaim(claims['email_verified']),
        name: name?.trim() ?? null,
        roleClaim: claims[settings.roleClaim],
      };
    } catch (e) {
      throw asSsoError(e);
    }
  }

  private discover(): Promise<oidc.Configuration> {
    const settings = this.settings;
    if (!settings) return Promise.reject(new SsoError('not-configured'));
    if (!this.configuration) {
      this.configuration = discover(settings).catch((e: unknown) => {
        this.configuration = null;
        throw asSsoError(e);
      });
    }
    return this.configuration;
  }
}

async function discover(settings: OidcConfig): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer);
  // Config only lets plain http through for a provider on this machine (development, tests).
  const insecure = issuer.protocol === 'http:';
  const found = await oidc.discovery(issuer, settings.clientId, undefined, undefined, { timeout: TIMEOUT_SECONDS, execute: insecure ? [oidc.allowInsecureRequests] : [] });
  const metadata = found.serverMetadata();
  // client_secret_basic is the default of the standard; use POST only for a provider without it.
  const methods = metadata.token_endpoint_auth_methods_supported;
  const auth = !methods || methods.includes('client_secret_basic') ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.ClientSecretPost(settings.clientSecret);
  const configuration = new oidc.Configuration(metadata, settings.clientId, settings.clientSecret, auth);
  configuration.timeout = TIMEOUT_SECONDS;
  if (insecure) oidc.allowInsecureRequests(configuration);
  return configuration;
}

const ID_TOKEN_FAULTS = new Set(['OAUTH_JWT_TIMESTAMP_CHECK_FAILED', 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'OAUTH_KEY_SELECTION_FAILED', 'OAUTH_INVALID_RESPONSE']);

function asSsoError(e: unknown): SsoError {
  if (e instanceof SsoError) return e;
  if (e instanceof oidc.AuthorizationResponseError) return new SsoError('provider-refused', `${e.error}: ${e.error_description ?? ''}`);
  if (e instanceof oidc.ResponseBodyError) return new SsoError(e.error === 'invalid_grant' ? 'code-rejected' : 'provider-refused', `${e.status} ${e.error}: ${e.error_description ?? ''}`);
  const err = e as { name?: string; code?: string; message?: string };
  const causes = causeChain(e);
  const detail = causes.map((c) => c.message).filter(Boolean).join(': ');
  if (err.code && ID_TOKEN_FAULTS.has(err.code)) return new SsoError('id-token-invalid', `${err.code}: ${detail}`);
  // fetch's "fetch failed" (refused, DNS, TLS) or a timeout, however deep openid-client wraps
  // it, or a provider answering something other than OAuth.
  const unreachable = causes.some((c) => c.name === 'TimeoutError' || c.name === 'AbortError' || (c.name === 'TypeError' && c.message === 'fetch failed'))
    || err.code === 'OAUTH_RESPONSE_IS_NOT_JSON' || err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM';
  if (unreachable) return new SsoError('provider-unreachable', detail);
  return new SsoError('failed', `${err.code ?? err.name ?? 'error'}: ${detail}`);
}

// Some providers send the boolean as a string.
function verifiedClaim(value: unknown): boolean | null {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return null;
}

function causeChain(e: unknown): { name?: string; message?: string }[] {
  const chain: { name?: string; message?: string }[] = [];
  for (let c = e as { name?: string; message?: string; cause?: unknown } | undefined; c && typeof c === 'object' && chain.length < 5; c = c.cause as typeof c) chain.push(c);
  return chain;
}
