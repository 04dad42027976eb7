import { randomBytes } from 'node:crypto';
import { ChaseSweepService, DeliveryError, DeliveryService } from '@hindsight/server-chase';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { SlackAppAdapter, SlackCoreModule } from '@hindsight/server-slack';
import { FakeSlackMessage, FakeSlackUser, SlackFake } from '@hindsight/server-slack/testing';
import { daysAgo, daysFromNow, ModuleHarness, testModule } from '@hindsight/server-testing';

/*
 * Nudges as Slack DMs from the chase and Slack rooms alone (no API): the sweep plans a DM next
 * to the e-mail, the delivery service sends it, a person is matched by address when their first
 * DM is sent (and remembered), someone not on Slack keeps the e-mail, and the adapter's faults
 * are classified and never post twice. Answering from Slack (buttons, modals, /hindsight,
 * shortcuts) goes through the API's Slack routes: slack-answers.spec.ts.
 */

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `hs-slack-delivery-${randomBytes(4).toString('hex')}`;
let room: ModuleHarness;
let slack: SlackFake;
let payments: string;
let incidentId: string;
const users: Record<string, string> = {};
const slackUsers: Record<string, FakeSlackUser> = {};

async function person(key: string, role: string, onSlack = true): Promise<void> {
  const email = `${key}@answers.test`;
  users[key] = await room.rows.user({ email, name: `${key[0].toUpperCase()}${key.slice(1)}`, role });
  if (onSlack) slackUsers[key] = slack.addUser({ email, name: key });
}

async function item(title: string, o: { assignee?: string } = {}): Promise<string> {
  return (await room.rows.actionItem({
    incident_id: incidentId, title, priority: 'P1', status: 'OPEN', owner_team_id: payments, assignee_id: o.assignee ?? users['member'], due_at: daysFromNow(-1),
  })).id;
}

const sweep = () => room.get(ChaseSweepService).sweep(new Date(), async () => undefined);

/** Every pending SLACK delivery sent by the delivery service; any failure fails the test. */
async function sendPendingSlack(): Promise<void> {
  const { rows } = await room.sql.query(`SELECT id FROM deliveries WHERE kind = 'SLACK' AND status = 'PENDING' ORDER BY created_at, id`);
  const results = await room.get(DeliveryService).sendMany(rows.map((r) => r.id));
  for (const r of results.values()) if (r instanceof Error) throw r;
}

/** Sends the pending SLACK deliveries as a worker does: a failure is written on the row, a permanent one (or the last) marks it FAILED. */
async function sendAsWorker(): Promise<Map<string, unknown>> {
  const { rows } = await room.sql.query(`SELECT id FROM deliveries WHERE kind = 'SLACK' AND status = 'PENDING' ORDER BY created_at, id`);
  const service = room.get(DeliveryService);
  const results = await service.sendMany(rows.map((r) => r.id));
  for (const [id, r] of results) if (r instanceof DeliveryError) await service.recordFailure(id, r.message, r.permanent);
  return results;
}

/** The reminder DMed to `key` about the item titled `title`. */
function dm(key: string, title: string): FakeSlackMessage {
  const found = slack.dmOf(slackUsers[key].id)?.messages.filter((m) => m.text.includes(title)) ?? [];
  if (found.length !== 1) throw new Error(`expected one DM to ${key} about "${title}", found ${found.length}`);
  return found[0];
}

const buttonsOf = (m: FakeSlackMessage) => ((m.blocks ?? []).find((b) => (b as { type: string }).type === 'actions') as { elements: { action_id: string }[] } | undefined)?.elements ?? [];

