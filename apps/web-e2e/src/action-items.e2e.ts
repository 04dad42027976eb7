/// <reference lib="dom" />
// The engineering manager's journey: find the team's items, extend one, snooze one, complete one.
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { launchBrowser, operationsDuring, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { must } from '@hindsight/server-testing';
import { signInAt } from './support/incident.fixtures';

let api: ApiHarness;
let browser: Browser;
let page: Page;
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  const admin = await api.login();
  const user = async (email: string, name: string, role: string) =>
    (await must<{ createUser: { id: string } }>(api, `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email, name, role, password: 'manager-password-1' } }, admin)).createUser.id;
  ids['manager'] = await user('maya@test.local', 'Maya Manager', 'MANAGER');
  ids['member'] = await user('eli@test.local', 'Eli Engineer', 'COMMANDER');
  ids['viewer'] = await user('vera@test.local', 'Vera Viewer', 'VIEWER');
  ids['team'] = (await must<{ createTeam: { id: string } }>(api, `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name: 'Payments', managerId: ids['manager'], memberIds: [ids['member']] } }, admin)).createTeam.id;
  const incident = await must<{ createIncident: { id: string; reference: string } }>(
    api,
    `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id reference } }`,
    { i: { title: 'Card payments failing in EU', severity: 'SEV2', startedAt: '2026-10-01T10:00:00Z', resolvedAt: '2026-10-01T12:00:00Z' } },
    admin,
  );
  ids['incident'] = incident.createIncident.id;
  const item = async (title: string, priority: string, dueAt: string) =>
    (
      await must<{ createActionItem: { id: string } }>(
        api,
        `mutation($inc: ID!, $i: CreateActionItemInput!) { createActionItem(incidentId: $inc, input: $i) { id } }`,
        { inc: ids['incident'], i: { title, kind: 'PREVENT', priority, ownerTeamId: ids['team'], assigneeId: ids['member'], dueAt } },
        admin,
      )
    ).createActionItem.id;
  ids['overdue'] = await item('Add a canary stage for the card gateway', 'P1', '2026-10-20T17:00:00Z');
  ids['later'] = await item('Alert on EU auth failure rate', 'P2', new Date(Date.now() + 40 * 86400_000).toISOString());
  ids['wontdo'] = await item('Rewrite the gateway client in Rust', 'P3', new Date(Date.now() + 60 * 86400_000).toISOString());
  ids['rows'] = await item('Document the EU card fallback', 'P2', new Date(Date.now() + 30 * 86400_000).toISOString());
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

beforeEach(async () => {
  page = await browser.newPage();
  await signInAt(page, api.url, { email: 'maya@test.local', password: 'manager-password-1' });
});
afterEach(async () => {
  await page.close();
});

it("lists the team's items with the overdue one marked, and filters to overdue only", async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Action items' }).click();
  // Home lists the same items (with "Done: …" answers): wait for the list page itself.
  // (the URL changes before the page's lazy chunk has replaced Home: wait for its heading).
  await page.waitForURL(/\/action-items/);
  await page.getByRole('heading', { name: 'Action items', level: 1 }).waitFor();
  await page.getByRole('table', { name: 'Action items' }).getByRole('link', { name: 'Add a canary stage for the card gateway', exact: true }).waitFor();
  const overdueRow = page.locator('tr[data-urgency="overdue"]');
  expect(await overdueRow.count()).toBe(1);
  expect(await overdueRow.textContent()).toMatch(/days overdue/);
  expect(await page.getByRole('link', { name: 'Alert on EU auth failure rate', exact: true }).isVisible()).toBe(true);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, 'action-items');

  await page.getByLabel('Overdue only').check();
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  expect(await page.locator('tbody tr').textContent()).toContain('Add a canary stage');
});

