import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import { ChaseProcessor } from './chase.processor';
import { startSmtp } from './testing/smtp-receiver';
import { startWorkerContext } from './testing/worker-context';
import { expectedWebhookDeliveries, REDIS_URL, seedChase, until, WebhookReceiver, withClient } from './testing/chase-harness';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { daysAgo, Rows } from '@hindsight/server-testing';

/*
 * A channel saved before the outbound guard (or a name that later resolves inside the
 * network): its deliveries fail at connect time with the reason on the delivery row, once,
 * without being retried, and the receiver inside the network never hears of them.
 */
describe('outbound guard in the worker (real Postgres, Redis and a loopback receiver)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let receiver: WebhookReceiver;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const prefix = `hs-outbound-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new WebhookReceiver().start();
    smtp = await startSmtp();
    // No OUTBOUND_ALLOWLIST: loopback is refused, as in production.
    app = await startWorkerContext(db.url, { QUEUE_PREFIX: prefix, PUBLIC_URL: 'https://hindsight.example.test', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await smtp?.close();
    await dropQueueKeys(REDIS_URL, prefix);
    await db?.drop();
  }, 60_000);

  it('a webhook whose name resolves to loopback fails with the reason, once, and nothing reaches the receiver', async () => {
    const seed = await seedChase(db.url, `http://localhost:${receiver.port}/hook`, { teams: 1, perCase: 1 });
    const expected = expectedWebhookDeliveries(seed);
    await app.get(ChaseProcessor).sweep();
    const webhooks = () =>
      withClient(db.url, (c) => c.query<{ status: string; attempts: number; last_error: string | null }>(`SELECT status, attempts, last_error FROM deliveries WHERE kind = 'WEBHOOK'`)).then((r) => r.rows);
    const done = await until(async () => {
      const rows = await webhooks();
      return rows.length === expected && rows.every((r) => r.status !== 'PENDING') && rows;
    }, 30_000, 'every webhook delivery settled');

    expect(done).toHaveLength(expected);
    for (const row of done) {
      expect(row.status).toBe('FAILED');
      expect(row.attempts).toBe(1);
      expect(row.last_error).toMatch(/^POST localhost:\d+ failed: localhost resolves to (127\.0\.0\.1|::1), which is a loopback address; .*OUTBOUND_ALLOWLIST/);
    }
    // Still FAILED a moment later: a refusal is not retried.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await webhooks()).map((r) => [r.status, r.attempts])).toEqual(done.map(() => ['FAILED', 1]));
    expect(receiver.received).toHaveLength(0);
  });

  it('a webhook at a private address literal is refused at connect, for good, through the same guard (allowed, it is delivered: see chase.exactly-once)', async () => {
    const target = receiver.url('/literal');
    await seedChase(db.url, target, { teams: 1, perCase: 1 });
    await app.get(ChaseProcessor).sweep();
    const literal = () =>
      withClient(db.url, (c) =>
        c.query<{ status: string; attempts: number; last_error: string | null }>(
          `SELECT d.status, d.attempts, d.last_error FROM deliveries d JOIN notification_channels ch ON ch.id = d.channel_id WHERE ch.target = $1`, [target],
        ),
      ).then((r) => r.rows);
    const done = await until(async () => {
      const rows = await literal();
      return rows.length > 0 && rows.every((r) => r.status !== 'PENDING') && rows;
    }, 30_000, 'every delivery to the literal address settled');
    for (const row of done) expect(row).toEqual({ status: 'FAILED', attempts: 1, last_error: expect.stringMatching(/^POST 127\.0\.0\.1:\d+ failed: 127\.0\.0\.1 is a loopback address; .*OUTBOUND_ALLOWLIST/) });
    expect(receiver.received).toHaveLength(0);
  });

  it('an SMTP host on loopback is refused: the email fails with the reason and the mail server is never reached', async () => {
    await withClient(db.url, async (c) => {
      const rows = new Rows(c);
      const dev = await rows.user({ email: 'dev@example.test', name: 'Dana Dev', role: 'COMMANDER' });
      const inc = await c.query(`SELECT id FROM incidents LIMIT 1`);
      await rows.actionItem({ incident_id: inc.rows[0].id, owner_team_id: await rows.team({ name: 'Search' }), assignee_id: dev, title: 'Alert on index lag', kind: 'DETECT', priority: 'P1', due_at: daysAgo(1) });
    });
    await app.get(ChaseProcessor).sweep();
    const row = await until(async () => {
      const { rows } = await withClient(db.url, (c) => c.query(`SELECT status, attempts, last_error FROM deliveries WHERE kind = 'EMAIL' AND recipient = 'dev@example.test'`));
      return rows[0]?.status === 'FAILED' && rows[0];
    }, 30_000, 'the email delivery failed');
    expect(row).toEqual({ status: 'FAILED', attempts: 1, last_error: expect.stringMatching(/^SMTP: 127\.0\.0\.1 is a loopback address; .*OUTBOUND_ALLOWLIST/) });
    expect(smtp.mails).toHaveLength(0);
  });
});
