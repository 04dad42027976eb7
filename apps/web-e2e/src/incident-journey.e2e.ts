/// <reference lib="dom" />
// The commander's journey: declare an incident, build its timeline and analysis, write the
// postmortem, propose an action item, get it reviewed and publish it; the viewer reads it.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { createPerson, createTeamWithService, gqlAs, signIn, signOut, tabTo, type Person, fillSignIn } from './support/incident.fixtures';

// Every step is a real round trip through the browser, the API and Postgres.
jest.setTimeout(90_000);

let api: ApiHarness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let commander: Person;
let reviewer: Person;
let viewer: Person;
let serviceId: string;

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  const admin = await api.login();
  commander = await createPerson(api, admin, 'Cora Commander', 'COMMANDER');
  reviewer = await createPerson(api, admin, 'Rita Reviewer', 'MANAGER');
  viewer = await createPerson(api, admin, 'Vic Viewer', 'VIEWER');
  ({ serviceId } = await createTeamWithService(api, admin, 'Payments', 'checkout-api', [commander.id, reviewer.id], reviewer.id));
  context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function expectNoSeriousA11yIssues(): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

it('shows the empty incidents list, then declares an incident with the keyboard after a field error', async () => {
  await signIn(page, api.url, commander);
  await page.getByText('No incidents yet.').waitFor();
  await expectNoSeriousA11yIssues();

  // Keyboard only: reach "Declare incident" with Tab and follow it with Enter.
  await tabTo(page, /Declare incident/);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${api.url}/incidents/new`);
  const form = page.getByRole('form', { name: 'Declare an incident' });
  await form.getByLabel('Title').waitFor();
  await expectNoSeriousA11yIssues();

  // An empty title is refused by the API and the reason is shown at the field.
  await form.getByLabel('Title').focus();
  await page.keyboard.press('Enter');
  // Wait for the answer (the field turns invalid), then check the reason is tied to the field.
  await form.locator('input[aria-invalid="true"]').waitFor();
  expect(await form.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await form.getByLabel('Title').getAttribute('aria-describedby'))?.split(' ') ?? [];
  expect(describedBy.length).toBeGreaterThan(0);
  await form.locator('#' + describedBy.at(-1)).waitFor();

  await form.getByLabel('Title').fill('Checkout fails for EU customers');
  await form.getByLabel('Severity').selectOption('SEV1');
  await form.getByLabel('checkout-api').check();
  await form.getByLabel('Customer segments (optional)').fill('enterprise, eu');
  await screenshot(page, 'incident-declare');
  await form.getByLabel('Title').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${api.url}/incidents/INC-1`);
  await page.getByRole('heading', { name: /INC-1 Checkout fails for EU customers/ }).waitFor();
});

it('edits milestones and shows the computed durations and cost', async () => {
  await page.getByRole('button', { name: 'Edit incident' }).click();
  const form = page.getByRole('form', { name: 'Edit incident' });
  await form.getByLabel('Status').selectOption('RESOLVED');
  await form.getByLabel('Started').fill('2026-11-20T10:00');
  await form.getByLabel('Detected').fill('2026-11-20T10:07');
  await form.getByLabel('Acknowledged').fill('2026-11-20T10:12');
  await form.getByLabel('Mitigated').fill('2026-11-20T10:45');
  // A resolution before the mitigation is refused, at the field, in words.
  await form.getByLabel('Resolved').fill('2026-11-20T10:30');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await form.locator('.hs-field__error').first().waitFor();
  expect(await form.locator('.hs-field__error').first().textContent()).toMatch(/resolved|before|earlier|mitigat/i);

  await form.getByLabel('Resolved').fill('2026-11-20T11:30');
  await form.getByLabel('Responder hours').fill('6');
  await form.getByLabel('Summary (Markdown)').fill('Payments to the **EU** region failed after a config push.');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await form.waitFor({ state: 'detached' });

  const milestones = page.getByRole('list', { name: 'Milestones' });
  expect(await milestones.textContent()).toContain('TTD 7 min');
  expect(await milestones.textContent()).toContain('TTM 45 min');
  expect(await milestones.textContent()).toContain('TTR 1 h 30 min');
  await page.getByText('Resolved', { exact: true }).first().waitFor();
  expect(await page.locator('.hs-markdown strong').first().textContent()).toBe('EU');
  // 45 outage minutes × $120 = $5,400, plus responder hours at the default rate.
  expect(await page.locator('dd', { hasText: '$' }).first().textContent()).toMatch(/\$\d{1,3}(,\d{3})+/);
});