beforeAll(async () => {
  slack = await new SlackFake().start();
  room = await testModule([SlackCoreModule], {
    env: { SLACK_API_URL: slack.apiUrl, SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', OUTBOUND_ALLOWLIST: '127.0.0.1', QUEUE_PREFIX: prefix, PUBLIC_URL: 'https://hindsight.example.test' },
  });
  await person('admin', 'ADMIN');
  await person('manager', 'MANAGER');
  await person('member', 'COMMANDER');
  payments = await room.rows.team({ name: 'Payments', manager_id: users['manager'] });
  await room.sql.query(`INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)`, [payments, users['member']]);
  incidentId = (await room.rows.incident({ title: 'Checkout down', started_at: daysAgo(30), commander_id: users['admin'] })).id;
}, 60_000);

afterAll(async () => {
  await room?.close();
  await slack?.close();
  await dropQueueKeys(REDIS_URL, prefix);
});

describe('nudges as Slack DMs', () => {
  it('DMs the assignee the reminder with the answers as buttons, as its own delivery next to the e-mail', async () => {
    const id = await item('Rotate the signing keys');
    await sweep();
    await sendPendingSlack();
    const message = dm('member', 'Rotate the signing keys');
    expect(buttonsOf(message).map((b) => b.action_id)).toEqual(['hs_open', 'hs_complete', 'hs_extend', 'hs_snooze']);
    const { rows } = await room.sql.query(`SELECT d.kind, d.recipient, d.status FROM deliveries d JOIN nudges n ON n.id = d.nudge_id WHERE n.subject_id = $1 ORDER BY d.kind`, [id]);
    expect(rows).toEqual([
      { kind: 'EMAIL', recipient: 'member@answers.test', status: 'FAILED' },
      { kind: 'SLACK', recipient: 'member@answers.test', status: 'SENT' },
    ]);
    // A second sweep sends nothing again.
    const posted = slack.posted.length;
    await sweep();
    await sendPendingSlack();
    expect(slack.posted.length).toBe(posted);
  });
});

describe('people the app has not matched yet', () => {
  const slackRows = async (itemId: string) => (await room.sql.query(`SELECT d.status, d.last_error FROM deliveries d JOIN nudges n ON n.id = d.nudge_id WHERE n.subject_id = $1 AND d.kind = 'SLACK' AND d.recipient LIKE 'newcomer@%'`, [itemId])).rows;

  it('looks a person up by address when their DM is delivered, remembers the match, and sends once; a 429 waits for its Retry-After', async () => {
    await person('newcomer', 'COMMANDER');
    expect((await room.sql.query(`SELECT 1 FROM slack_people WHERE user_id = $1`, [users['newcomer']])).rows).toHaveLength(0);
    const id = await item('Renew the TLS certificates', { assignee: users['newcomer'] });
    slack.failNext('users.lookupByEmail', 1, { status: 429, retryAfter: 4 });
    await sweep();
    const { rows: [dmRow] } = await room.sql.query(`SELECT d.id FROM deliveries d JOIN nudges n ON n.id = d.nudge_id WHERE n.subject_id = $1 AND d.kind = 'SLACK' AND d.recipient = 'newcomer@answers.test'`, [id]);
    expect((await sendAsWorker()).get(dmRow.id)).toMatchObject({ permanent: false, retryAfterMs: 4000 });
    expect(await slackRows(id)).toMatchObject([{ status: 'PENDING', last_error: 'Slack answered HTTP 429' }]);
    expect(slack.dmOf(slackUsers['newcomer'].id)).toBeUndefined();

    await sendAsWorker();
    expect(await slackRows(id)).toMatchObject([{ status: 'SENT' }]);
    expect(dm('newcomer', 'Renew the TLS certificates')).toBeDefined();
    const lookups = slack.callsOf('users.lookupByEmail').filter((c) => c.args['email'] === 'newcomer@answers.test');
    expect(lookups.map((c) => c.status)).toEqual([429, 200]);
    expect((await room.sql.query(`SELECT slack_user_id, matched_by FROM slack_people WHERE user_id = $1`, [users['newcomer']])).rows).toEqual([{ slack_user_id: slackUsers['newcomer'].id, matched_by: 'EMAIL' }]);

    // Remembered: the next reminder is not looked up again, and what was sent is not sent again.
    const next = await item('Rotate the TLS keys', { assignee: users['newcomer'] });
    await sweep();
    await sendAsWorker();
    await sendAsWorker();
    expect(await slackRows(next)).toMatchObject([{ status: 'SENT' }]);
    expect(slack.callsOf('users.lookupByEmail').filter((c) => c.args['email'] === 'newcomer@answers.test')).toHaveLength(2);
    expect(slack.dmOf(slackUsers['newcomer'].id)?.messages.filter((m) => /Renew the TLS|Rotate the TLS/.test(m.text))).toHaveLength(2);
  });

  it('someone not on Slack keeps the e-mail: the DM fails saying why, and none is planned for them for a day', async () => {
    await person('offline', 'COMMANDER', false);
    const id = await item('Archive the old buckets', { assignee: users['offline'] });
    await sweep();
    await sendAsWorker();
    const { rows } = await room.sql.query(`SELECT d.kind, d.status, d.last_error FROM deliveries d JOIN nudges n ON n.id = d.nudge_id WHERE n.subject_id = $1 AND d.recipient = 'offline@answers.test' ORDER BY d.kind`, [id]);
    expect(rows).toEqual([
      { kind: 'EMAIL', status: 'FAILED', last_error: expect.stringContaining('SMTP_URL') },
      { kind: 'SLACK', status: 'FAILED', last_error: "not on Slack: no Slack user has this address (users.lookupByEmail); the reminder goes by e-mail and to the team's channels only" },
    ]);
    expect((await room.sql.query(`SELECT email, reason FROM slack_email_misses`)).rows).toEqual([{ email: 'offline@answers.test', reason: expect.stringContaining('not on Slack') }]);

    const later = await item('Archive the old logs', { assignee: users['offline'] });
    await sweep();
    const after = await room.sql.query(`SELECT d.kind FROM deliveries d JOIN nudges n ON n.id = d.nudge_id WHERE n.subject_id = $1 AND d.recipient = 'offline@answers.test'`, [later]);
    expect(after.rows.map((r) => r.kind)).toEqual(['EMAIL']);
    expect(slack.callsOf('users.lookupByEmail').filter((c) => c.args['email'] === 'offline@answers.test')).toHaveLength(1);
  });
});

describe('delivery faults', () => {
  it('a post whose answer was lost (the sender killed mid-request) is found on retry, not posted twice', async () => {
    const adapter = room.get(SlackAppAdapter);
    const deliveryId = '00000000-0000-4000-8000-00000000d311';
    slack.failNext('chat.postMessage', 1, { status: 0 });
    await expect(adapter.post({ person: 'member@answers.test' }, { text: 'Lost answer', blocks: [] }, deliveryId)).rejects.toThrow();
    await adapter.post({ person: 'member@answers.test' }, { text: 'Lost answer', blocks: [] }, deliveryId);
    await adapter.post({ person: 'member@answers.test' }, { text: 'Lost answer', blocks: [] }, deliveryId);
    expect(slack.dmOf(slackUsers['member'].id)?.messages.filter((m) => m.text === 'Lost answer')).toHaveLength(1);
    expect((await room.sql.query(`SELECT ts IS NOT NULL AS posted FROM slack_posts WHERE delivery_id = $1`, [deliveryId])).rows).toEqual([{ posted: true }]);
  });

  it('429 is tried again after its Retry-After, 5xx again, channel_not_found never', async () => {
    const adapter = room.get(SlackAppAdapter);
    slack.failNext('chat.postMessage', 1, { status: 429, retryAfter: 7 });
    const limited = await adapter.post({ person: 'member@answers.test' }, { text: 'limited', blocks: [] }, '00000000-0000-4000-8000-00000000d312').catch((e: unknown) => adapter.classify(e, new Date()));
    expect(limited).toMatchObject({ permanent: false, retryAfterMs: 7000 });
    slack.failNext('chat.postMessage', 1, { status: 503 });
    const down = await adapter.post({ person: 'member@answers.test' }, { text: 'down', blocks: [] }, '00000000-0000-4000-8000-00000000d313').catch((e: unknown) => adapter.classify(e, new Date()));
    expect(down).toMatchObject({ permanent: false });
    const gone = await adapter.post({ channel: 'C99999999' }, { text: 'gone', blocks: [] }, '00000000-0000-4000-8000-00000000d314').catch((e: unknown) => adapter.classify(e, new Date()));
    expect(gone).toMatchObject({ permanent: true, message: 'Slack answered channel_not_found' });
    expect(gone).toBeInstanceOf(DeliveryError);
  });
});
