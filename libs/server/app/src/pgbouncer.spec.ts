import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateDatabase, MIGRATIONS } from '@hindsight/server-db';
import { PgBouncer, scaled, startPgBouncer, TEST_SERVER_URL, until } from '@hindsight/server-db/testing';
import { ActorCache } from '@hindsight/server-identity';
import { expectedWebhookDeliveries, seedChase, startWorkerProcess, WebhookReceiver, WorkerProcess } from '@hindsight/server-worker/testing';
import { ApiHarness, startApi } from './testing';
import { must, Scenario } from '@hindsight/server-testing';

/*
 * Everything through Debian's PgBouncer in transaction pooling (docs/scaling.md), where each
 * transaction may run on another server connection and what a session leaves behind (a
 * LISTEN, a named prepared statement, an advisory lock, a SET) stays on the server connection
 * for whoever gets it next. Three server connections per database, so the API, the worker and
 * the migrations all share them; the last test opens a transaction on each and finds nothing
 * left behind.
 */

const SERVER_CONNECTIONS = 3;
let bouncer: PgBouncer;
let api: ApiHarness;
let admin: string;
let worker: WorkerProcess | null = null;
let receiver: WebhookReceiver;
const fresh = `hindsight_pgb_${process.pid}_${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  bouncer = await startPgBouncer(Number(new URL(TEST_SERVER_URL).port || 5432), { poolSize: SERVER_CONNECTIONS });
  api = await startApi({ DATABASE_POOL_MODE: 'transaction', QUEUE_PREFIX: `hs-pgb-${randomBytes(3).toString('hex')}` }, { databaseEnv: (db) => ({ DATABASE_URL: bouncer.url(db.name) }) });
  admin = await api.login();
  receiver = await new WebhookReceiver().start();
}, 60_000);

afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
  await receiver?.close();
  await api?.close();
  const c = new Client({ connectionString: TEST_SERVER_URL });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${fresh}" WITH (FORCE)`).finally(() => c.end());
  await bouncer?.stop();
}, 60_000);


it('serves sign-in, writes and reads, and drops a deactivated person within a second without listening', async () => {
  expect(api.app.get(ActorCache).isListening).toBe(false);
  const { createIncident } = await must<{ createIncident: { id: string } }>(
    api,
    `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`,
    { i: { title: 'Checkout errors through the pooler', severity: 'SEV2', startedAt: new Date().toISOString() } },
    admin,
  );
  const read = await must<{ incident: { title: string } }>(api, `query($id: ID!) { incident(id: $id) { title } }`, { id: createIncident.id }, admin);
  expect(read.incident.title).toBe('Checkout errors through the pooler');

  const pooled = await new Scenario(api, admin).signedIn({ email: 'pooled@example.com', name: 'Pooled Person' });
  const me = async () => (await api.gql<{ me: { id: string } | null }>(`{ me { id } }`, {}, pooled.token)).data?.me ?? null;
  expect(await me()).toEqual({ id: pooled.id });
  // Cached now; without notifications the entry lives ACTOR_CACHE_LIMITS.unlistenedTtlMs.
  await must(api, `mutation($id: ID!) { setUserActive(userId: $id, active: false) { id } }`, { id: pooled.id }, admin);
  const refusedAt = Date.now();
  // A caller nobody recognises is anonymous: `me` answers null.
  await until(async () => (await me()) === null, 5_000, 'the deactivated token to be refused');
  expect(Date.now() - refusedAt).toBeLessThan(scaled(2_500));
});

it('delivers the chase through a worker over PgBouncer (the lease statement unnamed)', async () => {
  const seed = await seedChase(api.db.url, receiver.url(), { teams: 2, perCase: 40 });
  const expected = expectedWebhookDeliveries(seed);
  worker = startWorkerProcess({
    DATABASE_URL: bouncer.url(api.db.name), DATABASE_POOL_MODE: 'transaction', REDIS_URL: api.config.redisUrl,
    QUEUE_PREFIX: api.config.queuePrefix, CHASE_INTERVAL_SECONDS: '5', DELIVERY_BATCH_CONCURRENCY: '4',
  });
  await worker.ready;
  await until(() => receiver.succeeded().size >= expected, 60_000, `${expected} deliveries`);
  expect(receiver.succeeded().size).toBe(expected);
  expect([...receiver.succeeded().values()].every((n) => n === 1)).toBe(true);
  expect(worker.output()).not.toMatch(/prepared statement .* does not exist|already exists/);
}, 90_000);

it('migrates a fresh database through PgBouncer, two migrators at once, one applying everything', async () => {
  const c = new Client({ connectionString: TEST_SERVER_URL });
  await c.connect();
  await c.query(`CREATE DATABASE "${fresh}"`).finally(() => c.end());
  const url = bouncer.url(fresh);
  const [a, b] = await Promise.all([migrateDatabase(url), migrateDatabase(url)]);
  expect([a.applied.length, b.applied.length].sort((x, y) => x - y)).toEqual([0, MIGRATIONS.length]);
}, 120_000);

it('rides through a PgBouncer restart: reads are answered, none fails', async () => {
  const read = async () => {
    const res = await api.gql<{ incidents: { totalCount: number } }>(`{ incidents(first: 5) { totalCount } }`, {}, admin);
    return res.errors ? JSON.stringify(res.errors) : null;
  };
  let reading = true;
  const errors: string[] = [];
  const readers = Array.from({ length: 4 }, async () => {
    while (reading) {
      const e = await read();
      if (e) errors.push(e);
    }
  });
  await new Promise((r) => setTimeout(r, 300));
  await bouncer.restart();
  await new Promise((r) => setTimeout(r, 500));
  reading = false;
  await Promise.all(readers);
  expect(errors).toEqual([]);
}, 60_000);

it('leaves no LISTEN, named statement, advisory lock or session setting on any server connection', async () => {
  const leftovers: string[] = [];
  for (const database of [api.db.name, fresh]) {
    // One open transaction per server connection of the pool: together they see every one.
    const clients = await Promise.all(Array.from({ length: SERVER_CONNECTIONS }, async () => {
      const c = new Client({ connectionString: bouncer.url(database) });
      await c.connect();
      await c.query('BEGIN');
      return c;
    }));
    try {
      const pids = new Set<number>();
      for (const c of clients) {
        const { rows: [row] } = await c.query(`
          SELECT pg_backend_pid() AS pid,
                 ARRAY(SELECT pg_listening_channels()) AS channels,
                 ARRAY(SELECT name FROM pg_prepared_statements) AS statements,
                 ARRAY(SELECT objid::text FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks,
                 ARRAY(SELECT name FROM pg_settings WHERE source = 'session'
                        AND name NOT IN ('application_name', 'client_encoding', 'DateStyle', 'TimeZone', 'IntervalStyle', 'standard_conforming_strings')) AS settings`);
        pids.add(row.pid);
        for (const kind of ['channels', 'statements', 'locks', 'settings'] as const) {
          for (const v of row[kind] as string[]) leftovers.push(`${database} backend ${row.pid}: ${kind} ${v}`);
        }
      }
      expect(pids.size).toBe(SERVER_CONNECTIONS);
    } finally {
      await Promise.all(clients.map(async (c) => {
        await c.query('ROLLBACK').catch(() => undefined);
        await c.end();
      }));
    }
  }
  expect(leftovers).toEqual([]);
});
