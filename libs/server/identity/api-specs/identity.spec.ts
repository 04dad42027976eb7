import { ApiHarness, GqlResponse, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { SIGN_IN_LIMITS } from '@hindsight/domain';

/*
 * Sign-in, sessions, API tokens and the ADMIN's user/team management, through the real
 * HTTP API on a cloned database. Every failed sign-in here also counts against the
 * per-client limit (all requests come from 127.0.0.1), so the file stays well below it.
 */

let api: ApiHarness;
let admin: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.login();
});
afterAll(async () => {
  await api.close();
});

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token user { email role } } }`;
const ME = `{ me { id email role active } }`;
const USERS = `{ users { id email } }`;
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email name role active } }`;
const SET_ACTIVE = `mutation($id: ID!, $active: Boolean!) { setUserActive(userId: $id, active: $active) { id active } }`;

interface CreatedUser { id: string; email: string; name: string; role: string; active: boolean }

let seq = 0;
async function createUser(role = 'COMMANDER', password = 'correct-horse-1'): Promise<CreatedUser & { password: string }> {
  seq += 1;
  const res = await api.gql<{ createUser: CreatedUser }>(CREATE_USER, { input: { email: `user${seq}@example.com`, name: `User ${seq}`, role, password } }, admin);
  if (!res.data) throw new Error(`createUser failed: ${JSON.stringify(res.errors)}`);
  return { ...res.data.createUser, password };
}

function errorOf(res: GqlResponse): { code?: string; field?: string; message: string } {
  expect(res.errors).toHaveLength(1);
  const [e] = res.errors!;
  return { code: e.extensions?.code, field: e.extensions?.field, message: e.message };
}

