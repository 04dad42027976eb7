import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { SECRET_BOX, SecretBox } from '@hindsight/server-common';
import { DATA_SOURCE } from '@hindsight/server-db';
import { ChannelSecrets, sealChannelSecrets } from './channel-secrets.service';

const TEST = `mutation($id: ID!) { testNotificationChannel(id: $id) }`;
const key = () => randomBytes(32).toString('base64');

/*
 * Channel secrets at rest (real API, Postgres, a loopback receiver): a row written before
 * encryption keeps working, is sealed at the next start, and signs exactly as before; the
 * rotate-key tool moves sealed secrets to a new key.
 */
describe('notification channel secrets at rest', () => {
  let api: ApiHarness;
  let admin: string;
  let ds: DataSource;
  let receiver: Server;
  let base: string;
  const hits: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    api = await startApi();
    admin = await api.login();
    ds = api.app.get<DataSource>(DATA_SOURCE);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hits.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await new Promise((r) => receiver?.close(r));
    await api?.close();
  });

  const stored = async (id: string): Promise<string> => (await ds.query(`SELECT secret FROM notification_channels WHERE id = $1`, [id]))[0].secret;
  const signedWith = (secret: string) => {
    const hit = hits.at(-1);
    return hit?.headers['x-hindsight-signature'] === `sha256=${createHmac('sha256', secret).update(hit?.body ?? '').digest('hex')}`;
  };

  it('a plain secret from before encryption still signs, is sealed at start, and signs the same afterwards', async () => {
    const secret = 'plain-secret-from-before-0123';
    const [{ id }] = await ds.query(`INSERT INTO notification_channels (kind, name, target, secret) VALUES ('WEBHOOK', 'legacy', $1, $2) RETURNING id`, [`${base}/legacy`, secret]);
    expect(await api.gql(TEST, { id }, admin)).toMatchObject({ data: { testNotificationChannel: true } });
    expect(signedWith(secret)).toBe(true);

    // What every API and worker does when it starts.
    await api.app.get(ChannelSecrets).onApplicationBootstrap();
    const sealed = await stored(id);
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(api.app.get<SecretBox>(SECRET_BOX).decrypt(sealed)).toBe(secret);

    expect(await api.gql(TEST, { id }, admin)).toMatchObject({ data: { testNotificationChannel: true } });
    expect(signedWith(secret)).toBe(true);
    // Idempotent: nothing left to seal.
    expect((await sealChannelSecrets(ds, api.app.get<SecretBox>(SECRET_BOX))).changed).toBe(0);
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
});
