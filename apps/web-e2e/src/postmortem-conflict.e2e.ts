/// <reference lib="dom" />
// Two writers edit the same postmortem at once: the second save meets a version conflict,
// sees both versions side by side, merges, and nothing either of them typed is lost.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { createPerson, gqlAs, signIn, type Person } from './support/incident.fixtures';

jest.setTimeout(90_000);

let api: ApiHarness;
let browser: Browser;
let alice: Person;
let bruno: Person;
let admin: string;
let incidentId: string;
let pageA: Page;
let pageB: Page;

interface PostmortemTexts {
  version: number;
  summary: string | null;
  impact: string | null;
  whereWeGotLucky: string | null;
  whatWentWell?: string | null;
  lessons: string | null;
}

async function stored(): Promise<PostmortemTexts> {
  const data = await gqlAs<{ incident: { postmortem: PostmortemTexts } }>(
    api,
    admin,
    `query($id: ID!) { incident(id: $id) { postmortem { version summary impact whereWeGotLucky lessons whatWentWell } } }`,
    { id: incidentId },
  );
  return data.incident.postmortem;
}

/** View first: a section opens for writing by its Edit button; this opens it (when closed) and gives its text area. */
async function section(page: Page, field: string) {
  const box = page.locator(`[data-section="${field}"]`);
  const text = box.locator('textarea');
  if ((await text.count()) === 0) await box.getByRole('button', { name: /^Edit / }).first().click();
  await text.waitFor();
  return text;
}
const savedAt = (page: Page, version: number) => page.getByTestId('save-state').getByText(`All changes saved (version ${version})`).waitFor();

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  admin = await api.login();
  alice = await createPerson(api, admin, 'Alice Commander', 'COMMANDER');
  bruno = await createPerson(api, admin, 'Bruno Commander', 'COMMANDER');
  const created = await gqlAs<{ createIncident: { id: string } }>(api, admin, `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`, {
    input: { title: 'Feature store lag broke recommendations', severity: 'SEV2', startedAt: '2026-11-18T09:00:00Z' },
  });
  incidentId = created.createIncident.id;
  // Two browser contexts: two people, two sessions, two copies of version 1.
  pageA = await (await browser.newContext()).newPage();
  pageB = await (await browser.newContext()).newPage();
  await signIn(pageA, api.url, alice, '/incidents/INC-1/postmortem');
  await signIn(pageB, api.url, bruno, '/incidents/INC-1/postmortem');
  await savedAt(pageA, 1);
  await savedAt(pageB, 1);
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

it('shows both versions to the second writer, who merges them without losing a word', async () => {
  await (await section(pageA, 'summary')).fill('Alice: the feature store fell 40 minutes behind.');
  await savedAt(pageA, 2);

  // Bruno still edits version 1: the same section, another section, then a conflict.
  await (await section(pageB, 'summary')).fill('Bruno: recommendations served stale features.');
  await (await section(pageB, 'impact')).fill('Bruno: 12% of sessions saw irrelevant recommendations.');
  const panel = pageB.getByTestId('conflict-panel');
  await panel.waitFor();
  expect(await pageB.getByTestId('save-state').getAttribute('data-state')).toBe('conflict');
  expect(await panel.getByTestId('mine-summary').textContent()).toBe('Bruno: recommendations served stale features.');
  expect(await panel.getByTestId('theirs-summary').textContent()).toBe('Alice: the feature store fell 40 minutes behind.');
  // Only the section both changed is in conflict; Bruno's impact is kept as typed.
  expect(await panel.locator('[data-conflict]').count()).toBe(1);
  expect(await (await section(pageB, 'impact')).inputValue()).toBe('Bruno: 12% of sessions saw irrelevant recommendations.');
  // The conflicting section waits for the merge; other sections stay editable and keep their text.
  expect(await (await section(pageB, 'summary')).getAttribute('readonly')).not.toBeNull();
  await (await section(pageB, 'whereWeGotLucky')).fill('Bruno: it happened outside the sales peak.');
  expect(await seriousAxeViolations(pageB)).toEqual([]);
  await screenshot(pageB, 'postmortem-conflict');

  await panel.getByRole('button', { name: 'Keep both' }).click();
  const merged = panel.getByLabel('Merged summary');
  expect(await merged.inputValue()).toBe('Alice: the feature store fell 40 minutes behind.\n\nBruno: recommendations served stale features.');
  await merged.press('End');
  await merged.pressSequentially(' Both of us agree.');
  await panel.getByRole('button', { name: 'Save merged version' }).click();
  await savedAt(pageB, 3);
  expect(await panel.count()).toBe(0);

  const after = await stored();
  expect(after.version).toBe(3);
  expect(after.summary).toBe('Alice: the feature store fell 40 minutes behind.\n\nBruno: recommendations served stale features. Both of us agree.');
  expect(after.impact).toBe('Bruno: 12% of sessions saw irrelevant recommendations.');
  expect(after.whereWeGotLucky).toBe('Bruno: it happened outside the sales peak.');
});

