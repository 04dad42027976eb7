import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { digestPeriod } from '@hindsight/domain';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import { ChaseJob } from '@hindsight/server-queue';
import { ChaseProcessor } from './chase.processor';
import { decodeWords, startSmtp } from './testing/smtp-receiver';
import { smtpEnv, startWorkerContext } from './testing/worker-context';
import { deliveryCounts, LOOPBACK_ALLOWLIST, REDIS_URL, until, verifySignature, WEBHOOK_SECRET, WebhookReceiver, withClient } from './testing/chase-harness';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { Rows } from '@hindsight/server-testing';

/*
 * Stale runbooks ride the same ladder, ledger and outbox as action items (issue 13): two
 * workers sweeping at once send each reached step once, to the owning team's manager and
 * channels, with subject.kind RUNBOOK; a review moves the due date, which restarts the ladder.
 */
describe('stale runbooks are chased exactly once per step (two workers, real Postgres, Redis, HTTP and SMTP)', () => {
  let db: TestDatabase;
  const apps: INestApplicationContext[] = [];
  let workers: ChaseProcessor[] = [];
  let receiver: WebhookReceiver;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const prefix = `hs-runbooks-${randomBytes(4).toString('hex')}`;
  const publicUrl = 'https://hindsight.example.test';
  /** Review due offsets in days → the step reached now. */
  const CASES: [number, string | null][] = [[-30, 'LEADERSHIP'], [-10, 'ESCALATED'], [-2, 'OVERDUE'], [-0.1, 'DUE'], [2, 'DUE_SOON'], [10, null]];
  const runbooks: { id: string; expected: string | null }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new WebhookReceiver().start();
    smtp = await startSmtp();
    await withClient(db.url, async (c) => {
      const rows = new Rows(c);
      const team = await rows.team({ name: 'Payments', manager_id: await rows.user({ email: 'mara@runbooks.test', name: 'Mara Manager', role: 'MANAGER' }) });
      await c.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('WEBHOOK', 'payments-hook', $1, $2, $3)`, [receiver.url(), WEBHOOK_SECRET, team]);
      const service = await rows.service({ team_id: team, name: 'checkout-api' });
      for (const [days, expected] of CASES) {
        const { rows } = await c.query(
          `INSERT INTO runbooks (service_id, title, review_interval_days, review_due_at, updated_at) VALUES ($1, $2, 30, now() + $3 * interval '1 day', now() + ($3 - 30) * interval '1 day') RETURNING id`,
          [service, `Card declines (${days} d)`, days],
        );
        runbooks.push({ id: rows[0].id, expected });
      }
    });
    // Workers start after the fixtures: each runs a sweep at start-up, which must not see the
    // runbooks without the channel (it reads the channels once per sweep).
    for (let i = 0; i < 2; i++) {
      apps.push(await startWorkerContext(db.url, { QUEUE_PREFIX: prefix, PUBLIC_URL: publicUrl, ...smtpEnv(smtp), OUTBOUND_ALLOWLIST: LOOPBACK_ALLOWLIST }));
    }
    workers = apps.map((a) => a.get(ChaseProcessor));
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await receiver?.close();
    await smtp?.close();
    await dropQueueKeys(REDIS_URL, prefix);
    await db?.drop();
  }, 60_000);

  it('sends each reached step once to the team channel and the manager, in the contract shape', async () => {
    const reached = runbooks.filter((r) => r.expected !== null);
    // One webhook per reached runbook; the manager's email for every step but LEADERSHIP (no personal email to leadership).
    const webhooks = reached.length;
    const emails = reached.filter((r) => r.expected !== 'LEADERSHIP').length;

    await Promise.all([...workers, ...workers].map((w) => w.sweep()));
    await until(() => receiver.succeeded().size >= webhooks && smtp.mails.length >= emails, 60_000, 'all runbook deliveries received');
    await until(async () => (await deliveryCounts(db.url))['SENT'] === webhooks + emails, 10_000, 'all deliveries marked sent');

    const seen = new Set<string>();
    for (const r of receiver.received) {
      expect(verifySignature(r.body, WEBHOOK_SECRET, r.signature)).toBe(true);
      const body = JSON.parse(r.body);
      const rb = runbooks.find((x) => x.id === body.subject.id)!;
      expect(body).toEqual({
        type: 'nudge', step: rb.expected, deliveryId: r.id, sentAt: expect.any(String), recipient: 'payments-hook',
        subject: { kind: 'RUNBOOK', id: rb.id, title: expect.stringContaining('Card declines'), dueAt: expect.any(String), incidentReference: null, service: 'checkout-api', team: 'Payments' },
        actions: [{ kind: 'OPEN', url: `${publicUrl}/runbooks/${rb.id}?delivery=${r.id}` }],
      });
      seen.add(`${body.subject.id}/${body.step}`);
    }
    expect(receiver.received).toHaveLength(webhooks);
    expect(seen.size).toBe(webhooks);
    expect(smtp.mails.every((m) => m.to.join() === 'mara@runbooks.test')).toBe(true);
    expect(decodeWords(smtp.mails.map((m) => m.data).join('\n'))).toContain('Runbook review "Card declines');

    // The ledger: every reached step recorded once, only the most advanced one sent.
    const ladder = ['DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED', 'LEADERSHIP'];
    const rows = (await withClient(db.url, (c) => c.query(`SELECT subject_id, step, superseded FROM nudges WHERE subject_kind = 'RUNBOOK'`))).rows as { subject_id: string; step: string; superseded: boolean }[];
    for (const rb of runbooks) {
      const mine = rows.filter((r) => r.subject_id === rb.id);
      const expectedSteps = rb.expected === null ? [] : ladder.slice(0, ladder.indexOf(rb.expected) + 1);
      expect(mine.map((r) => r.step).sort()).toEqual([...expectedSteps].sort());
      expect(mine.filter((r) => !r.superseded).map((r) => r.step)).toEqual(rb.expected ? [rb.expected] : []);
    }

    // Sweeping again, on both workers, sends nothing new.
    await Promise.all(workers.map((w) => w.sweep()));
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(webhooks);
  }, 90_000);

  it('a review moves the due date, which restarts the ladder from the new date', async () => {
    const overdue = runbooks.find((r) => r.expected === 'OVERDUE')!;
    // Reviewed (as markRunbookReviewed writes it), then found stale again 40 days later: a new due date.
    await withClient(db.url, (c) => c.query(`UPDATE runbooks SET last_reviewed_at = now(), review_due_at = now() - interval '1.5 days' WHERE id = $1`, [overdue.id]));
    const before = receiver.received.length;
    await workers[0].sweep();
    await until(() => receiver.received.length > before, 30_000, 'the restarted ladder sends');
    const last = JSON.parse(receiver.received[receiver.received.length - 1].body);
    expect(last.subject.id).toBe(overdue.id);
    expect(last.step).toBe('OVERDUE');
  }, 60_000);

  it('the weekly digests mention the runbooks due for review: listed for the team, counted by team for leadership', async () => {
    const leadershipHook = await new WebhookReceiver().start();
    await withClient(db.url, (c) => c.query(`INSERT INTO notification_channels (kind, name, target, secret) VALUES ('WEBHOOK', 'leadership-hook', $1, $2)`, [leadershipHook.url(), WEBHOOK_SECRET]));
    await workers[0].process({ name: ChaseJob.Digest, data: { requestedBy: 'scheduler' } } as never);
    await leadershipHook.close();
    const rows = (await withClient(db.url, (c) => c.query(`SELECT kind, content FROM digests ORDER BY kind`))).rows as { kind: string; content: Record<string, unknown> }[];
    const team = rows.find((r) => r.kind === 'TEAM')!.content as { staleRunbooks: { count: number; listed: { title: string; service: string; url: string }[] } };
    const leadership = rows.find((r) => r.kind === 'LEADERSHIP')!.content as { staleRunbooks: { team: string; count: number }[] };
    const stale = runbooks.filter((r) => r.expected !== null && r.expected !== 'DUE_SOON').length;
    expect(team.staleRunbooks.count).toBe(stale);
    expect(team.staleRunbooks.listed[0]).toMatchObject({ title: 'Card declines (-30 d)', service: 'checkout-api', url: `${publicUrl}/runbooks/${runbooks[0].id}` });
    expect(leadership.staleRunbooks).toEqual([{ team: 'Payments', count: stale }]);
    // The leadership digest links to the review of the last complete month (issue 15).
    const review = (rows.find((r) => r.kind === 'LEADERSHIP')!.content as { review: { month: string; url: string } }).review;
    const weekEnd = digestPeriod(new Date()).to;
    const to = new Date(Date.UTC(weekEnd.getUTCFullYear(), weekEnd.getUTCMonth(), 1));
    const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 1, 1));
    expect(review.url).toBe(`${publicUrl}/reliability/review?from=${from.toISOString().slice(0, 10)}&to=${to.toISOString().slice(0, 10)}`);
  }, 60_000);
});
