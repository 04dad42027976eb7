/// <reference lib="dom" />
// Leadership's journey: read the dashboard, switch to a customer segment, see it next to everyone.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { buildWholePage, launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { must } from '@hindsight/server-testing';
import { signInAt } from './support/incident.fixtures';

let api: ApiHarness;
let browser: Browser;
let page: Page;


const daysAgo = (d: number, minutes = 0) => new Date(Date.now() - d * 86400_000 + minutes * 60_000).toISOString();

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  const admin = await api.login();
  await must(api, `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email: 'lee@test.local', name: 'Lee Leadership', role: 'VIEWER', password: 'viewer-password-1' } }, admin);
  const team = await must<{ createTeam: { id: string } }>(api, `mutation { createTeam(input: { name: "Payments" }) { id } }`, {}, admin);
  const service = await must<{ createService: { id: string } }>(
    api,
    `mutation($t: ID!) { createService(input: { name: "checkout-api", kind: API, tier: 1, teamId: $t, revenuePerMinute: 100 }) { id } }`,
    { t: team.createTeam.id },
    admin,
  );
  const serviceId = service.createService.id;
  await must(api, `mutation($s: ID!) { createSlo(input: { serviceId: $s, dimension: AVAILABILITY, objective: 99.9, segment: "enterprise" }) { id } }`, { s: serviceId }, admin);
  await must(api, `mutation($s: ID!) { createSlo(input: { serviceId: $s, dimension: AVAILABILITY, objective: 99.5 }) { id } }`, { s: serviceId }, admin);
  // Five incidents for everyone, two of them hitting enterprise customers, with long-tailed durations.
  const incidents: [number, number, string[]][] = [
    [20, 30, []],
    [15, 45, ['enterprise']],
    [10, 60, []],
    [6, 240, ['enterprise']],
    [3, 20, []],
  ];
  for (const [ago, minutes, segments] of incidents) {
    await must(
      api,
      `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`,
      { i: { title: `Checkout errors ${ago} days ago`, severity: minutes > 100 ? 'SEV2' : 'SEV3', serviceIds: [serviceId], impactedDimensions: ['AVAILABILITY'], segments, startedAt: daysAgo(ago), detectedAt: daysAgo(ago, 5), resolvedAt: daysAgo(ago, minutes), status: 'RESOLVED' } },
      admin,
    );
  }
  page = await browser.newPage();
  await signInAt(page, api.url, { email: 'lee@test.local', password: 'viewer-password-1' });
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

it('shows trends as distributions, error budgets and cost', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reliability' }).click();
  await page.getByTestId('figure-incidents').waitFor();
  expect(await page.getByTestId('figure-incidents').textContent()).toBe('5');
  // Median of 20, 30, 45, 60, 240 minutes is 45 minutes.
  expect(await page.getByRole('region', { name: 'Key figures' }).textContent()).toContain('median 45 min');
  await buildWholePage(page);
  await page.getByRole('img', { name: 'Distribution of time to resolve' }).waitFor();
  await page.getByRole('img', { name: /Incidents per week by severity/ }).waitFor();
  const budgets = page.getByRole('region', { name: /Error budgets/ });
  await budgets.getByRole('cell', { name: 'enterprise' }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'reliability');
});

it('puts a customer segment next to everyone', async () => {
  await page.getByLabel('Customer segment').selectOption('enterprise');
  const segment = page.getByRole('region', { name: 'Key figures: Segment: enterprise' });
  await segment.waitFor();
  expect(await segment.getByTestId('figure-incidents').textContent()).toBe('2');
  expect(await page.getByRole('region', { name: 'Key figures: Everyone' }).getByTestId('figure-incidents').textContent()).toBe('5');
  // Enterprise saw the long one: its median (45 and 240 → 142.5 min) is far above everyone's.
  expect(await segment.textContent()).toContain('median 2 h 23 min');
  expect(page.url()).toContain('segment=enterprise');
  await screenshot(page, 'reliability-segment');
});

it('is read-only for leadership on the admin pages', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
  await page.getByRole('heading', { name: /checkout-api/ }).waitFor();
  expect(await page.getByRole('form', { name: 'Add a service' }).count()).toBe(0);
  expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count()).toBe(0);
});
