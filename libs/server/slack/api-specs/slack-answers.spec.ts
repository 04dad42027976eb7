import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { ChaseSweepService, DeliveryService } from '@hindsight/server-chase';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { FakeSlackMessage, FakeSlackUser, SlackDriver, SlackFake } from '@hindsight/server-slack/testing';
import { daysAgo, daysFromNow, Rows, Scenario } from '@hindsight/server-testing';

/*
 * Answering nudges without leaving Slack (issue 24), through the API's Slack routes: every
 * button for every role follows the web app's rules (the same services), the message is
 * updated in place, a double click or Slack's retry applies once, an extension approved from
 * Slack reaches the requester. How the DMs are planned and sent (matching people, faults, a
 * post whose answer was lost) is the Slack room's own: slack-delivery.spec.ts.
 */

const SIGNING_SECRET = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `hs-slack-${randomBytes(4).toString('hex')}`;
let api: ApiHarness;
let db: Client;
let world: Scenario;
let rows: Rows;
let slack: SlackFake;
let driver: SlackDriver;
let payments: string;
let incidentId: string;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
const slackUsers: Record<string, FakeSlackUser> = {};

async function person(key: string, role: string): Promise<void> {
  const email = `${key}@answers.test`;
  users[key] = (await world.person({ email, name: `${key[0].toUpperCase()}${key.slice(1)}`, role, password: `${key}-password-1` })).id;
  slackUsers[key] = slack.addUser({ email, name: key });
}

async function item(title: string, o: { priority?: string; assignee?: string | null; dueInDays?: number } = {}): Promise<string> {
  return (await rows.actionItem({
    incident_id: incidentId, title, priority: o.priority ?? 'P1', status: 'OPEN', owner_team_id: payments,
    assignee_id: o.assignee === undefined ? users['member'] : o.assignee, due_at: daysFromNow(o.dueInDays ?? -1),
  })).id;
}

/** The chase sweep, then every SLACK delivery it wrote, sent by the API process's own delivery service (no worker needed). */
async function sweepAndSendSlack(): Promise<void> {
  await api.app.get(ChaseSweepService).sweep(new Date(), async () => undefined);
  await sendPendingSlack();
}

async function sendPendingSlack(): Promise<void> {
  const { rows } = await db.query(`SELECT id FROM deliveries WHERE kind = 'SLACK' AND status = 'PENDING' ORDER BY created_at, id`);
  const results = await api.app.get(DeliveryService).sendMany(rows.map((r) => r.id));
  for (const r of results.values()) if (r instanceof Error) throw r;
}

/** The reminder DMed to `key` about the item titled `title`. */
function dm(key: string, title: string): FakeSlackMessage {
  const found = slack.dmOf(slackUsers[key].id)?.messages.filter((m) => m.text.includes(title)) ?? [];
  if (found.length !== 1) throw new Error(`expected one DM to ${key} about "${title}", found ${found.length}`);
  return found[0];
}

const buttonsOf = (m: FakeSlackMessage) => ((m.blocks ?? []).find((b) => (b as { type: string }).type === 'actions') as { elements: { action_id: string; value?: string }[] } | undefined)?.elements ?? [];
const valueOf = (m: FakeSlackMessage, actionId: string) => buttonsOf(m).find((b) => b.action_id === actionId)?.value;
const context = (m: FakeSlackMessage) => JSON.stringify((m.blocks ?? []).filter((b) => (b as { type: string }).type === 'context'));
const row = async (id: string) => (await db.query(`SELECT status, assignee_id, due_at, snoozed_until, completion_note, verification FROM action_items WHERE id = $1`, [id])).rows[0];
const audits = async (action: string, entityId: string) => (await db.query(`SELECT after FROM audit_log WHERE action = $1 AND entity_id = $2`, [action, entityId])).rows;

async function click(key: string, message: FakeSlackMessage, actionId: string, responseId = randomBytes(3).toString('hex')) {
  const value = valueOf(message, actionId);
  const res = await driver.interaction(driver.blockAction(slackUsers[key], message, { action_id: actionId, value }, responseId));
  expect(res.status).toBe(200);
  return { res, aside: slack.responses.find((r) => r.id === responseId)?.body ?? null };
}

/** Opens the modal of `actionId` as `key` and submits it with these inputs (by block id). */
async function answerInModal(key: string, message: FakeSlackMessage, actionId: string, inputs: Record<string, string>) {
  const before = slack.views.length;
  const { aside } = await click(key, message, actionId);
  const opened = slack.views[before];
  if (!opened) return { aside, opened: null, submit: null as null | (() => Promise<Record<string, unknown>>) };
  const values = Object.fromEntries(Object.entries(inputs).map(([block, v]) => [block, { value: block === 'until' ? { type: 'datepicker', selected_date: v } : { type: 'plain_text_input', value: v } }]));
  const payload = driver.viewSubmission(slackUsers[key], opened, values);
  const submit = async () => (await driver.interaction(payload)).body;
  return { aside, opened, submit };
}

