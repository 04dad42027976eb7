/// <reference lib="dom" />
// Leadership's review (issue 15): how reliability moved, what changed and why, where it is heading,
// every view in the URL, and a review that saves to a clean PDF.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { join } from 'node:path';
import { ARTIFACTS, buildWholePage, launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { Scenario } from '@hindsight/server-testing';
import { signInAt } from './support/incident.fixtures';
import { DAY, quietWeeksThenBurst, serviceWithSlo, thisMonday } from './support/reliability.fixtures';

let api: ApiHarness;
let browser: Browser;
let page: Page;
let paymentsId: string;
let checkoutId: string;

/** The last whole week: where the burst of incidents lands, so its bar is complete. */
const burstMonday = thisMonday - 7 * DAY;
const weekLabel = new Date(burstMonday).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  const world = await Scenario.asAdmin(api);
  const lead = await world.person({ email: 'lead@test.local', name: 'Lee Leadership', role: 'VIEWER' });
  paymentsId = await world.team({ name: 'Payments' });
  checkoutId = await serviceWithSlo(world, paymentsId, 'checkout-api', 50);
  const searchId = await world.service({ name: 'search-api', teamId: await world.team({ name: 'Discovery' }), revenuePerMinute: 50 });
  // One short SEV3 a week, alternating between the two teams' services; last week, a burst of
  // long SEV2 outages on checkout-api after a configuration change.
  await quietWeeksThenBurst(world, (week) => ({ serviceId: week % 2 ? searchId : checkoutId, minutes: 20 + week }), {
    serviceId: checkoutId,
    count: 8,
    title: (i) => `Checkout outage ${i + 1}`,
    minutes: (i) => 240 + i * 15,
  });

  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signInAt(page, api.url, lead);
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

const tiles = () => page.getByRole('region', { name: 'Key figures' });

it('shows the headline against the previous period, with the filters in the URL', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reliability' }).click();
  await page.getByTestId('figure-incidents').waitFor();
  expect(await page.getByTestId('figure-incidents').textContent()).toBe('20');
  // The incidents tile says how it moved in words, not only in colour.
  const incidentsTile = tiles().locator('article', { hasText: 'Incidents' }).first();
  expect(await incidentsTile.textContent()).toMatch(/worse|better|no change|not comparable/);

  await page.getByLabel('Period', { exact: true }).selectOption('13w');
  await page.waitForURL(/period=13w/);
  await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Payments' });
  await page.waitForURL(new RegExp(`team=${paymentsId}`));
  // Payments: the 8 outages and the 6 quiet weeks on checkout-api.
  await page.getByTestId('figure-incidents').getByText('14', { exact: true }).waitFor();

  await page.goBack();
  await page.waitForURL((url) => url.search === '?period=13w');
  expect(await page.getByLabel('Team', { exact: true }).inputValue()).toBe('');
  // Thirteen weeks hold eleven of the quiet weeks and the burst.
  await page.getByTestId('figure-incidents').getByText('19', { exact: true }).waitFor();
  await page.goForward();
  await page.waitForURL(new RegExp(`team=${paymentsId}`));
  expect(await page.getByLabel('Team', { exact: true }).inputValue()).toBe(paymentsId);
  await page.goBack();
  await page.waitForURL((url) => url.search === '?period=13w');
});

it('reads exact values on hover and with the keyboard', async () => {
  await buildWholePage(page);
  const chart = page.getByRole('img', { name: 'Incidents per week by severity' });
  await chart.scrollIntoViewIfNeeded();
  const over = await chart.locator('.u-over').boundingBox();
  if (!over) throw new Error('The chart has no size');
  // 13 weekly bars, the last one this week: the burst is the 12th.
  await page.mouse.move(over.x + (11.5 / 13) * over.width, over.y + over.height - 5);
  const tooltip = page.getByTestId('chart-tooltip');
  await tooltip.waitFor();
  expect(await tooltip.textContent()).toContain(weekLabel);
  expect(await tooltip.textContent()).toContain('SEV2: 8');
  expect(await tooltip.textContent()).toContain('Total: 8');
  await page.mouse.move(0, 0);

  await chart.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  const announcement = chart.locator('xpath=../..').getByTestId('chart-announcement');
  await expect_(async () => (await announcement.textContent()) ?? '', (t) => t.startsWith(`${weekLabel}:`) && t.includes('SEV2 8') && t.includes('total 8'));
  await page.keyboard.press('Home');
  await expect_(async () => (await announcement.textContent()) ?? '', (t) => t.includes('SEV3 1') && t.includes('total 1'));
});

