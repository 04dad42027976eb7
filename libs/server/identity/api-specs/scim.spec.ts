import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { Scenario } from '@hindsight/server-testing';

/*
 * SCIM 2.0 through the real HTTP server on a cloned database, with the request bodies Okta
 * and Entra ID really send (from their SCIM docs and provisioning logs).
 */

let api: ApiHarness;
let admin: string;
let scimToken: string;

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

// SCIM documents are read field by field in the expectations below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
interface ScimAnswer { status: number; type: string | null; body: Record<string, any> | null }

async function scim(method: string, path: string, body?: unknown, token: string | null = scimToken): Promise<ScimAnswer> {
  const res = await fetch(`${api.url}/scim/v2${path}`, {
    method,
    headers: { accept: 'application/scim+json', ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}, token = admin): Promise<T> {
  const res = await api.gql<T>(query, variables, token);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

const apiTokenFor = (userId?: string): Promise<string> => new Scenario(api, admin).apiToken(userId, 'scim test');

let seq = 0;
async function passwordUser(role = 'COMMANDER'): Promise<{ id: string; email: string; session: string; apiToken: string }> {
  seq += 1;
  const { id, email, token } = await new Scenario(api, admin).signedIn({ email: `person${seq}@scim.test`, name: `Person ${seq}`, role, password: 'person-password-1' });
  return { id, email, session: token, apiToken: await apiTokenFor(id) };
}

const meOf = async (token: string) => (await api.gql<{ users: unknown[] }>(`{ users { id } }`, {}, token)).errors?.[0]?.extensions?.code ?? 'OK';

beforeAll(async () => {
  api = await startApi();
  admin = await api.login();
  scimToken = await apiTokenFor();
});
afterAll(async () => {
  await api.close();
});

describe('authentication', () => {
  it('refuses no token, a wrong token, a sign-in token and a non-ADMIN API token, in SCIM error shape', async () => {
    const viewer = await passwordUser('MANAGER');
    const cases: [string | null, number][] = [[null, 401], ['hst_nope', 401], [admin, 403], [viewer.apiToken, 403]];
    for (const [token, status] of cases) {
      const res = await scim('GET', '/Users', undefined, token);
      expect(res.status).toBe(status);
      expect(res.type).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: String(status), detail: expect.stringMatching(/API token/) });
    }
  });

  it('serves the discovery documents', async () => {
    const config = await scim('GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 200 }, bulk: { supported: false } });
    const types = await scim('GET', '/ResourceTypes');
    expect(types.body!['Resources'].map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
    const schemas = await scim('GET', '/Schemas');
    expect(schemas.body!['Resources'].map((r: { name: string }) => r.name)).toEqual(['User', 'Group']);
    expect((await scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).body).toMatchObject({ name: 'User' });
    expect((await scim('GET', '/ResourceTypes/Nope')).status).toBe(404);
  });
});

describe('Users', () => {
  const okta = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: 'isaac.brock@example.com',
    name: { givenName: 'Isaac', familyName: 'Brock' },
    emails: [{ primary: true, value: 'isaac.brock@example.com', type: 'work' }],
    displayName: 'Isaac Brock',
    locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7',
    groups: [],
    password: '1mz050nq',
    active: true,
  };

  it("creates Okta's user as a VIEWER without a password, finds it by userName and externalId, pages", async () => {
    const created = await scim('POST', '/Users', okta);
    expect(created.status).toBe(201);
    expect(created.type).toMatch(/^application\/scim\+json/);
    expect(created.body).toMatchObject({
      userName: 'isaac.brock@example.com', externalId: '00ujl29u0le5T6Aj10h7', active: true, displayName: 'Isaac Brock',
      name: { givenName: 'Isaac', familyName: 'Brock' }, emails: [{ value: 'isaac.brock@example.com', primary: true }],
      meta: { resourceType: 'User', location: expect.stringMatching(/\/scim\/v2\/Users\/[0-9a-f-]{36}$/) },
    });
    const id = created.body!['id'];
    const { users } = await gql<{ users: { id: string; role: string }[] }>(`{ users { id role } }`);
    expect(users.find((u) => u.id === id)?.role).toBe('VIEWER');
    // No password: signing in with the one Okta sent fails like any wrong password.
    expect((await api.gql(`mutation { login(email: "isaac.brock@example.com", password: "1mz050nq") { token } }`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const byName = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ISAAC.BROCK@example.com"')}&startIndex=1&count=100`);
    expect(byName.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [{ id }] });
    const byExternal = await scim('GET', `/Users?filter=${encodeURIComponent('externalId eq "00ujl29u0le5T6Aj10h7"')}`);
    expect(byExternal.body!['Resources'].map((r: { id: string }) => r.id)).toEqual([id]);
    const none = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody@example.com"')}`);
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });

    const all = await scim('GET', '/Users');
    const total = all.body!['totalResults'];
    expect(total).toBeGreaterThanOrEqual(2);
    const page2 = await scim('GET', `/Users?startIndex=2&count=1`);
    expect(page2.body).toMatchObject({ totalResults: total, startIndex: 2, itemsPerPage: 1 });
    expect(page2.body!['Resources'][0].id).toBe(all.body!['Resources'][1].id);
  });

  it('answers a duplicate, a bad filter, a bad value and an unknown id with SCIM errors', async () => {
    const dup = await scim('POST', '/Users', { ...okta, externalId: 'other-id' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
    const dupExternal = await scim('POST', '/Users', { ...okta, userName: 'someone.else@example.com', emails: [] });
    expect(dupExternal.body).toMatchObject({ status: '409', scimType: 'uniqueness', detail: expect.stringMatching(/externalId/) });
    const badFilter = await scim('GET', `/Users?filter=${encodeURIComponent('userName sw "isaac"')}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body).toMatchObject({ status: '400', scimType: 'invalidFilter', detail: expect.stringMatching(/userName eq/) });
    const badEmail = await scim('POST', '/Users', { userName: 'not an address' });
    expect(badEmail.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    const badActive = await scim('PATCH', `/Users/${(await scim('GET', '/Users')).body!['Resources'][0].id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'perhaps' }] });
    expect(badActive.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const missing = await scim('GET', `/Users/${id}`);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ schemas: [ERROR], status: '404' });
      expect((await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] })).status).toBe(404);
    }
  });

  it("replaces with PUT (Okta's profile push) and patches in Entra ID's shapes", async () => {
    const entra = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee@testuser.com',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    };
    const created = await scim('POST', '/Users', entra);
    expect(created.status).toBe(201);
    const id = created.body!['id'];
    // userName is the e-mail in its one normalised spelling (RFC 7643: userName is not case-exact); any spelling finds it.
    expect(created.body).toMatchObject({ userName: 'test_user_ab6490ee@testuser.com', displayName: 'givenName familyName' });
    const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "TEST_USER_AB6490EE@TESTUSER.COM"')}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });

    const patched = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'name.givenName', value: 'Marie' },
        { op: 'Replace', path: 'name.familyName', value: 'Curie' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'marie.curie@example.com' },
        { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Research' },
        { op: 'Replace', path: 'externalId', value: 'entra-marie' },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ displayName: 'Marie Curie', userName: 'marie.curie@example.com', externalId: 'entra-marie', active: true });

    const put = await scim('PUT', `/Users/${id}`, { ...entra, externalId: 'entra-marie', userName: 'marie@example.com', emails: [{ primary: true, type: 'work', value: 'marie@example.com' }], name: { givenName: 'Marie', familyName: 'Skłodowska-Curie' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ userName: 'marie@example.com', displayName: 'Marie Skłodowska-Curie', active: true });
    const audit = await gql<{ auditLog: { action: string; after: Record<string, unknown> }[] }>(`query($id: String) { auditLog(entityType: "User", entityId: $id) { action after } }`, { id });
    expect(audit.auditLog.map((a) => a.action)).toEqual(['user.update', 'user.update', 'user.create']);
    expect(audit.auditLog[0].after).toMatchObject({ via: 'scim', email: 'marie@example.com' });
  });

  it("deactivation (Okta's PATCH, Entra's \"False\", DELETE) ends the user's session and API token on the very next request", async () => {
    const [a, b, c] = [await passwordUser(), await passwordUser(), await passwordUser()];
    for (const p of [a, b, c]) expect([await meOf(p.session), await meOf(p.apiToken)]).toEqual(['OK', 'OK']);

    const okta = await scim('PATCH', `/Users/${a.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(okta.status).toBe(200);
    expect(okta.body).toMatchObject({ id: a.id, active: false });
    const entra = await scim('PATCH', `/Users/${b.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(entra.body).toMatchObject({ id: b.id, active: false });
    const deleted = await scim('DELETE', `/Users/${c.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();

    for (const p of [a, b, c]) expect([await meOf(p.session), await meOf(p.apiToken)]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    // Nothing is deleted: the person is still there, inactive.
    expect((await scim('GET', `/Users/${c.id}`)).body).toMatchObject({ id: c.id, active: false, userName: c.email });

    // Reactivation lets them sign in again but brings back neither the session nor the token.
    const back = await scim('PATCH', `/Users/${a.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
    expect(back.body).toMatchObject({ active: true });
    expect([await meOf(a.session), await meOf(a.apiToken)]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(await meOf(await api.login(a.email, 'person-password-1'))).toBe('OK');
  });
});

describe('Groups', () => {
  interface Team { id: string; name: string; members: { id: string }[] }
  const teamOf = async (id: string) => (await gql<{ teams: Team[] }>(`{ teams { id name members { id } } }`)).teams.find((t) => t.id === id);

  it("Entra's group: create, members added and removed (path members), found by displayName and externalId; members are the team's", async () => {
    const [u1, u2] = [await passwordUser(), await passwordUser()];
    const created = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Payments SRE',
      meta: { resourceType: 'Group' },
    });
    expect(created.status).toBe(201);
    const id = created.body!['id'];
    expect(created.body).toMatchObject({ displayName: 'Payments SRE', externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', members: [] });

    const added = await scim('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: u1.id }, { value: u2.id }] }] });
    expect(added.status).toBe(200);
    expect((await teamOf(id))!.members.map((m) => m.id).sort()).toEqual([u1.id, u2.id].sort());

    // u1 holds an open item of the team: taken off the team, it falls to the team again, audited.
    const incident = (await gql<{ createIncident: { id: string } }>(`mutation { createIncident(input: { title: "Card declines", severity: SEV3, startedAt: "2026-11-20T10:00:00Z" }) { id } }`)).createIncident.id;
    const item = (await gql<{ createActionItem: { id: string } }>(
      `mutation($i: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $i, input: $input) { id } }`,
      { i: incident, input: { title: 'Retry declined cards once', kind: 'MITIGATE', priority: 'P2', ownerTeamId: id, assigneeId: u1.id } },
    )).createActionItem.id;

    const removed = await scim('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ value: u1.id }] }] });
    expect(removed.body!['members'].map((m: { value: string }) => m.value)).toEqual([u2.id]);
    expect((await teamOf(id))!.members.map((m) => m.id)).toEqual([u2.id]);
    expect((await gql<{ actionItem: { assignee: { id: string } | null } }>(`query($id: ID!) { actionItem(id: $id) { assignee { id } } }`, { id: item })).actionItem.assignee).toBeNull();
    const log = await gql<{ auditLog: { action: string; after: Record<string, unknown> }[] }>(`query($id: String) { auditLog(entityType: "ActionItem", entityId: $id) { action after } }`, { id: item });
    expect(log.auditLog[0]).toMatchObject({ action: 'action-item.unassign', after: { assigneeId: null, reason: 'removed from the team' } });

    const found = await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "payments sre"')}&excludedAttributes=members`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id, displayName: 'Payments SRE' }] });
    expect(found.body!['Resources'][0].members).toBeUndefined();
    const byExternal = await scim('GET', `/Groups?filter=${encodeURIComponent('externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"')}`);
    expect(byExternal.body!['Resources'][0]).toMatchObject({ id, members: [{ value: u2.id }] });
  });

  it("Okta's group push: create with members, rename without a path, remove by members[value eq …], PUT replace, DELETE keeps the team", async () => {
    const [u1, u2, u3] = [await passwordUser(), await passwordUser(), await passwordUser()];
    const created = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Test SCIMv2', members: [{ value: u1.id, display: u1.email }, { value: u2.id, display: u2.email }] });
    const id = created.body!['id'];
    expect((await teamOf(id))!.members).toHaveLength(2);
    const renamed = await scim('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id, displayName: 'Checkout SRE' } }] });
    expect(renamed.body).toMatchObject({ displayName: 'Checkout SRE' });
    await scim('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${u1.id}"]` }] });
    expect((await teamOf(id))!.members.map((m) => m.id)).toEqual([u2.id]);
    const put = await scim('PUT', `/Groups/${id}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id, displayName: 'Checkout SRE', members: [{ value: u3.id }] });
    expect(put.body!['members'].map((m: { value: string }) => m.value)).toEqual([u3.id]);

    expect((await scim('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: '00000000-0000-4000-8000-000000000000' }] }] })).body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect((await teamOf(id))!.members.map((m) => m.id)).toEqual([u3.id]);
    const dup = await scim('POST', '/Groups', { displayName: 'checkout sre' });
    expect(dup.body).toMatchObject({ status: '409', scimType: 'uniqueness' });

    expect((await scim('DELETE', `/Groups/${id}`)).status).toBe(204);
    expect(await teamOf(id)).toEqual({ id, name: 'Checkout SRE', members: [] });
    expect((await scim('GET', '/Groups/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
