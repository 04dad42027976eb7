import { Client } from 'pg';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { Scenario } from '@hindsight/server-testing';
import { SSO_ERRORS } from '@hindsight/domain';
import {
  authorizeAtProvider, CookieJar, FakeIdTokenProvider, finishSignIn, freePort, signInThroughProvider, startFakeIdTokenProvider, startSignIn, startTestProvider, TestProvider,
} from '@hindsight/server-sso/testing';

const ME = `{ me { id email name role active } }`;
const ROLE_MAP = 'sre-admins=ADMIN,eng-managers=MANAGER,oncall=COMMANDER';

interface Me { id: string; email: string; name: string; role: string; active: boolean }

describe('OpenID Connect sign-in against a real OpenID Provider (oidc-provider on loopback)', () => {
  let provider: TestProvider;
  let api: ApiHarness;
  let admin: string;

  const me = async (token: string): Promise<Me | null> => (await api.gql<{ me: Me | null }>(ME, {}, token)).data?.me ?? null;
  const gql = async <T>(q: string, v: Record<string, unknown> = {}, token: string = admin): Promise<T> => {
    const r = await api.gql<T>(q, v, token);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data as T;
  };
  const createPasswordUser = (email: string, role = 'COMMANDER') => new Scenario(api, admin).person({ email, role, password: 'password-of-old-1' });

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startTestProvider(publicUrl, {
      ana: { email: 'ana@example.com', email_verified: true, name: 'Ana Lima', groups: ['oncall', 'sre-admins'] },
      ben: { email: 'ben@example.com', email_verified: true, name: 'Ben Okafor', groups: ['oncall'] },
      carol: { email: 'carol@example.com', email_verified: false, name: 'Carol', groups: ['sre-admins'] },
      dave: { email: 'Dave@Example.com', email_verified: true, name: 'Dave at the IdP', groups: ['eng-managers'] },
      eve: { email: 'eve@elsewhere.org', email_verified: true, name: 'Eve', groups: ['sre-admins'] },
      finn: { email: 'finn@example.com', email_verified: true, name: 'Finn' },
      hana: { email: 'hana@example.com', email_verified: false, name: 'Hana', groups: ['sre-admins'] },
      // Look-alikes of victim@example.com: U+0130 (Postgres' lower() folds it to i), and fullwidth letters.
      mallory: { email: 'victİm@example.com', email_verified: true, name: 'Mallory', groups: ['oncall'] },
      wide: { email: 'ｖｉｃｔｉｍ@ＥＸＡＭＰＬＥ．ｃｏｍ', email_verified: true, name: 'Victim at work', groups: ['sre-admins'] },
    });
    api = await startApi(
      {
        PUBLIC_URL: publicUrl, OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_NAME: 'Acme SSO', OIDC_ALLOWED_DOMAINS: 'example.com', OIDC_ROLE_MAP: ROLE_MAP, PASSWORD_LOGIN: 'admin-only',
      },
      { port },
    );
    admin = await api.login();
  });
  afterAll(async () => {
    await api?.close();
    await provider?.close();
  });

  it('lists the provider and the password mode for the sign-in page, without a sign-in', async () => {
    const r = await api.gql<{ authProviders: unknown[]; passwordLogin: string }>(`{ authProviders { id name loginUrl } passwordLogin }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ authProviders: [{ id: 'oidc', name: 'Acme SSO', loginUrl: `${api.url}/auth/oidc/login` }], passwordLogin: 'ADMIN_ONLY' });
  });

  it('starts with a PKCE, state and nonce authorization request to the provider, bound to the browser by a cookie', async () => {
    const jar = new CookieJar();
    const res = await fetch(`${api.url}/auth/oidc/login`, { redirect: 'manual' });
    jar.store(res);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location') ?? '');
    expect(to.origin).toBe(provider.issuer);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      response_type: 'code', client_id: provider.clientId, redirect_uri: `${api.url}/auth/oidc/callback`, scope: 'openid email profile', code_challenge_method: 'S256',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(p)?.length).toBeGreaterThanOrEqual(32);
    expect(res.headers.get('set-cookie')).toMatch(/^hindsight_oidc=[\w-]{40,}; Path=\/auth\/oidc\/callback; Max-Age=600; HttpOnly; SameSite=Lax$/);
  });

  it('signs a new person in through the provider, creating their account with the highest mapped role', async () => {
    const outcome = await signInThroughProvider(api.url, 'ana');
    expect(outcome.error).toBeNull();
    // The token travels in the fragment of the sign-in page: never in a query a server logs, never in a Referer.
    expect(outcome.location.startsWith(`${api.url}/signin#`)).toBe(true);
    expect(new URL(outcome.location).search).toBe('');
    expect(outcome.response.headers.get('cache-control')).toBe('no-store');
    expect(outcome.response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(outcome.returnTo).toBe('/');
    const ana = await me(outcome.token as string);
    expect(ana).toMatchObject({ email: 'ana@example.com', name: 'Ana Lima', role: 'ADMIN', active: true });
    // A session like a password sign-in's, listed with where it came from.
    const sessions = await gql<{ mySessions: { current: boolean; clientIp: string | null }[] }>(`{ mySessions { current clientIp } }`, {}, outcome.token as string);
    expect(sessions.mySessions).toEqual([{ current: true, clientIp: '127.0.0.1' }]);

    // The next sign-in finds the same account through the provider's subject.
    const again = await signInThroughProvider(api.url, 'ana');
    expect((await me(again.token as string))?.id).toBe(ana?.id);
    const audit = await gql<{ auditLog: { action: string; after: { via?: string } }[] }>(`query($id: String) { auditLog(entityType: "User", entityId: $id) { action after } }`, { id: ana?.id });
    expect(audit.auditLog.filter((e) => e.action === 'user.create')).toEqual([expect.objectContaining({ after: expect.objectContaining({ via: 'oidc' }) })]);
  });

  it('re-applies the role from the groups at every sign-in, and audits the change', async () => {
    const first = await signInThroughProvider(api.url, 'ben');
    const ben = await me(first.token as string);
    expect(ben?.role).toBe('COMMANDER');

    await provider.setAccount('ben', { email: 'ben@example.com', email_verified: true, name: 'Ben Okafor', groups: ['eng-managers'] });
    const second = await signInThroughProvider(api.url, 'ben');
    expect((await me(second.token as string))?.role).toBe('MANAGER');

    await provider.setAccount('ben', { email: 'ben@example.com', email_verified: true, name: 'Ben Okafor', groups: ['staff'] });
    const third = await signInThroughProvider(api.url, 'ben');
    expect((await me(third.token as string))?.role).toBe('VIEWER');

    const audit = await gql<{ auditLog: { action: string; actorId: string | null; before: unknown; after: unknown }[] }>(`query($id: String) { auditLog(entityType: "User", entityId: $id) { action actorId before after } }`, { id: ben?.id });
    expect(audit.auditLog.filter((e) => e.action === 'user.set-role').map((e) => [e.before, e.after])).toEqual([
      [{ role: 'MANAGER' }, { role: 'VIEWER', via: 'oidc' }],
      [{ role: 'COMMANDER' }, { role: 'MANAGER', via: 'oidc' }],
    ]);
  });

  it('links an existing password account only through a verified e-mail, whatever its case', async () => {
    const createUser = await createPasswordUser('dave@example.com');
    const outcome = await signInThroughProvider(api.url, 'dave');
    expect(outcome.error).toBeNull();
    const dave = await me(outcome.token as string);
    expect(dave).toMatchObject({ id: createUser.id, email: 'dave@example.com', role: 'MANAGER' });
  });

  it('never links an account through a look-alike address; the same address in another spelling is the same account', async () => {
    const createUser = await createPasswordUser('victim@example.com', 'ADMIN');
    const outcome = await signInThroughProvider(api.url, 'mallory');
    const mallory = await me(outcome.token as string);
    expect(mallory?.id).not.toBe(createUser.id);
    expect(mallory).toMatchObject({ email: 'victi\u0307m@example.com', role: 'COMMANDER' });
    const pg = new Client({ connectionString: api.db.url });
    await pg.connect();
    const identities = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM user_identities WHERE user_id = $1`, [createUser.id]).finally(() => pg.end());
    expect(identities.rows[0].n).toBe(0);
    // Fullwidth letters are only another way of writing victim@example.com: that account, linked.
    const wide = await signInThroughProvider(api.url, 'wide');
    expect((await me(wide.token as string))?.id).toBe(createUser.id);
  });

  it('refuses to link an existing account when the provider has not verified the e-mail', async () => {
    const createUser = await createPasswordUser('carol@example.com');
    const outcome = await signInThroughProvider(api.url, 'carol');
    expect(outcome.token).toBeNull();
    expect(outcome.error).toBe('email-not-verified');
    expect(SSO_ERRORS['email-not-verified']).toMatch(/already exists.*not verified/);
    // Nothing changed: still a COMMANDER with a password, and not linked (a second try is refused the same way).
    const users = await gql<{ users: { id: string; role: string }[] }>(`{ users { id role } }`);
    expect(users.users.find((u) => u.id === createUser.id)?.role).toBe('COMMANDER');
    expect((await signInThroughProvider(api.url, 'carol')).error).toBe('email-not-verified');
  });

  it('refuses an e-mail domain outside OIDC_ALLOWED_DOMAINS and creates nobody', async () => {
    const outcome = await signInThroughProvider(api.url, 'eve');
    expect(outcome).toMatchObject({ token: null, error: 'domain-not-allowed' });
    const users = await gql<{ users: { email: string }[] }>(`{ users { email } }`);
    expect(users.users.map((u) => u.email)).not.toContain('eve@elsewhere.org');
  });

  it('refuses a new person whose e-mail the provider has not verified: it shows no membership of an allowed domain', async () => {
    const outcome = await signInThroughProvider(api.url, 'hana');
    expect(outcome).toMatchObject({ token: null, error: 'domain-unverified' });
    const users = await gql<{ users: { email: string }[] }>(`{ users { email } }`);
    expect(users.users.map((u) => u.email)).not.toContain('hana@example.com');
  });

  it('refuses a deactivated person, and their old session stops working', async () => {
    const first = await signInThroughProvider(api.url, 'finn');
    const finn = await me(first.token as string);
    expect(finn?.role).toBe('VIEWER');
    await gql(`mutation($id: ID!) { setUserActive(userId: $id, active: false) { id } }`, { id: finn?.id });
    expect(await me(first.token as string)).toBeNull();
    const outcome = await signInThroughProvider(api.url, 'finn');
    expect(outcome).toMatchObject({ token: null, error: 'deactivated' });
  });

  it('refuses a callback whose state was tampered with', async () => {
    const jar = new CookieJar();
    const callbackUrl = await authorizeAtProvider(await startSignIn(api.url, jar), 'ana', jar, `${api.url}/auth/oidc/callback`);
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
    expect(await finishSignIn(tampered.href, jar)).toMatchObject({ token: null, error: 'unknown-attempt' });
    const without = new URL(callbackUrl);
    without.searchParams.delete('state');
    expect(await finishSignIn(without.href, jar)).toMatchObject({ token: null, error: 'unknown-attempt' });
  });

  it('refuses a replayed callback, and a replayed code under a new attempt', async () => {
    const jar = new CookieJar();
    const callbackUrl = await authorizeAtProvider(await startSignIn(api.url, jar), 'ana', jar, `${api.url}/auth/oidc/callback`);
    const cookie = jar.get('hindsight_oidc') as string;
    expect((await finishSignIn(callbackUrl, jar)).token).not.toBeNull();

    // The same callback again, even with the browser's binding put back: the attempt is used.
    const replayJar = new CookieJar();
    replayJar.store(new Response(null, { headers: { 'set-cookie': `hindsight_oidc=${cookie}` } }));
    expect(await finishSignIn(callbackUrl, replayJar)).toMatchObject({ token: null, error: 'attempt-used' });

    // The old code under a fresh attempt's state: the provider refuses the code (used, and the PKCE verifier differs).
    const fresh = new CookieJar();
    const state = new URL(await startSignIn(api.url, fresh)).searchParams.get('state') as string;
    const replayed = new URL(callbackUrl);
    replayed.searchParams.set('state', state);
    expect(await finishSignIn(replayed.href, fresh)).toMatchObject({ token: null, error: 'code-rejected' });
  });

  it('refuses a callback after the attempt expired (10 minutes at the provider)', async () => {
    const jar = new CookieJar();
    const callbackUrl = await authorizeAtProvider(await startSignIn(api.url, jar), 'ana', jar, `${api.url}/auth/oidc/callback`);
    const pg = new Client({ connectionString: api.db.url });
    await pg.connect();
    try {
      await pg.query(`UPDATE oidc_sign_in_attempts SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    } finally {
      await pg.end();
    }
    expect(await finishSignIn(callbackUrl, jar)).toMatchObject({ token: null, error: 'attempt-expired' });
  });

  it('refuses a callback in a browser that did not start the attempt (login CSRF)', async () => {
    const jar = new CookieJar();
    const callbackUrl = await authorizeAtProvider(await startSignIn(api.url, jar), 'ana', jar, `${api.url}/auth/oidc/callback`);
    expect(await finishSignIn(callbackUrl, new CookieJar())).toMatchObject({ token: null, error: 'other-browser' });
  });

  it('refuses the provider\'s own refusal (error=access_denied) with a readable message', async () => {
    const jar = new CookieJar();
    const state = new URL(await startSignIn(api.url, jar)).searchParams.get('state') as string;
    const outcome = await finishSignIn(`${api.url}/auth/oidc/callback?${new URLSearchParams({ error: 'access_denied', state, iss: provider.issuer })}`, jar);
    expect(outcome).toMatchObject({ token: null, error: 'provider-refused' });
  });

  it('comes back to the page that asked for sign-in, and never to another site', async () => {
    for (const [asked, back] of [['/incidents?status=OPEN', '/incidents?status=OPEN'], ['//evil.example/x', '/'], ['https://evil.example', '/']]) {
      const jar = new CookieJar();
      const callbackUrl = await authorizeAtProvider(await startSignIn(api.url, jar, asked), 'ana', jar, `${api.url}/auth/oidc/callback`);
      expect((await finishSignIn(callbackUrl, jar)).returnTo).toBe(back);
    }
  });

  it("hands the sign-in page's tab nonce back with the token, and drops a malformed one", async () => {
    const nonce = 'tAbNoNcE_0123456789-abcdefgh';
    for (const [sent, back] of [[nonce, nonce], ['short', null], ['<script>alert(1)</script>xxxxxxxxxxxxxxxx', null], [undefined, null]] as const) {
      const jar = new CookieJar();
      const callbackUrl = await authorizeAtProvider(await startSignIn(api.url, jar, '/incidents', sent), 'ana', jar, `${api.url}/auth/oidc/callback`);
      const outcome = await finishSignIn(callbackUrl, jar);
      expect({ sent, token: outcome.token !== null, tab: outcome.tab, returnTo: outcome.returnTo }).toEqual({ sent, token: true, tab: back, returnTo: '/incidents' });
    }
  });

  it('keeps password sign-in for ADMINs only (break-glass) with PASSWORD_LOGIN=admin-only', async () => {
    expect(await api.login(TEST_ADMIN.email, TEST_ADMIN.password)).toMatch(/^ey/);
    const r = await api.gql(`mutation { login(email: "dave@example.com", password: "password-of-old-1") { token } }`);
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(r.errors?.[0]?.message).toBe('Password sign-in is for administrators only (break-glass): use "Sign in with Acme SSO".');
    // A wrong password still reads as a wrong password, not as "not an administrator".
    const wrong = await api.gql(`mutation { login(email: "dave@example.com", password: "not-it-at-all") { token } }`);
    expect(wrong.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('OpenID Connect sign-in: ID tokens that must not be trusted, an unreachable provider, password sign-in off', () => {
  const client = { clientId: 'hindsight-fake', clientSecret: 'fake-client-secret' };
  let fake: FakeIdTokenProvider;
  let api: ApiHarness;
  let down: ApiHarness;

  beforeAll(async () => {
    const port = await freePort();
    fake = await startFakeIdTokenProvider(client, { sub: 'fake-1', email: 'gus@example.com', email_verified: true, name: 'Gus', groups: ['oncall'] });
    api = await startApi({ PUBLIC_URL: `http://127.0.0.1:${port}`, OIDC_ISSUER: fake.issuer, OIDC_CLIENT_ID: client.clientId, OIDC_CLIENT_SECRET: client.clientSecret, OIDC_ROLE_MAP: ROLE_MAP }, { port });
    const nobody = `http://127.0.0.1:${await freePort()}`;
    down = await startApi({ OIDC_ISSUER: nobody, OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y', OIDC_NAME: 'Okta', PASSWORD_LOGIN: 'off' });
  });
  afterAll(async () => {
    await api?.close();
    await down?.close();
    await fake?.close();
  });

  it('signs in when the ID token is right (the fake provider is a fair test bed)', async () => {
    fake.setFault('none');
    const outcome = await signInThroughProvider(api.url, 'gus');
    expect(outcome.error).toBeNull();
    const r = await api.gql<{ me: { email: string; role: string } }>(`{ me { email role } }`, {}, outcome.token);
    expect(r.data?.me).toEqual({ email: 'gus@example.com', role: 'COMMANDER' });
  });

  it.each([['wrong-audience'], ['expired']] as const)('refuses an ID token that is %s', async (fault) => {
    fake.setFault(fault);
    const outcome = await signInThroughProvider(api.url, 'gus');
    expect(outcome).toMatchObject({ token: null, error: 'id-token-invalid' });
    expect(SSO_ERRORS['id-token-invalid']).toMatch(/expired, meant for another application or wrongly signed/);
  });

  it('keeps the last active ADMIN an ADMIN when the groups would demote them', async () => {
    fake.setFault('none');
    fake.setClaims({ sub: 'fake-admin', email: TEST_ADMIN.email, email_verified: true, name: 'The admin', groups: ['staff'] });
    const outcome = await signInThroughProvider(api.url, 'admin');
    const r = await api.gql<{ me: { email: string; role: string } }>(`{ me { email role } }`, {}, outcome.token);
    expect(r.data?.me).toEqual({ email: TEST_ADMIN.email, role: 'ADMIN' });
  });

  it('ends on the sign-in page with "could not be reached" when the provider is down', async () => {
    const res = await fetch(`${down.url}/auth/oidc/login`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${down.config.publicUrl}/signin#sso_error=provider-unreachable`);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses every password sign-in with PASSWORD_LOGIN=off, and says so to the sign-in page', async () => {
    const r = await down.gql(`mutation { login(email: "${TEST_ADMIN.email}", password: "${TEST_ADMIN.password}") { token } }`);
    expect(r.errors?.[0]).toMatchObject({ message: 'Password sign-in is turned off on this server: use "Sign in with Okta".', extensions: { code: 'FORBIDDEN' } });
    expect((await down.gql(`{ passwordLogin authProviders { name } }`)).data).toEqual({ passwordLogin: 'OFF', authProviders: [{ name: 'Okta' }] });
  });
});
