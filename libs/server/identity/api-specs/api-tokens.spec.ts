import { Client } from 'pg';
import { ApiHarness, GqlResponse, startApi } from '@hindsight/server-app/testing';
import { Scenario } from '@hindsight/server-testing';

/*
 * API tokens with a scope and an expiry (issue 22), per route: a GraphQL query and mutation,
 * a REST export, alert intake and SCIM. Who creates which token, who sees which, and the
 * audit trail of refused tokens.
 */

let api: ApiHarness;
let admin: string;
let adminId: string;
let viewer: { id: string; session: string };
let pg: Client;

const CREATE = `mutation($n: String!, $u: ID, $s: ApiTokenScope, $x: DateTime) {
  createApiToken(name: $n, userId: $u, scope: $s, expiresAt: $x) { token apiToken { id name scope expiresAt lastUsedAt revokedAt user { id } } }
}`;
interface Created { token: string; apiToken: { id: string; name: string; scope: string; expiresAt: string | null; user: { id: string } } }

const errorOf = (res: GqlResponse) => res.errors?.[0]?.extensions ?? null;

async function create(session: string, vars: { n: string; u?: string; s?: string; x?: string }): Promise<Created> {
  const res = await api.gql<{ createApiToken: Created }>(CREATE, vars, session);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.createApiToken;
}

