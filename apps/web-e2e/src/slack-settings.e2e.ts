/// <reference lib="dom" />
// Issue 24 in the browser: an ADMIN sets up the Slack app under Settings → Slack (stored sealed,
// shown masked, the connection tested against the loopback Slack fake), a non-ADMIN is not
// offered the form, and someone Slack could not match follows the app's sign-in link, signs in
// and links the accounts; a later request from Slack acts as them. A used or expired link, or
// one for a Slack account that is someone else's, is refused in words.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from 'pg';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { SlackDriver, SlackFake } from '@hindsight/server-slack/testing';
import { freePort } from '@hindsight/server-sso/testing';
import { Scenario } from '@hindsight/server-testing';
import { launchBrowser, screenshot, seriousAxeViolations, WEB_ROOT } from './support/browser';
import { createPerson, Person, signIn, signInAt } from './support/incident.fixtures';

const SIGNING_SECRET = '5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d';
let api: ApiHarness;
let db: Client;
let slack: SlackFake;
let driver: SlackDriver;
let browser: Browser;
let admin: string;
let commander: Person;
let bo: Person;

beforeAll(async () => {
  slack = await new SlackFake().start();
  // The sign-in links the app gives are under PUBLIC_URL: here, the API serving the web app.
  const port = await freePort();
  api = await startApi({ SLACK_API_URL: slack.apiUrl, OUTBOUND_ALLOWLIST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` }, { webRoot: WEB_ROOT, port });
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  admin = await api.login();
  commander = await createPerson(api, admin, 'Cora Commander', 'COMMANDER');
  bo = await createPerson(api, admin, 'Bo Builder', 'COMMANDER');
  driver = new SlackDriver(api.url, SIGNING_SECRET, slack);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await db?.end();
  await api?.close();
  await slack?.close();
}, 60_000);

async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

/** The sign-in link Slack shows someone nobody matched, from their `/hindsight mine`. */
async function linkFor(user: ReturnType<SlackFake['addUser']>): Promise<string> {
  const answer = await driver.command(user, 'mine');
  expect(answer.status).toBe(200);
  const url = new RegExp(`${api.url.replace(/[.:/]/g, '\\$&')}/slack/link\\?token=[\\w-]+`).exec(String(answer.body['text']))?.[0];
  if (!url) throw new Error(`no sign-in link in ${JSON.stringify(answer.body)}`);
  return url;
}

/** What `/hindsight mine` answers a Slack user, through the response_url. */
async function mine(user: ReturnType<SlackFake['addUser']>, id: string): Promise<string> {
  expect((await driver.command(user, 'mine', id)).status).toBe(200);
  const end = Date.now() + 10_000;
  for (;;) {
    const found = slack.responses.find((r) => r.id === id);
    if (found) return String(found.body['text']);
    if (Date.now() > end) throw new Error(`no answer to /hindsight mine (${id})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Settings → Slack', () => {
  it('an ADMIN stores the token and signing secret, sees them only masked, and tests the connection', async () => {
    const { context, page } = await freshPage();
    try {
      await signInAt(page, api.url, TEST_ADMIN);
      await page.goto(`${api.url}/settings`);
      const form = page.getByRole('form', { name: 'Slack' });
      await form.getByText('Not set up.').waitFor();
      expect(await form.getByRole('button', { name: 'Test connection' }).count()).toBe(0);

      // A token Slack refuses is refused at its field, and nothing is stored.
      await form.getByLabel('Bot User OAuth Token').fill('xoxb-0000-0000-notthetoken');
      await form.getByLabel('Signing secret').fill(SIGNING_SECRET);
      await form.getByRole('button', { name: 'Save Slack app' }).click();
      await form.getByText(/Slack refused the token \(invalid_auth\)/).waitFor();
      expect((await db.query(`SELECT count(*)::int AS n FROM slack_settings`)).rows[0].n).toBe(0);

      await form.getByLabel('Bot User OAuth Token').fill(slack.token);
      await form.getByRole('button', { name: 'Save Slack app' }).click();
      await form.getByText(`Set up for ${slack.team}.`).waitFor();
      // Stored sealed, shown masked: the inputs are emptied and neither secret is on the page.
      const stored = form.getByRole('definition').filter({ hasText: 'stored sealed' });
      await stored.first().waitFor();
      expect(await stored.count()).toBe(2);
      expect(await form.getByLabel('Bot User OAuth Token').inputValue()).toBe('');
      expect(await form.getByLabel('Signing secret').inputValue()).toBe('');
      const html = await page.content();
      expect(html).not.toContain(slack.token);
      expect(html).not.toContain(SIGNING_SECRET);
      const { rows } = await db.query(`SELECT bot_token, signing_secret FROM slack_settings`);
      expect(rows).toHaveLength(1);
      expect(`${rows[0].bot_token} ${rows[0].signing_secret}`).not.toContain(slack.token.slice(5));
      expect(`${rows[0].bot_token} ${rows[0].signing_secret}`).not.toContain(SIGNING_SECRET);

      // Test connection asks Slack (auth.test) with the stored token.
      const before = slack.callsOf('auth.test').length;
      await form.getByRole('button', { name: 'Test connection' }).click();
      await form.getByText(`Connected: Slack answered for ${slack.team}`).waitFor();
      expect(slack.callsOf('auth.test').length).toBeGreaterThan(before);
      slack.failNext('auth.test', 1, { status: 200, error: 'token_revoked' });
      await form.getByRole('button', { name: 'Test connection' }).click();
      await form.getByText(/Not connected: Slack did not accept the bot token/).waitFor();
      await screenshot(page, 'settings-slack');
      expect(await seriousAxeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('a non-ADMIN is not offered the form, and the API refuses them the settings', async () => {
    const { context, page } = await freshPage();
    try {
      await signInAt(page, api.url, commander);
      await page.goto(`${api.url}/settings`);
      await page.getByRole('heading', { name: 'Your settings' }).waitFor();
      expect(await page.getByRole('form', { name: 'Slack' }).count()).toBe(0);
      expect(await page.getByLabel('Bot User OAuth Token').count()).toBe(0);
      const token = await api.login(commander.email, commander.password);
      expect((await api.gql(`{ slackSettings { configured } }`, {}, token)).errors?.[0].extensions?.['code']).toBe('FORBIDDEN');
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('/slack/link', () => {
  it('someone Slack could not match follows the link, signs in, confirms, and from then on Slack acts as them', async () => {
    const cora = slack.addUser({ email: 'cora@home.example', name: 'cora' });
    const world = new Scenario(api, admin);
    const team = await world.team({ name: 'Search', memberIds: [commander.id] });
    const incident = await world.incident({ title: 'Search results empty', severity: 'SEV2', startedAt: '2026-11-02T09:00:00Z', resolvedAt: '2026-11-02T10:00:00Z' });
    await world.actionItem(incident.id, { title: 'Alert on an empty search index', kind: 'DETECT', ownerTeamId: team, assigneeId: commander.id, dueAt: new Date(Date.now() - 86_400_000).toISOString() });
    // Unmatched (her Slack address is not Cora's here): Slack answers her with a sign-in link only.
    const link = await linkFor(cora);
    expect(slack.responses).toEqual([]);
    const { context, page } = await freshPage();
    try {
      // Signed out: the link goes through the sign-in page and comes back.
      await signIn(page, api.url, commander, link.slice(api.url.length));
      await page.waitForURL(link);
      await page.getByText(`will act as you, ${commander.name}`).waitFor();
      // Nothing is linked by opening the page.
      expect((await db.query(`SELECT user_id FROM slack_people WHERE slack_user_id = $1`, [cora.id])).rows).toEqual([{ user_id: null }]);
      await page.getByRole('button', { name: 'Link my Slack account' }).click();
      await page.getByText('Your Slack account is linked.').waitFor();
      await screenshot(page, 'slack-link-linked');
      expect(await seriousAxeViolations(page)).toEqual([]);

      // Opening the same link again: used.
      await page.goto(link);
      await page.getByRole('button', { name: 'Link my Slack account' }).click();
      await page.getByRole('alert').getByText('This link is used or expired: run /hindsight again in Slack for a new one.').waitFor();
    } finally {
      await context.close();
    }
    expect((await db.query(`SELECT u.email, p.matched_by FROM slack_people p JOIN users u ON u.id = p.user_id WHERE p.slack_user_id = $1`, [cora.id])).rows).toEqual([{ email: commander.email, matched_by: 'SIGN_IN' }]);
    // From Slack, as Cora: what needs her is her overdue item.
    expect(await mine(cora, 'after-link')).toContain('Alert on an empty search index');
  }, 120_000);

  it('refuses an expired link, and a link for a Slack account that is someone else’s, in words', async () => {
    const stranger = slack.addUser({ email: 'stranger@elsewhere.example', name: 'stranger' });
    const expired = await linkFor(stranger);
    await db.query(`UPDATE slack_link_tokens SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL`);
    // A Slack profile claiming Bo's address without confirming it: unmatched, so it gets a link —
    // but that Slack account is Bo's to link, not Cora's.
    const claimsBo = slack.addUser({ email: bo.email, name: 'not-really-bo', confirmed: false });
    const othersLink = await linkFor(claimsBo);

    const { context, page } = await freshPage();
    try {
      await signInAt(page, api.url, commander);
      await page.goto(expired);
      await page.getByRole('button', { name: 'Link my Slack account' }).click();
      await page.getByRole('alert').getByText('This link is used or expired: run /hindsight again in Slack for a new one.').waitFor();

      await page.goto(othersLink);
      await page.getByRole('button', { name: 'Link my Slack account' }).click();
      await page.getByRole('alert').getByText(/This link was made for a Slack account that belongs to someone else here: only they can link it\./).waitFor();
      await screenshot(page, 'slack-link-refused');
    } finally {
      await context.close();
    }
    const linked = await db.query(`SELECT slack_user_id FROM slack_people WHERE user_id IS NOT NULL AND slack_user_id = ANY($1)`, [[stranger.id, claimsBo.id]]);
    expect(linked.rows).toEqual([]);
    // Refused, not used up: Bo himself may still link it.
    const { context: boContext, page: boPage } = await freshPage();
    try {
      await signInAt(boPage, api.url, bo);
      await boPage.goto(othersLink);
      await boPage.getByRole('button', { name: 'Link my Slack account' }).click();
      await boPage.getByText('Your Slack account is linked.').waitFor();
    } finally {
      await boContext.close();
    }
    expect((await db.query(`SELECT u.email FROM slack_people p JOIN users u ON u.id = p.user_id WHERE p.slack_user_id = $1`, [claimsBo.id])).rows).toEqual([{ email: bo.email }]);
  }, 120_000);
});
