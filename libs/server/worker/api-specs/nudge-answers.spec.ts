import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiHarness, LOOPBACK_ALLOWLIST, startApi } from '@hindsight/server-app/testing';
import { ChaseProcessor, OutboxRelay } from '@hindsight/server-worker';
import { DAY, paymentsTeam, PaymentsTeam, REDIS_URL, smtpEnv, startWorkerContext, until, verifySignature, WEBHOOK_SECRET, WebhookReceiver, withClient, headerOf, Mail, partOf, SmtpReceiver, startSmtp } from '@hindsight/server-worker/testing';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { daysAgo, daysFromNow, Rows } from '@hindsight/server-testing';

/*
 * Issue 10 end to end without a browser: the real API (requests and decisions), two real
 * worker contexts on one queue prefix, a loopback webhook receiver, a Slack receiver and an
 * SMTP server. Every nudge carries its answers; opening them changes nothing; an extension
 * request reaches the team exactly once; an approved one stops the ladder of the old date.
 */

interface Body {
  type: string;
  deliveryId: string;
  subject: { id: string; title: string; dueAt: string };
  actions?: { kind: string; url: string }[];
  request?: { id: string; until: string; reason: string; requestedBy: string };
}

const PUBLIC_URL = 'https://hindsight.example.test';
const NASTY_TITLE = '<script>alert("x")</script> <b>Card</b> vault & <img src=x onerror=alert(1)>';

