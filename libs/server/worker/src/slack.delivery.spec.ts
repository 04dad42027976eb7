import { createTestDatabase } from '@hindsight/server-db/testing';
import { SlackFake } from '@hindsight/server-slack/testing';
import { daysAgo, Rows } from '@hindsight/server-testing';
import { expireSendLeases, until, withClient } from './testing/chase-harness';
import { WorkerFleet } from './testing/worker-fleet';

/*
 * Slack DMs are deliveries like the others (issue 24, docs/slack.md): real worker processes
 * (apps/worker/src/main.ts), real Postgres and Redis, and the loopback Slack Web API fake.
 * Nobody has used the app yet, so each DM first looks its person up by address
 * (users.lookupByEmail). The fake carries out chat.postMessage and holds the answer; the worker
 * is killed with SIGKILL while its DMs are in flight, so Slack has the messages and the worker
 * never learnt it. A new worker must not post them again: one chat.postMessage per delivery.
 */

const PEOPLE = 3;

type Scenario = WorkerFleet & { slack: SlackFake };

async function setUp(): Promise<Scenario> {
  const db = await createTestDatabase();
  const slack = await new SlackFake().start();
  await withClient(db.url, async (c) => {
    const rows = new Rows(c);
    const team = await rows.team({ name: 'Payments', slug: 'payments' });
    const inc = await rows.incident({ title: 'Card declines', started_at: daysAgo(30) });
    for (let i = 1; i <= PEOPLE; i++) {
      const email = `person${i}@slack-faults.test`;
      const user = await rows.user({ email, name: `Person ${i}`, role: 'COMMANDER' });
      slack.addUser({ email, name: `person${i}` });
      await rows.actionItem({ incident_id: inc.id, owner_team_id: team, title: `Add a canary for card declines ${i}`, priority: 'P2', due_at: daysAgo(2), assignee_id: user });
    }
  });
  const env = { SLACK_API_URL: slack.apiUrl, SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: '9'.repeat(32) };
  return Object.assign(new WorkerFleet(db, 'slack-f', env, [slack]), { slack });
}

const slackRows = (s: Scenario) =>
  withClient(s.db.url, async (c) =>
    (await c.query<{ id: string; status: string; recipient: string; ts: string | null; channel: string | null }>(
      `SELECT d.id, d.status, d.recipient, p.ts, p.channel FROM deliveries d LEFT JOIN slack_posts p ON p.delivery_id = d.id WHERE d.kind = 'SLACK' ORDER BY d.recipient`,
    )).rows,
  );

/** chat.postMessage calls Slack carried out, per delivery id (from the message's metadata). */
function postsPerDelivery(slack: SlackFake): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of slack.callsOf('chat.postMessage')) {
    if (call.status !== 200) continue;
    const id = String((call.args['metadata'] as { event_payload?: { delivery_id?: string } } | undefined)?.event_payload?.delivery_id);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('Slack DMs through worker processes', () => {
  let s: Scenario | undefined;

  afterEach(async () => {
    await s?.close();
    s = undefined;
  }, 60_000);

  it('a worker killed with SIGKILL while its DMs are in flight, then restarted: each person gets their DM once', async () => {
    s = await setUp();
    const scenario = s;
    scenario.slack.hold('chat.postMessage');
    const a = scenario.start();
    await a.ready;
    await until(() => scenario.slack.waiting >= PEOPLE, 60_000, 'every DM posted, no answer yet');
    a.child.kill('SIGKILL');
    await a.exited;
    // Slack has the messages; the dead worker's answers go to no one.
    scenario.slack.release();
    expect(scenario.slack.posted).toHaveLength(PEOPLE);
    expect((await slackRows(scenario)).map((r) => r.status)).toEqual(Array(PEOPLE).fill('PENDING'));
    // Each person was looked up by address once, and the match remembered before the post.
    expect(scenario.slack.callsOf('users.lookupByEmail')).toHaveLength(PEOPLE);
    expect(await withClient(scenario.db.url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM slack_people WHERE matched_by = 'EMAIL'`)).rows[0].n)).toBe(PEOPLE);

    expect(await expireSendLeases(scenario.db.url)).toBe(PEOPLE);
    const b = scenario.start();
    await b.ready;
    await until(async () => (await slackRows(scenario)).every((r) => r.status === 'SENT'), 150_000, 'every DM recorded as sent');
    // Anything still in flight would show up now.
    await new Promise((r) => setTimeout(r, 1500));

    const rows = await slackRows(scenario);
    const perDelivery = postsPerDelivery(scenario.slack);
    expect(new Set(perDelivery.keys())).toEqual(new Set(rows.map((r) => r.id)));
    expect([...perDelivery.values()]).toEqual(Array(PEOPLE).fill(1));
    expect(scenario.slack.posted).toHaveLength(PEOPLE);
    // Found, not repeated: the new worker looked for each message by its delivery id in the DM's history.
    expect(scenario.slack.callsOf('conversations.history').filter((c) => c.args['include_all_metadata'] === 'true').length).toBeGreaterThanOrEqual(PEOPLE);
    // The ledger agrees with Slack: each delivery SENT, recorded with the message Slack holds, in its person's DM.
    for (const row of rows) {
      expect(row.status).toBe('SENT');
      const message = scenario.slack.posted.find((m) => m.metadata?.event_payload['delivery_id'] === row.id);
      expect(message && { ts: message.ts, channel: message.channel }).toEqual({ ts: row.ts, channel: row.channel });
      const slackUser = [...scenario.slack.users.values()].find((u) => u.profile.email === row.recipient);
      expect(scenario.slack.dmOf(String(slackUser?.id))?.messages.map((m) => m.ts)).toEqual([row.ts]);
    }
    expect(await withClient(scenario.db.url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM nudges WHERE NOT superseded`)).rows[0].n)).toBe(PEOPLE);
    // Matched once: the restarted worker found the remembered people and did not look them up again.
    expect(scenario.slack.callsOf('users.lookupByEmail')).toHaveLength(PEOPLE);
  }, 240_000);
});
