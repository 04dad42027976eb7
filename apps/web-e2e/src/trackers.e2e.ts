/// <reference lib="dom" />
// Tracker sync in the browser: an ADMIN connects GitHub (a loopback fake), tests the
// connection, creates an issue from an item's page, sees the link, and sees the item done
// once the issue is closed upstream.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { TrackerSyncService } from '@hindsight/server-trackers';
import { deliverWebhook, FAKE_PROJECT, FAKE_TOKEN, FakeTrackers } from '@hindsight/server-trackers/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { gqlAs, signIn } from './support/incident.fixtures';

const SECRET = 'browser-webhook-secret-0123456789';

let api: ApiHarness;
let fake: FakeTrackers;
let browser: Browser;
let page: Page;
let admin: string;
let itemId: string;

/** The worker's part, run in-process: every pending outbox push goes to the tracker. */
async function pushPending(): Promise<void> {
  const sync = api.app.get(TrackerSyncService);
  const c = new Client({ connectionString: api.db.url });
  await c.connect();
  const { rows } = await c.query(`SELECT id FROM tracker_pushes WHERE status = 'PENDING'`);
  await c.end();
  for (const r of rows as { id: string }[]) await sync.push(r.id);
}

beforeAll(async () => {
  process.env['HINDSIGHT_ENCRYPTION_KEY'] ??= randomBytes(32).toString('base64');
  fake = await new FakeTrackers().start();
  api = await startApi({}, { webRoot: WEB_ROOT });
  admin = await api.login();
  const { createTeam } = await gqlAs<{ createTeam: { id: string } }>(api, admin, `mutation { createTeam(input: { name: "Checkout" }) { id } }`);
  const { createIncident } = await gqlAs<{ createIncident: { id: string } }>(api, admin, `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`, {
    i: { title: 'Checkout errors after deploy', severity: 'SEV2', startedAt: new Date(Date.now() - 86_400_000).toISOString() },
  });
  const { createActionItem } = await gqlAs<{ createActionItem: { id: string } }>(api, admin, `mutation($i: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $i, input: $input) { id } }`, {
    i: createIncident.id, input: { title: 'Add a canary stage to checkout deploys', kind: 'PREVENT', priority: 'P2', ownerTeamId: createTeam.id },
  });
  itemId = createActionItem.id;
  browser = await launchBrowser();
  page = await browser.newPage();
  await signIn(page, api.url, TEST_ADMIN);
  await page.goto(`${api.url}/settings`);
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await fake?.close();
});

it('connects GitHub under Settings → Trackers and tests the connection', async () => {
  const form = page.getByRole('form', { name: 'Connect a tracker' });
  await form.getByLabel('Tracker').selectOption('GITHUB');
  await form.getByLabel('Name').fill('GitHub api');
  await form.getByLabel('Base URL').fill(fake.baseUrl('GITHUB'));
  await form.getByLabel('Project').fill(FAKE_PROJECT.GITHUB);
  await form.getByLabel('Token').fill(FAKE_TOKEN);
  await form.getByLabel('Webhook secret').fill(SECRET);
  await form.getByRole('button', { name: 'Connect' }).click();
  await form.getByText('GitHub api connected.', { exact: false }).waitFor();
  const card = page.getByRole('listitem', { name: 'GitHub api' });
  await card.getByText('/api/trackers/', { exact: false }).waitFor();
  await card.getByRole('button', { name: 'Test connection' }).click();
  await card.getByText(`OK: ${FAKE_PROJECT.GITHUB} is reachable with this token`).waitFor();
  expect(await page.content()).not.toContain(FAKE_TOKEN);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'settings-trackers');
});

it("creates the item's issue from its page, then shows it done when the issue is closed upstream", async () => {
  await page.goto(`${api.url}/action-items/${itemId}`);
  const panel = page.getByRole('region', { name: 'Tracker' });
  await page.getByRole('heading', { name: 'Add a canary stage to checkout deploys' }).waitFor();
  await panel.getByRole('button', { name: 'Create an issue' }).click();
  await panel.getByText('Being created in GitHub api', { exact: false }).waitFor();
  // The worker's part: the outbox push creates the issue.
  await pushPending();
  await panel.getByRole('link', { name: '1', exact: true }).waitFor({ timeout: 10_000 });
  expect(fake.issues.GITHUB).toHaveLength(1);
  expect(await seriousAxeViolations(page)).toEqual([]);

  const { trackerConnections } = await gqlAs<{ trackerConnections: { id: string }[] }>(api, admin, `{ trackerConnections { id } }`);
  const hook = fake.change('GITHUB', '1', { state: 'closed' }, 'mona');
  expect((await deliverWebhook(`${api.url}/api/trackers/${trackerConnections[0].id}/webhook`, hook, SECRET)).status).toBe(200);
  await page.reload();
  await page.getByText('Closed upstream in acme/api#1 by mona.').waitFor();
  await screenshot(page, 'action-item-tracker');
});

it('shows on the tracker card that the issue was deleted upstream', async () => {
  const { trackerConnections } = await gqlAs<{ trackerConnections: { id: string }[] }>(api, admin, `{ trackerConnections { id } }`);
  const { actionItem } = await gqlAs<{ actionItem: { incident: { id: string }; ownerTeam: { id: string } } }>(api, admin, `query($id: ID!) { actionItem(id: $id) { incident { id } ownerTeam { id } } }`, { id: itemId });
  const { createActionItem } = await gqlAs<{ createActionItem: { id: string } }>(api, admin, `mutation($i: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $i, input: $input) { id } }`, {
    i: actionItem.incident.id, input: { title: 'Alert on checkout error budget burn', kind: 'DETECT', priority: 'P2', ownerTeamId: actionItem.ownerTeam.id },
  });
  await gqlAs(api, admin, `mutation($a: ID!, $c: ID!) { linkActionItemToTracker(actionItemId: $a, connectionId: $c) { id } }`, { a: createActionItem.id, c: trackerConnections[0].id });
  await pushPending();
  const issue = fake.issues.GITHUB.find((i) => i.title === 'Alert on checkout error budget burn');
  if (!issue) throw new Error('the issue was not created');
  fake.delete('GITHUB', issue.key);
  expect((await api.app.get(TrackerSyncService).reconcile(trackerConnections[0].id)).deleted).toBe(1);

  await page.goto(`${api.url}/action-items/${createActionItem.id}`);
  const panel = page.getByRole('region', { name: 'Tracker' });
  await panel.getByText('deleted upstream', { exact: true }).waitFor();
  await panel.getByText('This item is chased as before; unlink it, or link another issue.', { exact: false }).waitFor();
  expect(await panel.getByRole('link', { name: issue.key, exact: true }).count()).toBe(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'action-item-tracker-deleted');
});
