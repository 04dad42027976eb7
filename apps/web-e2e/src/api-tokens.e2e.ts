/// <reference lib="dom" />
// Issue 22 in the browser: everyone's own API tokens with a scope and an expiry, and the rule
// for new passwords on the change-password page (also for a password chosen before the rule).
import type { Browser } from 'playwright-core';
import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { PasswordHasher } from '@hindsight/server-identity';
import { launchBrowser, WEB_ROOT } from './support/browser';
import { accountMenu, signInAt } from './support/incident.fixtures';

let api: ApiHarness;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  admin = await api.login();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function person(email: string, name: string, password: string): Promise<string> {
  const res = await api.gql<{ createUser: { id: string } }>(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email, name, role: 'VIEWER', password } }, admin);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.createUser.id;
}

it("a VIEWER creates a read-only token that expires, sees its scope, expiry and last use, and only their own tokens", async () => {
  await person('tess@test.local', 'Tess Token', 'tess-password-1');
  await api.gql(`mutation { createApiToken(name: "admin-only-bridge") { token } }`, {}, admin);
  const page = await browser.newPage();
  try {
    await signInAt(page, api.url, { email: 'tess@test.local', password: 'tess-password-1' });
    await accountMenu(page, 'API tokens');
    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Scope').waitFor();
    expect(await form.getByLabel('Scope').locator('option').allTextContents()).toEqual(['Read only', 'Read and write']);
    await form.getByLabel('Token name').fill('grafana-panel');
    await form.getByLabel('Scope').selectOption('READ_ONLY');
    await form.getByLabel('Expires').selectOption('30');
    await form.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-api-token').textContent()) ?? '';
    expect(token).toMatch(/^hst_/);
    // The token reads, and refuses to write.
    expect((await api.gql<{ me: { email: string } }>('{ me { email } }', {}, token)).data?.me.email).toBe('tess@test.local');
    const write = await api.gql(`mutation { logout }`, {}, token);
    expect(write.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'API_TOKEN_READ_ONLY' });

    await page.reload();
    const table = page.getByRole('table', { name: 'Your API tokens' });
    const row = table.getByRole('row', { name: /grafana-panel/ });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells[0]).toBe('grafana-panel');
    expect(cells[2]).toBe('Read only');
    const in30Days = new Date(Date.now() + 30 * 86_400_000);
    expect(cells[3]).toContain(String(in30Days.getFullYear()));
    expect(cells[3]).not.toBe('Never');
    expect(cells[4]).not.toBe('Never used');
    expect(await table.getByText('admin-only-bridge').count()).toBe(0);
  } finally {
    await page.close();
  }
});

it('the change-password page states the rule, refuses a common password on its field, and asks an old short password to be changed', async () => {
  const id = await person('olga@test.local', 'Olga Old', 'placeholder-password-1');
  // A password chosen before the rule (8 characters), as an installation upgraded from before it has.
  const pg = new Client({ connectionString: api.db.url });
  await pg.connect();
  await pg.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, await new PasswordHasher().hash('sunshine')]).finally(() => pg.end());
  const page = await browser.newPage();
  try {
    await signInAt(page, api.url, { email: 'olga@test.local', password: 'sunshine' }, { waitSignedIn: false });
    await page.waitForURL(/\/account\/password$/);
    await page.getByText('yours no longer meets the rule for passwords').waitFor();
    const form = page.getByRole('form', { name: 'Change password' });
    expect(await form.getByText('At least 12 characters, and not a common password').count()).toBe(1);
    await form.getByLabel('Current password').fill('sunshine');
    await form.getByLabel('New password').fill('Password2024!');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.locator('.hs-field__error').first().waitFor();
    expect(await form.locator('.hs-field__error').first().textContent()).toMatch(/most common passwords/);
    await form.getByLabel('New password').fill('olive-teapot-marathon');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Password changed.').waitFor();
    expect(await api.login('olga@test.local', 'olive-teapot-marathon')).toEqual(expect.any(String));
  } finally {
    await page.close();
  }
});
