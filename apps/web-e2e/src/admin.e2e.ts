/// <reference lib="dom" />
// The administrator's pages: people, teams, services with SLOs and runbooks, policies, API tokens.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { signInAt } from './support/incident.fixtures';

let api: ApiHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  page = await browser.newPage();
  await signInAt(page, api.url, TEST_ADMIN);
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();

it('adds a person, shows a field error for a bad email, and deactivates them', async () => {
  await nav('Settings');
  const form = page.getByRole('form', { name: 'Add a person' });
  // The settings load after the nav click: read the menus once they are there.
  await form.getByLabel('Role').locator('option', { hasText: 'Administrator' }).waitFor({ state: 'attached' });
  // Roles read as words in every role menu, never as the API's names.
  expect(await form.getByLabel('Role').locator('option').allTextContents()).toEqual(expect.arrayContaining(['Viewer', 'Commander', 'Manager', 'Administrator']));
  expect(await page.locator('main option').allTextContents()).not.toContain('ADMIN');
  await form.getByLabel('Name').fill('Paula Platform');
  await form.getByLabel('Email').fill('not-an-email');
  await form.getByLabel('Role').selectOption('MANAGER');
  await form.getByLabel('Initial password').fill('platform-password-1');
  await form.getByRole('button', { name: 'Add person' }).click();
  await form.locator('.hs-field__error').first().waitFor();
  expect(await form.locator('.hs-field__error').first().textContent()).toMatch(/email/i);

  await form.getByLabel('Email').fill('paula@test.local');
  await form.getByRole('button', { name: 'Add person' }).click();
  await form.getByText('Paula Platform can now sign in.').waitFor();
  await page.getByRole('button', { name: 'Deactivate Paula Platform' }).click();
  await page.getByRole('button', { name: 'Reactivate Paula Platform' }).waitFor();
  const login = await api.gql(`mutation { login(email: "paula@test.local", password: "platform-password-1") { token } }`);
  expect(login.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  await page.getByRole('button', { name: 'Reactivate Paula Platform' }).click();
  await page.getByRole('button', { name: 'Deactivate Paula Platform' }).waitFor();
});

it('saves policies and refuses a negative deadline in words', async () => {
  await nav('Settings');
  const form = page.getByRole('form', { name: 'Policies' });
  await form.getByLabel('P1').waitFor();
  await form.getByLabel('P1').fill('-3');
  await form.getByRole('button', { name: 'Save policies' }).click();
  await form.locator('.hs-field__error, [role="alert"]').first().waitFor();
  await form.getByLabel('P1').fill('21');
  await form.getByLabel('Responder hourly rate').fill('180');
  await form.getByRole('button', { name: 'Save policies' }).click();
  await form.getByText('Policies saved.').waitFor();
  const res = await api.gql<{ policies: { hourlyResponderRate: number; actionItemDueDays: { P1: number } } }>('{ policies { hourlyResponderRate actionItemDueDays { P1 } } }', {}, await api.login());
  expect(res.data?.policies).toEqual({ hourlyResponderRate: 180, actionItemDueDays: { P1: 21 } });
});

it('creates an API token shown once, which works until revoked', async () => {
  await nav('Settings');
  const form = page.getByRole('form', { name: 'Create an API token' });
  await form.getByLabel('Token name').fill('alertmanager-bridge');
  await form.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-api-token').textContent()) ?? '';
  expect(token).toMatch(/^hst_/);
  expect((await api.gql<{ me: { email: string } }>('{ me { email } }', {}, token)).data?.me.email).toBe(TEST_ADMIN.email);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'settings');
  await page.getByRole('button', { name: 'Revoke alertmanager-bridge' }).click();
  await page.getByText(/^revoked /).waitFor();
  expect((await api.gql<{ me: unknown }>('{ me { email } }', {}, token)).data?.me ?? null).toBeNull();
});

it('creates a team with a manager and adds a member', async () => {
  await nav('Teams');
  const form = page.getByRole('form', { name: 'Create a team' });
  await form.getByLabel('Team name').fill('Payments');
  await form.getByLabel('Manager').selectOption({ label: 'Paula Platform' });
  await form.getByRole('button', { name: 'Create team' }).click();
  const card = page.getByRole('region', { name: 'Payments' });
  await card.waitFor();
  expect(await card.textContent()).toContain('Paula Platform');
  await card.getByLabel('Add member').selectOption({ label: `Administrator (${TEST_ADMIN.email})` });
  await card.getByRole('button', { name: 'Add', exact: true }).click();
  await card.getByRole('listitem').filter({ hasText: 'Administrator' }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'teams');
});

