import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import { DeliveryService } from '@hindsight/server-chase';
import { ChaseJob } from '@hindsight/server-queue';
import { ChaseProcessor } from './chase.processor';
import { WorkerHealthServer } from './worker-health.server';
import { bodyOf, headerOf, Mail, startSmtp } from './testing/smtp-receiver';
import { smtpEnv, startWorkerContext } from './testing/worker-context';
import { deliveryCounts, expectedWebhookDeliveries, LOOPBACK_ALLOWLIST, REDIS_URL, seedChase, until, verifySignature, WEBHOOK_SECRET, WebhookReceiver, withClient } from './testing/chase-harness';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { daysAgo, Rows } from '@hindsight/server-testing';

describe('the chaser, in process (real Postgres, Redis, HTTP and SMTP receivers)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let chase: ChaseProcessor;
  let receiver: WebhookReceiver;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const prefix = `hs-chase-x1-${randomBytes(4).toString('hex')}`;
  const publicUrl = 'https://hindsight.example.test';

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new WebhookReceiver().start();
    smtp = await startSmtp();
    app = await startWorkerContext(db.url, { QUEUE_PREFIX: prefix, PUBLIC_URL: publicUrl, ...smtpEnv(smtp), OUTBOUND_ALLOWLIST: LOOPBACK_ALLOWLIST });
    chase = app.get(ChaseProcessor);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await new Promise<void>((resolve) => smtp?.server.close(() => resolve()));
    await dropQueueKeys(REDIS_URL, prefix);
    await db?.drop();
  }, 60_000);

  it('five concurrent sweeps send every reached step exactly once, supersede the skipped ones, and a sixth round sends nothing', async () => {
    const seed = await seedChase(db.url, receiver.url(), { teams: 2, perCase: 5 });
    const expected = expectedWebhookDeliveries(seed);
    expect(expected).toBe(2 * 5 * 6);

    await Promise.all(Array.from({ length: 5 }, () => chase.sweep()));
    await until(() => receiver.succeeded().size >= expected, 30_000, 'all deliveries received');
    await until(async () => (await deliveryCounts(db.url))['SENT'] === expected, 10_000, 'all deliveries marked sent');

    // None missing, no delivery id twice, each signed, each body the contract shape.
    expect(receiver.received).toHaveLength(expected);
    expect(receiver.succeeded().size).toBe(expected);
    const keys = new Set<string>();
    for (const r of receiver.received) {
      expect(verifySignature(r.body, WEBHOOK_SECRET, r.signature)).toBe(true);
      const body = JSON.parse(r.body);
      expect(body).toEqual({
        type: 'nudge', step: expect.any(String), deliveryId: r.id, sentAt: expect.any(String), recipient: expect.any(String),
        subject: { kind: 'ACTION_ITEM', id: expect.any(String), title: expect.stringContaining('Add a canary'), dueAt: expect.any(String), incidentReference: expect.stringMatching(/^INC-\d+$/), team: expect.stringContaining('Team') },
        actions: expect.arrayContaining([{ kind: 'OPEN', url: `${publicUrl}/action-items/${body.subject.id}?delivery=${r.id}` }]),
      });
      keys.add(`${body.subject.id}/${body.step}/${body.recipient}`);
    }
    expect(keys.size).toBe(expected);

    // The ledger: every reached step recorded once, only the most advanced one sent.
    const ladder = ['DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED', 'LEADERSHIP'];
    const rows = await withClient(db.url, (c) => c.query(`SELECT subject_id, step, superseded FROM nudges ORDER BY subject_id, step`));
    for (const item of seed.items) {
      const mine = rows.rows.filter((r: { subject_id: string }) => r.subject_id === item.id);
      const reached = item.expected === null ? [] : ladder.slice(0, ladder.indexOf(item.expected) + 1);
      expect(mine.map((r: { step: string }) => r.step).sort()).toEqual([...reached].sort());
      expect(mine.filter((r: { superseded: boolean }) => !r.superseded).map((r: { step: string }) => r.step)).toEqual(item.expected ? [item.expected] : []);
    }

    await Promise.all(Array.from({ length: 5 }, () => chase.sweep()));
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(expected);
  }, 90_000);

  it('a receiver answering 500 three times then 200 gets the delivery once, with the same delivery id each time', async () => {
    const flaky = await new WebhookReceiver({ failFirst: 3 }).start();
    try {
      const teamId = await withClient(db.url, async (c) => {
        const { rows } = await c.query(`INSERT INTO teams (name, slug) VALUES ('Flaky team', 'flaky-team') RETURNING id`);
        await c.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('WEBHOOK', 'flaky-hook', $1, $2, $3)`, [flaky.url(), WEBHOOK_SECRET, rows[0].id]);
        const inc = await c.query(`SELECT id FROM incidents LIMIT 1`);
        await c.query(
          `INSERT INTO action_items (incident_id, title, kind, priority, owner_team_id, due_at) VALUES ($1, 'Retry budget for the payment client', 'PREVENT', 'P1', $2, now() - interval '2 days')`,
          [inc.rows[0].id, rows[0].id],
        );
        return rows[0].id as string;
      });
      await chase.sweep();
      await until(() => flaky.succeeded().size === 1, 30_000, 'the delivery succeeds after three failures');
      expect(flaky.received.map((r) => r.status)).toEqual([500, 500, 500, 200]);
      expect(new Set(flaky.received.map((r) => r.id)).size).toBe(1);
      expect(new Set(flaky.received.map((r) => JSON.parse(r.body).deliveryId))).toEqual(new Set([flaky.received[0].id]));
      const row = await until(
        () => withClient(db.url, async (c) => (await c.query(`SELECT d.status, d.attempts, d.last_error FROM deliveries d JOIN notification_channels ch ON ch.id = d.channel_id WHERE ch.team_id = $1 AND d.status = 'SENT'`, [teamId])).rows[0]),
        5_000,
      );
      expect(row).toEqual({ status: 'SENT', attempts: 4, last_error: null });
    } finally {
      await flaky.close();
    }
  }, 60_000);

  it('a receiver refusing the request (HTTP 410) fails the delivery for good, with the reason recorded', async () => {
    const gone = await new WebhookReceiver({ alwaysStatus: 410 }).start();
    try {
      await withClient(db.url, async (c) => {
        const { rows } = await c.query(`INSERT INTO teams (name, slug) VALUES ('Gone team', 'gone-team') RETURNING id`);
        await c.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('WEBHOOK', 'gone-hook', $1, $2, $3)`, [gone.url(), WEBHOOK_SECRET, rows[0].id]);
        const inc = await c.query(`SELECT id FROM incidents LIMIT 1`);
        await c.query(`INSERT INTO action_items (incident_id, title, kind, priority, owner_team_id, due_at) VALUES ($1, 'Rotate the TLS certificate', 'REPAIR', 'P2', $2, now() - interval '2 days')`, [inc.rows[0].id, rows[0].id]);
      });
      await chase.sweep();
      const row = await until(
        () => withClient(db.url, async (c) => (await c.query(`SELECT d.status, d.attempts, d.last_error FROM deliveries d WHERE d.recipient = 'gone-hook' AND d.status = 'FAILED'`)).rows[0]),
        15_000,
        'the delivery is recorded as failed',
      );
      expect(row).toEqual({ status: 'FAILED', attempts: 1, last_error: expect.stringContaining('answered HTTP 410') });
      expect(gone.received).toHaveLength(1);
    } finally {
      await gone.close();
    }
  }, 30_000);

  it('emails the assignee and, at ESCALATED, the team manager over SMTP; posts the Slack message with a link to the item', async () => {
    const slack = await new WebhookReceiver().start();
    try {
      const itemId = await withClient(db.url, async (c) => {
        const rows = new Rows(c);
        const dev = await rows.user({ email: 'dev@example.test', name: 'Dana Dev', role: 'COMMANDER' });
        const team = await rows.team({ name: 'Search', manager_id: await rows.user({ email: 'lead@example.test', name: 'Lee Lead', role: 'MANAGER' }) });
        // A Slack channel keeps its webhook URL as its secret (plain here, as before the key seals it) and shows it redacted.
        await c.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('SLACK', '#search-alerts', 'http://127.0.0.1/****', $1, $2)`, [slack.url('/slack'), team]);
        const inc = await c.query(`SELECT id FROM incidents LIMIT 1`);
        return (await rows.actionItem({ incident_id: inc.rows[0].id, owner_team_id: team, assignee_id: dev, title: 'Alert on index lag', kind: 'DETECT', priority: 'P1', due_at: daysAgo(8) })).id;
      });
      await chase.sweep();
      await until(() => smtp.mails.filter((m) => m.data.includes('Alert on index lag')).length >= 2 && slack.succeeded().size === 1, 20_000, 'two emails and one Slack post');
      const mails = smtp.mails.filter((m) => m.data.includes('Alert on index lag'));
      expect(mails.map((m) => m.to).sort()).toEqual([['dev@example.test'], ['lead@example.test']]);
      for (const m of mails) {
        expect(headerOf(m, 'Subject')).toMatch(/^\[Hindsight\] Overdue 8 days, escalated to the team manager: Action item "Alert on index lag" \(INC-\d+, Search\)$/);
        expect(headerOf(m, 'From')).toContain('chaser@hindsight.test');
        expect(bodyOf(m)).toContain(`Open it in Hindsight: ${publicUrl}/action-items/${itemId}`);
      }
      expect(bodyOf(mails.find((m) => m.to[0] === 'dev@example.test') as Mail)).toContain('Hi Dana Dev,');
      expect(bodyOf(mails.find((m) => m.to[0] === 'lead@example.test') as Mail)).toContain('Hi Lee Lead,');
      const post = JSON.parse(slack.received[0].body);
      expect(post.text).toContain('Alert on index lag');
      const buttons = post.blocks.find((b: { type: string }) => b.type === 'actions').elements as { text: { text: string }; url: string }[];
      expect(buttons[0]).toMatchObject({ type: 'button', text: { type: 'plain_text', text: 'Open in Hindsight' }, url: `${publicUrl}/action-items/${itemId}?delivery=${slack.received[0].id}` });
      expect(buttons.map((b) => b.text.text)).toEqual(['Open in Hindsight', 'Done', 'Need more time', 'Snooze']);
      expect(slack.received[0].signature).toBeUndefined();
    } finally {
      await slack.close();
    }
  }, 40_000);

  it('chases an unpublished postmortem: the commander, then at ESCALATED the manager of the commander\'s team', async () => {
    const hook = await new WebhookReceiver().start();
    try {
      const pmId = await withClient(db.url, async (c) => {
        const rows = new Rows(c);
        const commander = await rows.user({ email: 'cmd@example.test', name: 'Cam Commander', role: 'COMMANDER' });
        const teamId = await rows.team({ name: 'Platform', manager_id: await rows.user({ email: 'boss@example.test', name: 'Bo Manager', role: 'MANAGER' }) });
        await c.query(`INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)`, [teamId, commander]);
        await c.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('WEBHOOK', 'platform-hook', $1, $2, $3)`, [hook.url(), WEBHOOK_SECRET, teamId]);
        const inc = await rows.incident({ title: 'Queue backlog', severity: 'SEV1', started_at: daysAgo(20), resolved_at: daysAgo(19), commander_id: commander });
        return (await rows.postmortem({ incident_id: inc.id, status: 'DRAFT', due_at: daysAgo(8) })).id;
      });
      await chase.sweep();
      await until(() => smtp.mails.filter((m) => m.data.includes('Queue backlog')).length >= 2 && hook.succeeded().size === 1, 20_000, 'postmortem nudges');
      const mails = smtp.mails.filter((m) => m.data.includes('Queue backlog'));
      expect(mails.map((m) => m.to[0]).sort()).toEqual(['boss@example.test', 'cmd@example.test']);
      expect(headerOf(mails[0], 'Subject')).toMatch(/escalated to the team manager: Postmortem "Queue backlog" \(INC-\d+, Platform\)/);
      const body = JSON.parse(hook.received[0].body);
      expect(body).toMatchObject({ type: 'nudge', step: 'ESCALATED', recipient: 'platform-hook', subject: { kind: 'POSTMORTEM', id: pmId, title: 'Queue backlog', team: 'Platform' } });
      // A postmortem is written in the editor, which the web app opens by the incident's reference.
      expect(body.actions).toEqual([{ kind: 'OPEN', url: `${publicUrl}/incidents/${body.subject.incidentReference}/postmortem?delivery=${hook.received[0].id}` }]);
      const ledger = await withClient(db.url, async (c) => (await c.query(`SELECT step, superseded FROM nudges WHERE subject_id = $1 ORDER BY created_at, step`, [pmId])).rows);
      expect(ledger.filter((r: { superseded: boolean }) => !r.superseded)).toEqual([{ step: 'ESCALATED', superseded: false }]);
      expect(ledger).toHaveLength(4);
    } finally {
      await hook.close();
    }
  }, 40_000);

  it('a delivery whose item was closed after the sweep recorded it is skipped, not sent', async () => {
    const deliveryId = await withClient(db.url, async (c) => {
      const t = await c.query(`INSERT INTO teams (name, slug) VALUES ('Quiet team', 'quiet-team') RETURNING id`);
      const ch = await c.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('WEBHOOK', 'quiet-hook', $1, $2, $3) RETURNING id`, [receiver.url(), WEBHOOK_SECRET, t.rows[0].id]);
      const inc = await c.query(`SELECT id FROM incidents LIMIT 1`);
      const a = await c.query(`INSERT INTO action_items (incident_id, title, kind, priority, owner_team_id, due_at) VALUES ($1, 'Quiet item', 'PROCESS', 'P3', $2, now() - interval '2 days') RETURNING id, due_at`, [inc.rows[0].id, t.rows[0].id]);
      // What a sweep commits (ledger + outbox), before the relay enqueues it…
      const n = await c.query(`INSERT INTO nudges (subject_kind, subject_id, due_at, step, team_id) VALUES ('ACTION_ITEM', $1, $2, 'OVERDUE', $3) RETURNING id`, [a.rows[0].id, a.rows[0].due_at, t.rows[0].id]);
      const d = await c.query(`INSERT INTO deliveries (nudge_id, kind, channel_id, recipient) VALUES ($1, 'WEBHOOK', $2, 'quiet-hook') RETURNING id`, [n.rows[0].id, ch.rows[0].id]);
      // …then the item is closed.
      await c.query(`UPDATE action_items SET status = 'DONE', completed_at = now(), completion_note = 'fixed' WHERE id = $1`, [a.rows[0].id]);
      return d.rows[0].id as string;
    });
    const before = receiver.received.length;
    await expect(app.get(DeliveryService).send(deliveryId)).resolves.toEqual({ outcome: 'skipped', kind: 'WEBHOOK' });
    await expect(app.get(DeliveryService).send(deliveryId)).resolves.toEqual({ outcome: 'already-done', kind: 'WEBHOOK' });
    const row = await withClient(db.url, async (c) => (await c.query(`SELECT status, last_error FROM deliveries WHERE id = $1`, [deliveryId])).rows[0]);
    expect(row).toEqual({ status: 'SKIPPED', last_error: 'the action item was closed (DONE) before the reminder went out' });
    expect(receiver.received.length).toBe(before);
  });

  it('weekly digests: once per team and once for leadership per week, whatever the number of runs', async () => {
    const before = receiver.received.length;
    await Promise.all([chase.process({ name: ChaseJob.Digest, data: { requestedBy: 'scheduler' } } as never), chase.process({ name: ChaseJob.Digest, data: { requestedBy: 'scheduler' } } as never)]);
    const digests = await withClient(db.url, async (c) => (await c.query(`SELECT kind, team_id, content FROM digests`)).rows);
    const teamsWithAudience = await withClient(db.url, async (c) => (await c.query(`SELECT count(DISTINCT t.id)::int AS n FROM teams t LEFT JOIN notification_channels ch ON ch.team_id = t.id WHERE ch.id IS NOT NULL OR t.manager_id IS NOT NULL`)).rows[0].n);
    expect(digests.filter((d: { kind: string }) => d.kind === 'TEAM')).toHaveLength(teamsWithAudience);
    expect(digests.filter((d: { kind: string }) => d.kind === 'LEADERSHIP')).toHaveLength(1);
    const leadership = digests.find((d: { kind: string }) => d.kind === 'LEADERSHIP').content;
    expect(leadership.leadershipItems.length).toBeGreaterThan(0);
    // The seeded teams' digests and the leadership one reach the shared receiver once each.
    await until(() => receiver.received.length >= before + 3, 15_000, 'digest deliveries');
    await new Promise((r) => setTimeout(r, 300));
    const digestBodies = receiver.received.slice(before).map((r) => JSON.parse(r.body));
    expect(digestBodies.every((b) => b.type === 'digest')).toBe(true);
    expect(digestBodies.filter((b) => b.digest.kind === 'LEADERSHIP')).toHaveLength(1);
    expect(new Set(receiver.received.slice(before).map((r) => r.id)).size).toBe(digestBodies.length);
  }, 30_000);

  it('exposes queue depth, deliveries sent/failed and sweep duration on the worker\'s /metrics', async () => {
    const address = app.get(WorkerHealthServer).address();
    const text = await (await fetch(`http://127.0.0.1:${address?.port}/metrics`)).text();
    for (const queue of ['maintenance', 'chase', 'deliveries', 'delivery-batches']) expect(text).toMatch(new RegExp(`hindsight_queue_jobs\\{queue="${queue}",state="waiting"[^}]*\\} \\d+`));
    const counter = (name: string, labels: string): number => Number(new RegExp(`${name}\\{${labels}[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(counter('hindsight_deliveries_sent_total', 'kind="WEBHOOK"')).toBeGreaterThanOrEqual(60);
    expect(counter('hindsight_deliveries_sent_total', 'kind="EMAIL"')).toBeGreaterThanOrEqual(4);
    // The flaky receiver's three 500s (and retries of digests to receivers closed by earlier tests).
    expect(counter('hindsight_deliveries_failed_total', 'kind="WEBHOOK",final="false"')).toBeGreaterThanOrEqual(3);
    expect(counter('hindsight_deliveries_failed_total', 'kind="WEBHOOK",final="true"')).toBe(1);
    expect(Number(/hindsight_chase_sweep_duration_seconds_count\{[^}]*\} (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(10);
  });
});
