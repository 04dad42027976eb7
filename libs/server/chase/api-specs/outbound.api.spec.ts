import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';

const CREATE_CHANNEL = `mutation($input: NotificationChannelInput!) { createNotificationChannel(input: $input) { id target } }`;
const TEST_CHANNEL = `mutation($id: ID!) { testNotificationChannel(id: $id) }`;
const CREATE_TRACKER = `mutation($input: TrackerConnectionInput!) { createTrackerConnection(input: $input) { id baseUrl } }`;
const SECRET = 'outbound-guard-secret-0123456789';

/*
 * The outbound guard as an admin meets it: a private target typed into Settings is refused
 * on the field; a name that resolves inside the network fails when it is sent to, saying why.
 * The API here runs without OUTBOUND_ALLOWLIST, as in production.
 */
describe('outbound guard in the API (real API, Postgres and a loopback receiver)', () => {
  let api: ApiHarness;
  let admin: string;
  let receiver: Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    api = await startApi({ OUTBOUND_ALLOWLIST: '' });
    admin = await api.login();
    receiver = createServer((req, res) => {
      hits++;
      req.resume();
      res.end('{}');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  }, 60_000);

  afterAll(async () => {
    await new Promise((r) => receiver?.close(r));
    await api?.close();
  });

  it.each([
    ['WEBHOOK', 'http://127.0.0.1:{port}/hook', 'is a loopback address'],
    ['WEBHOOK', 'http://10.0.0.1/hook', 'is a private address'],
    ['WEBHOOK', 'http://169.254.169.254/latest/meta-data/', 'is a link-local address (the range of the cloud metadata service)'],
    ['WEBHOOK', 'http://[::1]:{port}/hook', 'is a loopback address'],
    ['WEBHOOK', 'http://[::ffff:127.0.0.1]/hook', 'is a loopback address'],
    ['SLACK', 'http://localhost:{port}/services/T/B/X', 'localhost is a loopback address'],
    ['SLACK', 'https://192.168.1.20/services/T/B/X', 'is a private address'],
    ['TEAMS', 'https://10.20.30.40/workflows/abc/triggers/manual/paths/invoke?sig=x', 'is a private address'],
  ])('saving a %s channel to %s is BAD_USER_INPUT on input.target', async (kind, target, why) => {
    const res = await api.gql(CREATE_CHANNEL, { input: { kind, name: `inside ${kind}`, target: target.replace('{port}', String(port)), secret: kind === 'WEBHOOK' ? SECRET : null } }, admin);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.target' });
    expect(res.errors?.[0]?.message).toContain(why);
    expect(res.errors?.[0]?.message).toContain('OUTBOUND_ALLOWLIST');
  });

  it('a public target is saved as before', async () => {
    const res = await api.gql<{ createNotificationChannel: { target: string } }>(CREATE_CHANNEL, { input: { kind: 'WEBHOOK', name: 'public', target: 'https://hooks.example.com/x', secret: SECRET } }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data?.createNotificationChannel.target).toBe('https://hooks.example.com/x');
  });

  it('a tracker connection to a private base URL is BAD_USER_INPUT on input.baseUrl', async () => {
    const res = await api.gql(CREATE_TRACKER, { input: { kind: 'GITHUB', name: 'inside', baseUrl: `http://127.0.0.1:${port}`, project: 'acme/api', token: 'ghp_token' } }, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.baseUrl' });
    expect(res.errors?.[0]?.message).toContain('127.0.0.1 is a loopback address');
  });

  it('a channel whose name resolves to loopback (saved before the guard) fails its test with the reason, and nothing is sent', async () => {
    const c = new Client({ connectionString: api.db.url });
    await c.connect();
    let id: string;
    try {
      id = (await c.query(`INSERT INTO notification_channels (kind, name, target, secret) VALUES ('WEBHOOK', 'old hook', $1, $2) RETURNING id`, [`http://localhost:${port}/hook`, SECRET])).rows[0].id;
    } finally {
      await c.end();
    }
    const res = await api.gql(TEST_CHANNEL, { id }, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(res.errors?.[0]?.message).toMatch(/was not delivered: POST localhost:\d+ failed: localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/);
    expect(hits).toBe(0);
  });
});
