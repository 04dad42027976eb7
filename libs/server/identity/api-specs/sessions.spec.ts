import { Client } from 'pg';
import { ApiHarness, GqlResponse, startApi } from '@hindsight/server-app/testing';
import { Person, Scenario } from '@hindsight/server-testing';
import { SessionsRepository } from '@hindsight/server-identity';

/*
 * Sessions, lifetimes, an ADMIN's password reset and profile changes, through the real API on
 * a cloned database. Time passing is simulated by moving a session's timestamps back in SQL.
 */

let api: ApiHarness;
let admin: string;
let pg: Client;

beforeAll(async () => {
  api = await startApi();
  admin = await api.login();
  pg = new Client({ connectionString: api.db.url });
  await pg.connect();
});
afterAll(async () => {
  await pg.end();
  await api.close();
});

interface Session { id: string; createdAt: string; lastUsedAt: string; userAgent: string | null; clientIp: string | null; current: boolean }
const MY_SESSIONS = `{ mySessions { id createdAt lastUsedAt userAgent clientIp current } }`;
const USERS = `{ users { id } }`;

let seq = 0;
const person = (role = 'COMMANDER'): Promise<Person> => {
  seq += 1;
  return new Scenario(api, admin).person({ email: `someone${seq}@sessions.test`, name: `Someone ${seq}`, role, password: 'first-password-1' });
};

async function loginAs(email: string, password: string, userAgent: string): Promise<string> {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ query: `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, variables: { e: email, p: password } }),
  });
  const body = (await res.json()) as { data: { login: { token: string } } | null; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.login.token;
}

const codeOf = (res: GqlResponse) => res.errors?.[0]?.extensions?.code ?? 'OK';
const works = async (token: string) => codeOf(await api.gql(USERS, {}, token));
const sessionsOf = async (token: string) => (await api.gql<{ mySessions: Session[] }>(MY_SESSIONS, {}, token)).data!.mySessions;

describe('your sessions', () => {
  it('lists live sessions with browser, address and which one is this; ends one; signs out everywhere else, then everywhere', async () => {
    const p = await person();
    const laptop = await loginAs(p.email, p.password, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0');
    const phone = await loginAs(p.email, p.password, 'Mozilla/5.0 (iPhone) Safari/604.1');
    const tablet = await loginAs(p.email, p.password, 'Tablet/1.0');
    const list = await sessionsOf(laptop);
    expect(list).toHaveLength(3);
    expect(list.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0']);
    expect(list.map((s) => s.userAgent).sort()).toEqual(['Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', 'Mozilla/5.0 (iPhone) Safari/604.1', 'Tablet/1.0'].sort());
    expect(list.every((s) => s.clientIp === '127.0.0.1' && !Number.isNaN(Date.parse(s.createdAt)) && !Number.isNaN(Date.parse(s.lastUsedAt)))).toBe(true);

    const phoneId = list.find((s) => s.userAgent?.includes('iPhone'))!.id;
    expect((await api.gql(`mutation($id: ID!) { endSession(id: $id) }`, { id: phoneId }, laptop)).data).toEqual({ endSession: true });
    expect([await works(phone), await works(laptop), await works(tablet)]).toEqual(['UNAUTHENTICATED', 'OK', 'OK']);
    // Already ended, someone else's or made up: NOT_FOUND.
    const other = await person();
    const otherToken = await api.login(other.email, other.password);
    const otherId = (await sessionsOf(otherToken))[0].id;
    for (const id of [phoneId, otherId, 'nope']) expect(codeOf(await api.gql(`mutation($id: ID!) { endSession(id: $id) }`, { id }, laptop))).toBe('NOT_FOUND');
    expect(await works(otherToken)).toBe('OK');

    expect((await api.gql(`mutation { signOutEverywhere }`, {}, laptop)).data).toEqual({ signOutEverywhere: 1 });
    expect([await works(laptop), await works(tablet)]).toEqual(['OK', 'UNAUTHENTICATED']);
    const again = await loginAs(p.email, p.password, 'Again/1.0');
    expect((await api.gql(`mutation { signOutEverywhere(keepCurrent: false) }`, {}, laptop)).data).toEqual({ signOutEverywhere: 2 });
    expect([await works(laptop), await works(again)]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    const { rows } = await pg.query(`SELECT end_reason, count(*)::int AS n FROM sessions WHERE user_id = $1 GROUP BY 1 ORDER BY 1`, [p.id]);
    expect(rows).toEqual([{ end_reason: 'ended-by-user', n: 1 }, { end_reason: 'signed-out-everywhere', n: 3 }]);
  });

  it('an API token has no sessions to sign out of', async () => {
    const token = (await api.gql<{ createApiToken: { token: string } }>(`mutation { createApiToken(name: "ci") { token } }`, {}, admin)).data!.createApiToken.token;
    expect(codeOf(await api.gql(`mutation { signOutEverywhere }`, {}, token))).toBe('FORBIDDEN');
  });

  it('an ADMIN ends all sessions of a user (audited); the API token of the user keeps working', async () => {
    const p = await person();
    const [a, b] = [await api.login(p.email, p.password), await api.login(p.email, p.password)];
    const token = (await api.gql<{ createApiToken: { token: string } }>(`mutation($u: ID) { createApiToken(name: "ci", userId: $u) { token } }`, { u: p.id }, admin)).data!.createApiToken.token;
    expect((await api.gql(`mutation($u: ID!) { endUserSessions(userId: $u) }`, { u: p.id }, admin)).data).toEqual({ endUserSessions: 2 });
    expect([await works(a), await works(b), await works(token)]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'OK']);
    const log = await api.gql<{ auditLog: { action: string; after: unknown }[] }>(`query($id: String) { auditLog(entityType: "User", entityId: $id) { action after } }`, { id: p.id }, admin);
    expect(log.data!.auditLog[0]).toEqual({ action: 'user.end-sessions', after: { ended: 2 } });
    expect(codeOf(await api.gql(`mutation($u: ID!) { endUserSessions(userId: $u) }`, { u: '00000000-0000-4000-8000-000000000000' }, admin))).toBe('NOT_FOUND');
  });

  it('records last use at most once a minute', async () => {
    const p = await person();
    const token = await api.login(p.email, p.password);
    const id = (await sessionsOf(token))[0].id;
    const lastUsed = async () => (await pg.query(`SELECT last_used_at FROM sessions WHERE id = $1`, [id])).rows[0].last_used_at as Date;
    await pg.query(`UPDATE sessions SET last_used_at = now() - interval '30 seconds' WHERE id = $1`, [id]);
    const recent = await lastUsed();
    await works(token);
    expect(await lastUsed()).toEqual(recent);
    await pg.query(`UPDATE sessions SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [id]);
    // Moved to the time of this request (a second's leeway for the clocks' rounding), however
    // long a busy machine takes to answer it.
    const asked = Date.now();
    await works(token);
    expect((await lastUsed()).getTime()).toBeGreaterThanOrEqual(asked - 1000);
  });
});