describe('login', () => {
  it('with the right password returns a token that works for me', async () => {
    const user = await createUser('MANAGER');
    const res = await api.gql<{ login: { token: string; user: { email: string; role: string } } }>(LOGIN, { e: user.email, p: user.password });
    expect(res.errors).toBeUndefined();
    expect(res.data!.login.user).toEqual({ email: user.email, role: 'MANAGER' });
    const me = await api.gql<{ me: CreatedUser }>(ME, {}, res.data!.login.token);
    expect(me.data!.me).toEqual({ id: user.id, email: user.email, role: 'MANAGER', active: true });
  });

  it('accepts the email in another case and with surrounding spaces', async () => {
    const user = await createUser();
    const token = await api.login(`  ${user.email.toUpperCase()} `, user.password);
    expect((await api.gql<{ me: CreatedUser }>(ME, {}, token)).data!.me.id).toBe(user.id);
  });

  it('with a wrong password is UNAUTHENTICATED with a readable message', async () => {
    const user = await createUser();
    const res = await api.gql(LOGIN, { e: user.email, p: 'not-the-password' });
    expect(res.data).toBeNull();
    expect(errorOf(res)).toEqual({ code: 'UNAUTHENTICATED', field: undefined, message: 'Email or password is incorrect.' });
  });

  it('with an unknown email answers exactly as a wrong password does (no account enumeration)', async () => {
    const user = await createUser();
    const wrong = await api.gql(LOGIN, { e: user.email, p: 'not-the-password' });
    const unknown = await api.gql(LOGIN, { e: 'nobody@example.com', p: 'not-the-password' });
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.data).toEqual(wrong.data);
    expect(errorOf(unknown)).toEqual(errorOf(wrong));
  });

  it('without a token or with a forged one, me is null and reads are UNAUTHENTICATED', async () => {
    expect((await api.gql(ME)).data).toEqual({ me: null });
    for (const token of ['garbage', `${admin.slice(0, -4)}AAAA`, 'hst_not-a-real-token']) {
      expect((await api.gql(ME, {}, token)).data).toEqual({ me: null });
      expect(errorOf(await api.gql(USERS, {}, token)).code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('deactivated users', () => {
  it('cannot sign in, and their existing session and API tokens stop working', async () => {
    const user = await createUser('COMMANDER');
    const session = await api.login(user.email, user.password);
    const created = await api.gql<{ createApiToken: { token: string } }>(`mutation($u: ID) { createApiToken(name: "ci", userId: $u) { token } }`, { u: user.id }, admin);
    const apiToken = created.data!.createApiToken.token;
    expect((await api.gql<{ me: CreatedUser }>(ME, {}, apiToken)).data!.me.id).toBe(user.id);

    const off = await api.gql<{ setUserActive: { id: string; active: boolean } }>(SET_ACTIVE, { id: user.id, active: false }, admin);
    expect(off.data!.setUserActive).toEqual({ id: user.id, active: false });

    const login = await api.gql(LOGIN, { e: user.email, p: user.password });
    expect(errorOf(login)).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('deactivated') });
    for (const token of [session, apiToken]) {
      expect((await api.gql(ME, {}, token)).data).toEqual({ me: null });
      expect(errorOf(await api.gql(USERS, {}, token)).code).toBe('UNAUTHENTICATED');
    }
    // A wrong password still gets the generic answer: deactivation is only revealed to the owner.
    expect(errorOf(await api.gql(LOGIN, { e: user.email, p: 'not-the-password' })).message).toBe('Email or password is incorrect.');

    // Reactivation lets them sign in again; the ended session and the revoked token stay dead.
    await api.gql(SET_ACTIVE, { id: user.id, active: true }, admin);
    for (const token of [session, apiToken]) expect((await api.gql(ME, {}, token)).data).toEqual({ me: null });
    const again = await api.login(user.email, user.password);
    expect((await api.gql<{ me: CreatedUser }>(ME, {}, again)).data!.me.active).toBe(true);
  });

  it('an ADMIN cannot deactivate themselves; unknown ids are NOT_FOUND; both changes are audited', async () => {
    const me = await api.gql<{ me: CreatedUser }>(ME, {}, admin);
    expect(errorOf(await api.gql(SET_ACTIVE, { id: me.data!.me.id, active: false }, admin)).code).toBe('FORBIDDEN');
    expect(errorOf(await api.gql(SET_ACTIVE, { id: '00000000-0000-4000-8000-000000000000', active: false }, admin)).code).toBe('NOT_FOUND');
    expect(errorOf(await api.gql(SET_ACTIVE, { id: 'not-a-uuid', active: false }, admin)).code).toBe('NOT_FOUND');

    const user = await createUser();
    await api.gql(SET_ACTIVE, { id: user.id, active: false }, admin);
    const log = await api.gql<{ auditLog: { action: string; actorId: string; before: { active: boolean }; after: { active: boolean } }[] }>(
      `query($id: String) { auditLog(entityType: "User", entityId: $id) { action actorId before after } }`, { id: user.id }, admin,
    );
    expect(log.data!.auditLog.map((e) => e.action)).toEqual(['user.deactivate', 'user.create']);
    expect(log.data!.auditLog[0]).toMatchObject({ actorId: me.data!.me.id, before: { active: true }, after: { active: false } });
  });
});

describe('logout', () => {
  const LOGOUT = `mutation { logout }`;

  it('ends only the calling session: its next request is UNAUTHENTICATED, other sessions and API tokens go on; audited', async () => {
    const user = await createUser('MANAGER');
    const [a, b] = [await api.login(user.email, user.password), await api.login(user.email, user.password)];
    const apiToken = (await api.gql<{ createApiToken: { token: string } }>(`mutation($u: ID) { createApiToken(name: "ci", userId: $u) { token } }`, { u: user.id }, admin)).data!.createApiToken.token;
    expect((await api.gql<{ logout: boolean }>(LOGOUT, {}, a)).data).toEqual({ logout: true });
    expect((await api.gql(ME, {}, a)).data).toEqual({ me: null });
    expect(errorOf(await api.gql(USERS, {}, a)).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await api.gql(LOGOUT, {}, a)).code).toBe('UNAUTHENTICATED');
    for (const token of [b, apiToken]) expect((await api.gql<{ me: CreatedUser }>(ME, {}, token)).data!.me.id).toBe(user.id);
    // Signing in again gives a new, working session.
    expect((await api.gql<{ me: CreatedUser }>(ME, {}, await api.login(user.email, user.password))).data!.me.id).toBe(user.id);
    const log = await api.gql<{ auditLog: { action: string; actorId: string }[] }>(`query($id: String) { auditLog(entityType: "User", entityId: $id) { action actorId } }`, { id: user.id }, admin);
    expect(log.data!.auditLog[0]).toEqual({ action: 'session.logout', actorId: user.id });
  });

  it('is UNAUTHENTICATED without a token and FORBIDDEN with an API token (revoke those instead)', async () => {
    expect(errorOf(await api.gql(LOGOUT)).code).toBe('UNAUTHENTICATED');
    const apiToken = (await api.gql<{ createApiToken: { token: string } }>(`mutation { createApiToken(name: "ci") { token } }`, {}, admin)).data!.createApiToken.token;
    expect(errorOf(await api.gql(LOGOUT, {}, apiToken))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('revokeApiToken') });
    expect((await api.gql(ME, {}, apiToken)).errors).toBeUndefined();
  });
});

describe('changePassword', () => {
  const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;

  it("with the current password: the new one signs in, the old one no longer does, the person's other sessions end and this one stays", async () => {
    const user = await createUser('VIEWER');
    const [mine, other] = [await api.login(user.email, user.password), await api.login(user.email, user.password)];
    const res = await api.gql<{ changePassword: boolean }>(CHANGE, { c: user.password, n: 'a new long password' }, mine);
    expect(res.data).toEqual({ changePassword: true });
    expect((await api.gql<{ me: CreatedUser }>(ME, {}, mine)).data!.me.id).toBe(user.id);
    expect(errorOf(await api.gql(USERS, {}, other)).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await api.gql(LOGIN, { e: user.email, p: user.password })).code).toBe('UNAUTHENTICATED');
    expect(await api.login(user.email, 'a new long password')).toEqual(expect.any(String));
    const log = await api.gql<{ auditLog: { action: string; after: Record<string, unknown> }[] }>(`query($id: String) { auditLog(entityType: "User", entityId: $id) { action after } }`, { id: user.id }, admin);
    const entry = log.data!.auditLog.find((e) => e.action === 'user.change-password')!;
    expect(entry.after).toEqual({ otherSessionsEnded: 1 });
    expect(JSON.stringify(log.data)).not.toContain('a new long password');
  });

  it.each([
    ['a wrong current password', { c: 'not-the-password', n: 'another long one' }, 'currentPassword'],
    ['a new password under 8 characters', { c: 'correct-horse-1', n: 'short' }, 'newPassword'],
    ['a new password over 1024 characters', { c: 'correct-horse-1', n: 'x'.repeat(1025) }, 'newPassword'],
  ])('refuses %s with BAD_USER_INPUT on the field, changing nothing and ending no session', async (_what, vars, field) => {
    const user = await createUser();
    const [mine, other] = [await api.login(user.email, user.password), await api.login(user.email, user.password)];
    expect(errorOf(await api.gql(CHANGE, vars, mine))).toMatchObject({ code: 'BAD_USER_INPUT', field });
    for (const token of [mine, other]) expect((await api.gql<{ me: CreatedUser }>(ME, {}, token)).data!.me.id).toBe(user.id);
    expect(await api.login(user.email, user.password)).toEqual(expect.any(String));
  });

  it('is UNAUTHENTICATED without a token and FORBIDDEN with an API token', async () => {
    expect(errorOf(await api.gql(CHANGE, { c: 'x', n: 'long enough 1' })).code).toBe('UNAUTHENTICATED');
    const apiToken = (await api.gql<{ createApiToken: { token: string } }>(`mutation { createApiToken(name: "ci") { token } }`, {}, admin)).data!.createApiToken.token;
    expect(errorOf(await api.gql(CHANGE, { c: 'x', n: 'long enough 1' }, apiToken)).code).toBe('FORBIDDEN');
  });
});

