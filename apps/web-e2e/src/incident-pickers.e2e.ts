/// <reference lib="dom" />
// The incident page's pickers as a commander uses them: severity and status in the header,
// assignee and due date in the action items' rows; each saved at once, kept after a reload,
// and put back by the toast's Undo.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { Scenario } from '@hindsight/server-testing';
import { launchBrowser, operationsDuring, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { createPerson, signInAt, type Person } from './support/incident.fixtures';

jest.setTimeout(90_000);

let api: ApiHarness;
let browser: Browser;
let page: Page;
let world: Scenario;
let commander: Person;
let incident: { id: string; reference: string };
const items: Record<string, string> = {};

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  world = await Scenario.asAdmin(api);
  commander = await createPerson(api, world.token, 'Cora Commander', 'COMMANDER');
  const manager = await createPerson(api, world.token, 'Rita Reviewer', 'MANAGER');
  const teamId = await world.team({ name: 'Payments', memberIds: [commander.id], managerId: manager.id });
  incident = await world.incident({ title: 'Checkout latency in the EU', severity: 'SEV2' });
  const due = new Date(Date.now() + 30 * 86400_000).toISOString();
  items['p2'] = (await world.actionItem(incident.id, { title: 'Cap the checkout retry budget', priority: 'P2', ownerTeamId: teamId, assigneeId: commander.id, dueAt: due })).id;
  items['p1'] = (await world.actionItem(incident.id, { title: 'Page on EU checkout latency', priority: 'P1', ownerTeamId: teamId, assigneeId: commander.id, dueAt: due })).id;
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

beforeEach(async () => {
  page = await browser.newPage();
  await signInAt(page, api.url, commander);
  await page.goto(`${api.url}/incidents/${incident.reference}`);
  await page.getByRole('heading', { name: 'Checkout latency in the EU', level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
});
afterEach(async () => {
  await page.close();
});

async function stored(): Promise<{ severity: string; status: string; actionItems: { id: string; assignee: { name: string } | null; dueAt: string; dueDateChanges: { reason: string }[] }[] }> {
  const { incident: found } = await world.ok<{ incident: Awaited<ReturnType<typeof stored>> }>(
    `query($id: ID) { incident(id: $id) { severity status actionItems { id assignee { name } dueAt dueDateChanges { reason } } } }`,
    { id: incident.id },
  );
  return found;
}

const toast = (text: string | RegExp) => page.locator('.hs-toast', { hasText: text });

it('changes severity and status in the header: kept after a reload, put back by Undo', async () => {
  const header = page.locator('.hs-badges');
  // Severity: SEV2 → SEV1 in one request, still SEV1 after a reload.
  const severityOps = await operationsDuring(page, async () => {
    await header.getByRole('button', { name: /^Severity: SEV2.*, change$/ }).click();
    await page.getByRole('menuitemradio', { name: /^SEV1/ }).click();
    await header.getByRole('button', { name: /^Severity: SEV1.*, change$/ }).waitFor();
    await toast(/^Severity: SEV1/).waitFor();
  });
  expect(severityOps).toEqual(['UpdateIncident']);
  await page.reload();
  await header.getByRole('button', { name: /^Severity: SEV1.*, change$/ }).waitFor();
  expect((await stored()).severity).toBe('SEV1');

  // Status: Investigating → Identified, kept after a reload; then Undo puts Investigating back.
  await header.getByRole('button', { name: 'Status: Investigating, change' }).click();
  await page.getByRole('menuitemradio', { name: 'Identified' }).click();
  await header.getByRole('button', { name: 'Status: Identified, change' }).waitFor();
  await toast('Status: Identified').waitFor();
  await page.reload();
  await header.getByRole('button', { name: 'Status: Identified, change' }).waitFor();
  expect((await stored()).status).toBe('IDENTIFIED');

  await header.getByRole('button', { name: 'Status: Identified, change' }).click();
  await page.getByRole('menuitemradio', { name: 'Mitigated' }).click();
  await toast('Status: Mitigated').getByRole('button', { name: 'Undo' }).click();
  await header.getByRole('button', { name: 'Status: Identified, change' }).waitFor();
  await toast('Status: Identified').waitFor();
  expect((await stored()).status).toBe('IDENTIFIED');

  // Undo on severity too: SEV1 → SEV3, Undo → SEV1, as stored.
  await header.getByRole('button', { name: /^Severity: SEV1.*, change$/ }).click();
  await page.getByRole('menuitemradio', { name: /^SEV3/ }).click();
  await toast(/^Severity: SEV3/).getByRole('button', { name: 'Undo' }).click();
  await header.getByRole('button', { name: /^Severity: SEV1.*, change$/ }).waitFor();
  await toast(/^Severity: SEV1/).waitFor();
  await page.reload();
  await header.getByRole('button', { name: /^Severity: SEV1.*, change$/ }).waitFor();
  expect((await stored()).severity).toBe('SEV1');
});

it("changes an action item's assignee and due date in its row; a P1 deadline is asked for, not moved, by a commander", async () => {
  const row = page.locator('tbody tr', { hasText: 'Cap the checkout retry budget' });
  // The manager and the members of the owning team are offered; one request changes it.
  const assigneeOps = await operationsDuring(page, async () => {
    await row.getByRole('button', { name: 'Assignee: Cora Commander, change' }).click();
    await page.getByRole('menuitemradio', { name: 'Rita Reviewer' }).click();
    await row.getByRole('button', { name: 'Assignee: Rita Reviewer, change' }).waitFor();
    await toast('Assignee: Rita Reviewer').waitFor();
  });
  expect(assigneeOps).toEqual(['UpdateActionItem']);
  await toast('Assignee: Rita Reviewer').getByRole('button', { name: 'Undo' }).click();
  await row.getByRole('button', { name: 'Assignee: Cora Commander, change' }).waitFor();
  // Undone once the server has it: the toast names the value put back.
  await toast('Assignee: Cora Commander').waitFor();
  expect((await stored()).actionItems.find((i) => i.id === items['p2'])?.assignee?.name).toBe('Cora Commander');

  // The due date: the date, then the reason the deadline history keeps; the row shows it at once.
  const inTen = new Date(Date.now() + 10 * 86400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const dueBefore = await row.getByRole('button', { name: /^Due: .*, change$/ }).getAttribute('aria-label');
  const dueOps = await operationsDuring(page, async () => {
    await row.getByRole('button', { name: /^Due: .*, change$/ }).click();
    await row.getByLabel('Due', { exact: true }).fill(`${inTen.getFullYear()}-${pad(inTen.getMonth() + 1)}-${pad(inTen.getDate())}`);
    await row.getByLabel('Due', { exact: true }).press('Enter');
    const dialog = page.getByRole('dialog', { name: /Move the deadline of “Cap the checkout retry budget”/ });
    await dialog.getByLabel('Why the deadline moves').fill('Needed before the EU sale');
    await dialog.getByRole('button', { name: 'Move the deadline' }).click();
    await dialog.waitFor({ state: 'detached' });
    await toast(/^Due:/).waitFor();
  });
  expect(dueOps).toEqual(['ChangeActionItemDueDate']);
  const dueAfter = await row.getByRole('button', { name: /^Due: .*, change$/ }).getAttribute('aria-label');
  expect(dueAfter).not.toBe(dueBefore);
  expect(dueAfter).toContain('in 10 days');
  await page.reload();
  await row.getByRole('button', { name: dueAfter ?? '', exact: true }).waitFor();
  const p2 = (await stored()).actionItems.find((i) => i.id === items['p2']);
  expect(p2?.dueDateChanges.map((c) => c.reason)).toEqual(['Needed before the EU sale']);

  // A P1 deadline is the team manager's to move (dueDateAnswer): the commander reads the date.
  const p1Row = page.locator('tbody tr', { hasText: 'Page on EU checkout latency' });
  await p1Row.getByRole('button', { name: 'Assignee: Cora Commander, change' }).waitFor();
  expect(await p1Row.getByRole('button', { name: /^Due: / }).count()).toBe(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
});