it('merges on its own when the other writer changed different sections', async () => {
  // Alice is still on version 2 and writes a section nobody else touched.
  await (await section(pageA, 'lessons')).fill('Alice: alert on feature freshness, not only on errors.');
  await savedAt(pageA, 4);
  expect(await pageA.getByTestId('conflict-panel').count()).toBe(0);
  // Her editor now shows Bruno's merged summary and impact alongside her own lessons.
  expect(await (await section(pageA, 'summary')).inputValue()).toContain('Both of us agree.');
  expect(await (await section(pageA, 'impact')).inputValue()).toBe('Bruno: 12% of sessions saw irrelevant recommendations.');

  const after = await stored();
  expect(after).toEqual({
    version: 4,
    summary: 'Alice: the feature store fell 40 minutes behind.\n\nBruno: recommendations served stale features. Both of us agree.',
    impact: 'Bruno: 12% of sessions saw irrelevant recommendations.',
    whereWeGotLucky: 'Bruno: it happened outside the sales peak.',
    lessons: 'Alice: alert on feature freshness, not only on errors.',
    whatWentWell: null,
  });
});

it('lets the writer take their own version or the other one', async () => {
  // Bruno is on version 3 now; Alice saved version 4 with new lessons. Both rewrite lessons.
  await (await section(pageA, 'lessons')).fill('Alice: page the owning team when freshness drops.');
  await savedAt(pageA, 5);
  await (await section(pageB, 'lessons')).fill('Bruno: add a freshness SLO.');
  const panel = pageB.getByTestId('conflict-panel');
  await panel.waitFor();
  await panel.getByRole('button', { name: 'Use theirs' }).click();
  expect(await panel.getByLabel('Merged lessons').inputValue()).toBe('Alice: page the owning team when freshness drops.');
  await panel.getByRole('button', { name: 'Use mine' }).click();
  await panel.getByRole('button', { name: 'Save merged version' }).click();
  await savedAt(pageB, 6);
  expect((await stored()).lessons).toBe('Bruno: add a freshness SLO.');
});

it('offers back text typed but not saved when the tab was closed', async () => {
  const context = pageA.context();
  await (await section(pageA, 'whatWentWell')).fill('Alice: the freshness dashboard made the lag obvious.');
  // Closed before the autosave ran (it waits for a pause in typing).
  await pageA.close();
  expect((await stored()).whatWentWell).toBeNull();

  const again = await context.newPage();
  await again.goto(`${api.url}/incidents/INC-1/postmortem`);
  await again.getByRole('button', { name: 'Restore my text' }).click();
  expect(await (await section(again, 'whatWentWell')).inputValue()).toBe('Alice: the freshness dashboard made the lag obvious.');
  await again.getByTestId('save-state').getByText(/All changes saved/).waitFor();
  const after = await stored();
  expect(after.whatWentWell).toBe('Alice: the freshness dashboard made the lag obvious.');
  // Restoring merged over the newer version instead of overwriting Bruno's lessons.
  expect(after.lessons).toBe('Bruno: add a freshness SLO.');
});
