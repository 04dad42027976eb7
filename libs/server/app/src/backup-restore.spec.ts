import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '@hindsight/server-db';
import { TEST_SERVER_URL, withClient } from '@hindsight/server-db/testing';
import { ApiHarness, startApi } from './testing';

/*
 * The drill of docs/backup.md: pg_dump (custom format) of a live installation, pg_restore into
 * a fresh database, an API started on the restored copy with the same HINDSIGHT_ENCRYPTION_KEY
 * serves the same data and can still use the stored secrets; with another key it cannot.
 */

const KEY = randomBytes(32).toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'hs-backup-'));
const restored = `hindsight_restored_${process.pid}_${randomBytes(3).toString('hex')}`;
let source: ApiHarness;
let copy: ApiHarness | null = null;
let receiver: Server;
const hits: { headers: IncomingHttpHeaders; body: string }[] = [];
const previousKey = process.env['HINDSIGHT_ENCRYPTION_KEY'];

const admin = <T>(fn: (c: Client) => Promise<T>): Promise<T> => withClient(TEST_SERVER_URL, fn);

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  process.env['HINDSIGHT_ENCRYPTION_KEY'] = KEY;
  source = await startApi();
}, 60_000);

afterAll(async () => {
  await copy?.close();
  await source?.close();
  await new Promise((r) => receiver?.close(r));
  rmSync(dir, { recursive: true, force: true });
  if (previousKey === undefined) delete process.env['HINDSIGHT_ENCRYPTION_KEY'];
  else process.env['HINDSIGHT_ENCRYPTION_KEY'] = previousKey;
}, 60_000);

it('restores a pg_dump into a fresh database that an API serves, secrets included, with the same key only', async () => {
  const token = await source.login();
  const gql = async <T>(api: ApiHarness, query: string, variables: Record<string, unknown> = {}, t = token): Promise<T> => {
    const res = await api.gql<T>(query, variables, t);
    if (!res.data || res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  const { createIncident } = await gql<{ createIncident: { id: string } }>(source, `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`,
    { i: { title: 'Payments timed out', severity: 'SEV1', startedAt: '2026-11-02T10:00:00Z' } });
  const secret = 'restore-drill-webhook-secret-0123';
  const { createNotificationChannel } = await gql<{ createNotificationChannel: { id: string } }>(source,
    `mutation($i: NotificationChannelInput!) { createNotificationChannel(input: $i) { id } }`,
    { i: { kind: 'WEBHOOK', name: 'ops-hook', target: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, secret } });

  // The drill: a consistent dump of the live database, restored into a new one.
  const dump = join(dir, 'hindsight.dump');
  execFileSync('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, source.db.url]);
  await admin((c) => c.query(`CREATE DATABASE "${restored}"`));
  execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${withDatabase(TEST_SERVER_URL, restored)}`, dump]);

  // Kept when this API closes: the next one serves it with another key.
  copy = await startApi({}, { db: { name: restored, url: withDatabase(TEST_SERVER_URL, restored), drop: async () => undefined } });
  // Sessions are in the database too: the token signed in on the source works on the copy.
  const read = await gql<{ incident: { title: string; severity: string } }>(copy, `query($id: ID!) { incident(id: $id) { title severity } }`, { id: createIncident.id });
  expect(read.incident).toEqual({ title: 'Payments timed out', severity: 'SEV1' });
  expect(await gql(copy, `mutation($id: ID!) { testNotificationChannel(id: $id) }`, { id: createNotificationChannel.id })).toEqual({ testNotificationChannel: true });
  const hit = hits.at(-1);
  expect(hit?.headers['x-hindsight-signature']).toBe(`sha256=${createHmac('sha256', secret).update(hit?.body ?? '').digest('hex')}`);
  await copy.close();
  copy = null;

  // Without the key the database was written with, the secrets in it are unreadable.
  process.env['HINDSIGHT_ENCRYPTION_KEY'] = randomBytes(32).toString('base64');
  const stranger = await startApi({}, { db: { name: restored, url: withDatabase(TEST_SERVER_URL, restored), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${restored}" WITH (FORCE)`)).then(() => undefined) } });
  copy = stranger;
  const res = await stranger.gql(`mutation($id: ID!) { testNotificationChannel(id: $id) }`, { id: createNotificationChannel.id }, token);
  expect(res.data?.['testNotificationChannel'] ?? false).toBe(false);
  expect(JSON.stringify(res.errors ?? [])).toMatch(/key/i);
}, 120_000);