describe('session lifetimes', () => {
  const UPDATE = `mutation($i: SessionLifetimesInput!) { updateSessionLifetimes(input: $i) { idleTimeoutMinutes absoluteLifetimeHours } }`;

  it('defaults to 24 h idle and 7 days in all; a sign-in token lives as long as the absolute lifetime', async () => {
    expect((await api.gql(`{ sessionLifetimes { idleTimeoutMinutes absoluteLifetimeHours } }`, {}, admin)).data).toEqual({ sessionLifetimes: { idleTimeoutMinutes: 1440, absoluteLifetimeHours: 168 } });
    const p = await person();
    const token = await api.login(p.email, p.password);
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iat: number; exp: number };
    expect(payload.exp - payload.iat).toBe(168 * 3600);
  });

  it('refuses out-of-range values with BAD_USER_INPUT on the field, changing nothing', async () => {
    for (const [input, field] of [[{ idleTimeoutMinutes: 0 }, 'input.idleTimeoutMinutes'], [{ absoluteLifetimeHours: 100000 }, 'input.absoluteLifetimeHours'], [{ idleTimeoutMinutes: 120, absoluteLifetimeHours: 1 }, 'input.idleTimeoutMinutes']] as const) {
      const res = await api.gql(UPDATE, { i: input }, admin);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect((await api.gql(`{ sessionLifetimes { idleTimeoutMinutes } }`, {}, admin)).data).toEqual({ sessionLifetimes: { idleTimeoutMinutes: 1440 } });
  });

  it('enforces the idle and absolute lifetimes at request time, also on sessions already open', async () => {
    const p = await person();
    const [idle, old, fresh] = [await api.login(p.email, p.password), await api.login(p.email, p.password), await api.login(p.email, p.password)];
    const ids = await pg.query(`SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at`, [p.id]);
    const [idleId, oldId] = ids.rows.map((r) => r.id as string);
    // Two minutes unused, and two hours old but used just now.
    await pg.query(`UPDATE sessions SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [idleId]);
    await pg.query(`UPDATE sessions SET created_at = now() - interval '2 hours', last_used_at = now() WHERE id = $1`, [oldId]);
    expect([await works(idle), await works(old), await works(fresh)]).toEqual(['OK', 'OK', 'OK']);

    const set = await api.gql(UPDATE, { i: { idleTimeoutMinutes: 1, absoluteLifetimeHours: 1 } }, admin);
    expect(set.data).toEqual({ updateSessionLifetimes: { idleTimeoutMinutes: 1, absoluteLifetimeHours: 1 } });
    // The idle one was touched by the request above: make it idle again.
    await pg.query(`UPDATE sessions SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [idleId]);
    expect([await works(idle), await works(old), await works(fresh)]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'OK']);
    expect((await sessionsOf(fresh)).map((s) => s.id)).not.toContain(idleId);
    const log = await api.gql<{ auditLog: { action: string; before: unknown; after: unknown }[] }>(`{ auditLog(entityType: "Settings", entityId: "session-lifetimes") { action before after } }`, {}, admin);
    expect(log.data!.auditLog[0]).toEqual({ action: 'session-lifetimes.update', before: { idleTimeoutMinutes: 1440, absoluteLifetimeHours: 168 }, after: { idleTimeoutMinutes: 1, absoluteLifetimeHours: 1 } });
    await api.gql(UPDATE, { i: { idleTimeoutMinutes: 1440, absoluteLifetimeHours: 168 } }, admin);
  });
});

