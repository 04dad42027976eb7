/// <reference lib="dom" />
// Changes before detection (issue 25): deploys posted to the changes API appear on the incident
// they preceded; a commander marks the triggering one in one click, and the timeline shows it
// with its link; a second trigger is refused with the reason; a viewer reads without buttons.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { createPerson, createTeamWithService, gqlAs, signIn, signOut, type Person } from './support/incident.fixtures';

jest.setTimeout(120_000);

let api: ApiHarness;
let browser: Browser;
let page: Page;
let commander: Person;
let viewer: Person;

async function deploy(token: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${api.url}/api/changes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(await res.text());
}

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  const admin = await api.login();
  commander = await createPerson(api, admin, 'Cara Commander', 'COMMANDER');
  viewer = await createPerson(api, admin, 'Vera Viewer', 'VIEWER');
  const bot = await createPerson(api, admin, 'Deploy Bot', 'COMMANDER');
  const { serviceId } = await createTeamWithService(api, admin, 'Payments', 'checkout-api', [commander.id]);
  const token = (await gqlAs<{ createApiToken: { token: string } }>(api, admin, `mutation($u: ID) { createApiToken(name: "ci", userId: $u) { token } }`, { u: bot.id })).createApiToken.token;
  await gqlAs(api, admin, `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`, {
    input: { title: 'Checkout 5xx after deploy', severity: 'SEV2', startedAt: '2026-11-20T09:40:00Z', detectedAt: '2026-11-20T10:00:00Z', serviceIds: [serviceId] },
  });
  await deploy(token, { service: 'checkout-api', environment: 'production', version: 'v2.14.0', url: 'https://github.com/acme/checkout/releases/tag/v2.14.0', finishedAt: '2026-11-20T09:35:00Z' });
  await deploy(token, { service: 'checkout-api', environment: 'production', version: 'v2.13.2', finishedAt: '2026-11-20T07:10:00Z' });
  await deploy(token, { service: 'checkout-api', environment: 'staging', version: 'v2.15.0-rc1', finishedAt: '2026-11-20T09:50:00Z' });
  page = await (await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

it('a commander marks the triggering change in one click; the timeline shows it; a viewer reads it', async () => {
  await signIn(page, api.url, commander, '/incidents/INC-1');
  const panel = page.getByRole('region', { name: 'Changes before detection' });
  const latest = panel.getByRole('article', { name: /^checkout-api v2\.14\.0 at / });
  const earlier = panel.getByRole('article', { name: /^checkout-api v2\.13\.2 at / });
  await latest.waitFor();
  await earlier.waitFor();
  // Staging is not production: not a suspect.
  expect(await panel.getByText('v2.15.0-rc1').count()).toBe(0);
  expect(await panel.getByRole('link', { name: 'Open the change' }).getAttribute('href')).toBe('https://github.com/acme/checkout/releases/tag/v2.14.0');

  await latest.getByRole('button', { name: 'Mark as triggering' }).click();
  await latest.getByText('Triggering change').waitFor();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  const event = timeline.getByText('Triggering change: checkout-api v2.14.0 deployed to production (via API)');
  await event.waitFor();
  expect(await timeline.getByRole('link', { name: 'Evidence' }).getAttribute('href')).toBe('https://github.com/acme/checkout/releases/tag/v2.14.0');

  await earlier.getByRole('button', { name: 'Contributing' }).click();
  await earlier.getByText('Contributing change').waitFor();
  // A second trigger: refused, and the commander is told which change holds the role.
  await earlier.getByRole('button', { name: 'Mark as triggering' }).click();
  await earlier.getByRole('alert').filter({ hasText: 'already checkout-api v2.14.0' }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'incident-changes');

  // A narrower window: the earlier deploy (2 h 50 min before detection) is outside it, but
  // linked changes stay listed wherever they fall.
  await panel.getByLabel('Look back').selectOption('60');
  await panel.getByText('in the 1 hour up to detection').waitFor();
  await earlier.waitFor();
  await panel.getByLabel('Look back').selectOption('240');
  await signOut(page, api.url);

  await signIn(page, api.url, viewer, '/incidents/INC-1');
  await latest.getByText('Triggering change').waitFor();
  expect(await panel.getByRole('button').count()).toBe(0);
  expect(await panel.getByLabel('Look back').count()).toBe(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
});
