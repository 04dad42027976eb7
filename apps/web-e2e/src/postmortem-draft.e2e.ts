/// <reference lib="dom" />
// "Draft with AI" (issue 26): a commander asks a model for a section, sees each sentence with
// links to the timeline events it cites and uncited ones marked, keeps one draft and discards
// another; a refusal says why; an ADMIN reads the acceptance per section. The model is a
// loopback OpenAI-compatible server with fixed answers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { createPerson, gqlAs, signIn, signOut, type Person } from './support/incident.fixtures';

jest.setTimeout(90_000);

let api: ApiHarness;
let browser: Browser;
let model: Server;
let answer: object;
let admin: string;
let commander: Person;
let page: Page;
const events: string[] = [];

const completion = (content: object) => ({ choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(content) } }] });

beforeAll(async () => {
  model = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)));
  });
  await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
  api = await startApi({ AI_BASE_URL: `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`, AI_MODEL: 'llama-e2e' }, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  admin = await api.login();
  commander = await createPerson(api, admin, 'Dana Commander', 'COMMANDER');
  const created = await gqlAs<{ createIncident: { id: string } }>(api, admin, `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`, {
    input: { title: 'Checkout errors after a deploy', severity: 'SEV2', startedAt: '2026-11-18T09:00:00Z' },
  });
  for (const [at, kind, description] of [['2026-11-18T09:00:00Z', 'CHANGE', 'Deploy v2.3 of checkout-api'], ['2026-11-18T09:05:00Z', 'ALERT', 'Error rate above 5 %']]) {
    const e = await gqlAs<{ addTimelineEvent: { id: string } }>(api, admin, `mutation($i: ID!, $input: TimelineEventInput!) { addTimelineEvent(incidentId: $i, input: $input) { id } }`, {
      i: created.createIncident.id, input: { occurredAt: at, kind, description },
    });
    events.push(e.addTimelineEvent.id);
  }
  page = await (await browser.newContext()).newPage();
  await signIn(page, api.url, commander, '/incidents/INC-1/postmortem');
  await page.getByTestId('save-state').getByText('All changes saved (version 1)').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await new Promise((resolve) => model?.close(resolve));
});

const summary = () => page.locator('[data-section="summary"]');

it('shows a cited draft beside the section and keeps it only when asked', async () => {
  answer = completion({ sentences: [{ text: 'A deploy of v2.3 raised the error rate above 5 %.', events: ['E1', 'E2'] }, { text: 'Customers noticed within minutes.', events: [] }] });
  // View first: the draft reads as the document; the section opens for writing when asked.
  expect(await page.locator('.hs-pm-doc textarea').count()).toBe(0);
  await summary().getByRole('button', { name: 'Edit summary' }).click();
  await summary().getByRole('button', { name: 'Draft with AI' }).click();
  const proposal = summary().getByRole('region', { name: /Proposed summary/ });
  await proposal.waitFor();
  const links = proposal.getByRole('link', { name: /Timeline event/ });
  expect(await links.count()).toBe(2);
  expect(await links.first().getAttribute('href')).toBe(`/incidents/INC-1#event-${events[0]}`);
  expect(await proposal.getByText('(uncited: no timeline event supports it)').count()).toBe(1);
  // A proposal, not an edit: the section is untouched until the writer keeps it.
  expect(await summary().locator('textarea').inputValue()).toBe('');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'postmortem-draft');

  await proposal.getByRole('button', { name: 'Use as written' }).click();
  expect(await summary().locator('textarea').inputValue()).toBe('A deploy of v2.3 raised the error rate above 5 %. Customers noticed within minutes.');
  await page.getByTestId('save-state').getByText('All changes saved (version 2)').waitFor();
});

it('says why when the model declines, and records a discarded draft', async () => {
  const lessons = page.locator('[data-section="lessons"]');
  answer = completion({ refusal: 'not enough information' });
  await lessons.getByRole('button', { name: 'Edit lessons' }).click();
  await lessons.getByRole('button', { name: 'Draft with AI' }).click();
  await lessons.getByText(/The model declined to write this section \(not enough information\)/).waitFor();

  answer = completion({ sentences: [{ text: 'Canaries should gate every rollout.', events: ['E2'] }] });
  await lessons.getByRole('button', { name: 'Draft with AI' }).click();
  await lessons.getByRole('button', { name: 'Discard' }).click();
  expect(await lessons.locator('textarea').inputValue()).toBe('');
});

