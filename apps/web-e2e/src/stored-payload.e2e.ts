/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Stored XSS: a script / onerror payload in every text a user can write about an incident
// (titles, Markdown sections, timeline, analysis, action items, reviews) is shown as text or
// sanitised Markdown, and never runs, for readers and for writers previewing it.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { assertNoScriptRan, createPerson, createTeamWithService, gqlAs, signIn, signOut, XSS, type Person } from './support/incident.fixtures';

jest.setTimeout(90_000);

let api: ApiHarness;
let browser: Browser;
let page: Page;
let commander: Person;
let viewer: Person;
let writer: Person;

const SECTIONS = ['summary', 'impact', 'triggeringCause', 'whatWentWell', 'whatWentPoorly', 'whereWeGotLucky', 'lessons', 'noActionReason'];

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  const admin = await api.login();
  commander = await createPerson(api, admin, 'Hugo Commander', 'COMMANDER');
  viewer = await createPerson(api, admin, 'Liv Viewer', 'VIEWER');
  writer = await createPerson(api, admin, 'Wes Commander', 'COMMANDER');
  const { teamId, serviceId } = await createTeamWithService(api, admin, 'Search', 'search-api', [commander.id]);
  const token = await api.login(commander.email, commander.password);
  const q = <T>(query: string, variables: Record<string, unknown>) => gqlAs<T>(api, token, query, variables);

  const { createIncident } = await q<{ createIncident: { id: string } }>(`mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`, {
    input: { title: `Title ${XSS}`, severity: 'SEV2', startedAt: '2026-11-10T10:00:00Z', summary: `Summary ${XSS}`, serviceIds: [serviceId], segments: ['<img src=x onerror="window.__xss=1">'] },
  });
  const id = createIncident.id;
  await q(`mutation($id: ID!, $input: TimelineEventInput!) { addTimelineEvent(incidentId: $id, input: $input) { id } }`, {
    id, input: { occurredAt: '2026-11-10T10:05:00Z', kind: 'NOTE', description: `Event ${XSS}`, evidenceUrl: 'https://example.com/?q=<script>' },
  });
  const { addHypothesis } = await q<{ addHypothesis: { id: string } }>(`mutation($id: ID!, $s: String!) { addHypothesis(incidentId: $id, statement: $s) { id } }`, { id, s: `Hypothesis ${XSS}` });
  await q(`mutation($id: ID!, $e: String!) { decideHypothesis(id: $id, status: REJECTED, evidence: $e) { id } }`, { id: addHypothesis.id, e: `Evidence ${XSS}` });
  await q(`mutation($id: ID!) { addHypothesis(incidentId: $id, statement: "Open one <img src=x onerror=window.__xss=3>") { id } }`, { id });
  await q(`mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(incidentId: $id, input: $input) { id } }`, { id, input: { category: 'BAD_DATA', description: `Factor ${XSS}`, isTrigger: true } });
  await q(`mutation($id: ID!, $input: FailedSafeguardInput!) { addFailedSafeguard(incidentId: $id, input: $input) { id } }`, { id, input: { kind: 'TESTING', expectedBehavior: `Expected ${XSS}`, whyItFailed: `Why ${XSS}` } });
  await q(`mutation($id: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $id, input: $input) { id } }`, {
    id, input: { title: `Item ${XSS}`, description: `Description ${XSS}`, kind: 'PREVENT', priority: 'P2', ownerTeamId: teamId },
  });
  await q(`mutation($id: ID!, $input: PostmortemInput!) { updatePostmortem(incidentId: $id, expectedVersion: 1, input: $input) { version } }`, {
    id, input: Object.fromEntries(SECTIONS.map((s) => [s, `## ${s}\n\n${XSS}`])),
  });
  await q(`mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { id } }`, { id, r: [commander.id] });
  await q(`mutation($id: ID!, $c: String) { reviewPostmortem(incidentId: $id, verdict: CHANGES_REQUESTED, comment: $c) { id } }`, { id, c: `Comment ${XSS}` });
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function expectPayloadShownAsText(p: Page): Promise<void> {
  await assertNoScriptRan(p);
  expect(await p.evaluate(() => Array.from(document.querySelectorAll('script')).filter((s) => !s.src && s.textContent?.includes('__xss')).length)).toBe(0);
}

