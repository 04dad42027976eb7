import { emailDomain, normaliseEmail } from './email.rules';
import { ROLES, type Role } from './roles.policy';

/** Who may use `login` (e-mail and password): everyone, ADMINs only (break-glass), or nobody. */
export const PASSWORD_LOGIN_MODES = ['on', 'admin-only', 'off'] as const;
export type PasswordLoginMode = (typeof PASSWORD_LOGIN_MODES)[number];

/** One `<claim value>=<ROLE>` pair of OIDC_ROLE_MAP. */
export interface RoleMapping {
  value: string;
  role: Role;
}

/**
 * Parses OIDC_ROLE_MAP (`sre-admins=ADMIN,eng-managers=MANAGER`): pairs separated by commas,
 * claim value and role by the last `=`, so group names holding `=` (LDAP DNs) still work.
 */
export function parseRoleMap(text: string): { mappings: RoleMapping[]; problems: string[] } {
  const mappings: RoleMapping[] = [];
  const problems: string[] = [];
  for (const raw of text.split(',')) {
    const pair = raw.trim();
    if (pair === '') continue;
    const at = pair.lastIndexOf('=');
    const value = at < 0 ? '' : pair.slice(0, at).trim();
    const role = at < 0 ? '' : pair.slice(at + 1).trim().toUpperCase();
    if (value === '' || !(ROLES as readonly string[]).includes(role)) {
      problems.push(`"${pair}" is not <group>=<role> with a role of ${ROLES.join(', ')}`);
      continue;
    }
    mappings.push({ value, role: role as Role });
  }
  return { mappings, problems };
}

// Which mapped role wins when a person is in several groups: the one with the most rights.
// COMMANDER before MANAGER only to make the pick deterministic (they edit different things).
const PRECEDENCE: Record<Role, number> = { VIEWER: 0, COMMANDER: 1, MANAGER: 2, ADMIN: 3 };

/**
 * The role a provider's claim grants: the highest mapped role among the claim's values
 * (a list, or one string), VIEWER when none is mapped.
 */
export function roleFromClaim(claim: unknown, mappings: readonly RoleMapping[]): Role {
  const values = new Set((Array.isArray(claim) ? claim : [claim]).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String));
  let best: Role = 'VIEWER';
  for (const m of mappings) if (values.has(m.value) && PRECEDENCE[m.role] > PRECEDENCE[best]) best = m.role;
  return best;
}

/** Parses OIDC_ALLOWED_DOMAINS (comma separated; empty means any domain); Unicode names in their IDNA ASCII form, as addresses are compared. */
export function parseDomainList(text: string): { domains: string[]; problems: string[] } {
  const domains: string[] = [];
  const problems: string[] = [];
  for (const raw of text.split(',')) {
    const bare = raw.trim().replace(/^@/, '');
    if (bare === '') continue;
    const domain = emailDomain(normaliseEmail(`x@${bare}`) ?? `x@${bare.toLowerCase()}`);
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(domain)) problems.push(`"${raw.trim()}" is not a domain name like example.com`);
    else domains.push(domain);
  }
  return { domains, problems };
}

/** True when the (normalised) address is in one of the domains exactly (no subdomains), or no domain is listed. */
export function emailDomainAllowed(email: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  const normalised = normaliseEmail(email);
  return normalised !== null && domains.includes(emailDomain(normalised));
}

/**
 * Why an OpenID Connect sign-in ended without a session. The code travels to the sign-in page
 * (never free text, so a crafted link cannot make the page say anything else).
 */
export const SSO_ERRORS = {
  'not-configured': 'Single sign-on is not configured on this server.',
  'unknown-attempt': 'This sign-in attempt is not known here (its state does not match). Start again with the sign-in button.',
  'other-browser': 'This sign-in was started in another browser or tab. Start again with the sign-in button here.',
  'other-tab': 'This sign-in was not started from this tab, so it was not used. Start again with the sign-in button here.',
  'attempt-used': 'This sign-in link was already used. Start again with the sign-in button.',
  'attempt-expired': 'This sign-in attempt took too long and expired. Start again with the sign-in button.',
  'provider-refused': 'The identity provider did not sign you in. Start again, or ask an administrator if it keeps happening.',
  'code-rejected': 'The identity provider refused the sign-in code (already used or expired). Start again with the sign-in button.',
  'id-token-invalid': "The identity provider's answer could not be trusted: its ID token is expired, meant for another application or wrongly signed. Try again; if it keeps happening, ask an administrator to check the OIDC settings and the server's clock.",
  'provider-unreachable': 'The identity provider could not be reached. Try again in a moment.',
  'missing-email': 'The identity provider did not share your e-mail address. Ask an administrator to allow the "email" scope.',
  'domain-not-allowed': "Your e-mail address's domain may not sign in here. Sign in with your company account, or ask an administrator.",
  'domain-unverified': 'The identity provider has not verified your e-mail address, so it does not show that you belong to an allowed domain. Verify your e-mail at the provider, then sign in again.',
  'email-not-verified': 'A Hindsight account with your e-mail address already exists, and the identity provider has not verified that address, so it cannot be linked. Verify your e-mail at the provider, or ask an administrator.',
  'linked-elsewhere': 'The Hindsight account with your e-mail address is already linked to another account at the identity provider. Ask an administrator.',
  'deactivated': 'This account is deactivated. Ask an administrator to reactivate it.',
  'failed': 'Signing in did not work because of a problem on our side. Try again; if it keeps happening, tell an administrator.',
} as const;
export type SsoErrorCode = keyof typeof SSO_ERRORS;

/** The message for a code read from the page's address; unknown codes get the generic one. */
export function ssoErrorMessage(code: string): string {
  return Object.prototype.hasOwnProperty.call(SSO_ERRORS, code) ? SSO_ERRORS[code as SsoErrorCode] : SSO_ERRORS.failed;
}

/**
 * The random value a tab keeps in sessionStorage when it sends the browser to the provider;
 * the server carries it through the attempt and back in the sign-in page's fragment, and the
 * page takes a fragment token only when it matches (a link carrying someone else's token does
 * not sign a tab into their account). 128 bits or more, base64url.
 */
export function ssoTabNonce(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{22,64}$/.test(value) ? value : null;
}

/**
 * Where to go after signing in: only a path on this site (`/incidents?x=1`), never another
 * origin (`//evil.example`, `/\evil.example`, `https://…`), so the flow is no open redirect.
 */
export function safeReturnPath(path: unknown): string {
  if (typeof path !== 'string' || path.length > 500 || !path.startsWith('/') || path.startsWith('//') || /[\\\s]/.test(path)) return '/';
  return path;
}