it('extends a deadline with a reason, snoozes, and completes a P1 item only with a verification', async () => {
  await page.goto(`${api.url}/action-items/${ids['overdue']}`);
  await page.getByRole('heading', { name: 'Add a canary stage for the card gateway' }).waitFor();
  // Enum values read as words ("Prevent"), never as the API's names ("PREVENT").
  const details = await page.getByRole('region', { name: 'Details' }).innerText();
  expect(details).toContain('Prevent');
  expect(details).not.toContain('PREVENT');
  // No worker runs in this test, so no reminder has gone out yet: the page says the step that
  // came due goes out with the next chase run (not "no reminders yet"), and that it will reach
  // nobody, in plain words (the manager is not an ADMIN: no operator advice).
  const reminders = page.getByRole('region', { name: 'Reminders' });
  const leadership = reminders.getByRole('listitem').filter({ hasText: 'Leadership digest' });
  await leadership.getByText('Due now: it goes out with the next chase run', { exact: false }).waitFor();
  expect(await leadership.textContent()).toContain('no leadership channel is configured');
  expect(await reminders.textContent()).not.toContain('Settings');
  await screenshot(page, 'action-item-reminders');
  expect(await seriousAxeViolations(page)).toEqual([]);

  // View first: each property is changed where it is shown, one form at a time.
  expect(await page.locator('form').count()).toBe(0);
  // Extend: the due date is a picker; the reason the API requires is asked once the date is
  // chosen, and both land in the deadline history without a reload.
  await page.getByRole('button', { name: /^Due: .*, change$/ }).click();
  const inTenDays = new Date(Date.now() + 10 * 86400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  await page.getByLabel('Due', { exact: true }).fill(`${inTenDays.getFullYear()}-${pad(inTenDays.getMonth() + 1)}-${pad(inTenDays.getDate())}`);
  await page.getByLabel('Due', { exact: true }).press('Enter');
  const dueDialog = page.getByRole('dialog', { name: /Move the deadline/ });
  await dueDialog.getByLabel('Why the deadline moves').fill('Gateway vendor ships the canary hook next week');
  await dueDialog.getByRole('button', { name: 'Move the deadline' }).click();
  await dueDialog.waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: 'Gateway vendor ships the canary hook next week' }).waitFor();
  await page.getByRole('button', { name: /^Due: (?!.*overdue).*, change$/ }).waitFor();

  // Snooze: a P1 item may be snoozed by the team's manager.
  await page.getByRole('button', { name: 'Change reminders' }).click();
  const snoozeForm = page.getByRole('form', { name: 'Snooze reminders' });
  const inFiveDays = new Date(Date.now() + 5 * 86400_000);
  await snoozeForm.getByLabel('Snooze until').fill(`${inFiveDays.getFullYear()}-${pad(inFiveDays.getMonth() + 1)}-${pad(inFiveDays.getDate())}`);
  await snoozeForm.getByLabel('Reason for snoozing').fill('Waiting on the vendor');
  await snoozeForm.getByRole('button', { name: 'Snooze' }).click();
  await snoozeForm.waitFor({ state: 'detached' });
  await page.locator('dd[data-property="Reminders"]', { hasText: 'Snoozed until' }).waitFor();

  // Complete: P1 needs a verification; the refusal is shown in words at the field.
  await page.getByRole('button', { name: 'Mark as done' }).click();
  const doneForm = page.getByRole('form', { name: 'Mark as done' });
  await doneForm.getByLabel('Completion note').fill('Canary stage live in the deploy pipeline');
  await doneForm.getByRole('button', { name: 'Mark as done' }).click();
  const fieldError = doneForm.locator('.hs-field__error');
  await fieldError.waitFor();
  expect(await fieldError.textContent()).toMatch(/verif/i);
  await doneForm.getByLabel(/Verification/).fill('Bad build stopped by the canary in the game day on the 12th');
  await doneForm.getByRole('button', { name: 'Mark as done' }).click();
  await page.getByText('Completion note', { exact: true }).first().waitFor();
  await page.locator('dd', { hasText: /^Done$/ }).waitFor();
  await screenshot(page, 'action-item-done');

  const stored = await must<{ actionItem: { status: string; verification: string; dueDateChanges: { reason: string }[] } }>(
    api,
    `query($id: ID!) { actionItem(id: $id) { status verification dueDateChanges { reason } } }`,
    { id: ids['overdue'] },
    await api.login(),
  );
  expect(stored.actionItem.status).toBe('DONE');
  expect(stored.actionItem.dueDateChanges.map((c) => c.reason)).toEqual(['Gateway vendor ships the canary hook next week']);
});