it('builds the timeline with evidence, decides a hypothesis and records the analysis', async () => {
  // View first: add-forms appear only when asked for, here with the "e" shortcut.
  const addEvent = page.getByRole('form', { name: 'Add an event' });
  for (const name of ['Add an event', 'Add a hypothesis', 'Add a contributing factor', 'Add a failed safeguard', 'Propose an action item']) expect(await page.getByRole('form', { name }).count()).toBe(0);
  await page.locator('body').focus();
  await page.keyboard.press('e');
  await addEvent.waitFor();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe(await addEvent.getByLabel('When').getAttribute('id'));
  await addEvent.getByLabel('When').fill('2026-11-20T10:07');
  await addEvent.getByLabel('Kind').selectOption('ALERT');
  await addEvent.getByLabel('Evidence link (optional)').fill('not a link');
  await addEvent.getByLabel('What happened').fill('Checkout error-rate alert fired');
  await addEvent.getByRole('button', { name: 'Add event' }).click();
  await addEvent.locator('.hs-field__error').waitFor();
  await addEvent.getByLabel('Evidence link (optional)').fill('https://grafana.example/d/checkout');
  await addEvent.getByRole('button', { name: 'Add event' }).click();
  await addEvent.getByText('Event added to the timeline.').waitFor();

  await addEvent.getByLabel('When').fill('2026-11-20T10:45');
  await addEvent.getByLabel('Kind').selectOption('MITIGATION');
  await addEvent.getByLabel('What happened').fill('Rolled back the payments config');
  await addEvent.getByRole('button', { name: 'Add event' }).click();
  await page.locator('.hs-timeline li', { hasText: 'Rolled back the payments config' }).waitFor();
  // Earlier first, whatever order they were entered in.
  await addEvent.getByLabel('When').fill('2026-11-20T10:00');
  await addEvent.getByLabel('Kind').selectOption('CHANGE');
  await addEvent.getByLabel('What happened').fill('Config push to payments');
  await addEvent.getByRole('button', { name: 'Add event' }).click();
  await page.locator('.hs-timeline li', { hasText: 'Config push to payments' }).waitFor();
  const events = await page.locator('.hs-timeline li').allTextContents();
  expect(events.map((e) => (e.includes('Config push') ? 'change' : e.includes('alert fired') ? 'alert' : 'mitigation'))).toEqual(['change', 'alert', 'mitigation']);
  expect(await page.locator('.hs-timeline a', { hasText: 'Evidence' }).getAttribute('href')).toBe('https://grafana.example/d/checkout');

  await page.getByRole('button', { name: 'Add hypothesis' }).click();
  const addHypothesis = page.getByRole('form', { name: 'Add a hypothesis' });
  await addHypothesis.getByLabel('Hypothesis').fill('The config push lowered the connection pool size');
  await addHypothesis.getByRole('button', { name: 'Add hypothesis' }).click();
  const decide = page.getByRole('form', { name: /Decide: The config push/ });
  await decide.getByLabel('Evidence for the verdict').fill('Pool size metric dropped from 50 to 5 at 10:00');
  await decide.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText(/Evidence: Pool size metric dropped/).waitFor();

  await page.getByRole('button', { name: 'Add factor' }).click();
  const factor = page.getByRole('form', { name: 'Add a contributing factor' });
  await factor.getByLabel('Category').selectOption('CONFIG_CHANGE');
  await factor.getByLabel('Factor description').fill('Pool size set to 5 by a config push');
  await factor.getByLabel('This is the triggering cause').check();
  await factor.getByRole('button', { name: 'Add factor' }).click();
  await page.locator('#analysis li', { hasText: 'Pool size set to 5 by a config push' }).waitFor();
  // The trigger is told once, under its heading, not again as the first factor.
  expect(await page.locator('#analysis li', { hasText: 'Pool size set to 5 by a config push' }).count()).toBe(1);
  expect(await page.getByRole('list', { name: 'Triggering cause' }).textContent()).toContain('Pool size set to 5 by a config push');
  expect(await factor.getByLabel('This is the triggering cause').isDisabled()).toBe(true);
  // The trigger can be unmarked (and another factor marked) but never doubled.
  await page.getByRole('button', { name: /^Unmark as trigger: Pool size/ }).click();
  await page.getByRole('button', { name: /^Mark as trigger: Pool size/ }).waitFor();
  expect(await factor.getByLabel('This is the triggering cause').isDisabled()).toBe(false);
  await page.getByRole('button', { name: /^Mark as trigger: Pool size/ }).click();
  await page.getByRole('button', { name: /^Unmark as trigger: Pool size/ }).waitFor();

  await page.getByRole('button', { name: 'Add safeguard' }).click();
  const safeguard = page.getByRole('form', { name: 'Add a failed safeguard' });
  await safeguard.getByLabel('Safeguard').selectOption('CANARY');
  await safeguard.getByLabel('What it should have done').fill('Catch the pool change on 1% of traffic');
  await safeguard.getByLabel('Why it did not').fill('Config pushes skip the canary stage');
  await safeguard.getByRole('button', { name: 'Add safeguard' }).click();
  await page.locator('#analysis li', { hasText: 'Config pushes skip the canary stage' }).waitFor();
});

