/// <reference lib="dom" />
// The design system's parts (/design) in a real browser: the pickers are optimistic with
// Undo and put a refused value back, the confirmation dialog starts on Cancel and gives the
// focus back, menus and tabs work from the keyboard. It also takes the screenshots that
// docs/design.md shows, one per part, into apps/web-e2e/artifacts/design/ (git-ignored).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { ARTIFACTS, launchBrowser, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { signIn } from './support/incident.fixtures';

let api: ApiHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, api.url, TEST_ADMIN, '/design');
  await page.getByRole('heading', { level: 1, name: 'Design system' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

const part = (id: string) => page.locator(`[data-part="${id}"]`);

it('pickers change at once, offer Undo, and put a refused value back', async () => {
  const pickers = part('pickers');
  await pickers.getByRole('button', { name: 'Priority: P1 (high), change' }).click();
  await pickers.getByRole('menuitemradio', { name: 'P0 (critical)' }).click();
  // Optimistic: the new value shows before the (slow) save has answered.
  await pickers.getByRole('button', { name: 'Priority: P0 (critical), change' }).waitFor();
  const toast = page.locator('.hs-toast', { hasText: 'Priority: P0 (critical)' });
  await toast.waitFor();
  await toast.getByRole('button', { name: 'Undo' }).click();
  await pickers.getByRole('button', { name: 'Priority: P1 (high), change' }).waitFor();

  await pickers.getByRole('button', { name: 'Priority (refused): P2 (medium), change' }).click();
  await pickers.getByRole('menuitemradio', { name: 'P0 (critical)' }).click();
  await page.locator('.hs-toast--error', { hasText: 'only the owning team may change it' }).waitFor();
  await pickers.getByRole('button', { name: 'Priority (refused): P2 (medium), change' }).waitFor();

  // From the keyboard: ↓ opens on the checked choice, ↓ moves, Enter picks.
  await pickers.getByRole('button', { name: 'Status: Open, change' }).focus();
  await page.keyboard.press('ArrowDown');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Open');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await pickers.getByRole('button', { name: 'Status: In progress, change' }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
});

it('a destructive confirmation starts on Cancel, Escape closes it, and the focus returns', async () => {
  const opener = part('dialogs').getByRole('button', { name: 'Delete the example…' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Delete the example?' });
  await dialog.waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
});

it('menus and tabs work from the keyboard; the table sorts by a header', async () => {
  await part('menu').getByRole('button', { name: 'Actions' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('menuitem', { name: 'Copy link' }).waitFor();
  await page.keyboard.press('Escape');
  expect(await page.getByRole('menu').count()).toBe(0);

  await part('menu').getByRole('tab', { name: 'Summary' }).focus();
  await page.keyboard.press('ArrowRight');
  expect(await part('menu').getByRole('tab', { name: 'Timeline' }).getAttribute('aria-selected')).toBe('true');
  await part('menu').getByText('The timeline panel.').waitFor();

  const table = page.getByRole('table', { name: 'Example action items' });
  const titles = () => table.locator('tbody tr td:first-child').allTextContents();
  await table.getByRole('button', { name: /Action item/ }).click();
  expect(await titles()).toEqual(['Add a canary stage for the card gateway', 'Alert on EU authorisation failure rate', 'Document the acquirer fail-over']);
  expect(await table.getByRole('columnheader', { name: /Action item/ }).getAttribute('aria-sort')).toBe('ascending');
  await table.getByRole('button', { name: /Action item/ }).click();
  expect((await titles())[0]).toBe('Document the acquirer fail-over');
});

it('screenshots each part for docs/design.md, at desktop and phone width', async () => {
  const dir = join(ARTIFACTS, 'design');
  mkdirSync(dir, { recursive: true });
  const ids = await page.locator('[data-part]').evaluateAll((els) => els.map((el) => el.getAttribute('data-part') as string));
  expect(ids).toEqual(['theme', 'buttons', 'table', 'pickers', 'menu', 'dialogs', 'states', 'dates']);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const id of ids) await part(id).screenshot({ path: join(dir, `${id}-${width}.png`) });
  }
  // The phone layout: the table's rows are cards, and nothing is wider than the window.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(391);
  expect(await page.getByRole('table', { name: 'Example action items' }).locator('thead').evaluate((el) => getComputedStyle(el).position)).toBe('absolute');
});
