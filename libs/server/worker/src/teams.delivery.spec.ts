import { redactWebhookUrl } from '@hindsight/domain';
import { createTestDatabase } from '@hindsight/server-db/testing';
import { adaptiveCardProblems } from './testing/adaptive-card.check';
import { deliveryCounts, expireSendLeases, until, WebhookReceiver, withClient } from './testing/chase-harness';
import { WorkerFleet } from './testing/worker-fleet';
import { daysAgo, Rows } from '@hindsight/server-testing';

/*
 * A TEAMS channel is a channel like the others: its own delivery rows, the ledger, retries.
 * Real worker processes (apps/worker/src/main.ts), real Postgres and Redis, and a loopback
 * receiver standing in for a Teams Workflows webhook (it answers 202, or 429 with Retry-After
 * when throttling). "One message" means one request answered 2xx per delivery id: a request
 * whose sender died before the answer is resent with the same id.
 */

const WORKFLOW = '/workflows/6d1f0c/triggers/manual/paths/invoke?api-version=2016-06-01&sig=faultsSignature0123';

type Scenario = WorkerFleet & { receiver: WebhookReceiver };

/** One team with a TEAMS channel (its URL sealed as the API stores it, shown redacted) and `items` overdue action items. */
async function setUp(receiver: WebhookReceiver, items: number): Promise<Scenario> {
  const db = await createTestDatabase();
  await withClient(db.url, async (c) => {
    const fixtures = new Rows(c);
    const team = await fixtures.team({ name: 'Payments' });
    // Plain here, as rows from before the key: the worker seals it when it starts.
    await c.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('TEAMS', '#payments', $1, $2, $3)`, [redactWebhookUrl(receiver.url(WORKFLOW)), receiver.url(WORKFLOW), team]);
    const inc = await fixtures.incident({ title: 'Card declines', started_at: daysAgo(30) });
    await c.query(
      `INSERT INTO action_items (incident_id, title, kind, priority, owner_team_id, due_at)
       SELECT $1, 'Add a canary for card declines ' || k, 'PREVENT', 'P2', $2, now() - interval '2 days' FROM generate_series(1, $3::int) AS k`,
      [inc.id, team, items],
    );
  });
  return Object.assign(new WorkerFleet(db, 'teams-f', {}, [receiver]), { receiver });
}

const rows = (s: Scenario) =>
  withClient(s.db.url, async (c) => (await c.query<{ id: string; status: string; attempts: number; last_error: string | null }>(`SELECT id, status, attempts, last_error FROM deliveries WHERE kind = 'TEAMS' ORDER BY id`)).rows);

describe('TEAMS deliveries through worker processes', () => {
  let s: Scenario | undefined;

  afterEach(async () => {
    await s?.close();
    s = undefined;
  }, 60_000);

  it('a workflow answering 429 with Retry-After twice, then 202: the worker waits as told, and the card is posted once', async () => {
    s = await setUp(await new WebhookReceiver({ okStatus: 202, throttleFirst: 2, retryAfterSeconds: 4 }).start(), 1);
    const w = s.start();
    await w.ready;
    const scenario = s;
    await until(async () => scenario.receiver.succeeded().size === 1 && (await deliveryCounts(scenario.db.url))['SENT'] === 1, 60_000, 'the card accepted and recorded');
    await new Promise((r) => setTimeout(r, 1500));

    const attempts = scenario.receiver.received;
    expect(attempts.map((r) => r.status)).toEqual([429, 429, 202]);
    expect(new Set(attempts.map((r) => r.id)).size).toBe(1);
    // Retry-After: 4 both times, where the usual backoff would have waited 1 s and then 2 s.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(4000);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(4000);
    expect(attempts.every((r) => r.url === WORKFLOW)).toBe(true);
    expect(adaptiveCardProblems(JSON.parse(attempts[2].body).attachments[0].content)).toEqual([]);
    expect(await rows(scenario)).toEqual([{ id: attempts[0].id, status: 'SENT', attempts: 3, last_error: null }]);
  }, 120_000);

  it('a worker killed with SIGKILL while its cards are in flight, then restarted: each card is posted once', async () => {
    s = await setUp(await new WebhookReceiver({ okStatus: 202 }).start(), 3);
    const scenario = s;
    scenario.receiver.hold();
    const a = scenario.start();
    await a.ready;
    await until(() => scenario.receiver.waiting() >= 3, 60_000, 'three cards in flight');
    a.child.kill('SIGKILL');
    await a.exited;
    // The dead worker's requests are answered to no one: not received.
    scenario.receiver.release();
    expect(scenario.receiver.succeeded().size).toBe(0);
    expect(await expireSendLeases(scenario.db.url)).toBe(3);

    const b = scenario.start();
    await b.ready;
    await until(async () => scenario.receiver.succeeded().size === 3 && (await deliveryCounts(scenario.db.url))['SENT'] === 3, 150_000, 'every card accepted and recorded');
    // Anything still in flight would show up now.
    await new Promise((r) => setTimeout(r, 1500));
    const succeeded = scenario.receiver.succeeded();
    expect([...succeeded.values()]).toEqual([1, 1, 1]);
    expect(new Set((await rows(scenario)).map((r) => r.id))).toEqual(new Set(succeeded.keys()));
    expect(await deliveryCounts(scenario.db.url)).toEqual({ SENT: 3 });
    const cards = scenario.receiver.received.filter((r) => r.acked && r.status === 202).map((r) => JSON.parse(r.body).attachments[0].content);
    for (const card of cards) expect(adaptiveCardProblems(card)).toEqual([]);
    // One ledger row per item: the restart did not chase anything twice.
    expect(await withClient(scenario.db.url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM nudges WHERE NOT superseded`)).rows[0].n)).toBe(3);
  }, 240_000);
});
