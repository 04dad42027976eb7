/// <reference lib="dom" />
// Global search (issue 23): "/" or Ctrl-K from any page opens the palette (not "/" while typing
// in a field); results come grouped by kind; the arrow keys and Enter open a hit; pages are
// offered only as the person's navigation offers them.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { cardDeclinesAtCheckout, createPerson, signIn, signOut, type Person } from './support/incident.fixtures';

jest.setTimeout(120_000);

let api: ApiHarness;
let browser: Browser;
let page: Page;
let admin: string;
let commander: Person;
let viewer: Person;
let runbookId: string;

const palette = () => page.getByRole('dialog', { name: 'Search' });
const box = () => palette().getByRole('combobox');
const group = (name: string) => palette().getByRole('group', { name });

/** Types into the palette and waits for what the API found. */
async function typeAndWait(text: string, group: string, option: RegExp): Promise<void> {
  await box().fill(text);
  await palette().getByRole('group', { name: group }).getByRole('option', { name: option }).waitFor();
}

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  admin = await api.login();
  commander = await createPerson(api, admin, 'Cara Commander', 'COMMANDER');
  viewer = await createPerson(api, admin, 'Vic Viewer', 'VIEWER');
  ({ runbookId } = await cardDeclinesAtCheckout(api, admin, [commander.id]));
  page = await (await browser.newContext()).newPage();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

it('opens with "/", finds an incident and a runbook grouped by kind, and Enter on the arrowed-to runbook opens it', async () => {
  await signIn(page, api.url, commander, '/incidents');
  await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
  await page.locator('body').press('/');
  await palette().waitFor();
  expect(await box().evaluate((el) => el === document.activeElement)).toBe(true);

  await typeAndWait('card decl', 'Runbooks', /^Card declines spike/);
  await group('Incidents').getByRole('option', { name: /INC-1: Card declines at checkout/ }).waitFor();
  // Incidents come before runbooks; the first option is active, the arrow key moves on.
  const options = palette().getByRole('option');
  expect(await options.first().textContent()).toContain('INC-1: Card declines at checkout');
  expect(await options.first().getAttribute('aria-selected')).toBe('true');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'search-palette');
  await box().press('ArrowDown');
  const runbook = group('Runbooks').getByRole('option').first();
  expect(await runbook.getAttribute('aria-selected')).toBe('true');
  expect(await box().getAttribute('aria-activedescendant')).toBe(await runbook.getAttribute('id'));
  await box().press('Enter');
  await page.waitForURL(`${api.url}/runbooks/${runbookId}`);
  await page.getByRole('heading', { name: 'Card declines spike', level: 1 }).waitFor();
  expect(await palette().count()).toBe(0);
});

it('opens with Ctrl-K from any page, and Enter opens the incident', async () => {
  await page.keyboard.press('Control+k');
  await palette().waitFor();
  await typeAndWait('acquirer refused', 'Incidents', /^INC-1: Card declines at checkout/);
  await box().press('Enter');
  await page.waitForURL(`${api.url}/incidents/INC-1`);
  await page.getByRole('heading', { name: /Card declines at checkout/, level: 1 }).waitFor();
});

it('"/" typed into a field is a character; Escape closes the palette and gives focus back', async () => {
  await page.goto(`${api.url}/incidents`);
  const search = page.getByRole('search', { name: 'Search and filter incidents' }).getByLabel('Search');
  await search.fill('a/b');
  await search.press('/');
  expect(await search.inputValue()).toBe('a/b/');
  expect(await palette().count()).toBe(0);

  const trigger = page.getByRole('button', { name: 'Search (/ or Ctrl-K)' });
  await trigger.click();
  await palette().waitFor();
  await box().fill('nothing-like-this');
  await palette().getByText('Nothing found for “nothing-like-this”.').waitFor();
  await page.keyboard.press('Escape');
  await palette().waitFor({ state: 'detached' });
  expect(await trigger.evaluate((el) => el === document.activeElement)).toBe(true);
  await signOut(page, api.url);
});

it("offers only the pages the person's navigation offers; a VIEWER reads (and finds) every incident and runbook", async () => {
  const pagesFound = async (): Promise<string[]> => {
    await page.keyboard.press('Control+k');
    await palette().waitFor();
    await box().fill('settings');
    await palette().getByRole('status').filter({ hasText: /found/ }).waitFor();
    const found = await palette().getByRole('group', { name: 'Pages' }).getByRole('option').allTextContents();
    await page.keyboard.press('Escape');
    await palette().waitFor({ state: 'detached' });
    return found;
  };
  const navHasSettings = async () => (await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count()) > 0;

  await signIn(page, api.url, { email: 'admin@test.local', password: 'admin-password-1' }, '/incidents');
  expect(await navHasSettings()).toBe(true);
  expect(await pagesFound()).toEqual(['Settings']);
  await signOut(page, api.url);

  await signIn(page, api.url, viewer, '/incidents');
  expect(await pagesFound()).toEqual((await navHasSettings()) ? ['Settings'] : []);
  await page.keyboard.press('Control+k');
  await typeAndWait('card', 'Incidents', /^INC-1: Card declines at checkout/);
  await group('Runbooks').getByRole('option', { name: /Card declines spike/ }).waitFor();
  await page.keyboard.press('Escape');
});

it('opens with "/" and Ctrl-K on a phone too, where the header folds the search button into its menu', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${api.url}/incidents`);
  await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
  expect(await page.getByRole('button', { name: 'Search (/ or Ctrl-K)' }).isVisible()).toBe(false);
  await page.locator('body').press('/');
  await palette().waitFor();
  await typeAndWait('card', 'Incidents', /^INC-1: Card declines at checkout/);
  await page.keyboard.press('Escape');
  await palette().waitFor({ state: 'detached' });
  // A chord pressed in the same instant the palette leaves is sometimes lost in headless
  // Chromium (1 run in 4 here; none in 12 with a moment between); a person presses again, as does this.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+k');
    const opened = await palette().waitFor({ timeout: 2_000 }).then(() => true, () => false);
    if (opened) break;
    if (attempt === 3) throw new Error('Ctrl-K did not open the search palette on a phone, pressed three times');
  }
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1280, height: 720 });
});