it('shows ADMINs the acceptance per section', async () => {
  await signOut(page, api.url);
  await signIn(page, api.url, TEST_ADMIN, '/settings');
  const card = page.getByTestId('model-drafts');
  await card.getByText('On: llama-e2e').waitFor();
  const row = (section: string) => card.locator(`tr[data-section="${section}"]`);
  await row('summary').waitFor();
  expect((await row('summary').locator('td').allTextContents()).map((t) => t.trim())).toEqual(['1', '1 (100 %)', '0 (0 %)', '0 (0 %)', '0']);
  expect((await row('lessons').locator('td').allTextContents()).map((t) => t.trim())).toEqual(['1', '0 (0 %)', '0 (0 %)', '1 (100 %)', '0']);
  expect(await card.getByText('Not shown: 1 MODEL_REFUSED.').count()).toBe(1);
});

it('drafts contributing factors: edits one before adding it, adds another as written, and records both', async () => {
  await signOut(page, api.url);
  await signIn(page, api.url, commander, '/incidents/INC-1/postmortem');
  const factors = page.locator('[data-section="contributingFactors"]');
  const recorded = async () =>
    (await gqlAs<{ incident: { contributingFactors: { category: string; description: string; isTrigger: boolean }[] } }>(
      api, admin, `{ incident(reference: "INC-1") { contributingFactors { category description isTrigger } } }`,
    )).incident.contributingFactors;

  answer = completion({ sentences: [
    { text: '[CONFIG_CHANGE] Retries had no backoff, so each slow call became four.', events: ['E1'] },
    { text: 'Error rates were graphed for the whole fleet only.', events: ['E2'] },
  ] });
  await factors.getByRole('button', { name: 'Draft factors with AI' }).click();
  const proposal = factors.getByRole('region', { name: /Proposed contributing factors/ });
  await proposal.getByText('Retries had no backoff, so each slow call became four.').waitFor();
  expect(await proposal.getByRole('link', { name: /Timeline event/ }).count()).toBe(2);
  // A proposal: nothing is recorded until the writer adds it.
  expect(await recorded()).toEqual([]);
  expect(await seriousAxeViolations(page)).toEqual([]);

  await proposal.getByRole('button', { name: 'Edit before adding' }).click();
  await proposal.getByLabel('Add factor 1').uncheck();
  await proposal.getByLabel('Category of factor 2').selectOption('OBSERVABILITY_GAP');
  await proposal.getByLabel('Factor 2', { exact: true }).fill('Error rates were graphed for the whole fleet, not per host.');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await proposal.getByRole('button', { name: 'Add these factors' }).click();
  await proposal.waitFor({ state: 'detached' });
  await factors.getByText('Error rates were graphed for the whole fleet, not per host.').waitFor();
  expect(await recorded()).toEqual([{ category: 'OBSERVABILITY_GAP', description: 'Error rates were graphed for the whole fleet, not per host.', isTrigger: false }]);

  answer = completion({ sentences: [{ text: '[PROCESS] The deploy had no canary stage.', events: ['E1'] }] });
  await factors.getByRole('button', { name: 'Draft factors with AI' }).click();
  await factors.getByRole('button', { name: 'Add as written' }).click();
  await proposal.waitFor({ state: 'detached' });
  await factors.getByText('The deploy had no canary stage.').waitFor();
  expect((await recorded()).map((f) => f.category)).toEqual(['OBSERVABILITY_GAP', 'PROCESS']);

  // The outcome is recorded as the writer decides, beside the factors being added.
  const acceptance = async () =>
    (await gqlAs<{ postmortemDraftReport: { sections: { section: string; drafted: number; keptAsWritten: number; keptAfterEdits: number }[] } }>(
      api, admin, `{ postmortemDraftReport { sections { section drafted keptAsWritten keptAfterEdits } } }`,
    )).postmortemDraftReport.sections.find((s) => s.section === 'contributingFactors');
  const want = { section: 'contributingFactors', drafted: 2, keptAsWritten: 1, keptAfterEdits: 1 };
  for (let i = 0; i < 50 && JSON.stringify(await acceptance()) !== JSON.stringify(want); i++) await page.waitForTimeout(100);
  expect(await acceptance()).toEqual(want);
});
