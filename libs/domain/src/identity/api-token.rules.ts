import type { ApiTokenScope } from '../enums/contract.enums';
import type { FieldError } from '../validation/fields.validation';
import type { Role } from './roles.policy';

/*
 * API tokens (docs/security.md, "API tokens"). A token acts as its owner, with the owner's
 * role, within its scope:
 *
 * - READ_ONLY: reads (GraphQL queries, the Markdown and report exports, SCIM GETs); every
 *   write is refused with FORBIDDEN, reason API_TOKEN_READ_ONLY.
 * - READ_WRITE: everything the owner's role may do (what every token created before scopes is).
 * - SCIM: only SCIM provisioning at /scim/v2; refused everywhere else (reason API_TOKEN_SCIM_ONLY).
 *
 * Anyone signed in creates READ_ONLY and READ_WRITE tokens for themselves; an ADMIN creates
 * them for anyone, and is the only one who creates SCIM tokens, which must act as an ADMIN.
 * An optional expiry; an expired token is refused like a revoked one.
 */

/** Where a request with an API token goes, and whether it changes anything. */
export type ApiTokenUse = { surface: 'graphql' | 'rest' | 'scim'; write: boolean };

export type ApiTokenRefusal = { reason: 'API_TOKEN_READ_ONLY' | 'API_TOKEN_SCIM_ONLY' | 'API_TOKEN_NOT_FOR_SCIM'; message: string };

/** Null when a token of this scope may make this request; otherwise why not. */
export function apiTokenRefusal(scope: ApiTokenScope, use: ApiTokenUse): ApiTokenRefusal | null {
  if (scope === 'SCIM') {
    return use.surface === 'scim' ? null : { reason: 'API_TOKEN_SCIM_ONLY', message: 'This API token is for SCIM provisioning (/scim/v2) only; create a READ_ONLY or READ_WRITE token for anything else.' };
  }
  if (scope === 'READ_ONLY' && use.write) {
    return { reason: 'API_TOKEN_READ_ONLY', message: 'This API token is read-only: it cannot change anything. Create a READ_WRITE token for writes.' };
  }
  return null;
}

/** The rule for who may create which token, as field errors (empty when allowed). */
export function apiTokenCreationProblems(a: {
  creator: { id: string; role: Role };
  owner: { id: string; role: Role };
  scope: ApiTokenScope;
  expiresAt: Date | null;
  now: Date;
}): FieldError[] {
  const problems: FieldError[] = [];
  const isAdmin = a.creator.role === 'ADMIN';
  if (!isAdmin && a.owner.id !== a.creator.id) problems.push({ field: 'userId', reason: 'only an ADMIN creates tokens for someone else; leave it out to create one for yourself' });
  if (a.scope === 'SCIM' && !isAdmin) problems.push({ field: 'scope', reason: 'only an ADMIN creates SCIM tokens' });
  else if (a.scope === 'SCIM' && a.owner.role !== 'ADMIN') problems.push({ field: 'scope', reason: `a SCIM token must act as an ADMIN; this person is ${a.owner.role}` });
  if (a.expiresAt !== null && a.expiresAt.getTime() <= a.now.getTime()) problems.push({ field: 'expiresAt', reason: 'must be in the future' });
  return problems;
}
