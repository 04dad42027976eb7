/// <reference lib="dom" />
// Runbooks learn from incidents (issue 13): a commander says a runbook missed steps and turns
// that into a linked action item in one click; an engineer of the owning team fixes the
// runbook and resolves the item from the save dialog; the revision diff shows the change.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { buildWholePage, launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { cardDeclinesAtCheckout, createPerson, gqlAs, signIn, signOut, type Person } from './support/incident.fixtures';

jest.setTimeout(120_000);

let api: ApiHarness;
let browser: Browser;
let page: Page;
let admin: string;
let commander: Person;
let engineer: Person;
let runbookId: string;
let incidentId: string;

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  admin = await api.login();
  commander = await createPerson(api, admin, 'Cara Commander', 'COMMANDER');
  engineer = await createPerson(api, admin, 'Eli Engineer', 'COMMANDER');
  ({ runbookId, incidentId } = await cardDeclinesAtCheckout(api, admin, [engineer.id]));
  page = await (await browser.newContext()).newPage();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

it('missing steps → linked item → the fixed runbook resolves it, and the diff shows the change', async () => {
  // The commander, on the incident page: the runbook of the affected service, and feedback.
  await signIn(page, api.url, commander, '/incidents/INC-1');
  const panel = page.getByRole('article', { name: 'Card declines spike (checkout-api)' });
  await panel.waitFor();
  await panel.getByLabel('How did "Card declines spike" do?').selectOption('MISSING_STEPS');
  await panel.getByLabel('Note').fill('No step to check the acquirer status page first.');
  await panel.getByRole('button', { name: 'Record feedback' }).click();
  await panel.getByRole('button', { name: 'Create linked action item' }).click();
  await panel.getByRole('link', { name: /Runbook "Card declines spike": missing steps \(Open\)/ }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await signOut(page, api.url);

  // The owning team's engineer edits the runbook and resolves the item from the save dialog.
  await signIn(page, api.url, engineer, `/runbooks/${runbookId}`);
  await page.getByRole('heading', { name: 'Card declines spike' }).waitFor();
  await page.getByRole('button', { name: 'Edit runbook' }).click();
  await page.getByRole('textbox', { name: 'What to look at first' }).fill('Check the acquirer status page.');
  await page.getByRole('button', { name: 'Save…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save version 2' });
  await dialog.getByLabel('What changed (note)').fill('Status-page check first');
  await dialog.getByLabel(/Runbook "Card declines spike": missing steps/).check();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Save revision' }).click();
  await page.getByRole('button', { name: 'Show changes in version 2' }).waitFor();

  // The revision diff shows the added line.
  await page.getByRole('button', { name: 'Show changes in version 2' }).click();
  const diff = page.locator('[data-section="detection"].hs-diff');
  await diff.locator('ins', { hasText: '+ Check the acquirer status page.' }).waitFor();
  await screenshot(page, 'runbook-diff');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as Markdown' }).click()]);
  expect(download.suggestedFilename()).toBe('Card-declines-spike.md');
  expect(readFileSync((await download.path()) as string, 'utf8')).toContain('## What to look at first\n\nCheck the acquirer status page.');
  expect(await seriousAxeViolations(page)).toEqual([]);

  const stored = await gqlAs<{ incident: { actionItems: { status: string; completionNote: string | null; addressesRunbook: { id: string } | null }[] } }>(
    api, admin, `query($id: ID!) { incident(id: $id) { actionItems { status completionNote addressesRunbook { id } } } }`, { id: incidentId },
  );
  expect(stored.incident.actionItems).toEqual([{ status: 'DONE', completionNote: 'Resolved by runbook revision 2', addressesRunbook: { id: runbookId } }]);

  // Leadership's view: the runbook was written after the incident started, so it did not cover it; the feedback counts.
  await page.goto(`${api.url}/reliability`);
  await buildWholePage(page);
  const figures = page.getByRole('region', { name: 'Runbooks' });
  await figures.getByText('Coverage 0 % (0 of 1); feedback: 1 missing steps; 0 runbooks due for review.').waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);

  // A year on, the runbook is due for review: the services page says so and links to the runbooks due, and "Mark reviewed" clears it.
  const pg = new Client({ connectionString: api.db.url });
  await pg.connect();
  await pg.query(`UPDATE runbooks SET review_due_at = now() - interval '1 day' WHERE id = $1`, [runbookId]);
  await pg.end();
  await page.goto(`${api.url}/services`);
  await page.getByRole('link', { name: 'See which' }).click();
  await page.waitForURL(/\/runbooks\?stale=1$/);
  expect(await page.getByLabel('Only those due for review').isChecked()).toBe(true);
  await page.getByRole('table', { name: 'Runbooks' }).getByRole('link', { name: 'Card declines spike' }).click();
  await page.getByText('Review due').first().waitFor();
  await page.getByRole('button', { name: 'Mark reviewed' }).click();
  await page.getByText('Marked reviewed.').waitFor();
  await page.getByText('Reviewed', { exact: true }).waitFor();
});

it('a VIEWER records what the runbook did for them on an incident they read (no action item offered)', async () => {
  await page.context().clearCookies();
  const viewer = await createPerson(api, admin, 'Vera Viewer', 'VIEWER');
  await page.goto(`${api.url}/signin`);
  await page.evaluate(() => window.localStorage.clear());
  await signIn(page, api.url, viewer, '/incidents/INC-1');
  const panel = page.getByRole('article', { name: 'Card declines spike (checkout-api)' });
  await panel.waitFor();
  await panel.getByLabel('How did "Card declines spike" do?').selectOption('OUTDATED');
  await panel.getByLabel('Note').fill('The acquirer’s phone number has changed.');
  await panel.getByRole('button', { name: 'Record feedback' }).click();
  await panel.getByText('Vera Viewer: The acquirer’s phone number has changed.').waitFor();
  expect(await panel.getByRole('button', { name: 'Create linked action item' }).count()).toBe(0);
  expect(await panel.getByRole('alert').count()).toBe(0);
});