/** One request on each surface with `token`: the HTTP status (GraphQL: the error code or OK). */
async function surfaces(token: string): Promise<Record<string, string | number>> {
  const auth = { authorization: `Bearer ${token}` };
  const code = (res: GqlResponse) => (res.errors?.[0]?.extensions?.['reason'] as string | undefined) ?? res.errors?.[0]?.extensions?.code ?? 'OK';
  const query = code(await api.gql(`{ users { id } }`, {}, token));
  const mutation = code(await api.gql(`mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name: `Team ${Math.random().toString(36).slice(2, 8)}` } }, token));
  const exportStatus = (await fetch(`${api.url}/api/reports/reliability.json?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`, { headers: auth })).status;
  const alerts = await fetch(`${api.url}/api/alerts/alertmanager`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'firing', alerts: [] }) });
  const scimRead = (await fetch(`${api.url}/scim/v2/Users?count=1`, { headers: auth })).status;
  const scimWrite = (await fetch(`${api.url}/scim/v2/Users`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/scim+json' },
    body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `scim-${Math.random().toString(36).slice(2, 8)}@example.com`, name: { formatted: 'Provisioned Person' } }),
  })).status;
  return { query, mutation, export: exportStatus, alerts: alerts.status, scimRead, scimWrite };
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.login();
  adminId = (await api.gql<{ me: { id: string } }>(`{ me { id } }`, {}, admin)).data!.me.id;
  const reader = await new Scenario(api, admin).signedIn({ email: 'reader@tokens.test', name: 'Reader' });
  viewer = { id: reader.id, session: reader.token };
  pg = new Client({ connectionString: api.db.url });
  await pg.connect();
});
afterAll(async () => {
  await pg?.end();
  await api?.close();
});

describe('scopes, per route', () => {
  it('READ_WRITE (the default, and every token made before scopes): everything its ADMIN may do, SCIM included', async () => {
    const { token, apiToken } = await create(admin, { n: 'ops bot' });
    expect(apiToken).toMatchObject({ scope: 'READ_WRITE', expiresAt: null, user: { id: adminId } });
    // alerts: 400 is the empty alert group refused after the token was let in.
    expect(await surfaces(token)).toEqual({ query: 'OK', mutation: 'OK', export: 200, alerts: 400, scimRead: 200, scimWrite: 201 });
  });

  it('READ_ONLY: reads everywhere, every write refused with FORBIDDEN and the reason', async () => {
    const { token } = await create(admin, { n: 'dashboard', s: 'READ_ONLY' });
    expect(await surfaces(token)).toEqual({ query: 'OK', mutation: 'API_TOKEN_READ_ONLY', export: 200, alerts: 403, scimRead: 200, scimWrite: 403 });
    const refused = await fetch(`${api.url}/api/alerts/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"status":"firing","alerts":[]}' });
    expect(await refused.json()).toMatchObject({ statusCode: 403, reason: 'API_TOKEN_READ_ONLY', message: expect.stringMatching(/read-only/) });
  });

  it('SCIM: only /scim/v2; GraphQL (even `me`), the exports and alert intake refuse it', async () => {
    const { token } = await create(admin, { n: 'okta', s: 'SCIM' });
    expect(await surfaces(token)).toEqual({ query: 'API_TOKEN_SCIM_ONLY', mutation: 'API_TOKEN_SCIM_ONLY', export: 403, alerts: 403, scimRead: 200, scimWrite: 201 });
    expect(errorOf(await api.gql(`{ me { id } }`, {}, token))).toMatchObject({ code: 'FORBIDDEN', reason: 'API_TOKEN_SCIM_ONLY' });
  });

  it('an expired token is refused like a revoked one, everywhere', async () => {
    const { token, apiToken } = await create(admin, { n: 'short-lived', x: new Date(Date.now() + 3600_000).toISOString() });
    expect(apiToken.expiresAt).toEqual(expect.any(String));
    expect((await surfaces(token)).query).toBe('OK');
    await pg.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [apiToken.id]);
    expect(await surfaces(token)).toEqual({ query: 'UNAUTHENTICATED', mutation: 'UNAUTHENTICATED', export: 401, alerts: 401, scimRead: 401, scimWrite: 401 });
    expect((await api.gql(`{ me { id } }`, {}, token)).data).toEqual({ me: null });
  });

  it('refusals of a real token are audited with its owner, at most once a minute per token', async () => {
    const { token, apiToken } = await create(admin, { n: 'audited', s: 'READ_ONLY' });
    for (let i = 0; i < 3; i++) await api.gql(`mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name: `Nope ${i}` } }, token);
    const log = await api.gql<{ auditLog: { action: string; actorId: string; after: Record<string, unknown> }[] }>(
      `query($id: String) { auditLog(entityType: "ApiToken", entityId: $id) { action actorId after } }`, { id: apiToken.id }, admin,
    );
    expect(log.data!.auditLog.filter((e) => e.action === 'api-token.refused')).toEqual([
      { action: 'api-token.refused', actorId: adminId, after: { reason: 'API_TOKEN_READ_ONLY', where: 'graphql mutation createTeam', scope: 'READ_ONLY' } },
    ]);
    await api.gql(`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: apiToken.id }, admin);
    await api.gql(`{ users { id } }`, {}, token);
    const after = await api.gql<{ auditLog: { action: string; after: Record<string, unknown> }[] }>(`query($id: String) { auditLog(entityType: "ApiToken", entityId: $id) { action after } }`, { id: apiToken.id }, admin);
    expect(after.data!.auditLog.map((e) => [e.action, e.after['reason'] ?? null])).toContainEqual(['api-token.refused', 'API_TOKEN_REVOKED']);
  });

  it('SCIM refuses a sign-in token and a non-ADMIN token, and audits both', async () => {
    const scim = (token: string) => fetch(`${api.url}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect((await scim(viewer.session)).status).toBe(403);
    const { token } = await create(viewer.session, { n: 'mine' });
    expect((await scim(token)).status).toBe(403);
    const log = await api.gql<{ auditLog: { action: string; entityType: string; after: Record<string, unknown> }[] }>(`{ auditLog(first: 50) { action entityType after } }`, {}, admin);
    expect(log.data!.auditLog.filter((e) => e.action === 'scim.refused').map((e) => [e.entityType, e.after['reason']]).slice(0, 2)).toEqual([['ApiToken', 'NOT_ADMIN'], ['User', 'SIGN_IN_TOKEN']]);
  });
});

describe('who creates, sees and revokes which token', () => {
  it('anyone signed in creates their own READ_ONLY or READ_WRITE token, acting with their role', async () => {
    const { token, apiToken } = await create(viewer.session, { n: 'my dashboard', s: 'READ_ONLY' });
    expect(apiToken).toMatchObject({ scope: 'READ_ONLY', user: { id: viewer.id } });
    expect((await api.gql<{ me: { role: string } }>(`{ me { role } }`, {}, token)).data!.me.role).toBe('VIEWER');
    expect((await create(viewer.session, { n: 'my script' })).apiToken.scope).toBe('READ_WRITE');
  });

  it('refuses, on the field, a token for someone else, a SCIM token from a non-ADMIN or for a non-ADMIN, and a past expiry', async () => {
    expect(errorOf(await api.gql(CREATE, { n: 'x', u: adminId }, viewer.session))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    expect(errorOf(await api.gql(CREATE, { n: 'x', s: 'SCIM' }, viewer.session))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scope', reason: 'only an ADMIN creates SCIM tokens' });
    expect(errorOf(await api.gql(CREATE, { n: 'x', u: viewer.id, s: 'SCIM' }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scope' });
    expect(errorOf(await api.gql(CREATE, { n: 'x', x: '2020-01-01T00:00:00Z' }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expiresAt', reason: 'must be in the future' });
    expect(errorOf(await api.gql(CREATE, { n: 'x', s: 'ADMIN' }, admin))).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('tokens are created from a session only, never from another token', async () => {
    const { token } = await create(admin, { n: 'minter' });
    expect(errorOf(await api.gql(CREATE, { n: 'minted' }, token))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('apiTokens: an ADMIN sees every token, anyone else their own; only an ADMIN revokes another person\'s', async () => {
    const mine = await create(viewer.session, { n: 'listed' });
    const theirs = await create(admin, { n: 'admin only' });
    const asViewer = (await api.gql<{ apiTokens: { id: string; user: { id: string } }[] }>(`{ apiTokens { id user { id } } }`, {}, viewer.session)).data!.apiTokens;
    expect(asViewer.map((t) => t.id)).toContain(mine.apiToken.id);
    expect(asViewer.every((t) => t.user.id === viewer.id)).toBe(true);
    const asAdmin = (await api.gql<{ apiTokens: { id: string }[] }>(`{ apiTokens { id } }`, {}, admin)).data!.apiTokens.map((t) => t.id);
    expect(asAdmin).toEqual(expect.arrayContaining([mine.apiToken.id, theirs.apiToken.id]));
    const revoke = `mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`;
    expect(errorOf(await api.gql(revoke, { id: theirs.apiToken.id }, viewer.session))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.gql<{ revokeApiToken: { revokedAt: string } }>(revoke, { id: mine.apiToken.id }, viewer.session)).data!.revokeApiToken.revokedAt).toEqual(expect.any(String));
  });
});