it('marks what changed and links its drivers to the incidents', async () => {
  const changed = page.getByRole('region', { name: 'What changed' });
  await changed.getByRole('heading', { name: /incidents.*worse/i }).first().waitFor();
  expect(await changed.textContent()).toContain('configuration change (3)');
  const incidentLinks = changed.getByRole('link', { name: /^INC-\d+ Checkout outage/ });
  expect(await incidentLinks.count()).toBeGreaterThan(0);
  expect(await incidentLinks.first().getAttribute('href')).toMatch(/^\/incidents\/INC-\d+$/);

  await changed.getByRole('link', { name: /checkout-api \(8\)/ }).first().click();
  await page.waitForURL(new RegExp(`/incidents\\?from=.*service=${checkoutId}`));
  await page.getByText('8 incidents', { exact: true }).waitFor();
  await expect_(() => page.getByLabel('Service').inputValue(), (v) => v === checkoutId);
  await page.goBack();
  await page.getByRole('region', { name: 'What changed' }).waitFor();
  expect(new URL(page.url()).search).toBe('?period=13w');
});

it('forecasts with its interval, and passes axe at 1280 and 1920 px', async () => {
  await buildWholePage(page);
  const outlook = page.getByTestId('outlook-method');
  await outlook.waitFor();
  expect(await outlook.textContent()).toMatch(/Method: .+ prediction interval/);
  await page.getByRole('img', { name: /forecast.*prediction interval/ }).waitFor();
  await page.getByRole('img', { name: 'Time to resolve, median and p90 per week' }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'reliability-review-1280');
  await page.setViewportSize({ width: 1920, height: 1080 });
  // The charts follow the container: wider page, wider chart.
  const chart = page.getByRole('img', { name: 'Incidents per week by severity' });
  await page.waitForFunction(() => ((document.querySelector('[aria-label="Incidents per week by severity"] canvas') as HTMLCanvasElement | null)?.getBoundingClientRect().width ?? 0) > 1300);
  expect((await chart.boundingBox())?.width).toBeGreaterThan(1300);
  await screenshot(page, 'reliability-review-1920');
  await page.setViewportSize({ width: 1280, height: 900 });
});

it('restores an incidents search and action-item filters from the URL, and Back restores the ones before', async () => {
  await page.goto(`${api.url}/incidents?search=outage`);
  await page.getByText('8 incidents', { exact: true }).waitFor();
  expect(await page.getByLabel('Search', { exact: true }).inputValue()).toBe('outage');
  await page.getByLabel('Search', { exact: true }).fill('blip');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/search=blip/);
  await page.getByText('12 incidents', { exact: true }).waitFor();
  await page.goBack();
  await page.waitForURL(/search=outage/);
  await page.getByText('8 incidents', { exact: true }).waitFor();
  expect(await page.getByLabel('Search', { exact: true }).inputValue()).toBe('outage');

  // Action items keep their filters in the URL too, one history entry per change.
  await page.goto(`${api.url}/action-items?status=any`);
  await page.getByLabel('Priority').selectOption('P1');
  await page.waitForURL(/status=any&priority=P1/);
  await page.getByLabel('Tracker').selectOption('no');
  await page.waitForURL(/linked=no/);
  await page.goBack();
  await page.waitForURL((url) => url.search === '?status=any&priority=P1');
  await expect_(() => page.getByLabel('Tracker').inputValue(), (v) => v === '');
  expect(await page.getByLabel('Priority').inputValue()).toBe('P1');
});

