/// <reference lib="dom" />
// Issue 24: a commander builds the timeline from the incident's Slack channel — names the
// channel, imports it, keeps one message (its words corrected) and drops another, and the kept
// one is on the timeline. The API talks to the loopback Slack fake.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { SlackFake } from '@hindsight/server-slack/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { gqlAs, signIn } from './support/incident.fixtures';

let api: ApiHarness;
let slack: SlackFake;
let browser: Browser;
let page: Page;
let reference: string;

beforeAll(async () => {
  slack = await new SlackFake().start();
  api = await startApi({ SLACK_API_URL: slack.apiUrl, SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: 'e'.repeat(32), OUTBOUND_ALLOWLIST: '127.0.0.1' }, { webRoot: WEB_ROOT });
  const admin = await api.login();
  reference = (
    await gqlAs<{ createIncident: { reference: string } }>(api, admin, `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { reference } }`, {
      i: { title: 'Search results empty', severity: 'SEV2', startedAt: '2026-11-02T09:00:00Z', resolvedAt: '2026-11-02T10:00:00Z' },
    })
  ).createIncident.reference;
  browser = await launchBrowser();
  page = await browser.newPage();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await slack?.close();
}, 60_000);

it('sets the channel, imports it, keeps one message edited and drops another; the kept one is on the timeline', async () => {
  const channel = slack.addChannel('inc-search-empty');
  const ana = slack.addUser({ email: 'ana@slack.test', name: 'ana' });
  const at = Math.floor(Date.parse('2026-11-02T09:05:00Z') / 1000);
  slack.say(channel.id, ana.id, 'index rebuild started by the nightly job', at);
  slack.say(channel.id, ana.id, 'lunch anyone?', at + 60);

  // Which GraphQL operations the page asks for: the waiting messages only when some wait.
  const operations: string[] = [];
  page.on('request', (req) => {
    if (!req.url().includes('/graphql')) return;
    const name = new URL(req.url()).searchParams.get('operationName') ?? (req.postData() ? (JSON.parse(req.postData() as string) as { operationName?: string }).operationName : null);
    if (name) operations.push(name);
  });
  await signIn(page, api.url, TEST_ADMIN, `/incidents/${reference}`);
  const section = page.getByRole('region', { name: 'Slack channel' });
  await section.getByRole('heading', { name: 'Slack channel' }).waitFor();
  await section.getByText('No imported messages waiting.').waitFor();
  expect(operations).toContain('IncidentDetail');
  expect(operations).not.toContain('SlackImport');
  await section.getByLabel('Channel (its id or a link to it)').fill(channel.id);
  await section.getByRole('button', { name: 'Save channel' }).click();
  await section.getByRole('button', { name: 'Import from Slack' }).click();
  const table = section.getByTestId('slack-import-proposals');
  await table.waitFor();
  const forms = section.getByRole('form', { name: /^Imported message / });
  await forms.nth(1).waitFor();
  expect(await forms.count()).toBe(2);

  // Oldest first: the rebuild, then lunch.
  const keepForm = forms.nth(0);
  expect(await keepForm.getByLabel('What happened').inputValue()).toBe('index rebuild started by the nightly job');
  expect(await forms.nth(1).getByLabel('What happened').inputValue()).toBe('lunch anyone?');
  await keepForm.getByLabel('What happened').fill('Nightly job started an index rebuild that emptied search');
  await keepForm.getByLabel('Kind').selectOption('DIAGNOSIS');
  await keepForm.getByRole('button', { name: 'Keep' }).click();
  await page.getByRole('region', { name: 'Timeline' }).getByText('Nightly job started an index rebuild that emptied search').waitFor();
  expect(await forms.count()).toBe(1);
  // Opened again later, the incident says a message waits, and the list is read.
  operations.length = 0;
  await page.reload();
  await forms.first().waitFor();
  expect(await forms.count()).toBe(1);
  expect(operations).toContain('SlackImport');
  await section.getByRole('button', { name: 'Drop' }).click();
  await section.getByText('No imported messages waiting.').waitFor();
  await screenshot(page, 'slack-import-reviewed');
  expect(await seriousAxeViolations(page)).toEqual([]);

  // What the page shows is what is stored: one event from Slack with its permalink, nothing left to review.
  const admin = await api.login();
  const stored = await gqlAs<{ incident: { id: string; timeline: { description: string; kind: string; evidenceUrl: string | null }[] } }>(
    api, admin, `query($r: String!) { incident(reference: $r) { id timeline { description kind evidenceUrl } } }`, { r: reference },
  );
  expect(stored.incident.timeline).toEqual([
    { description: 'Nightly job started an index rebuild that emptied search', kind: 'DIAGNOSIS', evidenceUrl: expect.stringContaining(`/archives/${channel.id}/p`) },
  ]);
  const pending = await gqlAs<{ slackImportProposals: unknown[] }>(api, admin, `query($id: ID!) { slackImportProposals(incidentId: $id) { ts } }`, { id: stored.incident.id });
  expect(pending.slackImportProposals).toEqual([]);
}, 120_000);
