/// <reference lib="dom" />
// Issue 12 in the browser: an ADMIN deactivates a person and their item reads "Unassigned (was …)";
// a person sees their sessions and signs out everywhere; a reset password must be changed first.
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { Scenario } from '@hindsight/server-testing';
import { launchBrowser, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { accountMenu, signInAt } from './support/incident.fixtures';

let api: ApiHarness;
let browser: Browser;
let page: Page;
let world: Scenario;

const createUser = async (email: string, name: string, role = 'COMMANDER') => (await world.person({ email, name, role, password: `${name.split(' ')[0].toLowerCase()}-password-1` })).id;
const codeWith = async (token: string) => (await api.gql(`{ users { id } }`, {}, token)).errors?.[0]?.extensions?.code ?? 'OK';

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  world = await Scenario.asAdmin(api);
  browser = await launchBrowser();
  page = await browser.newPage();
  await signInAt(page, api.url, TEST_ADMIN);
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

it('an ADMIN deactivates a person in Settings: they are signed out at once and their item reads "Unassigned (was …)"', async () => {
  const manager = await createUser('mona@test.local', 'Mona Manager', 'MANAGER');
  const dana = await createUser('dana@test.local', 'Dana Departing');
  const danaSession = await api.login('dana@test.local', 'dana-password-1');
  const { createTeam } = await world.ok<{ createTeam: { id: string } }>(`mutation($m: ID!, $u: ID!) { createTeam(input: { name: "Billing", managerId: $m, memberIds: [$u] }) { id } }`, { m: manager, u: dana });
  const { createIncident } = await world.ok<{ createIncident: { id: string } }>(`mutation { createIncident(input: { title: "Invoices stuck", severity: SEV2, startedAt: "2026-11-20T10:00:00Z" }) { id } }`);
  const { createActionItem } = await world.ok<{ createActionItem: { id: string } }>(
    `mutation($i: ID!, $t: ID!, $u: ID!) { createActionItem(incidentId: $i, input: { title: "Retry stuck invoices", kind: REPAIR, priority: P1, ownerTeamId: $t, assigneeId: $u }) { id } }`,
    { i: createIncident.id, t: createTeam.id, u: dana },
  );
  expect(await codeWith(danaSession)).toBe('OK');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'Deactivate Dana Departing' }).click();
  await page.getByText('Dana Departing is deactivated: signed out everywhere').waitFor();
  await page.getByRole('button', { name: 'Reactivate Dana Departing' }).waitFor();
  expect(await codeWith(danaSession)).toBe('UNAUTHENTICATED');
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.goto(`${api.url}/action-items/${createActionItem.id}`);
  await page.getByText('Unassigned (was Dana Departing)').waitFor();
  await page.goto(`${api.url}/action-items`);
  await page.getByRole('cell', { name: 'Unassigned (was Dana Departing)' }).first().waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
});

it('a person sees their sessions, signs out everywhere else, then everywhere', async () => {
  await createUser('sam@test.local', 'Sam Sessions');
  const elsewhere = await api.login('sam@test.local', 'sam-password-1');
  const own = await browser.newPage();
  try {
    await signInAt(own, api.url, { email: 'sam@test.local', password: 'sam-password-1' });
    await accountMenu(own, 'Your sessions');
    const table = own.getByRole('table');
    await table.getByText('this session').waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);
    expect(await seriousAxeViolations(own)).toEqual([]);

    await own.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await own.getByText('1 other session ended.').waitFor();
    expect(await codeWith(elsewhere)).toBe('UNAUTHENTICATED');
    await own.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);

    await own.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    await own.waitForURL(`${api.url}/signin`);
    const c = new Client({ connectionString: api.db.url });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'sam@test.local' AND s.ended_at IS NULL`);
      expect(rows[0].n).toBe(0);
    } finally {
      await c.end();
    }
  } finally {
    await own.close();
  }
});

it('after an ADMIN resets a password in Settings, the person must choose a new one before anything else', async () => {
  await createUser('rita@test.local', 'Rita Reset');
  await page.goto(`${api.url}/settings`);
  await page.getByText('Manage Rita Reset').click();
  const form = page.getByRole('form', { name: 'Reset the password of Rita Reset' });
  await form.getByLabel('Temporary password').fill('temporary-pass-1');
  await form.getByRole('button', { name: 'Reset password' }).click();
  await form.getByText('Password reset: Rita Reset is signed out').waitFor();

  const own = await browser.newPage();
  try {
    await signInAt(own, api.url, { email: 'rita@test.local', password: 'temporary-pass-1' });
    await own.waitForURL(`${api.url}/account/password`);
    await own.getByText('An administrator reset your password.').waitFor();
    await own.goto(`${api.url}/incidents`);
    await own.waitForURL(`${api.url}/account/password`);
    const change = own.getByRole('form', { name: 'Change password' });
    await change.getByLabel('Current password').fill('temporary-pass-1');
    await change.getByLabel('New password').fill('rita-own-password-2');
    await change.getByRole('button', { name: 'Change password' }).click();
    await change.getByText('Password changed.').waitFor();
    await own.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents', exact: true }).click();
    await own.waitForURL(`${api.url}/incidents`);
    expect(await seriousAxeViolations(own)).toEqual([]);
  } finally {
    await own.close();
  }
});

it("an ADMIN changes a person's name and e-mail in Settings; another person's e-mail is refused on its field", async () => {
  await createUser('nina@test.local', 'Nina Name');
  // A fresh load: the people list is read again with Nina in it.
  await page.goto(`${api.url}/settings`);
  await page.getByText('Manage Nina Name').click();
  const form = page.getByRole('form', { name: 'Name and e-mail of Nina Name' });
  await form.getByLabel('Email').fill('SAM@test.local');
  await form.getByRole('button', { name: 'Save name and e-mail' }).click();
  await form.getByText('is already used by another user').waitFor();
  await form.getByLabel('Name').fill('Nina Newname');
  await form.getByLabel('Email').fill('nina.newname@test.local');
  await form.getByRole('button', { name: 'Save name and e-mail' }).click();
  await page.getByRole('cell', { name: 'nina.newname@test.local' }).waitFor();
  expect(await api.login('nina.newname@test.local', 'nina-password-1')).toEqual(expect.any(String));
  expect(await seriousAxeViolations(page)).toEqual([]);
});