describe('answering nudges (real API, two workers, webhook, Slack and SMTP receivers)', () => {
  let api: ApiHarness;
  let smtp: SmtpReceiver;
  let hook: WebhookReceiver;
  let slack: WebhookReceiver;
  const workers: INestApplicationContext[] = [];
  const prefix = `hs-answers-${randomBytes(4).toString('hex')}`;
  let tokens: PaymentsTeam['tokens'];
  let users: PaymentsTeam['users'];
  let teamId: string;
  let incidentId: string;

  const gql = async <T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> => {
    const res = await api.gql<T>(query, variables, token);
    if (res.errors || !res.data) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  const bodies = (r: WebhookReceiver): Body[] => r.received.filter((x) => x.acked && x.status < 300).map((x) => JSON.parse(x.body) as Body);
  const sweepAll = () => Promise.all(workers.map((w) => w.get(ChaseProcessor).sweep()));
  const item = (title: string, assignee: string | null, dueInDays: number): Promise<string> =>
    withClient(api.db.url, async (c) => (await new Rows(c).actionItem({ incident_id: incidentId, owner_team_id: teamId, title, priority: 'P1', assignee_id: assignee, due_at: daysFromNow(dueInDays) })).id);

  beforeAll(async () => {
    smtp = await startSmtp();
    hook = await new WebhookReceiver().start();
    slack = await new WebhookReceiver().start();
    const env = { QUEUE_PREFIX: prefix, PUBLIC_URL, ...smtpEnv(smtp), CHASE_INTERVAL_SECONDS: '3600', OUTBOUND_ALLOWLIST: LOOPBACK_ALLOWLIST };
    api = await startApi(env);
    ({ teamId, users, tokens } = await paymentsTeam(api, 'answers.test'));
    const channel = `mutation($i: NotificationChannelInput!) { createNotificationChannel(input: $i) { id } }`;
    await gql(channel, { i: { kind: 'WEBHOOK', name: 'payments-hook', target: hook.url(), teamId, secret: WEBHOOK_SECRET } }, tokens['admin']);
    await gql(channel, { i: { kind: 'SLACK', name: '#payments', target: slack.url('/slack'), teamId } }, tokens['admin']);
    incidentId = await withClient(api.db.url, async (c) => (await new Rows(c).incident({ title: 'Card declines', started_at: daysAgo(30) })).id);
    for (let i = 0; i < 2; i++) {
      workers.push(await startWorkerContext(api.db.url, env));
    }
  }, 90_000);

  afterAll(async () => {
    for (const w of workers) await w.close();
    await api?.close();
    await hook?.close();
    await slack?.close();
    await smtp?.close();
    await dropQueueKeys(REDIS_URL, prefix);
  }, 60_000);

  it('every nudge carries absolute answer links under PUBLIC_URL (claim while unassigned), as Slack buttons and in an escaped HTML email; opening them changes nothing', async () => {
    const unassigned = await item(NASTY_TITLE, null, -2);
    const assigned = await item('Rotate the card keys', users['member'], -2);
    await sweepAll();
    await until(() => bodies(hook).filter((b) => [unassigned, assigned].includes(b.subject.id)).length === 2 && bodies(slack).length >= 2, 20_000, 'both nudges on the webhook and Slack');
    await until(() => smtp.mails.filter((m) => m.data.includes('Rotate the card keys') || m.to.includes('manager@answers.test')).length >= 2, 20_000, 'both emails');

    const byItem = new Map(bodies(hook).map((b) => [b.subject.id, b]));
    const kinds = (id: string) => byItem.get(id)?.actions?.map((a) => a.kind);
    expect(kinds(unassigned)).toEqual(['OPEN', 'COMPLETE', 'EXTEND', 'SNOOZE', 'CLAIM']);
    expect(kinds(assigned)).toEqual(['OPEN', 'COMPLETE', 'EXTEND', 'SNOOZE']);
    const urls: string[] = [];
    for (const body of byItem.values()) {
      for (const a of body.actions ?? []) {
        const u = new URL(a.url);
        expect(a.url.startsWith(`${PUBLIC_URL}/action-items/${body.subject.id}`)).toBe(true);
        expect(u.searchParams.get('delivery')).toBe(body.deliveryId);
        urls.push(a.url);
      }
    }

    // Mail scanners and chat unfurlers fetch links: a GET of each one changes nothing.
    const snapshot = () =>
      withClient(api.db.url, async (c) => (await c.query(`SELECT (SELECT md5(string_agg(row_to_json(a)::text, ',' ORDER BY a.id)) FROM action_items a) AS items,
        (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM due_date_extension_requests) AS requests`)).rows[0]);
    const before = await snapshot();
    for (const url of urls) {
      const res = await fetch(url.replace(PUBLIC_URL, api.url), { redirect: 'manual' });
      expect(res.status).toBeLessThan(500);
    }
    expect(await snapshot()).toEqual(before);

    const post = bodies(slack).map((b) => b as unknown as { text: string; blocks: { type: string; elements?: { text: { text: string }; url: string }[] }[] }).find((p) => p.text.includes('Card'));
    const buttons = post?.blocks.find((b) => b.type === 'actions')?.elements ?? [];
    expect(buttons.map((b) => b.text.text)).toEqual(['Open in Hindsight', 'Done', 'Need more time', 'Snooze', "I'll take it"]);
    // The Slack post is its own delivery: the same links, with its delivery id.
    for (const b of buttons) expect(b.url).toMatch(new RegExp(`^${PUBLIC_URL}/action-items/${unassigned}\\?(action=\\w+&)?delivery=[0-9a-f-]{36}$`));

    // Unassigned: the manager is emailed. The HTML part escapes the title; every answer is a link.
    const mail = smtp.mails.find((m) => m.to.includes('manager@answers.test')) as Mail;
    expect(headerOf(mail, 'Content-Type')).toMatch(/^multipart\/alternative/);
    const html = partOf(mail, 'text/html') ?? '';
    const text = partOf(mail, 'text/plain') ?? '';
    expect(html).not.toMatch(/<script|<img|<b>Card/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;Card&lt;/b&gt; vault &amp; &lt;img src=x onerror=alert(1)&gt;');
    for (const label of ['Open in Hindsight', 'Done', 'Need more time', 'Snooze', 'I&#39;ll take it']) expect(html).toContain(`>${label}</a>`);
    expect(html).toMatch(new RegExp(`href="${PUBLIC_URL}/action-items/${unassigned}\\?action=extend&amp;delivery=[0-9a-f-]{36}"`));
    expect(text).toContain(NASTY_TITLE);
    expect(text).toMatch(new RegExp(`Need more time: ${PUBLIC_URL}/action-items/${unassigned}\\?action=extend&delivery=`));
  }, 60_000);

  it('an extension request reaches the team exactly once even with two workers; the decision reaches the requester; after approval no sweep nudges about the old date', async () => {
    const id = await item('Migrate the card vault', users['member'], -2);
    await sweepAll();
    await until(() => bodies(hook).some((b) => b.subject.id === id), 20_000, 'the OVERDUE nudge');
    const nudgesBefore = bodies(hook).filter((b) => b.subject.id === id).length;
    const requestedUntil = new Date(Date.now() + 30 * DAY).toISOString();

    const { requestDueDateExtension: request } = await gql<{ requestDueDateExtension: { id: string } }>(
      `mutation($id: ID!, $until: DateTime!, $reason: String!) { requestDueDateExtension(actionItemId: $id, until: $until, reason: $reason) { id } }`,
      { id, until: requestedUntil, reason: 'Waiting on the vendor' },
      tokens['member'],
    );
    await until(() => bodies(hook).some((b) => b.type === 'extension_request') && bodies(slack).some((b) => JSON.stringify(b).includes('Extension requested')), 20_000, 'the request on the webhook and Slack');
    await until(() => smtp.mails.some((m) => m.to.includes('manager@answers.test') && (headerOf(m, 'Subject') ?? '').includes('Extension requested')), 20_000, "the manager's email");
    // Both workers run their recovery pass and sweep: still one message per recipient.
    await Promise.all(workers.map((w) => w.get(OutboxRelay).recover(true)));
    await sweepAll();
    await new Promise((r) => setTimeout(r, 1500));

    const received = hook.received.filter((r) => JSON.parse(r.body).type === 'extension_request');
    expect(received).toHaveLength(1);
    expect(verifySignature(received[0].body, WEBHOOK_SECRET, received[0].signature)).toBe(true);
    const body = JSON.parse(received[0].body) as Body;
    expect(body).toMatchObject({
      type: 'extension_request', deliveryId: received[0].id,
      subject: { kind: 'ACTION_ITEM', id, title: 'Migrate the card vault', incidentReference: expect.stringMatching(/^INC-\d+$/), team: 'Payments' },
      request: { id: request.id, until: requestedUntil, reason: 'Waiting on the vendor', requestedBy: 'Mo Member' },
    });
    expect(body.actions?.[0].url).toBe(`${PUBLIC_URL}/action-items/${id}?delivery=${received[0].id}`);
    expect(slack.received.filter((r) => r.body.includes('Extension requested'))).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.to.includes('manager@answers.test') && (headerOf(m, 'Subject') ?? '').includes('Extension requested'))).toHaveLength(1);

    await gql(`mutation($id: ID!) { decideDueDateExtension(id: $id, approve: true, note: "Agreed") { id } }`, { id: request.id }, tokens['manager']);
    await until(() => smtp.mails.some((m) => m.to.includes('member@answers.test') && (headerOf(m, 'Subject') ?? '').includes('Extension approved')), 20_000, "the requester's email");

    // The ladder restarts from the new date (30 days away): nothing is due about the old one.
    await sweepAll();
    await new Promise((r) => setTimeout(r, 1500));
    expect(bodies(hook).filter((b) => b.type === 'nudge' && b.subject.id === id)).toHaveLength(nudgesBefore);
    const ledger = await withClient(api.db.url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM nudges WHERE subject_id = $1 AND due_at = $2`, [id, requestedUntil])).rows[0].n);
    expect(ledger).toBe(0);
    const decisions = smtp.mails.filter((m) => m.to.includes('member@answers.test') && (headerOf(m, 'Subject') ?? '').includes('Extension approved'));
    expect(decisions).toHaveLength(1);
  }, 90_000);
});