it('changes status, priority, assignee and due date in place: shown at once, one request each, Undo puts it back', async () => {
  await page.goto(`${api.url}/action-items/${ids['later']}`);
  await page.getByRole('heading', { name: 'Alert on EU auth failure rate' }).waitFor();
  await page.getByRole('button', { name: 'Team: Payments, change' }).waitFor();
  await page.waitForLoadState('networkidle');
  // View first: no form on the page, the properties are buttons that read like their values.
  expect(await page.locator('form').count()).toBe(0);

  // Status: one click opens the choices, the new value shows without a reload; the one request is the mutation.
  const statusOps = await operationsDuring(page, async () => {
    await page.getByRole('button', { name: 'Status: Open, change' }).click();
    await page.getByRole('menuitemradio', { name: 'In progress' }).click();
    await page.getByRole('button', { name: 'Status: In progress, change' }).waitFor();
    await page.locator('.hs-toast', { hasText: 'Status: In progress' }).waitFor();
  });
  expect(statusOps).toEqual(['UpdateActionItem']);

  // Priority, then Undo from the toast.
  const priorityOps = await operationsDuring(page, async () => {
    await page.getByRole('button', { name: 'Priority: P2 (medium), change' }).click();
    await page.getByRole('menuitemradio', { name: 'P1 (high)' }).click();
    await page.getByRole('button', { name: 'Priority: P1 (high), change' }).waitFor();
    await page.locator('.hs-toast', { hasText: 'Priority: P1 (high)' }).waitFor();
  });
  expect(priorityOps).toEqual(['UpdateActionItem']);
  await page.locator('.hs-toast', { hasText: 'Priority: P1 (high)' }).getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Priority: P2 (medium), change' }).waitFor();

  // Assignee, by keyboard only: ↓ opens on the checked choice, ↓ moves, Enter picks.
  await page.getByRole('button', { name: 'Assignee: Eli Engineer, change' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.getByRole('menuitemradio', { name: 'Eli Engineer' }).and(page.locator(':focus')).waitFor();
  await page.keyboard.press('Home');
  await page.getByRole('menuitemradio', { name: 'Unassigned' }).and(page.locator(':focus')).waitFor();
  await page.keyboard.press('ArrowDown');
  await page.getByRole('menuitemradio', { name: 'Maya Manager' }).and(page.locator(':focus')).waitFor();
  const ownerOps = await operationsDuring(page, async () => {
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Assignee: Maya Manager, change' }).waitFor();
    await page.locator('.hs-toast', { hasText: 'Assignee: Maya Manager' }).waitFor();
  });
  expect(ownerOps).toEqual(['UpdateActionItem']);

  // Due date: the date, then the reason; the deadline history shows it at once; Undo moves it back.
  const inTwenty = new Date(Date.now() + 20 * 86400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const dueBefore = await page.getByRole('button', { name: /^Due: .*, change$/ }).getAttribute('aria-label');
  const dueOps = await operationsDuring(page, async () => {
    await page.getByRole('button', { name: /^Due: .*, change$/ }).click();
    await page.getByLabel('Due', { exact: true }).fill(`${inTwenty.getFullYear()}-${pad(inTwenty.getMonth() + 1)}-${pad(inTwenty.getDate())}`);
    await page.getByLabel('Due', { exact: true }).press('Enter');
    const dialog = page.getByRole('dialog', { name: /Move the deadline/ });
    await dialog.getByLabel('Why the deadline moves').fill('Waiting for the auth team');
    await dialog.getByRole('button', { name: 'Move the deadline' }).click();
    await page.getByRole('cell', { name: 'Waiting for the auth team' }).waitFor();
  });
  expect(await page.getByRole('button', { name: /^Due: .*, change$/ }).getAttribute('aria-label')).not.toBe(dueBefore);
  expect(dueOps).toEqual(['ChangeActionItemDueDate']);
  await page.locator('.hs-toast', { hasText: /^Due:/ }).getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: dueBefore ?? '', exact: true }).waitFor();
  await page.getByRole('cell', { name: /^Undone: back to/ }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);

  // What the page shows is what the server stored.
  const stored = await must<{ actionItem: { status: string; priority: string; assignee: { name: string } | null; dueDateChanges: { reason: string }[] } }>(
    api,
    `query($id: ID!) { actionItem(id: $id) { status priority assignee { name } dueDateChanges { reason } } }`,
    { id: ids['later'] },
    await api.login(),
  );
  expect(stored.actionItem).toMatchObject({ status: 'IN_PROGRESS', priority: 'P2', assignee: { name: 'Maya Manager' } });
  expect(stored.actionItem.dueDateChanges.map((c) => c.reason)).toEqual(['Waiting for the auth team', expect.stringMatching(/^Undone: back to/)]);
});

it('changes status and priority in the list rows', async () => {
  await page.goto(`${api.url}/action-items?view=all`);
  const row = page.locator('tbody tr', { hasText: 'Alert on EU auth failure rate' });
  await row.waitFor();
  await row.getByRole('button', { name: 'Team: Payments, change' }).waitFor();
  await row.getByRole('button', { name: /^Priority: .*, change$/ }).click();
  await page.getByRole('menuitemradio', { name: 'P3 (low)' }).click();
  await row.getByRole('button', { name: 'Priority: P3 (low), change' }).waitFor();
  await page.locator('.hs-toast', { hasText: 'Priority: P3 (low)' }).waitFor();
});

it('changes assignee and due date in the list rows: one request each, Undo puts them back, a reload keeps them', async () => {
  await page.goto(`${api.url}/action-items?view=all`);
  const row = page.locator('tbody tr', { hasText: 'Document the EU card fallback' });
  await row.getByRole('button', { name: 'Assignee: Eli Engineer, change' }).waitFor();
  await page.waitForLoadState('networkidle');

  // Assignee: the owning team's manager and members are the choices.
  const ownerOps = await operationsDuring(page, async () => {
    await row.getByRole('button', { name: 'Assignee: Eli Engineer, change' }).click();
    const choices = await page.getByRole('menuitemradio').allTextContents();
    expect(choices[0]).toMatch(/^Unassigned/);
    expect(choices.slice(1)).toEqual(['Maya Manager', 'Eli Engineer']);
    await page.getByRole('menuitemradio', { name: 'Maya Manager' }).click();
    await row.getByRole('button', { name: 'Assignee: Maya Manager, change' }).waitFor();
    await page.locator('.hs-toast', { hasText: 'Assignee: Maya Manager' }).waitFor();
  });
  expect(ownerOps).toEqual(['UpdateActionItem']);
  await page.locator('.hs-toast', { hasText: 'Assignee: Maya Manager' }).getByRole('button', { name: 'Undo' }).click();
  await page.locator('.hs-toast', { hasText: 'Assignee: Eli Engineer' }).waitFor();
  await row.getByRole('button', { name: 'Assignee: Eli Engineer, change' }).click();
  await page.getByRole('menuitemradio', { name: 'Unassigned' }).click();
  await row.getByRole('button', { name: 'Assignee: Unassigned (was Eli Engineer), change' }).waitFor();

  // Due date: the date, then the reason the API requires for any moved deadline.
  const pad = (n: number) => String(n).padStart(2, '0');
  const inTwelve = new Date(Date.now() + 12 * 86400_000);
  const dueBefore = await row.getByRole('button', { name: /^Due: .*, change$/ }).getAttribute('aria-label');
  await row.getByRole('button', { name: /^Due: .*, change$/ }).click();
  await row.getByLabel('Due', { exact: true }).fill(`${inTwelve.getFullYear()}-${pad(inTwelve.getMonth() + 1)}-${pad(inTwelve.getDate())}`);
  await row.getByLabel('Due', { exact: true }).press('Enter');
  // Cancel: nothing is sent, the old date comes back.
  const dialog = page.getByRole('dialog', { name: /Move the deadline of “Document the EU card fallback”/ });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.getByRole('button', { name: dueBefore ?? '', exact: true }).waitFor();

  const dueOps = await operationsDuring(page, async () => {
    await row.getByRole('button', { name: /^Due: .*, change$/ }).click();
    await row.getByLabel('Due', { exact: true }).fill(`${inTwelve.getFullYear()}-${pad(inTwelve.getMonth() + 1)}-${pad(inTwelve.getDate())}`);
    await row.getByLabel('Due', { exact: true }).press('Enter');
    await dialog.getByLabel('Why the deadline moves').fill('The fallback ships with the next release');
    await dialog.getByRole('button', { name: 'Move the deadline' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.hs-toast', { hasText: /^Due:/ }).waitFor();
  });
  expect(dueOps).toEqual(['ChangeActionItemDueDate']);
  const dueAfter = await row.getByRole('button', { name: /^Due: .*, change$/ }).getAttribute('aria-label');
  expect(dueAfter).not.toBe(dueBefore);
  expect(dueAfter).toContain('in 12 days');
  await page.reload();
  await row.getByRole('button', { name: dueAfter ?? '', exact: true }).waitFor();
  await row.getByRole('button', { name: 'Assignee: Unassigned (was Eli Engineer), change' }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);

  const stored = await must<{ actionItem: { assignee: { name: string } | null; dueDateChanges: { reason: string }[] } }>(
    api,
    `query($id: ID!) { actionItem(id: $id) { assignee { name } dueDateChanges { reason } } }`,
    { id: ids['rows'] },
    await api.login(),
  );
  expect(stored.actionItem).toEqual({ assignee: null, dueDateChanges: [{ reason: 'The fallback ships with the next release' }] });
});

it("closes an item as won't do only with a reason: Cancel leaves it open, the reason is kept and shown", async () => {
  await page.goto(`${api.url}/action-items/${ids['wontdo']}`);
  await page.getByRole('heading', { name: 'Rewrite the gateway client in Rust' }).waitFor();
  const status = page.locator('dd[data-property="Status"]');
  await status.getByRole('button', { name: 'Status: Open, change' }).click();
  await page.getByRole('menuitemradio', { name: "Won't do" }).click();
  const dialog = page.getByRole('dialog', { name: "Won't do “Rewrite the gateway client in Rust”" });
  // The reason is required: the confirm button waits for one.
  expect(await dialog.getByRole('button', { name: "Close as won't do" }).isDisabled()).toBe(true);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  await status.getByRole('button', { name: 'Status: Open, change' }).waitFor();
  expect(await page.locator('.hs-toast--error').count()).toBe(0);
  const read = async () =>
    (
      await must<{ actionItem: { status: string; wontDoReason: string | null } }>(api, `query($id: ID!) { actionItem(id: $id) { status wontDoReason } }`, { id: ids['wontdo'] }, await api.login())
    ).actionItem;
  expect(await read()).toEqual({ status: 'OPEN', wontDoReason: null });

  await status.getByRole('button', { name: 'Status: Open, change' }).click();
  await page.getByRole('menuitemradio', { name: "Won't do" }).click();
  await dialog.getByLabel("Why we won't do it").fill('The vendor replaces the client next quarter');
  await dialog.getByRole('button', { name: "Close as won't do" }).click();
  await dialog.waitFor({ state: 'detached' });
  await status.getByRole('button', { name: "Status: Won't do, change" }).waitFor();
  await page.locator('dd', { hasText: 'The vendor replaces the client next quarter' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Rewrite the gateway client in Rust' }).waitFor();
  expect(await page.getByRole('region', { name: 'Details' }).innerText()).toMatch(/Won't do because\s+The vendor replaces the client next quarter/);
  expect(await read()).toEqual({ status: 'WONT_DO', wontDoReason: 'The vendor replaces the client next quarter' });
});

it("lines a picker's value up with the plain values of the Details list", async () => {
  await page.goto(`${api.url}/action-items/${ids['later']}`);
  const priority = page.locator('dd[data-property="Priority"]').getByRole('button');
  await priority.waitFor();
  // Where the first letter of each value starts on screen: "P2 (medium)" in its picker, "Prevent" as plain text.
  const textLeft = (dd: import('playwright-core').Locator) =>
    dd.evaluate((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (n.textContent?.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP) });
      const text = walker.nextNode();
      if (!text) throw new Error('no text');
      const range = document.createRange();
      range.selectNodeContents(text);
      return range.getBoundingClientRect().left;
    });
  const kind = page.locator('dt', { hasText: /^Kind$/ }).locator('xpath=following-sibling::dd[1]');
  expect(await kind.innerText()).toBe('Prevent');
  expect(Math.abs((await textLeft(page.locator('dd[data-property="Priority"]'))) - (await textLeft(kind)))).toBeLessThan(1);
});

it('shows a viewer the values, not pickers', async () => {
  const viewer = await browser.newPage();
  await signInAt(viewer, api.url, { email: 'vera@test.local', password: 'manager-password-1' });
  await viewer.goto(`${api.url}/action-items/${ids['later']}`);
  await viewer.getByRole('heading', { name: 'Alert on EU auth failure rate' }).waitFor();
  await viewer.locator('dd[data-property="Team"]', { hasText: 'Payments' }).waitFor();
  expect(await viewer.getByRole('button', { name: /, change$/ }).count()).toBe(0);
  expect(await viewer.getByRole('main').locator('[aria-haspopup="menu"]').count()).toBe(0);
  expect(await viewer.locator('dd[data-property="Status"]').textContent()).toBe('In progress');
  await viewer.goto(`${api.url}/action-items?view=all`);
  await viewer.locator('tbody tr', { hasText: 'Alert on EU auth failure rate' }).waitFor();
  expect(await viewer.getByRole('button', { name: /, change$/ }).count()).toBe(0);
  await viewer.close();
});