describe('setUserRole', () => {
  const SET_ROLE = `mutation($id: ID!, $role: Role!) { setUserRole(userId: $id, role: $role) { id role } }`;
  const MISSING = '00000000-0000-4000-8000-000000000000';

  it("applies on the person's very next request, with their existing session and API token, and is audited", async () => {
    const user = await createUser('VIEWER');
    const session = await api.login(user.email, user.password);
    const apiToken = (await api.gql<{ createApiToken: { token: string } }>(`mutation($u: ID) { createApiToken(name: "ci", userId: $u) { token } }`, { u: user.id }, admin)).data!.createApiToken.token;
    for (const token of [session, apiToken]) expect((await api.gql(USERS, {}, token)).errors).toBeUndefined();
    const ADMIN_ONLY = `{ auditLog(first: 1) { id } }`;
    expect(errorOf(await api.gql(ADMIN_ONLY, {}, session)).code).toBe('FORBIDDEN');

    const res = await api.gql<{ setUserRole: { id: string; role: string } }>(SET_ROLE, { id: user.id, role: 'ADMIN' }, admin);
    expect(res.data!.setUserRole).toEqual({ id: user.id, role: 'ADMIN' });
    for (const token of [session, apiToken]) {
      expect((await api.gql<{ me: CreatedUser }>(ME, {}, token)).data!.me.role).toBe('ADMIN');
      expect((await api.gql(ADMIN_ONLY, {}, token)).errors).toBeUndefined();
    }

    await api.gql(SET_ROLE, { id: user.id, role: 'VIEWER' }, admin);
    for (const token of [session, apiToken]) expect(errorOf(await api.gql(ADMIN_ONLY, {}, token)).code).toBe('FORBIDDEN');

    const me = (await api.gql<{ me: CreatedUser }>(ME, {}, admin)).data!.me;
    const log = await api.gql<{ auditLog: { action: string; actorId: string; before: { role: string }; after: { role: string } }[] }>(
      `query($id: String) { auditLog(entityType: "User", entityId: $id) { action actorId before after } }`, { id: user.id }, admin,
    );
    expect(log.data!.auditLog.filter((e) => e.action === 'user.set-role').map((e) => [e.before.role, e.after.role])).toEqual([['ADMIN', 'VIEWER'], ['VIEWER', 'ADMIN']]);
    expect(log.data!.auditLog[0].actorId).toBe(me.id);
  });

  it('the last active ADMIN cannot be demoted (CONFLICT); with a second ADMIN one may step down', async () => {
    const me = (await api.gql<{ me: CreatedUser }>(ME, {}, admin)).data!.me;
    const other = await createUser('COMMANDER');
    const admins = async () => (await api.gql<{ users: { id: string; role: string; active: boolean }[] }>(`{ users { id role active } }`, {}, admin)).data!.users.filter((u) => u.role === 'ADMIN' && u.active);
    expect((await admins()).map((u) => u.id)).toEqual([me.id]);
    const refused = errorOf(await api.gql(SET_ROLE, { id: me.id, role: 'MANAGER' }, admin));
    expect(refused).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('last active ADMIN') });
    expect((await api.gql<{ me: CreatedUser }>(ME, {}, admin)).data!.me.role).toBe('ADMIN');

    await api.gql(SET_ROLE, { id: other.id, role: 'ADMIN' }, admin);
    const otherSession = await api.login(other.email, other.password);
    expect((await api.gql<{ setUserRole: { role: string } }>(SET_ROLE, { id: other.id, role: 'VIEWER' }, otherSession)).data!.setUserRole.role).toBe('VIEWER');
    expect(errorOf(await api.gql(SET_ROLE, { id: other.id, role: 'ADMIN' }, otherSession)).code).toBe('FORBIDDEN');
  });

  it('unknown or malformed ids are NOT_FOUND; a role outside the enum is BAD_USER_INPUT', async () => {
    expect(errorOf(await api.gql(SET_ROLE, { id: MISSING, role: 'VIEWER' }, admin)).code).toBe('NOT_FOUND');
    expect(errorOf(await api.gql(SET_ROLE, { id: 'nope', role: 'VIEWER' }, admin)).code).toBe('NOT_FOUND');
    const user = await createUser();
    expect(errorOf(await api.gql(SET_ROLE, { id: user.id, role: 'OWNER' }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: expect.stringMatching(/role/) });
  });
});