it('creates a service with an SLO and, from the runbooks page it links to, a runbook, rendering a hostile runbook without running it', async () => {
  await nav('Services');
  const form = page.getByRole('form', { name: 'Add a service' });
  await form.getByLabel('Name').fill('card-gateway');
  await form.getByLabel('Kind').selectOption('API');
  await form.getByLabel('Tier').selectOption('1');
  await form.getByLabel('Owning team').selectOption({ label: 'Payments' });
  await form.getByLabel('Revenue per minute (optional)').fill('1200');
  await form.getByRole('button', { name: 'Add service' }).click();
  const card = page.getByRole('region', { name: /card-gateway/ });
  await card.waitFor();

  await card.getByText('Add an SLO').click();
  const slo = card.getByRole('form', { name: 'Add an SLO' });
  await slo.getByLabel('Objective (%)').fill('99.95');
  await slo.getByLabel('Customer segment (optional)').fill('enterprise');
  await slo.getByRole('button', { name: 'Add SLO' }).click();
  await card.getByRole('cell', { name: 'enterprise' }).waitFor();
  expect(await card.getByRole('cell', { name: '99.95 %' }).count()).toBe(1);

  // Runbooks live on their own page: the card links to the service's runbooks, where a new one starts.
  expect(await card.getByRole('button', { name: 'Show runbook' }).count()).toBe(0);
  await card.getByRole('link', { name: 'Write one' }).click();
  await page.getByText('New runbook', { exact: true }).click();
  const newRunbook = page.getByRole('form', { name: 'New runbook' });
  expect(await newRunbook.getByLabel('Service').inputValue()).not.toBe('');
  await newRunbook.getByLabel('Title').fill('Node stuck');
  await newRunbook.getByRole('button', { name: 'Add runbook' }).click();
  await page.getByRole('heading', { name: 'Node stuck', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Edit runbook' }).click();
  await page
    .getByRole('textbox', { name: 'Immediate mitigation' })
    .fill('# Restart\n\n<script>window.__pwned = 1</script>\n\n<img src=x onerror="window.__pwned = 2">\n\n[click](javascript:window.__pwned=3)\n\n1. Drain the node');
  await page.getByRole('button', { name: 'Save…' }).click();
  await page.getByRole('dialog', { name: 'Save version 2' }).getByRole('button', { name: 'Save revision' }).click();
  await page.getByRole('button', { name: 'Edit runbook' }).waitFor();
  await page.reload();
  const reloaded = page.getByRole('region', { name: 'Immediate mitigation' });
  await reloaded.getByRole('heading', { name: 'Restart' }).waitFor();
  const link = reloaded.getByRole('link', { name: 'click' });
  if (await link.count()) await link.click();
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await reloaded.locator('.hs-markdown script, .hs-markdown [onerror]').count()).toBe(0);
  expect(await seriousAxeViolations(page)).toEqual([]);

  // Back on the services page, the card links to the service's runbooks.
  await nav('Services');
  await page.getByRole('region', { name: /card-gateway/ }).getByRole('link', { name: '1 runbook for card-gateway' }).click();
  await page.getByRole('link', { name: 'Node stuck' }).waitFor();
  expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
  await nav('Services');
  await page.getByRole('region', { name: /card-gateway/ }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'services');
});

it('adds notification channels with their targets checked, never showing a secret, and runs the chase', async () => {
  await nav('Settings');
  const form = page.getByRole('form', { name: 'Add a channel' });
  await form.getByLabel('Kind').selectOption('WEBHOOK');
  await form.getByLabel('Channel name').fill('payments-hook');
  await form.getByLabel('Target').fill('not a url');
  await form.getByLabel('For team').selectOption({ label: 'Payments' });
  await form.getByLabel('Signing secret').fill('a-signing-secret-of-enough-length');
  await form.getByRole('button', { name: 'Add channel' }).click();
  await form.locator('.hs-field__error').first().waitFor();
  expect(await form.locator('.hs-field__error').first().textContent()).toMatch(/url/i);

  await form.getByLabel('Target').fill('https://hooks.example.com/hindsight');
  await form.getByRole('button', { name: 'Add channel' }).click();
  await form.getByText('Channel payments-hook added.').waitFor();
  const channels = page.getByRole('region', { name: 'Notification channels' });
  await channels.getByRole('cell', { name: 'payments-hook', exact: true }).waitFor();
  expect(await channels.textContent()).not.toContain('a-signing-secret-of-enough-length');

  // A Teams Workflows webhook: its URL carries the workflow's signature, so it is shown redacted.
  await form.getByLabel('Kind').selectOption('TEAMS');
  expect(await form.textContent()).toContain('When a Teams webhook request is received');
  await form.getByLabel('Channel name').fill('payments-teams');
  await form.getByLabel('Target').fill('https://prod-12.westeurope.logic.azure.com:443/workflows/6d1f0c/triggers/manual/paths/invoke?api-version=2016-06-01&sig=WorkflowSig0123');
  await form.getByRole('button', { name: 'Add channel' }).click();
  await form.getByText('Channel payments-teams added.').waitFor();
  const teamsRow = channels.getByRole('row', { name: /payments-teams/ });
  expect(await teamsRow.textContent()).toContain('Microsoft Teams');
  expect(await teamsRow.textContent()).toContain('https://prod-12.westeurope.logic.azure.com/workflows/6d1f0c/triggers/manual/paths/****?****');
  expect(await channels.textContent()).not.toContain('WorkflowSig0123');

  await page.getByRole('button', { name: 'Run the chase now' }).click();
  await page.getByText('A chase sweep has been queued.').waitFor();
});
