import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { scaled } from '@hindsight/server-db/testing';
import { ChaseJob, QueueName } from '@hindsight/server-queue';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { daysAgo, Rows } from '@hindsight/server-testing';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const CREATE = `mutation($input: NotificationChannelInput!) { createNotificationChannel(input: $input) { id kind name target team { id name } } }`;
const LIST = `{ notificationChannels { id kind name target team { name } } }`;

describe('chaser API: channels, runChaseNow, nudges', () => {
  let api: ApiHarness;
  let admin: string;
  let teamId: string;
  const prefix = `hs-chase-api-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: prefix, CHASE_INTERVAL_SECONDS: '600' });
    admin = await api.login();
    const team = await api.gql<{ createTeam: { id: string } }>(`mutation { createTeam(input: { name: "Payments" }) { id } }`, {}, admin);
    teamId = team.data?.createTeam.id ?? '';
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await dropQueueKeys(REDIS_URL, prefix);
  });

  it('an ADMIN creates team and leadership channels; the secret is stored, audited as set, and never returned', async () => {
    const secret = 'a-long-random-webhook-secret';
    const hook = await api.gql<{ createNotificationChannel: { id: string; team: { id: string } | null } }>(
      CREATE,
      { input: { kind: 'WEBHOOK', name: 'payments-hook', target: 'https://hooks.example.com/payments', teamId, secret } },
      admin,
    );
    expect(hook.errors).toBeUndefined();
    expect(hook.data?.createNotificationChannel).toMatchObject({ kind: 'WEBHOOK', name: 'payments-hook', team: { id: teamId, name: 'Payments' } });
    const slack = await api.gql(CREATE, { input: { kind: 'SLACK', name: '#leadership', target: 'https://hooks.slack.com/services/T/B/X' } }, admin);
    expect(slack.data).toMatchObject({ createNotificationChannel: { kind: 'SLACK', team: null } });
    const email = await api.gql(CREATE, { input: { kind: 'EMAIL', name: 'Payments list', target: ' payments@example.com ', teamId } }, admin);
    expect(email.data).toMatchObject({ createNotificationChannel: { target: 'payments@example.com' } });

    const list = await api.gql<{ notificationChannels: { name: string; team: { name: string } | null }[] }>(LIST, {}, admin);
    expect(list.data?.notificationChannels.map((c) => [c.name, c.team?.name ?? null])).toEqual([['#leadership', null], ['Payments list', 'Payments'], ['payments-hook', 'Payments']]);
    // No field of the schema exposes it.
    const leak = await api.gql(`{ notificationChannels { secret } }`, {}, admin);
    expect(leak.errors?.[0]?.message).toContain('Cannot query field "secret"');

    const c = new Client({ connectionString: api.db.url });
    await c.connect();
    try {
      const row = await c.query(`SELECT secret FROM notification_channels WHERE id = $1`, [hook.data?.createNotificationChannel.id]);
      // Encrypted at rest with HINDSIGHT_ENCRYPTION_KEY: the raw column holds no plain text.
      expect(row.rows[0].secret).toMatch(/^v1\./);
      expect(row.rows[0].secret).not.toContain(secret);
      const audit = await c.query(`SELECT after FROM audit_log WHERE entity_type = 'NotificationChannel' AND entity_id = $1`, [hook.data?.createNotificationChannel.id]);
      expect(audit.rows[0].after.secret).toBe('(set)');
      expect(JSON.stringify(audit.rows)).not.toContain(secret);
    } finally {
      await c.end();
    }
  });

  it.each([
    [{ kind: 'WEBHOOK', name: 'x', target: 'https://hooks.example.com/x' }, 'input.secret', 'is required for WEBHOOK'],
    [{ kind: 'WEBHOOK', name: 'x', target: 'https://hooks.example.com/x', secret: 'short' }, 'input.secret', 'at least 16 characters'],
    [{ kind: 'WEBHOOK', name: 'x', target: 'ftp://hooks.example.com/x', secret: 'a-long-random-webhook-secret' }, 'input.target', 'http:// or https://'],
    [{ kind: 'SLACK', name: 'x', target: 'not a url' }, 'input.target', 'http:// or https://'],
    [{ kind: 'SLACK', name: 'x', target: 'https://hooks.slack.com/x', secret: 'a-long-random-webhook-secret' }, 'input.secret', 'only WEBHOOK channels are signed'],
    [{ kind: 'EMAIL', name: 'x', target: 'https://example.com' }, 'input.target', 'email address'],
    [{ kind: 'EMAIL', name: ' ', target: 'a@example.com' }, 'input.name', ''],
    [{ kind: 'EMAIL', name: 'x', target: 'a@example.com', teamId: '00000000-0000-4000-8000-000000000000' }, 'input.teamId', 'no team with id'],
    [{ kind: 'EMAIL', name: 'x', target: 'a@example.com', teamId: 'nope' }, 'input.teamId', 'no team with id'],
  ])('refuses %j with BAD_USER_INPUT on the field', async (input, field, reason) => {
    const res = await api.gql(CREATE, { input }, admin);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0]?.message).toContain(reason);
  });

  it('only an ADMIN manages channels and starts a sweep', async () => {
    await api.gql(`mutation { createUser(input: { email: "mgr@example.com", name: "Mo", role: MANAGER, password: "manager-password" }) { id } }`, {}, admin);
    const manager = await api.login('mgr@example.com', 'manager-password');
    for (const q of [LIST, `mutation { runChaseNow }`]) {
      expect((await api.gql(q, {}, manager)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await api.gql(CREATE, { input: { kind: 'EMAIL', name: 'x', target: 'a@example.com' } }, manager)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const channel = (await api.gql<{ createNotificationChannel: { id: string } }>(CREATE, { input: { kind: 'EMAIL', name: 'kept', target: 'kept@example.com' } }, admin)).data!.createNotificationChannel.id;
    for (const token of [manager, null]) {
      for (const op of ['deleteNotificationChannel', 'testNotificationChannel']) {
        const refused = await api.gql(`mutation($id: ID!) { ${op}(id: $id) }`, { id: channel }, token);
        expect(refused.errors?.[0]?.extensions?.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
      }
    }
    expect((await api.gql<{ notificationChannels: { id: string }[] }>(LIST, {}, admin)).data!.notificationChannels.map((ch) => ch.id)).toContain(channel);
    expect((await api.gql(LIST, {}, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('deleteNotificationChannel: the channel goes, its sent and failed reminders stay in the history, unsent ones are skipped; audited', async () => {
    const hook = (await api.gql<{ createNotificationChannel: { id: string } }>(
      CREATE, { input: { kind: 'WEBHOOK', name: 'doomed-hook', target: 'https://hooks.example.com/doomed', teamId, secret: 'a-long-random-webhook-secret' } }, admin,
    )).data!.createNotificationChannel.id;
    const c = new Client({ connectionString: api.db.url });
    await c.connect();
    try {
      const rows = new Rows(c);
      const inc = await rows.incident({ title: 'Hook outage', severity: 'SEV3', started_at: daysAgo(5) });
      const item = await rows.actionItem({ incident_id: inc.id, owner_team_id: teamId, title: 'Doomed hook item', due_at: daysAgo(1) });
      const n = await c.query(`INSERT INTO nudges (subject_kind, subject_id, due_at, step, team_id) VALUES ('ACTION_ITEM', $1, $2, 'OVERDUE', $3) RETURNING id`, [item.id, item.due_at, teamId]);
      await c.query(`INSERT INTO deliveries (nudge_id, kind, channel_id, recipient, status, sent_at, attempts) VALUES ($1, 'WEBHOOK', $2, 'doomed-hook', 'SENT', now(), 1)`, [n.rows[0].id, hook]);
      await c.query(`INSERT INTO deliveries (nudge_id, kind, channel_id, recipient) VALUES ($1, 'WEBHOOK', $2, 'doomed-hook')`, [n.rows[0].id, hook]);

      const res = await api.gql<{ deleteNotificationChannel: boolean }>(`mutation($id: ID!) { deleteNotificationChannel(id: $id) }`, { id: hook }, admin);
      expect(res).toMatchObject({ data: { deleteNotificationChannel: true } });
      const list = await api.gql<{ notificationChannels: { id: string }[] }>(LIST, {}, admin);
      expect(list.data!.notificationChannels.map((ch) => ch.id)).not.toContain(hook);
      const history = await api.gql<{ actionItem: { nudges: { recipient: string; channel: string; status: string; lastError: string | null }[] } }>(
        `query($id: ID!) { actionItem(id: $id) { nudges { recipient channel status lastError } } }`, { id: item.id }, admin,
      );
      expect(history.errors).toBeUndefined();
      expect(history.data!.actionItem.nudges).toEqual([
        { recipient: 'doomed-hook', channel: 'WEBHOOK', status: 'SENT', lastError: null },
        { recipient: 'doomed-hook', channel: 'WEBHOOK', status: 'SKIPPED', lastError: 'the channel was deleted before the message went out' },
      ]);
      const audit = await c.query(`SELECT action, before, after FROM audit_log WHERE entity_type = 'NotificationChannel' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [hook]);
      expect(audit.rows[0]).toMatchObject({ action: 'notification-channel.delete', before: { name: 'doomed-hook' }, after: { skippedDeliveries: 1 } });
      expect(JSON.stringify(audit.rows[0])).not.toContain('a-long-random-webhook-secret');
    } finally {
      await c.end();
    }
    for (const id of [hook, '00000000-0000-4000-8000-000000000000', 'nope']) {
      expect((await api.gql(`mutation($id: ID!) { deleteNotificationChannel(id: $id) }`, { id }, admin)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('testNotificationChannel sends a signed test message now to a real webhook receiver, or says why it was not delivered; audited', async () => {
    const received: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(req.url === '/broken' ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const TEST = `mutation($id: ID!) { testNotificationChannel(id: $id) }`;
    const channel = async (input: Record<string, unknown>) =>
      (await api.gql<{ createNotificationChannel: { id: string } }>(CREATE, { input }, admin)).data!.createNotificationChannel.id;
    try {
      const secret = 'the-test-webhook-secret-123';
      const ok = await channel({ kind: 'WEBHOOK', name: 'test-hook', target: `${base}/ok`, teamId, secret });
      expect(await api.gql(TEST, { id: ok }, admin)).toMatchObject({ data: { testNotificationChannel: true } });
      expect(received).toHaveLength(1);
      const [hit] = received;
      expect(hit.url).toBe('/ok');
      expect(hit.headers['x-hindsight-signature']).toBe(`sha256=${createHmac('sha256', secret).update(hit.body).digest('hex')}`);
      expect(JSON.parse(hit.body)).toMatchObject({ type: 'test', channel: 'test-hook', deliveryId: hit.headers['x-hindsight-delivery'] });

      const slack = await channel({ kind: 'SLACK', name: '#test', target: `${base}/slack` });
      expect(await api.gql(TEST, { id: slack }, admin)).toMatchObject({ data: { testNotificationChannel: true } });
      expect(received[1].body).toContain('test message from Hindsight');

      const broken = await channel({ kind: 'WEBHOOK', name: 'broken-hook', target: `${base}/broken`, secret });
      const refused = await api.gql(TEST, { id: broken }, admin);
      expect(refused.status).toBeLessThan(500);
      expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' }, message: expect.stringContaining('answered HTTP 500') });
      expect(refused.errors?.[0]?.message).toContain('broken-hook');

      const email = await channel({ kind: 'EMAIL', name: 'No SMTP', target: 'team@example.com' });
      const noSmtp = await api.gql(TEST, { id: email }, admin);
      expect(noSmtp.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
    // Nobody listens there any more: the connection error is the reason.
    const gone = await channel({ kind: 'SLACK', name: '#gone', target: `${base}/gone` });
    expect((await api.gql(TEST, { id: gone }, admin)).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' }, message: expect.stringContaining('failed') });
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) expect((await api.gql(TEST, { id }, admin)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const c = new Client({ connectionString: api.db.url });
    await c.connect();
    try {
      const audit = await c.query(`SELECT after FROM audit_log WHERE action = 'notification-channel.test' ORDER BY audit_log.id`);
      expect(audit.rows.map((r) => r.after.delivered)).toEqual([true, true, false, false, false]);
      expect(audit.rows[2].after.error).toContain('HTTP 500');
    } finally {
      await c.end();
    }
  });

  it('runChaseNow enqueues a sweep on the chase queue', async () => {
    const res = await api.gql<{ runChaseNow: boolean }>(`mutation { runChaseNow }`, {}, admin);
    expect(res).toMatchObject({ data: { runChaseNow: true } });
    const redis = new IORedis(REDIS_URL);
    const queue = new Queue(QueueName.Chase, { connection: redis, prefix });
    try {
      const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
      expect(jobs.map((j) => [j.name, j.data.requestedBy])).toContainEqual([ChaseJob.Sweep, 'runChaseNow']);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });

  it('ActionItem.nudges and Postmortem.nudges list the deliveries, oldest first, with their outcome', async () => {
    const c = new Client({ connectionString: api.db.url });
    await c.connect();
    let itemId: string;
    let incidentId: string;
    try {
      const rows = new Rows(c);
      incidentId = (await rows.incident({ title: 'Card declines', started_at: daysAgo(20), resolved_at: daysAgo(19) })).id;
      const pm = await rows.postmortem({ incident_id: incidentId, due_at: daysAgo(9) });
      const item = await rows.actionItem({ incident_id: incidentId, owner_team_id: teamId, title: 'Retry budget', priority: 'P1', due_at: daysAgo(2) });
      itemId = item.id;
      const n1 = await c.query(`INSERT INTO nudges (subject_kind, subject_id, due_at, step, team_id, created_at) VALUES ('ACTION_ITEM', $1, $2, 'DUE', $3, now() - interval '2 days') RETURNING id`, [itemId, item.due_at, teamId]);
      const n2 = await c.query(`INSERT INTO nudges (subject_kind, subject_id, due_at, step, team_id) VALUES ('ACTION_ITEM', $1, $2, 'OVERDUE', $3) RETURNING id`, [itemId, item.due_at, teamId]);
      await c.query(`INSERT INTO deliveries (nudge_id, kind, recipient, status, sent_at, attempts) VALUES ($1, 'EMAIL', 'dev@example.com', 'SENT', now() - interval '2 days', 1)`, [n1.rows[0].id]);
      await c.query(`INSERT INTO deliveries (nudge_id, kind, recipient, status, attempts, last_error, failed_at) VALUES ($1, 'WEBHOOK', 'payments-hook', 'FAILED', 8, 'POST hooks.example.com answered HTTP 503', now())`, [n2.rows[0].id]);
      const pn = await c.query(`INSERT INTO nudges (subject_kind, subject_id, due_at, step) VALUES ('POSTMORTEM', $1, $2, 'ESCALATED') RETURNING id`, [pm.id, pm.due_at]);
      await c.query(`INSERT INTO deliveries (nudge_id, kind, recipient) VALUES ($1, 'EMAIL', 'cmd@example.com')`, [pn.rows[0].id]);
    } finally {
      await c.end();
    }
    const res = await api.gql<{ actionItem: { nudges: unknown[] }; incident: { postmortem: { nudges: unknown[] } } }>(
      `query($id: ID!, $inc: ID!) {
        actionItem(id: $id) { nudges { id step channel recipient dueAt sentAt status attempts lastError } }
        incident(id: $inc) { postmortem { nudges { step channel recipient status } } }
      }`,
      { id: itemId, inc: incidentId },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.actionItem.nudges).toEqual([
      { id: expect.any(String), step: 'DUE', channel: 'EMAIL', recipient: 'dev@example.com', dueAt: expect.any(String), sentAt: expect.any(String), status: 'SENT', attempts: 1, lastError: null },
      { id: expect.any(String), step: 'OVERDUE', channel: 'WEBHOOK', recipient: 'payments-hook', dueAt: expect.any(String), sentAt: expect.any(String), status: 'FAILED', attempts: 8, lastError: 'POST hooks.example.com answered HTTP 503' },
    ]);
    expect(res.data?.incident.postmortem.nudges).toEqual([{ step: 'ESCALATED', channel: 'EMAIL', recipient: 'cmd@example.com', status: 'PENDING' }]);
  });
});

describe('runChaseNow while Redis is down', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    // A port nothing listens on: the API's producer connection fails fast.
    api = await startApi({ REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: `hs-chase-api-down-${randomBytes(4).toString('hex')}`, CHASE_INTERVAL_SECONDS: '300' });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('answers clearly that the sweep could not start now and will run on schedule', async () => {
    const admin = await api.login();
    const started = Date.now();
    const res = await api.gql(`mutation { runChaseNow }`, {}, admin);
    // At once, not after a queue client's retries (the bound stretches on a busy machine).
    expect(Date.now() - started).toBeLessThan(scaled(5000));
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', scheduleSeconds: 300 });
    expect(res.errors?.[0]?.message).toContain('the workers sweep on their schedule, every 300 seconds');
  });
});