describe('login rate limit', () => {
  it(`refuses an account after ${SIGN_IN_LIMITS.perAccountPerClient} failures, even with the right password, and leaves other accounts alone`, async () => {
    const user = await createUser();
    const other = await createUser();
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountPerClient; i += 1) {
      expect(errorOf(await api.gql(LOGIN, { e: user.email, p: `wrong-${i}` })).code).toBe('UNAUTHENTICATED');
    }
    const limited = await api.gql(LOGIN, { e: user.email.toUpperCase(), p: user.password });
    const [e] = limited.errors!;
    expect(e.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(e.extensions!['retryAfterSeconds']).toBeGreaterThan(0);
    expect(e.extensions!['retryAfterSeconds']).toBeLessThanOrEqual(SIGN_IN_LIMITS.windowSeconds);
    expect(e.message).toMatch(/^Too many failed sign-in attempts for this account from your address\. Try again in \d+ seconds\.$/);
    expect(limited.status).toBeLessThan(500);

    expect(await api.login(other.email, other.password)).toEqual(expect.any(String));
  });

  it('a successful sign-in clears the account counter', async () => {
    const user = await createUser();
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountPerClient - 1; i += 1) await api.gql(LOGIN, { e: user.email, p: `wrong-${i}` });
    await api.login(user.email, user.password);
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountPerClient - 1; i += 1) await api.gql(LOGIN, { e: user.email, p: `wrong-${i}` });
    expect(await api.login(user.email, user.password)).toEqual(expect.any(String));
  });
});

