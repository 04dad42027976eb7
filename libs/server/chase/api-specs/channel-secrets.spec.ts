import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { ActionItemsModule, ActionItemsService } from '@hindsight/server-action-items';
import { DEV_ENCRYPTION_KEY_FILE, SECRET_BOX, SecretBox } from '@hindsight/server-common';
import { DATA_SOURCE, MIGRATIONS } from '@hindsight/server-db';
import { ChannelSecrets, ChannelsService, ChaseModule, sealChannelSecrets, DeliveryService } from '@hindsight/server-chase';
import type { SessionActor } from '@hindsight/server-graphql';
import { IncidentsService } from '@hindsight/server-incidents';
import { ModuleHarness, testModule } from '@hindsight/server-testing';

const key = () => randomBytes(32).toString('base64');

/*
 * Channel secrets at rest (the chase room with Postgres and a loopback receiver, no API): a
 * row written before encryption keeps working, is sealed at the next start, and signs exactly
 * as before; the rotate-key tool moves sealed secrets to a new key. Channels are made, tested
 * and deleted through the room's service, as the Settings mutations do.
 */
describe('notification channel secrets at rest', () => {
  let room: ModuleHarness;
  let admin: SessionActor;
  let ds: DataSource;
  let receiver: Server;
  let base: string;
  const hits: { url: string | undefined; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    room = await testModule([ChaseModule, ActionItemsModule]);
    admin = await room.actor('ADMIN');
    ds = room.get<DataSource>(DATA_SOURCE);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hits.push({ url: req.url, headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await new Promise((r) => receiver?.close(r));
    await room?.close();
  });

  const stored = async (id: string): Promise<string> => (await ds.query(`SELECT secret FROM notification_channels WHERE id = $1`, [id]))[0].secret;
  const channels = () => room.get(ChannelsService);
  /** testNotificationChannel: true when the receiver accepted the test message. */
  const test = (id: string): Promise<boolean> => channels().test(admin, id);
  const signedWith = (secret: string) => {
    const hit = hits.at(-1);
    return hit?.headers['x-hindsight-signature'] === `sha256=${createHmac('sha256', secret).update(hit?.body ?? '').digest('hex')}`;
  };

  it('a plain secret from before encryption still signs, is sealed at start, and signs the same afterwards', async () => {
    const secret = 'plain-secret-from-before-0123';
    const [{ id }] = await ds.query(`INSERT INTO notification_channels (kind, name, target, secret) VALUES ('WEBHOOK', 'legacy', $1, $2) RETURNING id`, [`${base}/legacy`, secret]);
    expect(await test(id)).toBe(true);
    expect(signedWith(secret)).toBe(true);

    // What every API and worker does when it starts.
    await room.get(ChannelSecrets).onApplicationBootstrap();
    const sealed = await stored(id);
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(room.get<SecretBox>(SECRET_BOX).decrypt(sealed)).toBe(secret);

    expect(await test(id)).toBe(true);
    expect(signedWith(secret)).toBe(true);
    // Idempotent: nothing left to seal.
    expect((await sealChannelSecrets(ds, room.get<SecretBox>(SECRET_BOX))).changed).toBe(0);
  });

  it('rotation re-encrypts sealed secrets with the new key and leaves those on an unknown key alone', async () => {
    const oldKey = key();
    const newKey = key();
    const old = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: oldKey });
    const [{ id }] = await ds.query(`INSERT INTO notification_channels (kind, name, target, secret) VALUES ('WEBHOOK', 'rotated', $1, $2) RETURNING id`, [`${base}/r`, old.encrypt('rotate-me-secret-0123456')]);
    const [{ id: stranger }] = await ds.query(`INSERT INTO notification_channels (kind, name, target, secret) VALUES ('WEBHOOK', 'unknown key', $1, $2) RETURNING id`, [
      `${base}/u`,
      SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: key() }).encrypt('never-readable-here-0123'),
    ]);
    const strangerBefore = await stored(stranger);

    const rotated = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: newKey, HINDSIGHT_ENCRYPTION_KEY_PREVIOUS: oldKey });
    await sealChannelSecrets(ds, rotated);
    const after = await stored(id);
    expect(SecretBox.keyIdOf(after)).toBe(rotated.currentKeyId);
    expect(SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: newKey }).decrypt(after)).toBe('rotate-me-secret-0123456');
    expect(await stored(stranger)).toBe(strangerBefore);
  });

  it('takes a 1024-character WEBHOOK secret (sealed, it is longer than the old 1024-character column limit)', async () => {
    const { id } = await channels().create(admin, { kind: 'WEBHOOK', name: 'long secret', target: `${base}/long`, secret: 's'.repeat(1024) });
    expect(await test(id)).toBe(true);
    expect(signedWith('s'.repeat(1024))).toBe(true);
  });

  describe('Slack incoming-webhook URLs are credentials', () => {
    const SECRET_PATH = 'xoxWebhookSecretPart0123456789';
    const slackUrl = () => `${base}/services/T0ACME/B0CHAN/${SECRET_PATH}`;
    const shown = () => `${base}/services/T0ACME/B0CHAN/****`;
    const box = () => room.get<SecretBox>(SECRET_BOX);
    const row = async (id: string): Promise<{ target: string; secret: string; whole: string }> =>
      (await ds.query(`SELECT target, secret, c::text AS whole FROM notification_channels c WHERE id = $1`, [id]))[0];
    const audit = async (id: string): Promise<string> => JSON.stringify(await ds.query(`SELECT action, before, after FROM audit_log WHERE entity_type = 'NotificationChannel' AND entity_id = $1`, [id]));

    /** One reminder through the channel, sent as the worker sends it (DeliveryService.send). */
    async function deliverNudge(channelId: string): Promise<void> {
      const team = await room.rows.team({ name: `Slack team ${randomBytes(3).toString('hex')}` });
      const incident = (await room.get(IncidentsService).create(admin, { title: 'Queue backlog', severity: 'SEV2', startedAt: new Date('2026-01-01T00:00:00Z') })).id;
      const item = (await room.get(ActionItemsService).create(admin, incident, { title: 'Alert on backlog', kind: 'DETECT', priority: 'P2', ownerTeamId: team, dueAt: new Date('2026-01-10T00:00:00Z') })).id;
      const [{ id }] = await ds.query(
        `WITH n AS (INSERT INTO nudges (subject_kind, subject_id, due_at, step, team_id) SELECT 'ACTION_ITEM', a.id, a.due_at, 'OVERDUE', a.owner_team_id FROM action_items a WHERE a.id = $1 RETURNING id)
         INSERT INTO deliveries (nudge_id, kind, channel_id, recipient) SELECT n.id, 'SLACK', $2, '#payments' FROM n RETURNING id`,
        [item, channelId],
      );
      expect(await room.get(DeliveryService).send(id)).toMatchObject({ outcome: 'sent' });
    }

    it('is sealed in its row, shown redacted in channels and the audit log, and still delivered to the full URL', async () => {
      const created = await channels().create(admin, { kind: 'SLACK', name: '#payments', target: slackUrl() });
      expect(created.target).toBe(shown());
      const id = created.id;

      const r = await row(id);
      expect(r.target).toBe(shown());
      expect(SecretBox.isSealed(r.secret)).toBe(true);
      expect(r.whole).not.toContain(SECRET_PATH);
      expect(box().decrypt(r.secret)).toBe(slackUrl());

      const listed = await channels().list();
      expect(listed.find((c) => c.id === id)?.target).toBe(shown());
      expect(JSON.stringify(listed)).not.toContain(SECRET_PATH);
      const log: { action: string; after: Record<string, unknown> }[] = await ds.query(`SELECT action, after FROM audit_log WHERE entity_type = 'NotificationChannel' AND entity_id = $1 ORDER BY at, id`, [id]);
      expect(log[0]).toMatchObject({ action: 'notification-channel.create', after: { target: shown(), secret: '(set)' } });
      expect(JSON.stringify(log)).not.toContain(SECRET_PATH);

      const before = hits.length;
      expect(await test(id)).toBe(true);
      await deliverNudge(id);
      expect(hits.slice(before).map((h) => [h.url, h.headers['x-hindsight-signature']])).toEqual([
        [`/services/T0ACME/B0CHAN/${SECRET_PATH}`, undefined],
        [`/services/T0ACME/B0CHAN/${SECRET_PATH}`, undefined],
      ]);
      expect(JSON.parse(hits.at(-1)!.body).text).toContain('Alert on backlog');

      expect(await channels().delete(admin, id)).toBe(true);
      expect(await audit(id)).toContain('notification-channel.delete');
      expect(await audit(id)).not.toContain(SECRET_PATH);
    });

    it('is re-encrypted by key rotation (npm run trackers:rotate-key) and still delivered', async () => {
      const { id } = await channels().create(admin, { kind: 'SLACK', name: '#rotate', target: slackUrl() });
      const oldKey = key();
      const newKey = key();
      await ds.query(`UPDATE notification_channels SET secret = $2 WHERE id = $1`, [id, SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: oldKey }).encrypt(slackUrl())]);
      const rotated = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: newKey, HINDSIGHT_ENCRYPTION_KEY_PREVIOUS: oldKey });
      await sealChannelSecrets(ds, rotated);
      const after = (await row(id)).secret;
      expect(SecretBox.keyIdOf(after)).toBe(rotated.currentKeyId);
      expect(rotated.decrypt(after)).toBe(slackUrl());
      // Rotated once more, onto the key this API runs with: it delivers.
      const processKey = process.env['HINDSIGHT_ENCRYPTION_KEY'] || readFileSync(DEV_ENCRYPTION_KEY_FILE, 'utf8');
      await sealChannelSecrets(ds, SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: processKey, HINDSIGHT_ENCRYPTION_KEY_PREVIOUS: newKey }));
      expect(SecretBox.keyIdOf((await row(id)).secret)).toBe(box().currentKeyId);
      const before = hits.length;
      expect(await test(id)).toBe(true);
      expect(hits.slice(before).map((h) => h.url)).toEqual([`/services/T0ACME/B0CHAN/${SECRET_PATH}`]);
    });

    it('the migration seals the URLs of existing Slack channels and redacts them in their audit entries', async () => {
      const Migration = MIGRATIONS.find((m) => m.name === 'SlackWebhookSecrets1796101000000');
      if (!Migration) throw new Error('the Slack webhook migration is not registered');
      const migration = new Migration();
      const runner = { query: (sql: string, params?: unknown[]) => ds.query(sql, params) } as never;
      await migration.down(runner);
      // Rows as they were before it: the URL in the target, in the channel and in its audit entries.
      const [{ id }] = await ds.query(`INSERT INTO notification_channels (kind, name, target) VALUES ('SLACK', '#legacy', $1) RETURNING id`, [slackUrl()]);
      await ds.query(
        `INSERT INTO audit_log (action, entity_type, entity_id, before, after) VALUES
           ('notification-channel.create', 'NotificationChannel', $1, NULL, $2), ('notification-channel.delete', 'NotificationChannel', $1, $2, '{"skippedDeliveries": 0}')`,
        [id, JSON.stringify({ id, kind: 'SLACK', name: '#legacy', target: slackUrl(), secret: null })],
      );
      await migration.up(runner);

      const r = await row(id);
      expect(r.target).toBe(shown());
      expect(SecretBox.isSealed(r.secret)).toBe(true);
      expect(box().decrypt(r.secret)).toBe(slackUrl());
      expect(r.whole).not.toContain(SECRET_PATH);
      expect(await audit(id)).not.toContain(SECRET_PATH);
      expect(await audit(id)).toContain(shown());
      const before = hits.length;
      expect(await test(id)).toBe(true);
      expect(hits.slice(before).map((h) => h.url)).toEqual([`/services/T0ACME/B0CHAN/${SECRET_PATH}`]);
      // Every Slack channel now has its URL stored.
      await expect(ds.query(`INSERT INTO notification_channels (kind, name, target) VALUES ('SLACK', '#bare', 'https://hooks.slack.com/services/T/B/****')`)).rejects.toThrow(/notification_channels_slack_url_check/);
    });
  });
});