beforeAll(async () => {
  slack = await new SlackFake().start();
  api = await startApi({
    SLACK_API_URL: slack.apiUrl, SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, OUTBOUND_ALLOWLIST: '127.0.0.1',
    QUEUE_PREFIX: prefix, PUBLIC_URL: 'https://hindsight.example.test',
  });
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  rows = new Rows(db);
  driver = new SlackDriver(api.url, SIGNING_SECRET, slack);
  tokens['admin'] = await api.login();
  world = new Scenario(api, tokens['admin']);
  users['admin'] = (await db.query(`SELECT id FROM users WHERE email = 'admin@test.local'`)).rows[0].id;
  slackUsers['admin'] = slack.addUser({ email: 'admin@test.local', name: 'admin' });
  await person('manager', 'MANAGER');
  await person('member', 'COMMANDER');
  await person('viewer', 'VIEWER');
  payments = await world.team({ name: 'Payments', managerId: users['manager'], memberIds: [users['member'], users['viewer']] });
  incidentId = (await rows.incident({ title: 'Checkout down', started_at: daysAgo(30), commander_id: users['admin'] })).id;
  // Everyone uses the app once: matched by their address, so the bot can DM them.
  for (const key of ['admin', 'manager', 'member', 'viewer']) expect((await driver.command(slackUsers[key], 'help')).body['text']).toContain('/hindsight');
}, 120_000);

afterAll(async () => {
  await db?.end();
  await api?.close();
  await slack?.close();
  await dropQueueKeys(REDIS_URL, prefix);
});