it('opens the review with the same filters and saves it as a PDF of several pages', async () => {
  await page.goto(`${api.url}/reliability?period=13w&team=${paymentsId}`);
  await page.getByTestId('figure-incidents').getByText('14', { exact: true }).waitFor();
  await page.getByRole('link', { name: 'Open the review' }).click();
  await page.waitForURL(/\/reliability\/review\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&interval=WEEK&teamId=/);
  await page.getByRole('heading', { level: 1, name: 'Reliability review' }).waitFor();
  await page.getByTestId('figure-incidents').getByText('14', { exact: true }).waitFor();
  await page.getByText('team Payments').waitFor();
  await buildWholePage(page);
  await page.getByRole('img', { name: 'Incidents per week by severity' }).locator('canvas').first().waitFor();
  await page.getByRole('img', { name: /forecast/ }).locator('canvas').first().waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'reliability-review-report');

  // In print the navigation is gone and each chapter (trends, error budgets, outlook, learning) starts a page.
  await page.emulateMedia({ media: 'print' });
  expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
  expect(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(false);
  const breaks = await page.evaluate(() => [...document.querySelectorAll('.hs-review .hs-print-section')].filter((el) => getComputedStyle(el).breakBefore === 'page').length);
  expect(breaks).toBeGreaterThanOrEqual(4);
  // The print layout at A4's width, for a person to look at (the PDF's pages are not rendered here).
  await page.setViewportSize({ width: 794, height: 1123 });
  await screenshot(page, 'reliability-review-print');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ media: null });

  const pdf = await page.pdf({ format: 'A4', printBackground: true, path: join(ARTIFACTS, 'reliability-review.pdf') });
  const raw = pdf.toString('latin1');
  expect(raw.startsWith('%PDF-')).toBe(true);
  const pages = raw.match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
  expect(pages).toBeGreaterThanOrEqual(breaks + 1);
  // The document title (the file's name in the print dialog) is in the PDF's metadata.
  // Dates as the reader's locale writes them (the app's one formatter): "14 Sept 2026" or "Sep 14, 2026".
  const day = String.raw`(?:\d{1,2} \w{3,4} \d{4}|\w{3,4} \d{1,2}, \d{4})`;
  expect(pdfTitle(raw)).toMatch(new RegExp(`^Reliability review ${day} – ${day}$`));
});

it('shows all time monthly, from the first month with an incident', async () => {
  await page.goto(`${api.url}/reliability`);
  await page.getByLabel('Period', { exact: true }).selectOption('all');
  await page.waitForURL(/period=all/);
  await page.getByTestId('figure-incidents').getByText('20', { exact: true }).waitFor();
  await buildWholePage(page);
  const chart = page.getByRole('img', { name: 'Incidents per month by severity' });
  await chart.waitFor();
  // Thirty years are asked for; the chart starts at the month of the oldest incident, not decades of empty bars.
  const oldest = new Date(thisMonday - 13 * 7 * DAY + 2 * DAY);
  const firstMonth = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(oldest);
  // The figures' table is built when first opened.
  await chart.locator('xpath=ancestor::figure').getByText('Show the figures').click();
  const rows = chart.locator('xpath=ancestor::figure').locator('tbody tr');
  await rows.first().waitFor();
  expect(await rows.first().locator('th').textContent()).toBe(firstMonth);
  const now = new Date();
  const months = (now.getUTCFullYear() - oldest.getUTCFullYear()) * 12 + now.getUTCMonth() - oldest.getUTCMonth() + 1;
  expect(await rows.count()).toBe(months);
});

/** The /Title of a Chromium PDF's info dictionary, written either as a literal or as UTF-16 hex. */
function pdfTitle(raw: string): string | null {
  const hex = raw.match(/\/Title\s*<FEFF([0-9A-Fa-f]+)>/);
  if (hex?.[1]) return (hex[1].match(/.{4}/g) ?? []).map((h) => String.fromCharCode(parseInt(h, 16))).join('');
  const literal = raw.match(/\/Title\s*\(((?:\\.|[^\\)])*)\)/);
  return literal?.[1] ?? null;
}

/** Polls until the check holds (aria-live text updates after the key press is handled). */
async function expect_(read: () => Promise<string>, check: (value: string) => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    last = await read();
    if (check(last)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Condition not met; last value: "${last}"`);
}
