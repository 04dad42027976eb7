import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { nudgeActionFromParam } from '@hindsight/domain';
import { ApiHarness, LOOPBACK_ALLOWLIST, startApi } from '@hindsight/server-app/testing';
import { SecretBox } from '@hindsight/server-common';
import { ChaseJob } from '@hindsight/server-queue';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { ChaseProcessor } from '@hindsight/server-worker';
import { adaptiveCardProblems, openUrlActions, DAY, paymentsTeam, PaymentsTeam, REDIS_URL, startWorkerContext, until, WebhookReceiver, withClient } from '@hindsight/server-worker/testing';
import { daysAgo, daysFromNow, Rows } from '@hindsight/server-testing';

/*
 * Issue 24, Microsoft Teams, end to end without Teams: the real API (channels, answers), a worker
 * context, and a loopback receiver standing in for a Teams Workflows webhook. Every card is valid
 * Adaptive Card 1.5 (the documented schema and Microsoft's own object model), and every
 * Action.OpenUrl on it opens the one-click page of that delivery: the page's query finds it, and
 * the answer it offers, made with the link's delivery id, applies and is traced to it.
 */

const PUBLIC_URL = 'https://hindsight.example.test';
const SIG = 'wOrKfLoWsIgNaTuRe0123456789';
const WORKFLOW = `/workflows/6d1f0c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;

interface Card {
  type: string;
  version: string;
  body: { inlines: { text: string }[] }[];
  actions: { type: string; title: string; url: string }[];
}
interface WorkflowBody {
  type: string;
  attachments: { contentType: string; content: Card }[];
}

describe('Teams cards (real API, a worker, a loopback Workflows webhook)', () => {
  let api: ApiHarness;
  let worker: INestApplicationContext;
  let teams: WebhookReceiver;
  const prefix = `hs-teams-${randomBytes(4).toString('hex')}`;
  let tokens: PaymentsTeam['tokens'];
  let users: PaymentsTeam['users'];
  let teamId: string;
  let channelId: string;
  let incidentId: string;

  const gql = async <T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> => {
    const res = await api.gql<T>(query, variables, token);
    if (res.errors || !res.data) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  /** The cards the workflow accepted, with their delivery ids. */
  const cards = (): { id: string; body: WorkflowBody; card: Card; text: string }[] =>
    teams.received
      .filter((r) => r.acked && r.status < 300)
      .map((r) => {
        const body = JSON.parse(r.body) as WorkflowBody;
        const card = body.attachments[0].content;
        return { id: r.id, body, card, text: card.body.map((b) => b.inlines.map((i) => i.text).join('')).join('\n') };
      });
  const item = (title: string, assignee: string | null, dueInDays: number): Promise<string> =>
    withClient(api.db.url, async (c) => (await new Rows(c).actionItem({ incident_id: incidentId, owner_team_id: teamId, title, priority: 'P1', assignee_id: assignee, due_at: daysFromNow(dueInDays) })).id);

  beforeAll(async () => {
    teams = await new WebhookReceiver({ okStatus: 202 }).start();
    const env = { QUEUE_PREFIX: prefix, PUBLIC_URL, CHASE_INTERVAL_SECONDS: '3600', OUTBOUND_ALLOWLIST: LOOPBACK_ALLOWLIST };
    api = await startApi(env);
    ({ teamId, users, tokens } = await paymentsTeam(api, 'teams.test'));
    incidentId = await withClient(api.db.url, async (c) => (await new Rows(c).incident({ title: 'Card declines', started_at: daysAgo(30) })).id);
    worker = await startWorkerContext(api.db.url, env);
  }, 90_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await teams?.close();
    await dropQueueKeys(REDIS_URL, prefix);
  }, 60_000);

  it('an ADMIN adds a TEAMS channel: the workflow URL is sealed, shown and audited redacted, and "Send a test" posts a valid card to it', async () => {
    const create = `mutation($i: NotificationChannelInput!) { createNotificationChannel(input: $i) { id kind target } }`;
    const refused = await api.gql(create, { i: { kind: 'TEAMS', name: '#payments', target: teams.url(WORKFLOW), teamId, secret: 'a-long-random-webhook-secret' } }, tokens['admin']);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.secret' }, message: expect.stringContaining('leave the secret empty for TEAMS') });

    const created = await gql<{ createNotificationChannel: { id: string; kind: string; target: string } }>(create, { i: { kind: 'TEAMS', name: '#payments', target: teams.url(WORKFLOW), teamId } }, tokens['admin']);
    channelId = created.createNotificationChannel.id;
    expect(created.createNotificationChannel).toMatchObject({ kind: 'TEAMS', target: `http://127.0.0.1:${teams.port}/workflows/6d1f0c/triggers/manual/paths/****?****` });
    const row = await withClient(api.db.url, async (c) => (await c.query(`SELECT c.secret, c::text AS whole FROM notification_channels c WHERE id = $1`, [channelId])).rows[0]);
    expect(SecretBox.isSealed(row.secret)).toBe(true);
    expect(row.whole).not.toContain(SIG);
    const audit = await withClient(api.db.url, async (c) => JSON.stringify((await c.query(`SELECT after FROM audit_log WHERE entity_id = $1`, [channelId])).rows));
    expect(audit).toContain('****');
    expect(audit).not.toContain(SIG);

    expect(await gql(`mutation($id: ID!) { testNotificationChannel(id: $id) }`, { id: channelId }, tokens['admin'])).toEqual({ testNotificationChannel: true });
    const [test] = cards();
    // Posted to the whole URL, signature included: it was kept.
    expect(teams.received[0].url).toBe(WORKFLOW);
    expect(test.body).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] });
    expect(adaptiveCardProblems(test.card)).toEqual([]);
    expect(test.text).toContain('test message from Hindsight to the channel "#payments"');
    expect(openUrlActions(test.card)).toEqual([{ title: 'Open in Hindsight', url: PUBLIC_URL }]);
  });

  it('nudges, an extension request and the digest arrive as valid Adaptive Card 1.5 cards; every button opens the one-click page of its delivery', async () => {
    const unassigned = await item('Add a canary for card declines', null, -2);
    const assigned = await item('Alert on the decline rate', users['member'], -2);
    const postmortem = await withClient(api.db.url, async (c) => {
      await c.query(`UPDATE incidents SET commander_id = $2 WHERE id = $1`, [incidentId, users['member']]);
      return (await new Rows(c).postmortem({ incident_id: incidentId, due_at: daysAgo(2) })).id;
    });
    await worker.get(ChaseProcessor).sweep();
    await until(() => cards().filter((c) => c.text.includes('Overdue')).length >= 3, 30_000, 'three nudge cards');
    const { requestDueDateExtension: request } = await gql<{ requestDueDateExtension: { id: string } }>(
      `mutation($id: ID!, $until: DateTime!, $reason: String!) { requestDueDateExtension(actionItemId: $id, until: $until, reason: $reason) { id } }`,
      { id: assigned, until: new Date(Date.now() + 30 * DAY).toISOString(), reason: 'Waiting on the card network' },
      tokens['member'],
    );
    await until(() => cards().some((c) => c.card.body[0].inlines[0].text.includes('Extension requested')), 30_000, 'the extension request card');
    await worker.get(ChaseProcessor).process({ name: ChaseJob.Digest, data: { requestedBy: 'scheduler' } } as never);
    await until(() => cards().some((c) => c.text.includes('Weekly digest for the Payments team')), 30_000, 'the digest card');

    const all = cards();
    for (const c of all) expect({ id: c.id, problems: adaptiveCardProblems(c.card) }).toEqual({ id: c.id, problems: [] });
    const cardOf = (needle: string) => all.find((c) => c.text.includes(needle) && !c.card.body[0].inlines[0].text.includes('Extension')) ?? null;
    const claimable = cardOf('Add a canary for card declines');
    const mine = cardOf('Alert on the decline rate');
    const pm = cardOf('The postmortem of INC-');
    const extension = all.find((c) => c.card.body[0].inlines[0].text.includes('Extension requested'));
    const digest = all.find((c) => c.text.includes('Weekly digest for the Payments team'));
    expect(openUrlActions(claimable?.card as Card).map((a) => a.title)).toEqual(['Open in Hindsight', 'Done', 'Need more time', 'Snooze', "I'll take it"]);
    expect(openUrlActions(mine?.card as Card).map((a) => a.title)).toEqual(['Open in Hindsight', 'Done', 'Need more time', 'Snooze']);

    // Opening a link changes nothing (chat unfurlers fetch links); the web app answers every one.
    const snapshot = () =>
      withClient(api.db.url, async (c) => (await c.query(`SELECT (SELECT md5(string_agg(row_to_json(a)::text, ',' ORDER BY a.id)) FROM action_items a) AS items, (SELECT count(*) FROM audit_log) AS audit`)).rows[0]);
    const before = await snapshot();
    for (const c of all) {
      for (const a of openUrlActions(c.card)) {
        expect(a.url === PUBLIC_URL || a.url.startsWith(`${PUBLIC_URL}/`)).toBe(true);
        expect((await fetch(a.url.replace(PUBLIC_URL, api.url), { redirect: 'manual' })).status).toBeLessThan(500);
      }
    }
    expect(await snapshot()).toEqual(before);

    // Each nudge button names its card's delivery; the item page's query finds that delivery, sent to TEAMS.
    const nudgesOf = async (id: string) =>
      (await gql<{ actionItem: { nudges: { id: string; channel: string; status: string }[] } }>(`query($id: ID!) { actionItem(id: $id) { nudges { id channel status } } }`, { id }, tokens['member'])).actionItem.nudges;
    for (const [c, id] of [[claimable, unassigned], [mine, assigned]] as const) {
      for (const a of openUrlActions(c?.card as Card)) {
        const url = new URL(a.url);
        expect(url.pathname).toBe(`/action-items/${id}`);
        expect(url.searchParams.get('delivery')).toBe(c?.id);
        expect(nudgeActionFromParam(url.searchParams.get('action'))).toBe({ 'Open in Hindsight': 'OPEN', Done: 'COMPLETE', 'Need more time': 'EXTEND', Snooze: 'SNOOZE', "I'll take it": 'CLAIM' }[a.title]);
      }
      expect(await nudgesOf(id)).toContainEqual({ id: c?.id, channel: 'TEAMS', status: 'SENT' });
    }

    // The answers, made as the page makes them from the button's link, apply and are traced to the card's delivery.
    const via = (c: typeof claimable, title: string) => new URL(openUrlActions(c?.card as Card).find((a) => a.title === title)?.url ?? '').searchParams.get('delivery');
    const claimed = await gql<{ claimActionItem: { assignee: { id: string } } }>(
      `mutation($id: ID!, $via: ID) { claimActionItem(id: $id, viaDelivery: $via) { assignee { id } } }`, { id: unassigned, via: via(claimable, "I'll take it") }, tokens['member'],
    );
    expect(claimed.claimActionItem.assignee.id).toBe(users['member']);
    const done = await gql<{ completeActionItem: { status: string } }>(
      `mutation($id: ID!, $via: ID) { completeActionItem(id: $id, note: "Canary added", verification: "Game day on staging", viaDelivery: $via) { status } }`, { id: unassigned, via: via(claimable, 'Done') }, tokens['member'],
    );
    expect(done.completeActionItem.status).toBe('DONE');
    const traced = await withClient(api.db.url, async (c) => (await c.query(`SELECT action, after->>'viaDelivery' AS via FROM audit_log WHERE entity_id = $1 AND after ? 'viaDelivery' ORDER BY id`, [unassigned])).rows);
    expect(traced).toEqual([{ action: 'action-item.claim', via: claimable?.id }, { action: 'action-item.complete', via: claimable?.id }]);

    // The postmortem button opens the editor by the incident's reference; its page's query finds the delivery.
    const [pmButton] = openUrlActions(pm?.card as Card);
    const pmUrl = new URL(pmButton.url);
    const reference = /^\/incidents\/(INC-\d+)\/postmortem$/.exec(pmUrl.pathname)?.[1];
    expect(pmUrl.searchParams.get('delivery')).toBe(pm?.id);
    const pmPage = await gql<{ incident: { postmortem: { id: string; nudges: { id: string; channel: string }[] } } }>(
      `query($ref: String!) { incident(reference: $ref) { postmortem { id nudges { id channel } } } }`, { ref: reference }, tokens['member'],
    );
    expect(pmPage.incident.postmortem.id).toBe(postmortem);
    expect(pmPage.incident.postmortem.nudges).toContainEqual({ id: pm?.id, channel: 'TEAMS' });

    // The extension request card opens the item, where the manager decides the request.
    expect(extension?.text).toContain('Waiting on the card network');
    const [decide] = openUrlActions(extension?.card as Card);
    expect(decide.url).toBe(`${PUBLIC_URL}/action-items/${assigned}?delivery=${extension?.id}`);
    const requests = await gql<{ actionItem: { extensionRequests: { id: string; status: string }[] } }>(`query($id: ID!) { actionItem(id: $id) { extensionRequests { id status } } }`, { id: assigned }, tokens['manager']);
    expect(requests.actionItem.extensionRequests).toContainEqual({ id: request.id, status: 'PENDING' });

    // The digest's button opens the team's list.
    const slug = await withClient(api.db.url, async (c) => (await c.query(`SELECT slug FROM teams WHERE id = $1`, [teamId])).rows[0].slug);
    expect(openUrlActions(digest?.card as Card)).toEqual([{ title: 'Open in Hindsight', url: `${PUBLIC_URL}/action-items?team=${slug}` }]);

    // One card per delivery: the ledger and the outbox agree with what the workflow accepted.
    const sent = await withClient(api.db.url, async (c) => (await c.query(`SELECT id FROM deliveries WHERE kind = 'TEAMS' AND status = 'SENT' ORDER BY id`)).rows.map((r: { id: string }) => r.id));
    // (The test message of the first case went outside the outbox.)
    expect(all.filter((c) => !c.text.includes('test message from Hindsight')).map((c) => c.id).sort()).toEqual(sent);
  }, 120_000);
});