it('never runs a stored payload for a viewer reading the list, the incident and the postmortem', async () => {
  await signIn(page, api.url, viewer);
  await page.locator('tbody tr').first().waitFor();
  // The title is text: the markup is visible as characters, not elements.
  expect(await page.locator('tbody tr').first().textContent()).toContain('<script>');
  await expectPayloadShownAsText(page);

  await page.locator('tbody tr a').first().click();
  await page.waitForURL(`${api.url}/incidents/INC-1`);
  await page.locator('.hs-timeline li').first().waitFor();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('<img src=x onerror=');
  await page.locator('.hs-timeline li').first().waitFor();
  await expectPayloadShownAsText(page);
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByRole('link', { name: 'Read the postmortem' }).click();
  // The author's "## heading" sits under the page's h1 and the section's h2, so it renders two levels down.
  await page.locator('[data-section="lessons"] .hs-markdown h4', { hasText: 'lessons' }).waitFor();
  // The document: the written sections as sanitised Markdown (the no-action reason is not
  // part of it while there are action items), the recorded ones as text.
  for (const s of SECTIONS.filter((f) => f !== 'noActionReason')) expect(await page.locator(`[data-section="${s}"] .hs-markdown`).count()).toBe(1);
  for (const s of ['timeline', 'failedSafeguards', 'hypotheses']) expect(await page.locator(`[data-section="${s}"]`).textContent()).toContain('<script>');
  expect(await page.locator('[data-section="triggeringCause"]').textContent()).toContain('Factor <script>');
  expect(await page.locator('[data-section="actionItems"]').textContent()).toContain('Item <script>');
  await expectPayloadShownAsText(page);
  await screenshot(page, 'postmortem-hostile-payload');
});

it('never runs a stored payload for a reviewer reading it with review marks', async () => {
  await signOut(page, api.url);
  // The commander is its reviewer: the in-review postmortem opens in review mode, no writer.
  await signIn(page, api.url, commander, '/incidents/INC-1/postmortem');
  await page.getByTestId('review-summary').waitFor();
  await page.locator('[data-section="lessons"] .hs-markdown h4', { hasText: 'lessons' }).waitFor();
  expect(await page.locator('.hs-pm-doc textarea').count()).toBe(0);
  await expectPayloadShownAsText(page);
});

it('never runs a stored payload for a writer previewing every section', async () => {
  await signOut(page, api.url);
  // Another commander, not a reviewer, asks for the writer.
  await signIn(page, api.url, writer, '/incidents/INC-1/postmortem');
  await page.getByRole('button', { name: 'Edit the text' }).click();
  // View first: the writer shows the document; each section opens for writing by its Edit button.
  for (const s of SECTIONS) {
    const section = page.locator(`[data-section="${s}"]`);
    // "No action needed because" is a line under the action items: its own button opens it.
    if (s === 'noActionReason') await page.getByRole('button', { name: /why no action is needed|No action needed\? Say why/ }).click();
    else await section.getByRole('button', { name: /^Edit / }).first().click();
    await section.locator('textarea').waitFor();
    await section.getByRole('button', { name: 'Preview' }).click();
    await section.locator('.hs-markdown h4').waitFor();
  }
  await expectPayloadShownAsText(page);
  // Typing a fresh payload into the editor and previewing it is just as inert.
  const summary = page.locator('[data-section="summary"]');
  await summary.getByRole('button', { name: 'Write' }).click();
  await summary.locator('textarea').fill(`Fresh <img src=y onerror="window.__xss='typed'"> text`);
  await summary.getByRole('button', { name: 'Preview' }).click();
  await summary.locator('.hs-markdown img').waitFor({ state: 'attached' });
  await expectPayloadShownAsText(page);

  await page.goto(`${api.url}/incidents/INC-1`);
  await page.locator('#action-items tbody tr').first().waitFor();
  await expectPayloadShownAsText(page);
});
