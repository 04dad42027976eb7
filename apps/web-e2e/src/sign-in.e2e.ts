/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files see DOM types too.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { launchBrowser, operationsDuring, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';

let api: ApiHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});
beforeEach(async () => {
  page = await browser.newPage();
});
afterEach(async () => {
  await page.close();
});

async function signIn(email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

it('sends a stranger to the sign-in page, which has no serious accessibility violations', async () => {
  await page.goto(`${api.url}/incidents`);
  await page.waitForURL(`${api.url}/signin`);
  // The route changes before the lazily loaded sign-in chunk renders: wait for it.
  const heading = page.getByRole('heading', { name: 'Sign in to Hindsight' });
  await heading.waitFor();
  expect(await heading.isVisible()).toBe(true);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'sign-in');
});

it('shows a readable error for a wrong password and stays signed out', async () => {
  await page.goto(`${api.url}/signin`);
  await signIn(TEST_ADMIN.email, 'not-the-password');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/email or password/i);
  expect(page.url()).toBe(`${api.url}/signin`);
  expect(await page.evaluate(() => window.localStorage.getItem('hindsight.token'))).toBeNull();
});

it('signs in, shows the shell with navigation, survives a reload, and signs out', async () => {
  await page.goto(`${api.url}/incidents`);
  await page.waitForURL(`${api.url}/signin`);
  await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
  // Back to the page that asked for sign-in.
  await page.waitForURL(`${api.url}/incidents`);
  await page.getByTestId('signed-in-user').waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Incidents', 'Action items', 'Reliability', 'Services', 'Teams', 'Settings']) {
    const link = nav.getByRole('link', { name: label, exact: true });
    await link.waitFor();
    expect(await link.isVisible()).toBe(true);
  }
  expect(await page.getByTestId('signed-in-user').textContent()).toContain('Administrator');
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.reload();
  await page.getByTestId('signed-in-user').waitFor();

  await page.goto(`${api.url}/`);
  await page.getByRole('heading', { name: /Welcome/ }).waitFor();
  await screenshot(page, 'shell-home');

  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(`${api.url}/signin`);
  expect(await page.evaluate(() => window.localStorage.getItem('hindsight.token'))).toBeNull();
  // Signed out for real: protected pages send you back.
  await page.goto(`${api.url}/teams`);
  await page.waitForURL(/\/signin$/);
});

it('after the session ends elsewhere, signing in again returns to the page that was open', async () => {
  // Its own context, so a second tab shares the first one's storage.
  const context = await browser.newContext();
  await page.close();
  page = await context.newPage();
  await page.goto(`${api.url}/teams`);
  await page.waitForURL(`${api.url}/signin`);
  await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
  await page.waitForURL(`${api.url}/teams`);
  // Every request of the page answered, so the next one is the first to find the session gone.
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
  // The session ends on the server (signed out from another tab, say); the next request finds out.
  const token = await page.evaluate(() => window.localStorage.getItem('hindsight.token'));
  const ended = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: 'mutation { logout }' }) });
  expect(ended.status).toBe(200);
  // The tab still holds the ended session's token: its next request is refused.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services', exact: true }).click();
  await page.waitForURL(`${api.url}/signin`);
  expect(await page.evaluate(() => window.localStorage.getItem('hindsight.token'))).toBeNull();
  await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
  await page.waitForURL(`${api.url}/services`);
  await page.getByRole('heading', { level: 1, name: 'Services and SLOs' }).waitFor();

  // Signing out in another tab of the same browser signs this one out too.
  try {
    const other = await context.newPage();
    await other.goto(`${api.url}/teams`);
    await other.getByTestId('account-menu').click();
    await other.getByRole('menuitem', { name: 'Sign out' }).click();
    await other.waitForURL(`${api.url}/signin`);
    await page.waitForURL(`${api.url}/signin`);
  } finally {
    await context.close();
  }
});

it('never follows a return path that leaves the site', async () => {
  await page.goto(`${api.url}/signin?from=${encodeURIComponent('//evil.example/x')}`);
  await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
  await page.waitForURL(`${api.url}/`);
  await page.getByRole('heading', { name: /Welcome/ }).waitFor();
});

it('opening a page signed in asks each of its queries once, those the app starts early included', async () => {
  await page.goto(`${api.url}/signin`);
  await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
  await page.getByTestId('signed-in-user').waitFor();
  for (const [path, own] of [
    ['/action-items?status=any', 'ActionItemsList'],
    ['/reliability/review?preset=4w', 'ReliabilityReviewView'],
    ['/settings', 'PoliciesSettings'],
  ] as const) {
    const sent = await operationsDuring(page, () => page.goto(`${api.url}${path}`).then(() => page.getByRole('heading', { level: 1 }).waitFor()));
    expect([path, sent.filter((n) => n === own).length]).toEqual([path, 1]);
    expect([path, sent.filter((n, i) => sent.indexOf(n) !== i)]).toEqual([path, []]);
  }
});

it('hides administrator navigation from a viewer', async () => {
  const admin = await api.login();
  const created = await api.gql(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
    { input: { email: 'viewer@test.local', name: 'Vera Viewer', role: 'VIEWER', password: 'viewer-password-1' } },
    admin,
  );
  expect(created.errors).toBeUndefined();
  await page.goto(`${api.url}/signin`);
  await signIn('viewer@test.local', 'viewer-password-1');
  await page.getByTestId('signed-in-user').waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  expect(await nav.getByRole('link').allTextContents()).toEqual(['Incidents', 'Action items', 'Reliability', 'Services', 'Runbooks', 'Teams']);
});

it('can be used from the keyboard alone: sign in, move through the navigation, open a page', async () => {
  await page.goto(`${api.url}/signin`);
  // The email field has focus on arrival (once the lazily loaded form has rendered: typing before would go nowhere).
  await page.waitForFunction(() => document.activeElement instanceof HTMLInputElement && document.activeElement.type === 'email');
  await page.keyboard.type(TEST_ADMIN.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(TEST_ADMIN.password);
  await page.keyboard.press('Enter');
  await page.getByTestId('signed-in-user').waitFor();

  // The first Tab reaches the skip link, which jumps past the navigation.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
  // Then the brand and the navigation links, in order.
  const focused: string[] = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    focused.push((await page.evaluate(() => document.activeElement?.textContent)) ?? '');
  }
  expect(focused).toEqual(['Hindsight', 'Needs you', 'Incidents', 'Action items', 'Reliability']);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${api.url}/reliability`);
});

it('says in words when the server fails, and offers to try again', async () => {
  await page.goto(`${api.url}/signin`);
  await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
  await page.getByTestId('signed-in-user').waitFor();
  let failing = true;
  await page.route('**/graphql', async (route) => {
    const body = route.request().postDataJSON() as { operationName?: string };
    if (failing && body.operationName === 'TeamsPage') return route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' });
    return route.continue();
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/server answered with an error/i);
  failing = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { name: 'Teams' }).waitFor();
  await page.getByText('No teams yet.').waitFor();
});
