import { apiTokenCreationProblems, apiTokenRefusal } from './api-token.rules';

describe('API token scopes', () => {
  it.each([
    ['READ_ONLY', 'graphql', false, null],
    ['READ_ONLY', 'graphql', true, 'API_TOKEN_READ_ONLY'],
    ['READ_ONLY', 'rest', false, null],
    ['READ_ONLY', 'rest', true, 'API_TOKEN_READ_ONLY'],
    ['READ_ONLY', 'scim', false, null],
    ['READ_ONLY', 'scim', true, 'API_TOKEN_READ_ONLY'],
    ['READ_WRITE', 'graphql', true, null],
    ['READ_WRITE', 'rest', true, null],
    ['READ_WRITE', 'scim', true, null],
    ['SCIM', 'scim', true, null],
    ['SCIM', 'graphql', false, 'API_TOKEN_SCIM_ONLY'],
    ['SCIM', 'rest', false, 'API_TOKEN_SCIM_ONLY'],
  ] as const)('%s on %s (write: %s) → %s', (scope, surface, write, reason) => {
    expect(apiTokenRefusal(scope, { surface, write })?.reason ?? null).toBe(reason);
  });
});

describe('who creates which API token', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const admin = { id: 'a', role: 'ADMIN' as const };
  const viewer = { id: 'v', role: 'VIEWER' as const };
  const fields = (p: { field: string }[]) => p.map((e) => e.field);

  it('anyone creates their own READ_ONLY or READ_WRITE token, with or without an expiry in the future', () => {
    expect(apiTokenCreationProblems({ creator: viewer, owner: viewer, scope: 'READ_ONLY', expiresAt: null, now })).toEqual([]);
    expect(apiTokenCreationProblems({ creator: viewer, owner: viewer, scope: 'READ_WRITE', expiresAt: new Date('2026-04-01T00:00:00Z'), now })).toEqual([]);
    expect(fields(apiTokenCreationProblems({ creator: viewer, owner: viewer, scope: 'READ_WRITE', expiresAt: now, now }))).toEqual(['expiresAt']);
  });

  it('only an ADMIN creates tokens for others and SCIM tokens, and a SCIM token acts as an ADMIN', () => {
    expect(fields(apiTokenCreationProblems({ creator: viewer, owner: admin, scope: 'READ_ONLY', expiresAt: null, now }))).toEqual(['userId']);
    expect(fields(apiTokenCreationProblems({ creator: viewer, owner: viewer, scope: 'SCIM', expiresAt: null, now }))).toEqual(['scope']);
    expect(apiTokenCreationProblems({ creator: admin, owner: viewer, scope: 'READ_WRITE', expiresAt: null, now })).toEqual([]);
    expect(apiTokenCreationProblems({ creator: admin, owner: admin, scope: 'SCIM', expiresAt: null, now })).toEqual([]);
    expect(apiTokenCreationProblems({ creator: admin, owner: viewer, scope: 'SCIM', expiresAt: null, now })[0].reason).toMatch(/must act as an ADMIN/);
  });
});