describe('every button for every role', () => {
  it('Done: a VIEWER is refused privately and nothing opens; the assignee gives note and verification (P1); a second Save applies nothing', async () => {
    const id = await item('Add a canary stage');
    await sweepAndSendSlack();
    const message = dm('member', 'Add a canary stage');

    const views = slack.views.length;
    const refused = await click('viewer', message, 'hs_complete');
    expect(refused.aside).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Viewers read only/) });
    expect(slack.views.length).toBe(views);

    const done = await answerInModal('member', message, 'hs_complete', { note: 'Canary stage added to the pipeline' });
    expect(done.opened?.view['blocks']).toEqual(expect.arrayContaining([expect.objectContaining({ block_id: 'verification' })]));
    const missing = await (done.submit as () => Promise<Record<string, unknown>>)();
    expect(missing).toMatchObject({ response_action: 'errors', errors: { verification: expect.any(String) } });
    expect((await row(id)).status).toBe('OPEN');

    const payload = driver.viewSubmission(slackUsers['member'], done.opened as { id: string; view: Record<string, unknown> }, {
      note: { value: { type: 'plain_text_input', value: 'Canary stage added to the pipeline' } },
      verification: { value: { type: 'plain_text_input', value: 'A bad build stopped at 5 % in staging' } },
    });
    expect((await driver.interaction(payload)).body).toEqual({ response_action: 'clear' });
    expect(await row(id)).toMatchObject({ status: 'DONE', completion_note: 'Canary stage added to the pipeline', verification: 'A bad build stopped at 5 % in staging' });
    expect(context(slack.message(message.channel, message.ts) as FakeSlackMessage)).toContain(`Marked done by <@${slackUsers['member'].id}>`);
    expect(buttonsOf(slack.message(message.channel, message.ts) as FakeSlackMessage)).toEqual([]);

    // The same Save again (Slack's retry: the same bytes) is dropped; a second modal's Save is refused by the rule.
    expect((await driver.interaction(payload, { retryNum: 1 })).body).toEqual({});
    const again = driver.viewSubmission(slackUsers['member'], { ...(done.opened as { id: string; view: Record<string, unknown> }), id: 'V-second' }, payload.view.state.values);
    expect((await driver.interaction(again)).body).toMatchObject({ response_action: 'errors', errors: { note: expect.stringContaining('already DONE') } });
    expect(await audits('action-item.complete', id)).toHaveLength(1);
    expect((await audits('action-item.complete', id))[0].after.viaDelivery).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('Claim: a VIEWER cannot; a member claims an unassigned item once, however often they click; the message says who', async () => {
    const id = await item('Page the right team', { assignee: null, priority: 'P3' });
    await sweepAndSendSlack();
    // Nobody is assigned: the manager gets it, with Claim.
    const message = dm('manager', 'Page the right team');
    expect(buttonsOf(message).map((b) => b.action_id)).toContain('hs_claim');
    const refused = await click('viewer', message, 'hs_claim');
    expect(refused.aside?.['text']).toMatch(/Viewers read only/);
    expect((await row(id)).assignee_id).toBeNull();

    await Promise.all([click('member', message, 'hs_claim'), click('member', message, 'hs_claim')]);
    expect((await row(id)).assignee_id).toBe(users['member']);
    expect(await audits('action-item.claim', id)).toHaveLength(1);
    expect(context(slack.message(message.channel, message.ts) as FakeSlackMessage)).toContain(`Claimed by <@${slackUsers['member'].id}>`);
  });

  it('Snooze: a member may not snooze a P1 (the manager decides); the manager does', async () => {
    const id = await item('Alert on queue depth');
    await sweepAndSendSlack();
    const message = dm('member', 'Alert on queue depth');
    const until = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const byMember = await answerInModal('member', message, 'hs_snooze', { until, reason: 'waiting on the vendor' });
    expect(await (byMember.submit as () => Promise<Record<string, unknown>>)()).toMatchObject({ response_action: 'errors' });
    expect((await row(id)).snoozed_until).toBeNull();
    const byManager = await answerInModal('manager', message, 'hs_snooze', { until, reason: 'waiting on the vendor' });
    expect(await (byManager.submit as () => Promise<Record<string, unknown>>)()).toEqual({ response_action: 'clear' });
    expect(new Date((await row(id)).snoozed_until).toISOString().slice(0, 10)).toBe(until);
    expect(context(slack.message(message.channel, message.ts) as FakeSlackMessage)).toContain(`Snoozed until ${until}`);
  });

  it('Need more time: the manager moves a P1 deadline at once; a VIEWER is refused', async () => {
    const id = await item('Document the failover');
    await sweepAndSendSlack();
    const message = dm('member', 'Document the failover');
    const refused = await click('viewer', message, 'hs_extend');
    expect(refused.aside?.['text']).toMatch(/Viewers read only/);
    const until = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const moved = await answerInModal('manager', message, 'hs_extend', { until, reason: 'the runbook needs the new region' });
    expect(await (moved.submit as () => Promise<Record<string, unknown>>)()).toEqual({ response_action: 'clear' });
    expect(new Date((await row(id)).due_at).toISOString().slice(0, 10)).toBe(until);
    expect(await audits('extension-request.create', id)).toHaveLength(0);
  });

  it('Need more time on a P1 by a member is a request: the manager gets Approve / Decline; the requester cannot approve; approving from Slack tells the requester', async () => {
    const id = await item('Load-test the new region');
    await sweepAndSendSlack();
    const message = dm('member', 'Load-test the new region');
    const until = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const asked = await answerInModal('member', message, 'hs_extend', { until, reason: 'the region opens next week' });
    expect(await (asked.submit as () => Promise<Record<string, unknown>>)()).toEqual({ response_action: 'clear' });
    const request = (await db.query(`SELECT id, status FROM due_date_extension_requests WHERE action_item_id = $1`, [id])).rows;
    expect(request).toEqual([{ id: expect.any(String), status: 'PENDING' }]);
    expect(context(slack.message(message.channel, message.ts) as FakeSlackMessage)).toContain('asked of the manager');

    await sendPendingSlack();
    const toManager = dm('manager', 'Load-test the new region');
    expect(buttonsOf(toManager).map((b) => b.action_id)).toEqual(['hs_approve', 'hs_decline', 'hs_open']);

    // The requester clicks Approve on the manager's message (forwarded, say): refused by the rule.
    const own = await click('member', toManager, 'hs_approve');
    expect(own.aside?.['text']).toMatch(/You asked for this extension/);
    const viewer = await click('viewer', toManager, 'hs_approve');
    expect(viewer.aside?.['text']).toMatch(/manager or an ADMIN/);
    expect((await db.query(`SELECT status FROM due_date_extension_requests WHERE id = $1`, [request[0].id])).rows[0].status).toBe('PENDING');

    // The manager approves, twice in quick succession: decided once.
    const [first, second] = await Promise.all([click('manager', toManager, 'hs_approve'), click('manager', toManager, 'hs_approve')]);
    expect([first.aside, second.aside].filter((a) => a !== null)).toEqual([expect.objectContaining({ text: expect.stringMatching(/already approved/) })]);
    expect((await db.query(`SELECT status FROM due_date_extension_requests WHERE id = $1`, [request[0].id])).rows[0].status).toBe('APPROVED');
    expect(new Date((await row(id)).due_at).toISOString().slice(0, 10)).toBe(until);
    expect(await audits('extension-request.decide', request[0].id)).toHaveLength(1);
    expect(context(slack.message(toManager.channel, toManager.ts) as FakeSlackMessage)).toContain(`Approved (new due date ${until}) by <@${slackUsers['manager'].id}>`);

    // The requester hears of it in Slack (and by e-mail, where SMTP is set up).
    await sendPendingSlack();
    const told = slack.dmOf(slackUsers['member'].id)?.messages.filter((m) => m.text.includes('Load-test the new region') && /approved/i.test(m.text)) ?? [];
    expect(told).toHaveLength(1);
  });

  it('Decline by an ADMIN; Open changes nothing', async () => {
    const id = await item('Split the payments database');
    await sweepAndSendSlack();
    const message = dm('member', 'Split the payments database');
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await (await answerInModal('member', message, 'hs_extend', { until, reason: 'needs a migration window' })).submit?.();
    await sendPendingSlack();
    const toManager = dm('manager', 'Split the payments database');
    const due = (await row(id)).due_at;
    const calls = slack.calls.length;
    expect((await click('admin', toManager, 'hs_open')).aside).toBeNull();
    expect(slack.calls.length).toBe(calls);
    await click('admin', toManager, 'hs_decline');
    expect((await db.query(`SELECT status FROM due_date_extension_requests WHERE action_item_id = $1`, [id])).rows[0].status).toBe('DECLINED');
    expect((await row(id)).due_at).toEqual(due);
    expect(context(slack.message(toManager.channel, toManager.ts) as FakeSlackMessage)).toContain('Declined by');
  });
});

