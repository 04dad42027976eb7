/// <reference lib="dom" />
// Issue 10's journeys: from a captured reminder email to a recorded answer, the manager's
// decision from the home page, and claiming an item from the home page.
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { ApiHarness, LOOPBACK_ALLOWLIST, startApi } from '@hindsight/server-app/testing';
import { loadConfig } from '@hindsight/server-config';
import { ChaseProcessor, WorkerModule } from '@hindsight/server-worker';
import { partOf, SmtpReceiver, startSmtp } from '@hindsight/server-worker/testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { must } from '@hindsight/server-testing';
import { fillSignIn } from './support/incident.fixtures';

const DAY = 86_400_000;
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PASSWORD = 'answer-password-1';
const prefix = `hs-e2e-answers-${randomBytes(4).toString('hex')}`;

let api: ApiHarness;
let smtp: SmtpReceiver;
let worker: INestApplicationContext;
let browser: Browser;
let admin: string;
const ids: Record<string, string> = {};


async function until<T>(fn: () => T | undefined | null | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const signIn = (page: Page, email: string): Promise<void> => fillSignIn(page, { email, password: PASSWORD });

const item = async (title: string, priority: string, dueAt: Date, assigneeId: string | null) =>
  (
    await must<{ createActionItem: { id: string } }>(
      api,
      `mutation($inc: ID!, $i: CreateActionItemInput!) { createActionItem(incidentId: $inc, input: $i) { id } }`,
      { inc: ids['incident'], i: { title, kind: 'PREVENT', priority, ownerTeamId: ids['team'], assigneeId, dueAt: dueAt.toISOString() } },
      admin,
    )
  ).createActionItem.id;

beforeAll(async () => {
  smtp = await startSmtp();
  const env = { QUEUE_PREFIX: prefix, SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMTP_FROM: 'Hindsight <chaser@hindsight.test>', CHASE_INTERVAL_SECONDS: '3600', OUTBOUND_ALLOWLIST: LOOPBACK_ALLOWLIST };
  api = await startApi(env, { webRoot: WEB_ROOT });
  // The worker writes links under PUBLIC_URL: here, the API that serves the web app.
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: api.db.url, REDIS_URL, WORKER_HEALTH_PORT: '0', JWT_SECRET: 'w'.repeat(40), PUBLIC_URL: api.url, ...env });
  worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await worker.init();
  browser = await launchBrowser();
  admin = await api.login();
  const user = async (email: string, name: string, role: string) =>
    (await must<{ createUser: { id: string } }>(api, `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email, name, role, password: PASSWORD } }, admin)).createUser.id;
  ids['manager'] = await user('maya@answers.test', 'Maya Manager', 'MANAGER');
  ids['member'] = await user('eli@answers.test', 'Eli Engineer', 'COMMANDER');
  ids['team'] = (await must<{ createTeam: { id: string } }>(api, `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name: 'Payments', managerId: ids['manager'], memberIds: [ids['member']] } }, admin)).createTeam.id;
  ids['incident'] = (
    await must<{ createIncident: { id: string } }>(
      api,
      `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`,
      { i: { title: 'Card payments failing in EU', severity: 'SEV2', startedAt: '2026-10-01T10:00:00Z', resolvedAt: '2026-10-01T12:00:00Z' } },
      admin,
    )
  ).createIncident.id;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await worker?.close();
  await api?.close();
  await smtp?.close();
  await dropQueueKeys(REDIS_URL, prefix);
}, 60_000);

