/// <reference lib="dom" />
// People and teams over their whole life: an ADMIN changes a role in Settings and removes a member on Teams.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { Scenario } from '@hindsight/server-testing';
import { launchBrowser, WEB_ROOT } from './support/browser';
import { accountMenu, signIn, signInAt } from './support/incident.fixtures';

let api: ApiHarness;
let browser: Browser;
let page: Page;
let world: Scenario;

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  world = await Scenario.asAdmin(api);
  browser = await launchBrowser();
  page = await browser.newPage();
  await signIn(page, api.url, TEST_ADMIN, '/signin');
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();

it("changes a person's role in Settings, and it applies to their next request", async () => {
  const { createUser } = await world.ok<{ createUser: { id: string } }>(
    `mutation { createUser(input: { email: "rhea@test.local", name: "Rhea Role", role: VIEWER, password: "rhea-password-1" }) { id } }`,
  );
  const rhea = await api.login('rhea@test.local', 'rhea-password-1');
  await nav('Settings');
  const select = page.getByLabel('Role of Rhea Role');
  await select.waitFor();
  await select.selectOption('MANAGER');
  const roleOfRhea = async () => (await api.gql<{ me: { id: string; role: string } }>(`{ me { id role } }`, {}, rhea)).data?.me.role;
  for (let i = 0; i < 50 && (await roleOfRhea()) !== 'MANAGER'; i += 1) await page.waitForTimeout(100);
  expect((await api.gql<{ me: { id: string; role: string } }>(`{ me { id role } }`, {}, rhea)).data?.me).toEqual({ id: createUser.id, role: 'MANAGER' });
  expect(await select.inputValue()).toBe('MANAGER');
});

it('removes a member from a team after a confirmation; their open item goes back to the team', async () => {
  const { createUser } = await world.ok<{ createUser: { id: string } }>(
    `mutation { createUser(input: { email: "leo@test.local", name: "Leo Leaver", role: COMMANDER, password: "leo-password-1" }) { id } }`,
  );
  const { createTeam } = await world.ok<{ createTeam: { id: string } }>(`mutation($u: ID!) { createTeam(input: { name: "Storage", memberIds: [$u] }) { id } }`, { u: createUser.id });
  const { createIncident } = await world.ok<{ createIncident: { id: string } }>(`mutation { createIncident(input: { title: "Disk full", severity: SEV3, startedAt: "2026-11-20T10:00:00Z" }) { id } }`);
  const { createActionItem } = await world.ok<{ createActionItem: { id: string } }>(
    `mutation($i: ID!, $t: ID!, $u: ID!) { createActionItem(incidentId: $i, input: { title: "Alert on disk", kind: DETECT, priority: P2, ownerTeamId: $t, assigneeId: $u }) { id } }`,
    { i: createIncident.id, t: createTeam.id, u: createUser.id },
  );

  await nav('Teams');
  const card = page.getByRole('region', { name: 'Storage' });
  await card.getByRole('button', { name: 'Remove Leo Leaver' }).click();
  await card.getByText('Their open items of this team become unassigned').waitFor();
  await card.getByRole('button', { name: 'Yes, remove Leo Leaver' }).click();
  await card.getByRole('button', { name: 'Remove Leo Leaver' }).waitFor({ state: 'detached' });
  expect(await card.getByText('No members yet.').isVisible()).toBe(true);

  const item = await world.ok<{ actionItem: { assignee: { id: string } | null } }>(`query($id: ID!) { actionItem(id: $id) { assignee { id } } }`, { id: createActionItem.id });
  expect(item.actionItem.assignee).toBeNull();
});

it('a person changes their own password: a wrong current one is shown on its field, then the new one signs in', async () => {
  await world.ok(`mutation { createUser(input: { email: "pat@test.local", name: "Pat Password", role: VIEWER, password: "pat-password-1" }) { id } }`);
  const own = await browser.newPage();
  try {
    await signInAt(own, api.url, { email: 'pat@test.local', password: 'pat-password-1' });
    await accountMenu(own, 'Change password');
    const form = own.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill('not-my-password');
    await form.getByLabel('New password').fill('pat-password-2');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.locator('.hs-field__error').first().waitFor();
    expect(await form.locator('.hs-field__error').first().textContent()).toMatch(/current password/i);
    await form.getByLabel('Current password').fill('pat-password-1');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Password changed.').waitFor();
    expect((await api.gql(`mutation { login(email: "pat@test.local", password: "pat-password-1") { token } }`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await api.login('pat@test.local', 'pat-password-2')).toEqual(expect.any(String));
  } finally {
    await own.close();
  }
});
