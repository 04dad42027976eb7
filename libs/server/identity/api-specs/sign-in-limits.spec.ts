import { Client } from 'pg';
import { SIGN_IN_LIMITS } from '@hindsight/domain';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { Person, Scenario } from '@hindsight/server-testing';
import { PasswordHasher } from '@hindsight/server-identity';

/*
 * Issue 22, items 3-5 and the password rule, through the real API: one spelling per address,
 * a limit that counts before it checks, locks per (account, client address) with an
 * account-wide back-off that slows but never locks, and the audit trail of all of it. Client
 * addresses come from X-Forwarded-For (TRUST_PROXY=true), as behind a reverse proxy.
 */

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token user { id email mustChangePassword } } }`;
const PASSWORD = 'saffron-kettle-42';

interface LoginAnswer { token: string | null; code: string | null; retryAfterSeconds?: number; mustChangePassword?: boolean; message?: string }

let api: ApiHarness;
let admin: string;
let pg: Client;
let seq = 0;
const previousTrustProxy = process.env['TRUST_PROXY'];

beforeAll(async () => {
  process.env['TRUST_PROXY'] = 'true';
  api = await startApi();
  admin = await api.login();
  pg = new Client({ connectionString: api.db.url });
  await pg.connect();
});
afterAll(async () => {
  if (previousTrustProxy === undefined) delete process.env['TRUST_PROXY'];
  else process.env['TRUST_PROXY'] = previousTrustProxy;
  await pg?.end();
  await api?.close();
});

/** A sign-in from `from` (a client address), as the browser sends it. */
async function login(email: string, password: string, from: string): Promise<LoginAnswer> {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ query: LOGIN, variables: { e: email, p: password } }),
  });
  const body = (await res.json()) as { data?: { login: { token: string; user: { mustChangePassword: boolean } } } | null; errors?: { message: string; extensions: { code: string; retryAfterSeconds?: number } }[] };
  const error = body.errors?.[0];
  return {
    token: body.data?.login?.token ?? null, code: error?.extensions.code ?? null, retryAfterSeconds: error?.extensions.retryAfterSeconds,
    mustChangePassword: body.data?.login?.user.mustChangePassword, message: error?.message,
  };
}

const person = (role = 'ADMIN', password = PASSWORD): Promise<Person> => {
  seq += 1;
  return new Scenario(api, admin).person({ email: `victim${seq}@example.com`, name: `Victim ${seq}`, role, password });
};

async function auditOf(entityType: string, entityId: string): Promise<{ action: string; after: Record<string, unknown> }[]> {
  const res = await api.gql<{ auditLog: { action: string; after: Record<string, unknown> }[] }>(
    `query($t: String, $id: String) { auditLog(entityType: $t, entityId: $id, first: 100) { action after } }`, { t: entityType, id: entityId }, admin,
  );
  return res.data!.auditLog;
}

const lockOut = async (email: string, from: string) => {
  for (let i = 0; i < SIGN_IN_LIMITS.perAccountPerClient; i++) expect((await login(email, `wrong-guess-${i}`, from)).code).toBe('UNAUTHENTICATED');
};

describe('one spelling per address', () => {
  it('a locked account cannot sign in as victİm@… (U+0130), and its fullwidth spelling meets the same lock', async () => {
    const victim = await person();
    await lockOut(victim.email, '203.0.113.10');
    expect(await login(victim.email, PASSWORD, '203.0.113.10')).toMatchObject({ token: null, code: 'RATE_LIMITED' });
    // Postgres' lower() folds İ to i: this spelling used to reach the account past its lock.
    const lookAlike = victim.email.replace('victim', 'victİm');
    expect(await login(lookAlike, PASSWORD, '203.0.113.10')).toMatchObject({ token: null, code: 'UNAUTHENTICATED' });
    expect(await login(lookAlike.toUpperCase(), PASSWORD, '203.0.113.10')).toMatchObject({ token: null });
    // The fullwidth spelling is the same address once normalised: the same account, the same lock.
    const fullwidth = victim.email.replace('victim', 'ｖｉｃｔｉｍ').replace('example.com', 'ＥＸＡＭＰＬＥ．ＣＯＭ');
    expect(await login(fullwidth, PASSWORD, '203.0.113.10')).toMatchObject({ token: null, code: 'RATE_LIMITED' });
    // From another address the owner signs in with any spelling of the address.
    expect((await login(fullwidth, PASSWORD, '198.51.100.10')).token).toEqual(expect.any(String));
  });

  it('an account is created, found and kept unique in its normalised spelling', async () => {
    const created = await api.gql<{ createUser: { email: string } }>(`mutation($i: CreateUserInput!) { createUser(input: $i) { email } }`, {
      i: { email: ' Hans@BÜCHER.example ', name: 'Hans', role: 'VIEWER', password: PASSWORD },
    }, admin);
    expect(created.data!.createUser.email).toBe('hans@xn--bcher-kva.example');
    expect((await login('ＨＡＮＳ@bücher.example', PASSWORD, '198.51.100.11')).token).toEqual(expect.any(String));
    const again = await api.gql(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email: 'hans@xn--BCHER-kva.example', name: 'Hans 2', role: 'VIEWER', password: PASSWORD } }, admin);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email', reason: 'is already used by another user' });
  });
});

describe('the sign-in limit counts before it checks', () => {
  it(`40 concurrent wrong passwords make at most ${SIGN_IN_LIMITS.perAccountPerClient} real password checks`, async () => {
    const victim = await person();
    const hasher = api.app.get(PasswordHasher);
    const before = hasher.stats().checks;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(victim.email, `concurrent-guess-${i}`, '203.0.113.20')));
    const checks = hasher.stats().checks - before;
    expect(checks).toBeLessThanOrEqual(SIGN_IN_LIMITS.perAccountPerClient);
    expect(answers.filter((a) => a.code === 'UNAUTHENTICATED')).toHaveLength(checks);
    expect(answers.filter((a) => a.code === 'RATE_LIMITED')).toHaveLength(40 - checks);
    expect(answers.every((a) => a.token === null)).toBe(true);
  });
});

describe('locks per (account, client address), a back-off per account', () => {
  it('an attacker elsewhere locks only themselves out: the last ADMIN still signs in from their own address', async () => {
    const onlyAdmin = await person('ADMIN');
    await lockOut(onlyAdmin.email, '203.0.113.30');
    const refused = await login(onlyAdmin.email, PASSWORD, '203.0.113.30');
    expect(refused).toMatchObject({ token: null, code: 'RATE_LIMITED', message: expect.stringMatching(/for this account from your address/) });
    expect(refused.retryAfterSeconds).toBeGreaterThan(SIGN_IN_LIMITS.windowSeconds - 120);
    expect((await login(onlyAdmin.email, PASSWORD, '198.51.100.30')).token).toEqual(expect.any(String));

    const audit = await auditOf('User', onlyAdmin.id);
    expect(audit.filter((a) => a.action === 'sign-in.failure')).toHaveLength(SIGN_IN_LIMITS.perAccountPerClient);
    expect(audit.filter((a) => a.action === 'sign-in.failure')[0].after).toMatchObject({ email: onlyAdmin.email, clientIp: '203.0.113.30', reason: 'wrong-password' });
    expect(audit.filter((a) => a.action === 'sign-in.lockout').map((a) => a.after)).toEqual([
      expect.objectContaining({ clientIp: '203.0.113.30', failures: SIGN_IN_LIMITS.perAccountPerClient, scope: 'this client address' }),
    ]);
    expect(JSON.stringify(audit)).not.toContain('wrong-guess');
  });

  it('guesses from many addresses slow the account down (the back-off) but never lock it; a familiar address is not slowed', async () => {
    const owner = await person('ADMIN');
    expect((await login(owner.email, PASSWORD, '198.51.100.40')).token).toEqual(expect.any(String));
    for (const from of ['203.0.113.41', '203.0.113.42']) await lockOut(owner.email, from);
    // 20 failures from everywhere: the next check of the account from a new address waits a little.
    const slowed = await login(owner.email, PASSWORD, '192.0.2.43');
    expect(slowed).toMatchObject({ token: null, code: 'RATE_LIMITED', message: expect.stringMatching(/spaced out/) });
    expect(slowed.retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.backoffMaxSeconds);
    // From the address the owner signed in from before, no waiting at all.
    expect((await login(owner.email, PASSWORD, '198.51.100.40')).token).toEqual(expect.any(String));
    // Once the pause has passed (moved back here rather than waited for), the new address gets in too.
    await pg.query(`UPDATE login_attempts SET last_attempt_at = now() - make_interval(secs => $1) WHERE key LIKE 'backoff:%'`, [SIGN_IN_LIMITS.backoffMaxSeconds]);
    expect((await login(owner.email, PASSWORD, '192.0.2.43')).token).toEqual(expect.any(String));
    expect((await auditOf('User', owner.id)).filter((a) => a.action === 'sign-in.backoff')).toHaveLength(1);
  });

  it('failures for addresses with no account are limited and audited the same way', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountPerClient; i++) expect((await login('Nobody@Example.com', `guess-${i}`, '203.0.113.50')).code).toBe('UNAUTHENTICATED');
    expect((await login('nobody@example.com', 'guess', '203.0.113.50')).code).toBe('RATE_LIMITED');
    const audit = await auditOf('SignIn', 'nobody@example.com');
    expect(audit.filter((a) => a.action === 'sign-in.failure')).toHaveLength(SIGN_IN_LIMITS.perAccountPerClient);
    expect(audit.find((a) => a.action === 'sign-in.failure')?.after).toMatchObject({ email: 'nobody@example.com', reason: 'unknown-account' });
    expect(audit.filter((a) => a.action === 'sign-in.lockout')).toHaveLength(1);
  });

  it('a client address over its limit waits, whatever address it tries, and its refused attempts write nothing', async () => {
    await pg.query(`INSERT INTO login_attempts (key, window_start, failures) VALUES ('ip:203.0.113.51', now(), $1)`, [SIGN_IN_LIMITS.perClient]);
    for (const n of [1, 2, 3]) expect((await login(`sprayed${n}@example.com`, 'guess', '203.0.113.51')).code).toBe('RATE_LIMITED');
    expect((await pg.query(`SELECT key FROM login_attempts WHERE key LIKE '%sprayed%'`)).rows).toEqual([]);
  });
});

describe('the rule for new passwords', () => {
  const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;

  it('refuses short and common new passwords everywhere one is chosen, saying why', async () => {
    const short = await api.gql(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email: 'short@example.com', name: 'S', role: 'VIEWER', password: 'elevenchars' } }, admin);
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password', reason: expect.stringMatching(/at least 12 characters \(got 11\)/) });
    const p = await person('VIEWER');
    const session = (await login(p.email, PASSWORD, '198.51.100.60')).token as string;
    const common = await api.gql(CHANGE, { c: PASSWORD, n: 'Password2024!' }, session);
    expect(common.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword', reason: expect.stringMatching(/most common passwords/) });
    const reset = await api.gql(`mutation($u: ID!, $p: String!) { resetUserPassword(userId: $u, temporaryPassword: $p) { id } }`, { u: p.id, p: 'qwertyuiop123' }, admin);
    expect(reset.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'temporaryPassword' });
    // Nothing changed: the old password still signs in.
    expect((await login(p.email, PASSWORD, '198.51.100.60')).token).toEqual(expect.any(String));
  });

  it('a password chosen before the rule still signs in, once: the person must choose a new one first', async () => {
    const p = await person('COMMANDER');
    const oldHash = await api.app.get(PasswordHasher).hash('letmein8');
    await pg.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [p.id, oldHash]);
    const signedIn = await login(p.email, 'letmein8', '198.51.100.70');
    expect(signedIn).toMatchObject({ token: expect.any(String), mustChangePassword: true });
    const refused = await api.gql(`{ users { id } }`, {}, signedIn.token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PASSWORD_CHANGE_REQUIRED' });
    expect((await api.gql(CHANGE, { c: 'letmein8', n: 'letmein9' }, signedIn.token)).errors?.[0]?.extensions).toMatchObject({ field: 'newPassword' });
    expect((await api.gql(CHANGE, { c: 'letmein8', n: 'quiet-lantern-harbour' }, signedIn.token)).data).toEqual({ changePassword: true });
    expect((await api.gql(`{ users { id } }`, {}, signedIn.token)).errors).toBeUndefined();
    expect((await auditOf('User', p.id)).map((a) => a.action)).toContain('user.password-below-policy');
  });
});

describe('hashing cannot starve the server', () => {
  it('runs at most `concurrency` hashes at once and refuses, at once, what does not fit in the queue', async () => {
    const hasher = new PasswordHasher({ concurrency: 1, queue: 2 });
    const hash = await hasher.hash(PASSWORD);
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => hasher.verify(hash, PASSWORD)));
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<boolean>).value)).toEqual([true, true, true]);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as { extensions: Record<string, unknown> });
    expect(rejected.map((e) => e.extensions)).toEqual([
      { code: 'RATE_LIMITED', retryAfterSeconds: 1 },
      { code: 'RATE_LIMITED', retryAfterSeconds: 1 },
    ]);
    expect(hasher.stats()).toMatchObject({ peakRunning: 1, running: 0, queued: 0, refused: 2, checks: 3, hashes: 1 });
  });
});