it('from the emailed reminder: "Need more time", sign in, date and reason; the manager approves from the home page; the item shows the new date', async () => {
  const title = 'Add a canary stage for the card gateway';
  const itemId = await item(title, 'P1', new Date(Date.now() - 2 * DAY), ids['member']);
  await worker.get(ChaseProcessor).sweep();
  const mail = await until(() => smtp.mails.find((m) => m.to.includes('eli@answers.test') && m.data.includes('card gateway')), 20_000, "Eli's reminder");
  const html = partOf(mail, 'text/html') ?? '';
  const href = /href="([^"]+)"[^>]*>Need more time<\/a>/.exec(html)?.[1];
  expect(href).toBeDefined();
  const link = (href ?? '').replace(/&amp;/g, '&');
  expect(link).toMatch(new RegExp(`^${api.url}/action-items/${itemId}\\?action=extend&delivery=[0-9a-f-]{36}$`));

  // Eli is not signed in: the link asks for sign-in first, then lands on the item with the form open.
  const eli = await browser.newPage();
  await eli.goto(link);
  await signIn(eli, 'eli@answers.test');
  const form = eli.getByRole('form', { name: 'Need more time' });
  await form.waitFor();
  expect(eli.url()).toBe(link);
  expect(await eli.getByRole('region', { name: 'Ask for more time' }).isVisible()).toBe(true);
  // The due date is offered once: the reminder's form, not a second one below.
  expect(await eli.getByLabel('New due date').count()).toBe(1);
  expect(await eli.getByRole('form', { name: 'Change the due date' }).count()).toBe(0);
  const newDate = new Date(Date.now() + 30 * DAY);
  const pad = (n: number) => String(n).padStart(2, '0');
  const dateInput = `${newDate.getFullYear()}-${pad(newDate.getMonth() + 1)}-${pad(newDate.getDate())}`;
  await form.getByLabel('New due date').fill(dateInput);
  await form.getByLabel('Why more time is needed').fill('The vendor ships the canary API next month');
  await form.getByRole('button', { name: 'Ask for more time' }).click();
  await form.getByText('Asked Maya Manager for the new date').waitFor();
  // The answer is traced to the reminder whose link led to it.
  const db = new Client({ connectionString: api.db.url });
  await db.connect();
  const audit = await db.query(`SELECT after->>'viaDelivery' AS via FROM audit_log WHERE action = 'extension-request.create'`).finally(() => db.end());
  expect(audit.rows).toEqual([{ via: new URL(link).searchParams.get('delivery') }]);
  await screenshot(eli, 'nudge-answer-requested');
  await eli.close();

  // Maya hears of it by email, and decides from her home page.
  await until(() => smtp.mails.find((m) => m.to.includes('maya@answers.test') && /Extension requested/.test(m.data)), 20_000, "Maya's email");
  const maya = await browser.newPage();
  await maya.goto(`${api.url}/signin`);
  await signIn(maya, 'maya@answers.test');
  // One list by urgency: the request is the entry of the item it is about, with its reason.
  const requests = maya.getByRole('region', { name: /What needs you/ }).getByRole('listitem').filter({ hasText: 'extension asked' }).filter({ hasText: title });
  await requests.waitFor();
  expect(await requests.textContent()).toContain('The vendor ships the canary API next month');
  expect(await maya.getByTestId('needs-me-count').textContent()).toMatch(/^\d+$/);
  expect(await seriousAxeViolations(maya)).toEqual([]);
  await screenshot(maya, 'home-manager');
  await requests.getByRole('button', { name: `Approve the new date for ${title}` }).click();
  await requests.waitFor({ state: 'detached' });

  await maya.goto(`${api.url}/action-items/${itemId}`);
  const history = maya.getByRole('region', { name: 'Deadline history' });
  await history.getByText('Extension approved: The vendor ships the canary API next month').waitFor();
  const shown = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(newDate);
  expect(await maya.getByRole('region', { name: 'Details' }).textContent()).toContain(shown);
  expect(await maya.getByRole('region', { name: 'Extension requests' }).textContent()).toMatch(/approved by Maya Manager/);
  await maya.close();
  await until(() => smtp.mails.find((m) => m.to.includes('eli@answers.test') && /Extension approved/.test(m.data)), 20_000, "Eli's decision email");
}, 120_000);

it('claims an unassigned item from the home page in one click', async () => {
  const title = 'Alert on EU card authorisation failures';
  const itemId = await item(title, 'P2', new Date(Date.now() + 20 * DAY), null);
  const eli = await browser.newPage();
  await eli.goto(`${api.url}/`);
  await signIn(eli, 'eli@answers.test');
  const unassigned = eli.getByRole('region', { name: /What needs you/ }).getByRole('listitem').filter({ hasText: 'nobody has taken it' }).filter({ hasText: title });
  await unassigned.getByRole('link', { name: title, exact: true }).waitFor();
  expect(await seriousAxeViolations(eli)).toEqual([]);
  await unassigned.getByRole('button', { name: `Claim: ${title}` }).click();
  await unassigned.waitFor({ state: 'detached' });
  const check = await must<{ actionItem: { assignee: { id: string } | null } }>(api, `query($id: ID!) { actionItem(id: $id) { assignee { id } } }`, { id: itemId }, admin);
  expect(check.actionItem.assignee?.id).toBe(ids['member']);
  await eli.goto(`${api.url}/action-items/${itemId}`);
  await eli.getByRole('region', { name: 'Details' }).getByText('Eli Engineer').waitFor();
  await eli.close();
}, 60_000);

it("shows leadership the week's summary instead of lists, and says what will appear when nothing needs someone", async () => {
  await must(api, `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email: 'lee@answers.test', name: 'Lee Leader', role: 'VIEWER', password: PASSWORD } }, admin);
  await must(api, `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email: 'new@answers.test', name: 'Nia New', role: 'COMMANDER', password: PASSWORD } }, admin);
  const lee = await browser.newPage();
  await lee.goto(`${api.url}/signin`);
  await signIn(lee, 'lee@answers.test');
  const week = lee.getByRole('region', { name: 'This week' });
  await week.getByRole('link', { name: /Reliability/ }).waitFor();
  expect(await week.textContent()).toContain('Overdue P0/P1 action items');
  expect(await lee.getByRole('link', { name: /Needs you/ }).count()).toBe(0);
  expect(await seriousAxeViolations(lee)).toEqual([]);
  await lee.close();

  const nia = await browser.newPage();
  await nia.goto(`${api.url}/signin`);
  await signIn(nia, 'new@answers.test');
  await nia.getByRole('heading', { name: 'Nothing needs you right now' }).waitFor();
  expect(await nia.textContent('main')).toContain('extension requests waiting for a decision');
  await nia.close();
}, 60_000);