describe('API tokens', () => {
  const CREATE = `mutation($n: String!, $u: ID) { createApiToken(name: $n, userId: $u) { token apiToken { id name prefix revokedAt user { id } } } }`;
  interface Created { token: string; apiToken: { id: string; name: string; prefix: string; revokedAt: string | null; user: { id: string } } }

  it('acts as its user as a Bearer token until revoked', async () => {
    const me = (await api.gql<{ me: CreatedUser }>(ME, {}, admin)).data!.me;
    const res = await api.gql<{ createApiToken: Created }>(CREATE, { n: ' deploy bot ' }, admin);
    const { token, apiToken } = res.data!.createApiToken;
    expect(apiToken).toMatchObject({ name: 'deploy bot', revokedAt: null, user: { id: me.id } });
    expect(token.startsWith(apiToken.prefix)).toBe(true);

    expect((await api.gql<{ me: CreatedUser }>(ME, {}, token)).data!.me.email).toBe(TEST_ADMIN.email);
    expect((await api.gql<{ users: unknown[] }>(USERS, {}, token)).data!.users.length).toBeGreaterThan(0);

    const listed = await api.gql<{ apiTokens: { id: string; lastUsedAt: string | null }[] }>(`{ apiTokens { id lastUsedAt } }`, {}, admin);
    const row = listed.data!.apiTokens.find((t) => t.id === apiToken.id);
    expect(row?.lastUsedAt).toEqual(expect.any(String));
    // The secret is never listed again.
    expect(JSON.stringify(listed.data)).not.toContain(token);

    const revoked = await api.gql<{ revokeApiToken: { id: string; revokedAt: string | null } }>(`mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`, { id: apiToken.id }, admin);
    expect(revoked.data!.revokeApiToken.revokedAt).toEqual(expect.any(String));
    expect((await api.gql(ME, {}, token)).data).toEqual({ me: null });
    expect(errorOf(await api.gql(USERS, {}, token)).code).toBe('UNAUTHENTICATED');
  });

  it('carries the role of the user it acts as', async () => {
    const viewer = await createUser('VIEWER');
    const { token } = (await api.gql<{ createApiToken: Created }>(CREATE, { n: 'dashboard', u: viewer.id }, admin)).data!.createApiToken;
    expect((await api.gql<{ me: CreatedUser }>(ME, {}, token)).data!.me).toMatchObject({ id: viewer.id, role: 'VIEWER' });
    const refused = await api.gql(CREATE_USER, { input: { email: 'via-token@example.com', name: 'X', role: 'ADMIN', password: 'long-enough-1' } }, token);
    expect(errorOf(refused).code).toBe('FORBIDDEN');
  });

  it('refuses a blank name, unknown or inactive users, and unknown ids to revoke', async () => {
    expect(errorOf(await api.gql(CREATE, { n: '   ' }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(errorOf(await api.gql(CREATE, { n: 'x', u: '00000000-0000-4000-8000-000000000000' }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    expect(errorOf(await api.gql(CREATE, { n: 'x', u: 'nope' }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    const inactive = await createUser();
    await api.gql(SET_ACTIVE, { id: inactive.id, active: false }, admin);
    expect(errorOf(await api.gql(CREATE, { n: 'x', u: inactive.id }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    const revoke = `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`;
    expect(errorOf(await api.gql(revoke, { id: '00000000-0000-4000-8000-000000000000' }, admin)).code).toBe('NOT_FOUND');
    expect(errorOf(await api.gql(revoke, { id: 'nope' }, admin)).code).toBe('NOT_FOUND');
  });
});

describe('createUser', () => {
  const input = (over: Record<string, unknown>) => ({ email: `new${(seq += 1)}@example.com`, name: 'New Person', role: 'VIEWER', password: 'long-enough-1', ...over });

  it('creates an active user who can sign in, and audits it without the password', async () => {
    const res = await api.gql<{ createUser: CreatedUser }>(CREATE_USER, { input: input({ email: '  Mixed.Case@Example.com ', name: ' Ada ' }) }, admin);
    // Stored in its one normalised spelling (PRODUCT.md §6).
    expect(res.data!.createUser).toMatchObject({ email: 'mixed.case@example.com', name: 'Ada', role: 'VIEWER', active: true });
    expect(await api.login('mixed.case@example.com', 'long-enough-1')).toEqual(expect.any(String));
    const log = await api.gql<{ auditLog: { action: string; after: Record<string, unknown> }[] }>(
      `query($id: String) { auditLog(entityType: "User", entityId: $id) { action after } }`, { id: res.data!.createUser.id }, admin,
    );
    expect(log.data!.auditLog).toHaveLength(1);
    expect(log.data!.auditLog[0].action).toBe('user.create');
    expect(JSON.stringify(log.data!.auditLog[0].after)).not.toMatch(/long-enough-1|passwordHash|password_hash|argon2/i);
  });

  it.each([
    ['a malformed email', { email: 'not-an-email' }, 'input.email'],
    ['a blank name', { name: '  ' }, 'input.name'],
    ['a short password', { password: 'short' }, 'input.password'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_what, over, field) => {
    const before = (await api.gql<{ users: unknown[] }>(USERS, {}, admin)).data!.users.length;
    const e = errorOf(await api.gql(CREATE_USER, { input: input(over) }, admin));
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(e.message.startsWith(`${field}: `)).toBe(true);
    expect((await api.gql<{ users: unknown[] }>(USERS, {}, admin)).data!.users.length).toBe(before);
  });

  it('refuses a role outside the enum as BAD_USER_INPUT naming the variable field', async () => {
    const e = errorOf(await api.gql(CREATE_USER, { input: input({ role: 'SUPERUSER' }) }, admin));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.field).toMatch(/role/);
  });

  it('refuses an email already used, whatever its case', async () => {
    const existing = await createUser();
    const e = errorOf(await api.gql(CREATE_USER, { input: input({ email: existing.email.toUpperCase() }) }, admin));
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    expect(e.message).toContain('already used');
  });
});

describe('teams', () => {
  const CREATE_TEAM = `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id name slug manager { id } members { id } } }`;
  const ADD = `mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { id members { id } } }`;
  const MISSING = '00000000-0000-4000-8000-000000000000';
  interface Team { id: string; name: string; slug: string; manager: { id: string } | null; members: { id: string }[] }

  it('creates a team with a manager and members, and adds a member once', async () => {
    const [manager, a, b] = [await createUser('MANAGER'), await createUser(), await createUser()];
    const res = await api.gql<{ createTeam: Team }>(CREATE_TEAM, { input: { name: 'Payments Core', managerId: manager.id, memberIds: [a.id, a.id] } }, admin);
    expect(res.errors).toBeUndefined();
    const team = res.data!.createTeam;
    expect(team).toMatchObject({ name: 'Payments Core', slug: 'payments-core', manager: { id: manager.id }, members: [{ id: a.id }] });

    for (let i = 0; i < 2; i += 1) {
      const added = await api.gql<{ addTeamMember: Team }>(ADD, { t: team.id, u: b.id }, admin);
      expect(added.data!.addTeamMember.members.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    }
    const mine = await api.gql<{ me: { teams: { id: string }[] } }>(`{ me { teams { id } } }`, {}, await api.login(b.email, b.password));
    expect(mine.data!.me.teams).toEqual([{ id: team.id }]);
  });

  it.each([
    ['a blank name', { name: ' ' }, 'input.name'],
    ['a name without letters or digits', { name: '---' }, 'input.name'],
    ['an unknown manager', { name: 'T1', managerId: MISSING }, 'input.managerId'],
    ['a malformed manager id', { name: 'T2', managerId: 'nope' }, 'input.managerId'],
    ['an unknown member', { name: 'T3', memberIds: [MISSING] }, 'input.memberIds'],
  ])('refuses %s with BAD_USER_INPUT naming the field, writing nothing', async (_what, teamInput, field) => {
    const before = (await api.gql<{ teams: unknown[] }>(`{ teams { id } }`, {}, admin)).data!.teams.length;
    expect(errorOf(await api.gql(CREATE_TEAM, { input: teamInput }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect((await api.gql<{ teams: unknown[] }>(`{ teams { id } }`, {}, admin)).data!.teams.length).toBe(before);
  });

  it('refuses a name already taken, whatever its case', async () => {
    await api.gql(CREATE_TEAM, { input: { name: 'Search' } }, admin);
    expect(errorOf(await api.gql(CREATE_TEAM, { input: { name: 'SEARCH' } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('addTeamMember: unknown team is NOT_FOUND, unknown user is BAD_USER_INPUT on userId', async () => {
    const user = await createUser();
    const team = (await api.gql<{ createTeam: Team }>(CREATE_TEAM, { input: { name: 'Edge' } }, admin)).data!.createTeam;
    expect(errorOf(await api.gql(ADD, { t: MISSING, u: user.id }, admin)).code).toBe('NOT_FOUND');
    expect(errorOf(await api.gql(ADD, { t: 'nope', u: user.id }, admin)).code).toBe('NOT_FOUND');
    expect(errorOf(await api.gql(ADD, { t: team.id, u: MISSING }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    expect(errorOf(await api.gql(ADD, { t: team.id, u: 'nope' }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    const after = await api.gql<{ teams: Team[] }>(`{ teams { id members { id } } }`, {}, admin);
    expect(after.data!.teams.find((t) => t.id === team.id)!.members).toEqual([]);
  });

  it('members show their sign-in status when a query asks for it, directly or through a fragment, and only the card otherwise', async () => {
    const user = await createUser();
    const team = (await api.gql<{ createTeam: Team }>(CREATE_TEAM, { input: { name: 'Status shown' } }, admin)).data!.createTeam;
    await api.gql(ADD, { t: team.id, u: user.id }, admin);
    type Member = { id: string; name: string; active?: boolean; mustChangePassword?: boolean };
    const membersOf = async (query: string): Promise<Member[]> =>
      (await api.gql<{ teams: { id: string; members: Member[] }[] }>(query, {}, admin)).data!.teams.find((t) => t.id === team.id)!.members;
    expect(await membersOf(`{ teams { id members { id name } } }`)).toEqual([{ id: user.id, name: expect.any(String) }]);
    expect(await membersOf(`{ teams { id members { id name active mustChangePassword } } }`)).toEqual([{ id: user.id, name: expect.any(String), active: true, mustChangePassword: false }]);
    expect(await membersOf(`{ teams { id members { id ...S } } } fragment S on User { name active }`)).toEqual([{ id: user.id, name: expect.any(String), active: true }]);
  });
});

describe('updateTeam and removeTeamMember', () => {
  const CREATE_TEAM = `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id name slug manager { id } members { id } } }`;
  const UPDATE = `mutation($id: ID!, $name: String, $m: ID) { updateTeam(id: $id, name: $name, managerId: $m) { id name slug manager { id } } }`;
  const REMOVE = `mutation($t: ID!, $u: ID!) { removeTeamMember(teamId: $t, userId: $u) { id members { id } } }`;
  const MISSING = '00000000-0000-4000-8000-000000000000';
  interface Team { id: string; name: string; slug: string; manager: { id: string } | null; members: { id: string }[] }
  const newTeam = async (name: string, input: Record<string, unknown> = {}) => {
    const res = await api.gql<{ createTeam: Team }>(CREATE_TEAM, { input: { name, ...input } }, admin);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.createTeam;
  };
  const auditOf = async (entityType: string, id: string) =>
    (await api.gql<{ auditLog: { action: string; before: Record<string, unknown>; after: Record<string, unknown> }[] }>(
      `query($t: String, $id: String) { auditLog(entityType: $t, entityId: $id) { action before after } }`, { t: entityType, id }, admin,
    )).data!.auditLog;

  it('renames a team, changes and removes its manager, each audited; omitted arguments stay', async () => {
    const [m1, m2] = [await createUser('MANAGER'), await createUser('MANAGER')];
    const team = await newTeam('Checkout', { managerId: m1.id });
    const renamed = await api.gql<{ updateTeam: Team }>(UPDATE, { id: team.id, name: '  Checkout Platform ' }, admin);
    expect(renamed.data!.updateTeam).toEqual({ id: team.id, name: 'Checkout Platform', slug: team.slug, manager: { id: m1.id } });
    const managed = await api.gql<{ updateTeam: Team }>(UPDATE, { id: team.id, m: m2.id }, admin);
    expect(managed.data!.updateTeam).toMatchObject({ name: 'Checkout Platform', manager: { id: m2.id } });
    // The new manager's next request already sees the team as theirs.
    const token = await api.login(m2.email, m2.password);
    expect((await api.gql<{ me: { teams: { id: string }[] } }>(`{ me { teams { id } } }`, {}, token)).data!.me.teams.map((t) => t.id)).toContain(team.id);
    const none = await api.gql<{ updateTeam: Team }>(UPDATE, { id: team.id, m: null }, admin);
    expect(none.data!.updateTeam.manager).toBeNull();
    const log = await auditOf('Team', team.id);
    expect(log.map((e) => e.action)).toEqual(['team.update', 'team.update', 'team.update', 'team.create']);
    expect(log[2]).toMatchObject({ before: { name: 'Checkout' }, after: { name: 'Checkout Platform' } });
  });

  it.each([
    ['a blank name', { name: ' ' }, 'name'],
    ['a name without letters or digits', { name: '---' }, 'name'],
    ["another team's name in another case", { name: 'LEDGER' }, 'name'],
    ['an unknown manager', { m: MISSING }, 'managerId'],
    ['a malformed manager id', { m: 'nope' }, 'managerId'],
  ])('refuses %s with BAD_USER_INPUT naming the field, changing nothing', async (_what, vars, field) => {
    await api.gql(CREATE_TEAM, { input: { name: 'Ledger' } }, admin);
    const team = await newTeam(`Edge ${++seq}`);
    expect(errorOf(await api.gql(UPDATE, { id: team.id, ...vars }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const after = (await api.gql<{ teams: Team[] }>(`{ teams { id name slug manager { id } members { id } } }`, {}, admin)).data!.teams.find((t) => t.id === team.id);
    expect(after).toEqual(team);
  });

  it('updateTeam: unknown or malformed team ids are NOT_FOUND', async () => {
    expect(errorOf(await api.gql(UPDATE, { id: MISSING, name: 'X' }, admin)).code).toBe('NOT_FOUND');
    expect(errorOf(await api.gql(UPDATE, { id: 'nope', name: 'X' }, admin)).code).toBe('NOT_FOUND');
  });

  it("removes a member; their open items of that team become unassigned (done items and other teams' items keep them), audited", async () => {
    const [manager, member, other] = [await createUser('MANAGER'), await createUser('COMMANDER'), await createUser('COMMANDER')];
    const team = await newTeam(`Storage ${++seq}`, { managerId: manager.id, memberIds: [member.id, other.id] });
    const elsewhere = await newTeam(`Network ${++seq}`, { memberIds: [member.id] });
    const incident = (await api.gql<{ createIncident: { id: string } }>(
      `mutation { createIncident(input: { title: "Disk full", severity: SEV3, startedAt: "2026-11-20T10:00:00Z" }) { id } }`, {}, admin,
    )).data!.createIncident.id;
    const item = async (ownerTeamId: string, assigneeId: string) =>
      (await api.gql<{ createActionItem: { id: string } }>(
        `mutation($i: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $i, input: $input) { id } }`,
        { i: incident, input: { title: `Item ${++seq}`, kind: 'DETECT', priority: 'P2', ownerTeamId, assigneeId } }, admin,
      )).data!.createActionItem.id;
    const [open, inProgress, done, otherTeam, colleague] = [await item(team.id, member.id), await item(team.id, member.id), await item(team.id, member.id), await item(elsewhere.id, member.id), await item(team.id, other.id)];
    const SET = `mutation($id: ID!, $input: UpdateActionItemInput!) { updateActionItem(id: $id, input: $input) { id } }`;
    expect((await api.gql(SET, { id: inProgress, input: { status: 'IN_PROGRESS' } }, admin)).errors).toBeUndefined();
    const completed = await api.gql(`mutation($id: ID!) { completeActionItem(id: $id, note: "Alert added") { id } }`, { id: done }, admin);
    expect(completed.errors).toBeUndefined();

    const res = await api.gql<{ removeTeamMember: { id: string; members: { id: string }[] } }>(REMOVE, { t: team.id, u: member.id }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data!.removeTeamMember.members.map((m) => m.id)).toEqual([other.id]);

    const assignee = async (id: string) =>
      (await api.gql<{ actionItem: { assignee: { id: string } | null } }>(`query($id: ID!) { actionItem(id: $id) { assignee { id } } }`, { id }, admin)).data!.actionItem.assignee?.id ?? null;
    expect(await Promise.all([open, inProgress, done, otherTeam, colleague].map(assignee))).toEqual([null, null, member.id, member.id, other.id]);
    const teamLog = await auditOf('Team', team.id);
    expect(teamLog[0]).toMatchObject({ action: 'team.remove-member', after: { userId: member.id, unassignedActionItemIds: expect.arrayContaining([open, inProgress]) } });
    expect((await auditOf('ActionItem', open))[0]).toMatchObject({ action: 'action-item.unassign', before: { assigneeId: member.id }, after: { assigneeId: null } });

    // Removing again: not a member any more.
    expect(errorOf(await api.gql(REMOVE, { t: team.id, u: member.id }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
  });

  it('removeTeamMember: unknown team is NOT_FOUND, unknown or malformed user is BAD_USER_INPUT on userId', async () => {
    const team = await newTeam(`Gone ${++seq}`);
    const user = await createUser();
    expect(errorOf(await api.gql(REMOVE, { t: MISSING, u: user.id }, admin)).code).toBe('NOT_FOUND');
    expect(errorOf(await api.gql(REMOVE, { t: 'nope', u: user.id }, admin)).code).toBe('NOT_FOUND');
    expect(errorOf(await api.gql(REMOVE, { t: team.id, u: MISSING }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    expect(errorOf(await api.gql(REMOVE, { t: team.id, u: 'nope' }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
  });
});