it('proposes an action item that addresses the safeguard', async () => {
  await page.getByRole('button', { name: 'Propose an action item' }).click();
  const form = page.getByRole('form', { name: 'Propose an action item' });
  await form.getByLabel('Action item title').fill('Route config pushes through the canary');
  await form.getByLabel('Kind').selectOption('PREVENT');
  await form.getByLabel('Priority').selectOption('P1');
  await form.getByLabel('Owning team').selectOption({ label: 'Payments' });
  await form.getByLabel('Assignee (optional)').selectOption({ label: 'Rita Reviewer' });
  await form.getByLabel('Addresses').selectOption({ index: 2 });
  await form.getByRole('button', { name: 'Create action item' }).click();
  const row = page.locator('#action-items tbody tr', { hasText: 'Route config pushes through the canary' });
  await row.waitFor();
  expect(await row.textContent()).toContain('Payments');
  expect(await row.textContent()).toContain('Rita Reviewer');
  await expectNoSeriousA11yIssues();
  await screenshot(page, 'incident-page');
});

it('corrects the record in place: edits an event and a factor, deletes a stray event, and keeps a safeguard an item addresses', async () => {
  const addEvent = page.getByRole('form', { name: 'Add an event' });
  await addEvent.getByLabel('When').fill('2026-11-20T10:20');
  await addEvent.getByLabel('Kind').selectOption('NOTE');
  await addEvent.getByLabel('What happened').fill('Paged the wrong team');
  await addEvent.getByRole('button', { name: 'Add event' }).click();
  const stray = page.locator('.hs-timeline li', { hasText: 'Paged the wrong team' });
  await stray.waitFor();
  // One "⋯" menu per row (the shared Menu), not Edit and Delete on every row: it opens them, the focus on Edit.
  expect(await page.getByRole('button', { name: 'Delete event: Paged the wrong team' }).count()).toBe(0);
  expect(await page.getByRole('menuitem', { name: 'Delete event: Paged the wrong team' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Actions for event: Paged the wrong team' }).click();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Edit event: Paged the wrong team');
  // Delete asks once more in place, with the focus on the confirming button; Keep backs out.
  await page.getByRole('menuitem', { name: 'Delete event: Paged the wrong team' }).click();
  const confirm = page.getByRole('group', { name: 'Confirm deleting event: Paged the wrong team' });
  await confirm.waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delete');
  await confirm.getByRole('button', { name: 'Keep' }).click();
  expect(await stray.count()).toBe(1);
  await page.getByRole('button', { name: 'Actions for event: Paged the wrong team' }).click();
  await page.getByRole('menuitem', { name: 'Delete event: Paged the wrong team' }).click();
  await page.getByRole('group', { name: 'Confirm deleting event: Paged the wrong team' }).getByRole('button', { name: 'Delete' }).click();
  await stray.waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Actions for event: Rolled back the payments config' }).click();
  await page.getByRole('menuitem', { name: 'Edit event: Rolled back the payments config' }).click();
  const edit = page.getByRole('form', { name: 'Correct this event' });
  expect(await edit.getByLabel('What happened').inputValue()).toBe('Rolled back the payments config');
  await edit.getByLabel('What happened').fill('');
  await edit.getByRole('button', { name: 'Save event' }).click();
  await edit.locator('.hs-field__error').waitFor();
  await edit.getByLabel('When').fill('2026-11-20T10:40');
  await edit.getByLabel('What happened').fill('Rolled back the payments config push');
  await edit.getByRole('button', { name: 'Save event' }).click();
  await edit.waitFor({ state: 'detached' });
  const rolledBack = page.locator('.hs-timeline li', { hasText: 'Rolled back the payments config push' });
  expect(await rolledBack.locator('time').getAttribute('datetime')).toBe(new Date(2026, 10, 20, 10, 40).toISOString());

  await page.getByRole('button', { name: /^Actions for factor: Pool size set to 5/ }).click();
  await page.getByRole('menuitem', { name: /^Edit factor: Pool size set to 5/ }).click();
  const factor = page.getByRole('form', { name: 'Correct this factor' });
  await factor.getByLabel('Factor description').fill('Pool size set to 5 by the 10:00 config push');
  await factor.getByRole('button', { name: 'Save factor' }).click();
  await factor.waitFor({ state: 'detached' });
  expect(await page.locator('#analysis li', { hasText: 'Pool size set to 5 by the 10:00 config push' }).textContent()).toContain('Trigger');

  // The action item proposed above addresses this safeguard: deleting it is refused, in words.
  await page.getByRole('button', { name: /^Actions for safeguard: Catch the pool change/ }).click();
  await page.getByRole('menuitem', { name: /^Delete safeguard: Catch the pool change/ }).click();
  await page.getByRole('group', { name: /^Confirm deleting safeguard/ }).getByRole('button', { name: 'Delete' }).click();
  const refusal = page.locator('#analysis [role="alert"]');
  await refusal.waitFor();
  expect(await refusal.textContent()).toContain('1 action item addresses this failed safeguard ("Route config pushes through the canary")');
  expect(await page.locator('#analysis li', { hasText: 'Config pushes skip the canary stage' }).count()).toBe(1);
  await expectNoSeriousA11yIssues();
});

it('writes the postmortem with blameless hints, a sanitised preview and autosave', async () => {
  await page.getByRole('link', { name: 'Write the postmortem' }).click();
  await page.waitForURL(`${api.url}/incidents/INC-1/postmortem`);
  const summary = page.locator('[data-section="summary"]');
  // View first: the draft reads as the document; a section opens for writing by its Edit button.
  expect(await page.locator('.hs-pm-doc textarea').count()).toBe(0);
  await summary.getByRole('button', { name: 'Edit summary' }).click();
  await summary.locator('textarea').fill('A config push shrank the payments connection pool. It was human error by the on-call engineer.');
  const hints = page.getByRole('complementary', { name: 'Language hints for Summary' });
  await hints.locator('mark', { hasText: /human error/i }).waitFor();
  await summary.locator('textarea').fill('A config push shrank the payments **connection pool**; the push path had no canary.');
  await hints.getByText('No blame-laden phrasing found.').waitFor();
  await summary.getByRole('button', { name: 'Preview' }).click();
  expect(await summary.locator('.hs-markdown strong').textContent()).toBe('connection pool');
  await summary.getByRole('button', { name: 'Write' }).click();

  for (const [field, text] of [
    ['impact', 'EU checkout failed for 45 minutes; about 3,100 failed payments.'],
    ['triggeringCause', 'Connection pool size 5 pushed without a canary.'],
    ['lessons', 'Config is code: it needs the same rollout safety.'],
  ]) {
    await page.locator(`[data-section="${field}"]`).getByRole('button', { name: /^Edit / }).first().click();
    await page.locator(`[data-section="${field}"] textarea`).fill(text);
  }
  // Done folds a section back into the document, the text kept.
  await summary.getByRole('button', { name: 'Done with summary' }).click();
  expect(await summary.locator('.hs-markdown strong').textContent()).toBe('connection pool');
  await page.getByTestId('save-state').getByText(/All changes saved \(version \d+\)/).waitFor();
  await expectNoSeriousA11yIssues();
  await screenshot(page, 'postmortem-editor');

  // Keyboard: from the impact text, Tab reaches the next section's Preview toggle, Space opens it.
  const impact = page.locator('[data-section="impact"]');
  await impact.getByRole('button', { name: 'Write' }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await impact.locator('.hs-markdown').waitFor();
  expect(await impact.locator('.hs-markdown').textContent()).toContain('3,100 failed payments');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await impact.locator('textarea').waitFor();

  // Saved for real: a reload shows the text from the server.
  await page.reload();
  expect(await page.locator('[data-section="impact"] .hs-markdown').textContent()).toContain('3,100 failed payments');
});

it('requests a review, explains why publishing is refused, and publishes after approval', async () => {
  const publishBlock = page.getByRole('list', { name: 'What publishing still needs' });
  expect(await publishBlock.textContent()).toMatch(/Request a review/);
  await page.getByRole('button', { name: 'Publish postmortem' }).click();
  const refused = page.getByRole('list', { name: 'Why publishing was refused' });
  await refused.waitFor();
  expect(await refused.textContent()).toMatch(/review/i);

  const request = page.getByRole('form', { name: 'Request a review' });
  await request.getByLabel('Rita Reviewer').check();
  await request.getByRole('button', { name: 'Request review' }).click();
  await page.locator('[data-reviewer="Rita Reviewer"]', { hasText: 'Pending' }).waitFor();
  await page.getByRole('button', { name: 'Publish postmortem' }).click();
  await page.getByRole('list', { name: 'Why publishing was refused' }).getByText(/Waiting for approval from 1 of 1 reviewer/).waitFor();

  await signOut(page, api.url);
  await signIn(page, api.url, reviewer, '/incidents/INC-1/postmortem');
  const review = page.getByRole('form', { name: 'Your review' });
  await review.getByLabel('Review comment (optional)').fill('Clear and blameless. Ship it.');
  await review.getByRole('button', { name: 'Approve' }).click();
  await page.locator('[data-reviewer="Rita Reviewer"]', { hasText: 'Approved' }).waitFor();

  await signOut(page, api.url);
  await signIn(page, api.url, commander, '/incidents/INC-1/postmortem');
  await page.getByText('Everything publishing needs is in place.').waitFor();
  await page.getByRole('button', { name: 'Publish postmortem' }).click();
  await page.getByText(/Published .* by Cora Commander/).waitFor();
  // Published: it reads as a document until the writer chooses to amend it.
  await page.locator('[data-section="summary"] .hs-markdown strong', { hasText: 'connection pool' }).waitFor();
  expect(await page.locator('textarea').count()).toBe(0);
  await screenshot(page, 'postmortem-published');

  await page.getByRole('button', { name: 'Show revision history' }).click();
  const history = page.getByRole('list', { name: 'Saved versions, newest first' });
  await history.waitFor();
  const versions = await history.locator('li').allTextContents();
  expect(versions.length).toBeGreaterThanOrEqual(1);
  expect(versions.every((v) => v.includes('Cora Commander'))).toBe(true);
  // Autosave writes what was typed since the last save, so how the sections spread over the
  // versions depends on how fast the writer typed; together the versions name every section.
  expect(versions.at(-1)).toMatch(/^Version 2 — Cora Commander/);
  const saved = versions.join(' ');
  for (const section of ['Summary', 'Impact', 'Triggering cause', 'Lessons']) expect(saved).toContain(section);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as Markdown' }).click()]);
  expect(download.suggestedFilename()).toBe('INC-1-postmortem.md');
  const markdown = readFileSync((await download.path()) as string, 'utf8');
  expect(markdown).toContain('Checkout fails for EU customers');
  expect(markdown).toContain('3,100 failed payments');

  await page.getByRole('button', { name: 'Amend the published postmortem' }).click();
  await page.locator('[data-section="lessons"]').getByRole('button', { name: 'Edit lessons' }).click();
  await page.locator('[data-section="lessons"] textarea').fill('Config is code: it needs the same rollout safety. Amended: canary now covers config.');
  const newest = Number(/^Version (\d+)/.exec(versions[0] ?? '')?.[1]);
  await page.getByTestId('save-state').getByText(`All changes saved (version ${newest + 1})`).waitFor();
  await page.getByText(/Published .* by Cora Commander/).waitFor();
});

it('filters and searches the list, which shows the incident with its badges', async () => {
  const admin = await api.login();
  // A second, older incident so filters have something to exclude.
  await gqlAs(api, admin, `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`, {
    input: { title: 'Search latency spike', severity: 'SEV3', startedAt: '2026-10-01T08:00:00Z', segments: ['free'] },
  });
  await page.goto(`${api.url}/incidents`);
  await page.getByText('2 incidents').waitFor();
  await page.getByLabel('Severity').selectOption('SEV1');
  await page.getByText('1 incident', { exact: true }).waitFor();
  expect(await page.locator('tbody tr').first().textContent()).toContain('INC-1');
  expect(await page.locator('tbody tr').first().textContent()).toContain('Published');
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.getByText('2 incidents').waitFor();

  await page.getByLabel('Search', { exact: true }).fill('latency');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText('1 incident', { exact: true }).waitFor();
  expect(await page.locator('tbody tr').first().textContent()).toContain('Search latency spike');
  await page.getByRole('button', { name: 'Clear filters' }).first().click();

  await page.getByLabel('Customer segment').fill('enterprise');
  await page.getByLabel('Customer segment').press('Enter');
  await page.getByText('1 incident', { exact: true }).waitFor();
  expect(page.url()).toContain('segment=enterprise');

  await page.getByLabel('Started from').fill('2026-11-01');
  await page.getByText('1 incident', { exact: true }).waitFor();
  await page.getByLabel('Started until').fill('2026-10-31');
  await page.getByText('No incidents match these filters.').waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.getByText('2 incidents').waitFor();
  await expectNoSeriousA11yIssues();
  await screenshot(page, 'incidents-list');
});

it('pages through more incidents than fit on one page', async () => {
  const admin = await api.login();
  for (let i = 0; i < 25; i++) {
    await gqlAs(api, admin, `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`, {
      input: { title: `Batch incident ${i}`, severity: 'SEV4', startedAt: new Date(Date.UTC(2026, 8, 1, i)).toISOString() },
    });
  }
  await page.goto(`${api.url}/incidents`);
  await page.getByText('27 incidents').waitFor();
  expect(await page.locator('tbody tr').count()).toBe(25);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('27 incidents · page 2').waitFor();
  expect(await page.locator('tbody tr').count()).toBe(2);
  expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.getByText('27 incidents', { exact: true }).waitFor();
  expect(await page.locator('tbody tr').count()).toBe(25);
});

it('marks a repeat incident: same service, same factor category within 90 days', async () => {
  const admin = await api.login();
  const { createIncident } = await gqlAs<{ createIncident: { id: string } }>(api, admin, `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`, {
    input: { title: 'Checkout pool exhausted again', severity: 'SEV2', startedAt: '2026-11-22T09:00:00Z', serviceIds: [serviceId] },
  });
  await gqlAs(api, admin, `mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: CONFIG_CHANGE, description: "Pool size pushed again" }) { id } }`, { id: createIncident.id });
  await page.goto(`${api.url}/incidents?severity=SEV2`);
  const row = page.locator('tbody tr', { hasText: 'Checkout pool exhausted again' });
  await row.waitFor();
  expect(await row.getByText('Repeat', { exact: true }).isVisible()).toBe(true);
  await row.getByRole('link').click();
  await page.locator('.hs-incident-head').getByText('Repeat', { exact: true }).waitFor();

  // A backfilled action item already past its due date is marked overdue, in words as well as colour.
  const teams = await gqlAs<{ teams: { id: string; name: string }[] }>(api, admin, `{ teams { id name } }`);
  await gqlAs(api, admin, `mutation($id: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $id, input: $input) { id } }`, {
    id: createIncident.id,
    input: { title: 'Alert on pool saturation', kind: 'DETECT', priority: 'P1', ownerTeamId: teams.teams[0]?.id, dueAt: new Date(Date.now() - 3 * 86_400_000).toISOString() },
  });
  await page.reload();
  const item = page.locator('#action-items tbody tr', { hasText: 'Alert on pool saturation' });
  await item.waitFor();
  expect(await item.getAttribute('data-overdue')).toBe('true');
  expect(await item.textContent()).toMatch(/3 days overdue/);
});

it('shows a viewer everything read-only', async () => {
  await signOut(page, api.url);
  await signIn(page, api.url, viewer, '/incidents/INC-1');
  await page.getByRole('heading', { name: /INC-1/ }).waitFor();
  await page.locator('.hs-timeline li', { hasText: 'Rolled back the payments config' }).waitFor();
  expect(await page.getByRole('button', { name: 'Edit incident' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /^(Actions for|Edit|Delete) (event|factor|safeguard)/ }).count()).toBe(0);
  expect(await page.locator('form').count()).toBe(0);
  expect(await page.locator('textarea, input, select').count()).toBe(0);
  await expectNoSeriousA11yIssues();

  await page.getByRole('link', { name: 'Read the postmortem' }).click();
  await page.locator('[data-section="impact"]', { hasText: '3,100 failed payments' }).waitFor();
  expect(await page.locator('textarea').count()).toBe(0);
  expect(await page.getByRole('button', { name: /Publish|Approve|Request review/ }).count()).toBe(0);
  await expectNoSeriousA11yIssues();
  await screenshot(page, 'postmortem-viewer');

  await page.goto(`${api.url}/incidents`);
  await page.locator('tbody tr').first().waitFor();
  expect(await page.getByRole('link', { name: 'Declare incident' }).count()).toBe(0);
});

it('loads at most 250 kB of gzipped JavaScript for the sign-in page and for the incidents list', async () => {
  const fresh = await browser.newPage();
  const scripts = new Map<string, number>();
  fresh.on('response', (res) => {
    if (res.request().resourceType() === 'script') void res.body().then((body) => scripts.set(res.url(), gzipSync(body).length));
  });
  const total = () => [...scripts.values()].reduce((a, b) => a + b, 0);
  await fresh.goto(`${api.url}/incidents`);
  await fresh.waitForURL(`${api.url}/signin`);
  await fresh.getByLabel('Email').waitFor();
  await fresh.waitForLoadState('networkidle');
  const signInBytes = total();
  await fillSignIn(fresh, commander);
  await fresh.waitForURL(`${api.url}/incidents`);
  await fresh.locator('tbody tr').first().waitFor();
  await fresh.waitForLoadState('networkidle');
  const incidentsBytes = total();
  await fresh.close();
  // Printed so the build's budget is visible in the test log, not only asserted.
  console.log(`initial JavaScript, gzipped: sign-in ${(signInBytes / 1024).toFixed(1)} kB, incidents ${(incidentsBytes / 1024).toFixed(1)} kB`);
  expect(signInBytes).toBeGreaterThan(0);
  expect(signInBytes).toBeLessThanOrEqual(250 * 1024);
  expect(incidentsBytes).toBeLessThanOrEqual(250 * 1024);
});

it('shows load errors in words with a retry, and a missing incident as such', async () => {
  // The API answers 500 once: the list says so in words and offers to try again.
  let failures = 0;
  await page.route('**/graphql', async (route) => {
    if (failures === 0 && route.request().postData()?.includes('IncidentsList')) {
      failures++;
      await route.fulfill({ status: 500, contentType: 'application/json', body: '{"errors":[{"message":"boom"}]}' });
    } else await route.continue();
  });
  await page.goto(`${api.url}/incidents`);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/Could not load this page/);
  await screenshot(page, 'incidents-error');
  await alert.getByRole('button', { name: 'Try again' }).click();
  await page.locator('tbody tr').first().waitFor();
  await page.unroute('**/graphql');

  await page.goto(`${api.url}/incidents/INC-999`);
  await page.getByText('There is no incident INC-999.').waitFor();
  await page.goto(`${api.url}/incidents/INC-999/postmortem`);
  await page.getByText('There is no postmortem for INC-999.').waitFor();
});