describe('/hindsight', () => {
  const answerOf = async (id: string): Promise<Record<string, unknown>> => {
    for (let i = 0; i < 400; i++) {
      const found = slack.responses.find((r) => r.id === id);
      if (found) return found.body;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no answer through response_url ${id}`);
  };

  it('acknowledges at once and answers mine, item and incident privately through response_url', async () => {
    const id = await item('Shorten the DNS TTL');
    const mine = await driver.command(slackUsers['member'], 'mine', 'cmd-mine');
    expect(mine).toEqual({ status: 200, body: {} });
    const answer = await answerOf('cmd-mine');
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('*Overdue*') });
    expect(answer['text']).toContain(`https://hindsight.example.test/action-items/${id}|Shorten the DNS TTL`);

    await driver.command(slackUsers['viewer'], `item ${id}`, 'cmd-item');
    expect((await answerOf('cmd-item'))['text']).toMatch(/Shorten the DNS TTL>\*\nP1 · OPEN · due \d{4}-/);
    const reference = (await db.query(`SELECT 'INC-' || number AS r FROM incidents WHERE id = $1`, [incidentId])).rows[0].r;
    await driver.command(slackUsers['viewer'], `incident ${reference}`, 'cmd-incident');
    expect((await answerOf('cmd-incident'))['text']).toContain(`${reference} Checkout down`);
    await driver.command(slackUsers['viewer'], 'incident INC-999999', 'cmd-none');
    expect((await answerOf('cmd-none'))['text']).toMatch(/No incident/);
    expect((await driver.command(slackUsers['viewer'], 'whatever', 'cmd-help')).body['text']).toContain('/hindsight mine');
  });
});

describe('"Add to incident timeline"', () => {
  it("keeps a message's time, text and permalink as a timeline event of the incident picked; a VIEWER may not", async () => {
    const channel = slack.addChannel('inc-checkout');
    const said = slack.say(channel.id, slackUsers['member'].id, 'Rolled back deploy 4411, errors falling', Math.floor(Date.now() / 1000) - 3600);
    const refused = driver.messageShortcut(slackUsers['viewer'], { ...said, channel: channel.id }, 'hs_add_to_timeline', 'sc-viewer');
    const views = slack.views.length;
    await driver.interaction(refused);
    expect(slack.responses.find((r) => r.id === 'sc-viewer')?.body['text']).toMatch(/Viewers read only/);
    expect(slack.views.length).toBe(views);

    await driver.interaction(driver.messageShortcut(slackUsers['member'], { ...said, channel: channel.id }, 'hs_add_to_timeline'));
    const opened = slack.views[views];
    const select = (opened.view['blocks'] as { block_id?: string; element?: { options?: { value: string }[] } }[]).find((b) => b.block_id === 'incident');
    expect(select?.element?.options?.map((o) => o.value)).toContain(incidentId);
    const submitted = await driver.interaction(driver.viewSubmission(slackUsers['member'], opened, {
      incident: { value: { type: 'static_select', selected_option: { value: incidentId } } },
      kind: { value: { type: 'static_select', selected_option: { value: 'MITIGATION' } } },
    }));
    expect(submitted.body).toEqual({ response_action: 'clear' });
    const events = (await db.query(`SELECT occurred_at, kind, description, evidence_url FROM timeline_events WHERE incident_id = $1 AND description LIKE 'Rolled back%'`, [incidentId])).rows;
    expect(events).toEqual([{ occurred_at: new Date(Math.floor(Number(said.ts)) * 1000), kind: 'MITIGATION', description: 'Rolled back deploy 4411, errors falling', evidence_url: slack.permalink(said) }]);
  });
});