describe("an ADMIN's password reset", () => {
  const RESET = `mutation($u: ID!, $p: String!) { resetUserPassword(userId: $u, temporaryPassword: $p) { id mustChangePassword } }`;

  it('ends their sessions, lets them in with the temporary password only to change it, then everything works again', async () => {
    const p = await person();
    const before = await api.login(p.email, p.password);
    const reset = await api.gql(RESET, { u: p.id, p: 'temporary-pass-1' }, admin);
    expect(reset.data).toEqual({ resetUserPassword: { id: p.id, mustChangePassword: true } });
    expect(await works(before)).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(`mutation($e: String!) { login(email: $e, password: "first-password-1") { token } }`, { e: p.email }))).toBe('UNAUTHENTICATED');

    const temp = await api.login(p.email, 'temporary-pass-1');
    const refused = await api.gql(USERS, {}, temp);
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringContaining('choose a new one (changePassword)'), extensions: { code: 'FORBIDDEN', reason: 'PASSWORD_CHANGE_REQUIRED' } });
    expect((await api.gql(`{ me { id mustChangePassword } }`, {}, temp)).data).toEqual({ me: { id: p.id, mustChangePassword: true } });
    expect((await sessionsOf(temp)).length).toBe(1);

    const changed = await api.gql(`mutation { changePassword(currentPassword: "temporary-pass-1", newPassword: "my-own-password-2") }`, {}, temp);
    expect(changed.data).toEqual({ changePassword: true });
    expect(await works(temp)).toBe('OK');
    expect((await api.gql(`{ me { mustChangePassword } }`, {}, temp)).data).toEqual({ me: { mustChangePassword: false } });
    expect(await works(await api.login(p.email, 'my-own-password-2'))).toBe('OK');
    const log = await api.gql<{ auditLog: { action: string; after: Record<string, unknown> }[] }>(`query($id: String) { auditLog(entityType: "User", entityId: $id) { action after } }`, { id: p.id }, admin);
    // The sign-in with the old password after the reset failed, and is audited too.
    expect(log.data!.auditLog.map((e) => e.action)).toEqual(['user.change-password', 'sign-in.failure', 'user.reset-password', 'user.create']);
    expect(log.data!.auditLog[2].after).toEqual({ mustChangePassword: true, endedSessions: 1 });
    expect(JSON.stringify(log.data!.auditLog)).not.toContain('temporary-pass-1');
  });

  it('refuses a short password (on temporaryPassword), an unknown user, and resetting yourself', async () => {
    const p = await person();
    expect((await api.gql(RESET, { u: p.id, p: 'short' }, admin)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'temporaryPassword' });
    expect(codeOf(await api.gql(RESET, { u: '00000000-0000-4000-8000-000000000000', p: 'temporary-pass-1' }, admin))).toBe('NOT_FOUND');
    const me = (await api.gql<{ me: { id: string } }>(`{ me { id } }`, {}, admin)).data!.me.id;
    expect(codeOf(await api.gql(RESET, { u: me, p: 'temporary-pass-1' }, admin))).toBe('FORBIDDEN');
    expect(await works(await api.login(p.email, p.password))).toBe('OK');
  });

  it('the REST exports refuse the temporary password too, until it is changed', async () => {
    const p = await person();
    await api.gql(RESET, { u: p.id, p: 'temporary-pass-1' }, admin);
    const temp = await api.login(p.email, 'temporary-pass-1');
    const exports = ['/api/reports/reliability.csv?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z', '/incidents/INC-999999/postmortem.md', '/runbooks/00000000-0000-4000-8000-000000000000.md'];
    const get = (path: string) => fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${temp}` } });
    for (const path of exports) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(await res.json()).toMatchObject({ statusCode: 403, reason: 'PASSWORD_CHANGE_REQUIRED', message: expect.stringContaining('choose a new one (changePassword)') });
    }
    await api.gql(`mutation { changePassword(currentPassword: "temporary-pass-1", newPassword: "my-own-password-2") }`, {}, temp);
    // Signed in for good: the report answers, and the missing incident and runbook are only missing.
    expect((await get(exports[0])).status).toBe(200);
    expect((await get(exports[1])).status).toBe(404);
    expect((await get(exports[2])).status).toBe(404);
  });
});

describe('updateUser', () => {
  const UPDATE = `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id name email } }`;

  it("changes a person's name and e-mail (audited); they sign in with the new address", async () => {
    const p = await person();
    const res = await api.gql(UPDATE, { id: p.id, i: { name: '  Ada King ', email: ' ada.king@sessions.test ' } }, admin);
    expect(res.data).toEqual({ updateUser: { id: p.id, name: 'Ada King', email: 'ada.king@sessions.test' } });
    expect(await works(await api.login('ada.king@sessions.test', p.password))).toBe('OK');
    const renamed = await api.gql(UPDATE, { id: p.id, i: { name: 'Ada Lovelace' } }, admin);
    expect(renamed.data).toEqual({ updateUser: { id: p.id, name: 'Ada Lovelace', email: 'ada.king@sessions.test' } });
    const log = await api.gql<{ auditLog: { action: string; before: Record<string, unknown>; after: Record<string, unknown> }[] }>(`query($id: String) { auditLog(entityType: "User", entityId: $id) { action before after } }`, { id: p.id }, admin);
    expect(log.data!.auditLog.map((e) => e.action)).toEqual(['user.update', 'user.update', 'user.create']);
    expect(log.data!.auditLog[1]).toMatchObject({ before: { name: p.email.replace(/@.*/, '').replace('someone', 'Someone '), email: p.email }, after: { name: 'Ada King', email: 'ada.king@sessions.test' } });
  });

  it("refuses another person's e-mail (any case) and a malformed one with BAD_USER_INPUT on input.email, a blank name on input.name, an unknown id with NOT_FOUND", async () => {
    const [p, q] = [await person(), await person()];
    for (const [i, field] of [[{ email: q.email.toUpperCase() }, 'input.email'], [{ email: 'not-an-address' }, 'input.email'], [{ name: '  ' }, 'input.name']] as const) {
      expect((await api.gql(UPDATE, { id: p.id, i }, admin)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(codeOf(await api.gql(UPDATE, { id: '00000000-0000-4000-8000-000000000000', i: { name: 'X' } }, admin))).toBe('NOT_FOUND');
    expect((await api.gql<{ users: { id: string; email: string }[] }>(`{ users { id email } }`, {}, admin)).data!.users.find((u) => u.id === p.id)!.email).toBe(p.email);
  });
});

describe('pruning finished sessions', () => {
  it('deletes, batch after batch, the sessions finished over the retention, and none that still counts', async () => {
    const p = await person();
    const live = await api.login(p.email, p.password);
    await pg.query(
      `INSERT INTO sessions (user_id, created_at, expires_at, ended_at, end_reason)
       SELECT $1, now() - interval '90 days', now() - interval '50 days', CASE WHEN i % 2 = 0 THEN now() - interval '45 days' END, CASE WHEN i % 2 = 0 THEN 'logout' END
         FROM generate_series(1, 5) AS i`,
      [p.id],
    );
    const before = Number((await pg.query(`SELECT count(*) FROM sessions`)).rows[0].count);
    // Batches of 2: three statements for five rows.
    expect(await api.app.get(SessionsRepository).pruneFinished(30, 2)).toBe(5);
    expect(Number((await pg.query(`SELECT count(*) FROM sessions`)).rows[0].count)).toBe(before - 5);
    expect(await works(live)).toBe('OK');
    expect(await api.app.get(SessionsRepository).pruneFinished(30, 2)).toBe(0);
  });
});
