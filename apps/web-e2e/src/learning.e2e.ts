/// <reference lib="dom" />
// Learning across incidents in the browser: a near miss declared from the form, similar
// incidents with last time's action items on the incident page, an idea committed, the review
// checklist on the postmortem, and what keeps happening on Reliability.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { buildWholePage, launchBrowser, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { createPerson, createTeamWithService, gqlAs, signIn, type Person } from './support/incident.fixtures';

jest.setTimeout(90_000);

let api: ApiHarness;
let browser: Browser;
let page: Page;
let commander: Person;
let token: string;
let serviceId: string;
let teamId: string;
let earlier: { id: string; reference: string };

const createIncident = async (input: Record<string, unknown>) =>
  (await gqlAs<{ createIncident: { id: string; reference: string } }>(api, token, `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id reference } }`, {
    input: { severity: 'SEV2', serviceIds: [serviceId], ...input },
  })).createIncident;
const addFactor = (incidentId: string) =>
  gqlAs(api, token, `mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: CERTIFICATE_OR_SECRET, description: "Certificate expired", isTrigger: true }) { id } }`, { id: incidentId });

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  const admin = await api.login();
  commander = await createPerson(api, admin, 'Cora Commander', 'COMMANDER');
  ({ serviceId, teamId } = await createTeamWithService(api, admin, 'Payments', 'checkout-api', [commander.id], undefined));
  token = await api.login(commander.email, commander.password);
  earlier = await createIncident({ title: 'Checkout TLS certificate expired', startedAt: new Date(Date.now() - 200 * 86_400_000).toISOString() });
  await addFactor(earlier.id);
  await gqlAs(api, token, `mutation($id: ID!, $team: ID!) { createActionItem(incidentId: $id, input: { title: "Alert 30 days before certificates expire", kind: DETECT, priority: P2, ownerTeamId: $team }) { id } }`, { id: earlier.id, team: teamId });
  page = await (await browser.newContext()).newPage();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

it('declares a near miss, then shows similar incidents with last time\'s action items and commits an idea', async () => {
  await signIn(page, api.url, commander, '/incidents/new');
  const form = page.getByRole('form', { name: 'Declare an incident' });
  await form.getByLabel('Title').fill('Checkout certificate nearly expired');
  await form.getByLabel('Kind').selectOption('NEAR_MISS');
  await form.getByRole('checkbox', { name: 'checkout-api' }).check();
  await form.getByRole('button', { name: 'Declare incident' }).click();
  await page.waitForURL(/\/incidents\/INC-\d+$/);
  await page.getByText('Near miss', { exact: true }).waitFor();
  const reference = page.url().split('/').pop() as string;
  const { incident } = await gqlAs<{ incident: { id: string; kind: string } }>(api, token, `query($r: String!) { incident(reference: $r) { id kind } }`, { r: reference });
  expect(incident.kind).toBe('NEAR_MISS');

  await addFactor(incident.id);
  await gqlAs(api, token, `mutation($id: ID!, $team: ID!) { createActionItem(incidentId: $id, input: { title: "Automate certificate renewal", kind: PREVENT, priority: P3, ownerTeamId: $team, committed: false }) { id } }`, { id: incident.id, team: teamId });
  await page.reload();
  const similar = page.getByRole('region', { name: 'Similar incidents' });
  await similar.getByRole('link', { name: new RegExp(earlier.reference) }).waitFor();
  await similar.getByText(/same service and factor category: checkout-api; certificate or secret/).waitFor();
  await similar.getByText('Alert 30 days before certificates expire').waitFor();

  const ideas = page.getByRole('region', { name: 'Ideas (not yet committed)' });
  await ideas.getByText('Automate certificate renewal').waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await ideas.getByLabel('Priority').selectOption('P1');
  await ideas.getByRole('button', { name: 'Commit' }).click();
  await ideas.waitFor({ state: 'detached' });
  const items = await gqlAs<{ incident: { actionItems: { committed: boolean; priority: string }[] } }>(api, token, `query($id: ID!) { incident(id: $id) { actionItems { committed priority } } }`, { id: incident.id });
  expect(items.incident.actionItems).toEqual([{ committed: true, priority: 'P1' }]);
});

it('scores the review checklist on the postmortem and shows what keeps happening on Reliability', async () => {
  await page.goto(`${api.url}/incidents/${earlier.reference}/postmortem`);
  const checklist = page.getByRole('region', { name: 'Review checklist' });
  await checklist.getByText('Impact complete').waitFor();
  await checklist.getByText('the impact section is empty').waitFor();

  await page.goto(`${api.url}/reliability?preset=custom&from=${new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}`);
  await buildWholePage(page);
  const themes = page.getByRole('region', { name: 'What keeps happening' });
  await themes.getByText('certificate or secret').waitFor();
  await page.getByRole('region', { name: 'Near misses' }).getByText(/1 near miss \(no customer impact\)/).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
});

it('names a theme on Reliability and tags it onto an incident by hand, then untags it', async () => {
  await page.goto(`${api.url}/reliability`);
  await buildWholePage(page);
  const keeps = page.getByRole('region', { name: 'What keeps happening' });
  const naming = keeps.getByRole('form', { name: 'Name a theme' });
  await naming.getByLabel('Theme name').fill('Friday deploys');
  await naming.getByRole('button', { name: 'Name theme' }).click();
  await keeps.getByText('Theme “Friday deploys” named; tag incidents with it on their page.').waitFor();
  await keeps.getByText('0 incidents tagged').waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.goto(`${api.url}/incidents/${earlier.reference}`);
  const panel = page.getByRole('region', { name: 'Themes' });
  await panel.getByText('No theme tagged on this incident yet.').waitFor();
  await panel.getByLabel('Tag with a theme').selectOption({ label: 'Friday deploys (0)' });
  await panel.getByRole('button', { name: 'Tag', exact: true }).click();
  await panel.getByRole('list', { name: 'Tagged themes' }).getByText('Friday deploys').waitFor();
  // A new name is named and tagged at once; a name taken already (any case) is refused and says so.
  await panel.getByLabel('Name a new theme').fill('Traffic beyond forecast');
  await panel.getByRole('button', { name: 'Name and tag' }).click();
  await panel.getByRole('list', { name: 'Tagged themes' }).getByText('Traffic beyond forecast').waitFor();
  await panel.getByLabel('Name a new theme').fill('friday DEPLOYS');
  await panel.getByRole('button', { name: 'Name and tag' }).click();
  await panel.getByText(/A theme named "friday DEPLOYS" exists already/).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  const tagged = async () =>
    (await gqlAs<{ incident: { namedThemes: { name: string }[] } }>(api, token, `query($id: ID!) { incident(id: $id) { namedThemes { name } } }`, { id: earlier.id })).incident.namedThemes.map((t) => t.name);
  expect(await tagged()).toEqual(['Friday deploys', 'Traffic beyond forecast']);

  await panel.getByRole('button', { name: 'Untag Friday deploys' }).click();
  await panel.getByRole('list', { name: 'Tagged themes' }).getByText('Friday deploys').waitFor({ state: 'detached' });
  expect(await tagged()).toEqual(['Traffic beyond forecast']);

  // Reliability counts the tagged incidents.
  await page.goto(`${api.url}/reliability`);
  await buildWholePage(page);
  await page.getByRole('region', { name: 'What keeps happening' }).getByText('1 incident tagged').waitFor();
});
