/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files see DOM types too.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { freePort, signInThroughProvider, startTestProvider, TestProvider } from '@hindsight/server-sso/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';

let provider: TestProvider;
let api: ApiHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  provider = await startTestProvider(publicUrl, {
    ana: { email: 'ana@example.com', email_verified: true, name: 'Ana Lima', groups: ['oncall', 'sre-admins'] },
    eve: { email: 'eve@elsewhere.org', email_verified: true, name: 'Eve', groups: ['sre-admins'] },
  });
  api = await startApi(
    {
      PUBLIC_URL: publicUrl, OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret, OIDC_NAME: 'Acme SSO',
      OIDC_ALLOWED_DOMAINS: 'example.com', OIDC_ROLE_MAP: 'sre-admins=ADMIN,oncall=COMMANDER', PASSWORD_LOGIN: 'admin-only',
    },
    { webRoot: WEB_ROOT, port },
  );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await provider?.close();
});
beforeEach(async () => {
  page = await browser.newPage();
});
afterEach(async () => {
  await page.close();
});

/** At the provider's own pages: its login form, then its consent form. */
async function signInAtProvider(login: string): Promise<void> {
  await page.waitForURL((url) => url.origin === provider.issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

it('offers the provider on the sign-in page, with the password form for administrators only, and no serious accessibility violations', async () => {
  await page.goto(`${api.url}/signin`);
  const button = page.getByRole('link', { name: 'Sign in with Acme SSO' });
  await button.waitFor();
  expect(await page.getByText('Or, for administrators only (break-glass), with a password:').isVisible()).toBe(true);
  expect(await page.getByLabel('Email').isVisible()).toBe(true);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'sign-in-sso');
});

it('signs in through the provider and comes back signed in, with the mapped role, on the page that asked', async () => {
  await page.goto(`${api.url}/incidents`);
  await page.waitForURL(`${api.url}/signin`);
  await page.getByRole('link', { name: 'Sign in with Acme SSO' }).click();
  await signInAtProvider('ana');

  await page.waitForURL(`${api.url}/incidents`);
  const who = page.getByTestId('signed-in-user');
  await who.waitFor();
  expect(await who.textContent()).toBe('Ana Lima Administrator');
  // The token is kept like a password sign-in's, and is gone from the address and the history entry.
  expect(await page.evaluate(() => window.localStorage.getItem('hindsight.token'))).toMatch(/^ey/);
  expect(await page.evaluate(() => window.location.hash)).toBe('');
  // The tab's nonce served this one sign-in.
  expect(await page.evaluate(() => window.sessionStorage.getItem('hindsight.sso.tab'))).toBeNull();
  await page.goBack();
  expect(page.url()).not.toContain('sso_token');
  await screenshot(page, 'signed-in-through-sso');
});

describe("a token in the address that this tab did not ask for (someone else's link)", () => {
  const token = () => window.localStorage.getItem('hindsight.token');
  let anas: string;
  beforeAll(async () => {
    // A real session token of another person, as a crafted link would carry it.
    const outcome = await signInThroughProvider(api.url, 'ana');
    if (!outcome.token) throw new Error(`no token for ana: ${outcome.error}`);
    anas = outcome.token;
  });

  it('does not switch a signed-in tab into that account', async () => {
    const mine = await api.login();
    await page.goto(`${api.url}/signin`);
    await page.evaluate((t) => window.localStorage.setItem('hindsight.token', t), mine);
    await page.goto(`${api.url}/incidents`);
    const who = page.getByTestId('signed-in-user');
    await who.waitFor();
    const before = await who.textContent();

    await page.goto(`${api.url}/signin#${new URLSearchParams({ sso_token: anas, return: '/settings', tab: 'guessed-or-stolen-nonce-0123' })}`);
    await page.waitForURL(`${api.url}/`);
    await who.waitFor();
    expect(await who.textContent()).toBe(before);
    expect(await page.evaluate(token)).toBe(mine);
    await page.reload();
    await who.waitFor();
    expect(await who.textContent()).toBe(before);
  });

  it('is refused with a message in a tab that is not signed in, and the address is wiped', async () => {
    await page.goto(`${api.url}/signin#${new URLSearchParams({ sso_token: anas, return: '/incidents' })}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('This sign-in was not started from this tab, so it was not used. Start again with the sign-in button here.');
    expect(await page.evaluate(token)).toBeNull();
    expect(await page.evaluate(() => window.location.hash)).toBe('');
  });

  it('is refused when another tab started a sign-in: the nonce must be the one that came back', async () => {
    // Any page of the origin (not /signin itself: the next visit must load the page, not just change its fragment).
    await page.goto(`${api.url}/health/live`);
    await page.evaluate(() => window.sessionStorage.setItem('hindsight.sso.tab', 'this-tabs-own-nonce-0123456'));
    await page.goto(`${api.url}/signin#${new URLSearchParams({ sso_token: anas, tab: 'another-tabs-nonce-01234567' })}`);
    await page.getByRole('alert').waitFor();
    expect(await page.evaluate(token)).toBeNull();
    expect(await page.evaluate(() => window.sessionStorage.getItem('hindsight.sso.tab'))).toBeNull();
  });
});

it('ends on the sign-in page with a readable message when the provider account may not sign in', async () => {
  await page.goto(`${api.url}/signin`);
  await page.getByRole('link', { name: 'Sign in with Acme SSO' }).click();
  await signInAtProvider('eve');

  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toContain("Your e-mail address's domain may not sign in here.");
  expect(page.url()).toBe(`${api.url}/signin`);
  expect(await page.evaluate(() => window.localStorage.getItem('hindsight.token'))).toBeNull();
});

it('shows only its own messages: a crafted link cannot make the page say something else', async () => {
  await page.goto(`${api.url}/signin#sso_error=${encodeURIComponent('Call 555-0100 to unlock your account')}`);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toBe('Signing in did not work because of a problem on our side. Try again; if it keeps happening, tell an administrator.');
});

describe('with PASSWORD_LOGIN=off', () => {
  let ssoOnly: ApiHarness;
  beforeAll(async () => {
    ssoOnly = await startApi({ OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret, OIDC_NAME: 'Acme SSO', PASSWORD_LOGIN: 'off' }, { webRoot: WEB_ROOT });
  });
  afterAll(async () => {
    await ssoOnly?.close();
  });

  it('shows only the provider, no password form', async () => {
    await page.goto(`${ssoOnly.url}/signin`);
    await page.getByRole('link', { name: 'Sign in with Acme SSO' }).waitFor();
    expect(await page.getByLabel('Password').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});

describe('without single sign-on', () => {
  let plain: ApiHarness;
  beforeAll(async () => {
    plain = await startApi({}, { webRoot: WEB_ROOT });
  });
  afterAll(async () => {
    await plain?.close();
  });

  it('ignores a token in the address, even with the nonce this tab kept', async () => {
    const valid = await plain.login();
    const nonce = 'a-nonce-this-tab-did-keep-0123';
    await page.goto(`${plain.url}/health/live`);
    await page.evaluate((n) => window.sessionStorage.setItem('hindsight.sso.tab', n), nonce);
    await page.goto(`${plain.url}/signin#${new URLSearchParams({ sso_token: valid, tab: nonce })}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Single sign-on is not configured on this server.');
    expect(await page.evaluate(() => window.localStorage.getItem('hindsight.token'))).toBeNull();
    expect(await page.getByTestId('signed-in-user').count()).toBe(0);
  });
});
