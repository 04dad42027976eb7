// `npm run test:ha`: the fault-injection suite of docs/scaling.md. On loopback: a PostgreSQL
// primary with a streaming replica, PgBouncer (transaction pooling), Redis with a replica and
// three sentinels, HAProxy in front of three API processes, two workers, a webhook receiver and
// a fake GitHub, under a steady mixed load. Faults: the Redis primary killed, an API process
// killed, a worker killed mid-delivery, PgBouncer restarted, the replica stopped. Prints its
// figures and PASS/FAIL against the goals; leaves nothing running.
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SecretBox } from '@hindsight/server-common';
import { migrateDatabase } from '@hindsight/server-db';
import { freePort, PgBouncer, PostgresServer, startPgBouncer, startPostgres, startReplica, until } from '@hindsight/server-db/testing';
import { SentinelSet, startSentinels } from '@hindsight/server-queue/testing';
import { FAKE_PROJECT, FAKE_TOKEN, FakeTrackers } from '@hindsight/server-trackers/testing';
import { ChaseSeed, seedChase, WebhookReceiver } from '@hindsight/server-worker/testing';

const ROOT = join(__dirname, '..', '..');
const RATE = Number(process.env['HA_RATE'] ?? 40); // requests per second offered at the load balancer
const SETTLE_S = Number(process.env['HA_SETTLE_SECONDS'] ?? 40); // observed after each fault
const KEY = randomBytes(32).toString('base64');
const ADMIN = { email: 'ha@example.com', password: 'ha-check-password' };
const log = (line: string) => console.log(`ha: ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Proc {
  name: string;
  child: ChildProcess;
  output: string;
}

const procs: Proc[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

function launch(name: string, command: string, args: string[], env: Record<string, string>, cwd = ROOT): Proc {
  const child = spawn(command, args, { cwd, env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { name, child, output: '' };
  const keep = (c: Buffer) => {
    p.output = (p.output + c.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  procs.push(p);
  return p;
}

async function kill(p: Proc, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  p.child.kill(signal);
  await gone;
}

interface Sample {
  at: number;
  ok: boolean;
  ms: number;
}

/** Requests at a steady RATE through the load balancer: reads, writes and reports. */
class Load {
  readonly samples: Sample[] = [];
  readonly failures: string[] = [];
  private stopped = false;
  private token = '';
  private incidents: string[] = [];
  private i = 0;

  constructor(private readonly url: string) {}

  private async gql(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown> | null> {
    const started = Date.now();
    let ok = false;
    let data: Record<string, unknown> | null = null;
    try {
      const res = await fetch(`${this.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      let body: { data?: Record<string, unknown>; errors?: unknown[] } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // An error page of the load balancer: reported below with its status.
      }
      ok = res.status === 200 && !body.errors?.length && !!body.data;
      data = body.data ?? null;
      if (!ok && this.failures.length < 50) this.failures.push(`${new Date().toISOString()} HTTP ${res.status} ${(body.errors ? JSON.stringify(body.errors) : text).replace(/\s+/g, ' ').slice(0, 200)}`);
    } catch (e) {
      if (this.failures.length < 50) this.failures.push(`${new Date().toISOString()} ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`);
    }
    this.samples.push({ at: started, ok, ms: Date.now() - started });
    return ok ? data : null;
  }

  async signIn(): Promise<void> {
    const data = await this.gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password });
    if (!data) throw new Error(`sign-in through the load balancer failed: ${this.failures.join('; ')}`);
    this.token = (data['login'] as { token: string }).token;
    this.samples.length = 0;
  }

  private one(): Promise<unknown> {
    const n = this.i++;
    const id = this.incidents[n % Math.max(1, this.incidents.length)];
    const from = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    switch (n % 10) {
      case 0:
        return this.gql(`mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`, { i: { title: `HA load ${n}`, severity: 'SEV3', startedAt: new Date(Date.now() - 3_600_000).toISOString() } })
          .then((d) => d && this.incidents.push((d['createIncident'] as { id: string }).id));
      case 1:
        return id ? this.gql(`mutation($id: ID!, $i: UpdateIncidentInput!) { updateIncident(id: $id, input: $i) { id } }`, { id, i: { title: `HA load ${n} (edited)` } }) : this.gql(`{ me { id } }`);
      case 2:
        return this.gql(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents timeToResolveMinutes { median p90 } } }`, { f: { from, to } });
      case 3:
      case 4:
        return id ? this.gql(`query($id: ID!) { incident(id: $id) { id title severity status timeline { id } actionItems { id title status } } }`, { id }) : this.gql(`{ me { id } }`);
      case 5:
      case 6:
        return this.gql(`{ incidents(first: 25) { nodes { id title severity status startedAt } totalCount } }`);
      case 7:
        return this.gql(`{ actionItems(first: 25) { nodes { id title status dueAt } } }`);
      default:
        return this.gql(`{ me { id email role } }`);
    }
  }

  async run(): Promise<void> {
    const inFlight = new Set<Promise<unknown>>();
    const start = Date.now();
    for (let k = 0; !this.stopped; k++) {
      const due = start + (k * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      const p = this.one().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Successful requests per second, second by second, from `from` to `to` (ms since the epoch). */
  perSecond(from: number, to: number): number[] {
    const out: number[] = [];
    for (let t = from; t < to; t += 1000) out.push(this.samples.filter((s) => s.ok && s.at >= t && s.at < t + 1000).length);
    return out;
  }
}

/** Seconds from `at` until 5 seconds in a row served at least 90 % of the offered rate with every request answered. */
function recoverySeconds(load: Load, at: number, until: number): number | null {
  const secs = load.perSecond(at, until);
  const failedIn = (t: number) => load.samples.some((s) => !s.ok && s.at >= t && s.at < t + 1000);
  for (let i = 0; i + 5 <= secs.length; i++) {
    if (secs.slice(i, i + 5).every((n, j) => n >= RATE * 0.9 && !failedIn(at + (i + j) * 1000))) return i;
  }
  return null;
}

async function q<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'hs-ha-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  log('starting PostgreSQL (primary + streaming replica), PgBouncer, Redis (primary, replica, 3 sentinels)');
  const primary: PostgresServer = await startPostgres('hs-ha-pg-');
  cleanups.push(() => primary.remove());
  const replica: PostgresServer = await startReplica(primary, 'hs-ha-replica-');
  cleanups.push(() => replica.remove());
  const bouncer: PgBouncer = await startPgBouncer(primary.port, { poolSize: 20 });
  cleanups.push(() => bouncer.stop());
  const redis: SentinelSet = await startSentinels({ downAfterMs: 1000 });
  cleanups.push(() => redis.stop());
  const db = primary.url('hindsight');
  await migrateDatabase(db);

  const receiver = await new WebhookReceiver().start();
  cleanups.push(() => receiver.close());
  const fake = await new FakeTrackers().start();
  cleanups.push(() => fake.close());
  const [teamRow] = await q<{ id: string }>(db, `INSERT INTO teams (name, slug) VALUES ('Platform', 'platform') RETURNING id`);
  const [incidentRow] = await q<{ id: string }>(db, `INSERT INTO incidents (title, severity, status, started_at) VALUES ('Tracker source', 'SEV2', 'RESOLVED', now() - interval '2 days') RETURNING id`);
  const [connection] = await q<{ id: string }>(db, `INSERT INTO tracker_connections (kind, name, base_url, project, token_enc) VALUES ('GITHUB', 'GitHub', $1, $2, $3) RETURNING id`,
    [fake.baseUrl('GITHUB'), FAKE_PROJECT.GITHUB, SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: KEY }).encrypt(FAKE_TOKEN)]);

  const env: Record<string, string> = {
    NODE_ENV: 'production', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', JWT_SECRET: 'ha-suite-secret-0123456789-abcdefghijk',
    HINDSIGHT_ADMIN_EMAIL: ADMIN.email, HINDSIGHT_ADMIN_PASSWORD: ADMIN.password, HINDSIGHT_ENCRYPTION_KEY: KEY,
    DATABASE_URL: bouncer.url('hindsight'), DATABASE_POOL_MODE: 'transaction', DATABASE_LISTEN_URL: db, DATABASE_MIGRATION_URL: db,
    DATABASE_READ_URL: replica.url('hindsight'), REDIS_URL: 'redis://127.0.0.1:6379', REDIS_SENTINELS: redis.sentinelList, REDIS_SENTINEL_NAME: redis.name,
    QUEUE_PREFIX: `hs-ha-${randomBytes(3).toString('hex')}`, CHASE_INTERVAL_SECONDS: '5', TRACKER_RELAY_INTERVAL_MS: '200',
    OUTBOUND_ALLOWLIST: '127.0.0.1,::1,localhost', WORKER_HEALTH_PORT: '0', TRUST_PROXY: 'true',
  };
  const apiPorts = [await freePort(), await freePort(), await freePort()];
  const startApi = (i: number) => launch(`api-${i + 1}`, process.execPath, ['--max-semi-space-size=64', '-r', '@swc-node/register', 'apps/api/src/main.ts'], { ...env, HINDSIGHT_PROCESS: 'api', PORT: String(apiPorts[i]), HOST: '127.0.0.1' });
  // At info, so the line with the health port shows that the worker is up.
  const startWorker = (i: number) => launch(`worker-${i + 1}`, process.execPath, ['--max-semi-space-size=64', '-r', '@swc-node/register', 'apps/worker/src/main.ts'], { ...env, HINDSIGHT_PROCESS: 'worker', LOG_LEVEL: 'info' });
  log('starting 3 API processes and 2 workers');
  const apis = [startApi(0)];
  // The first creates the ADMIN; the others start once it exists.
  await until(async () => (await fetch(`http://127.0.0.1:${apiPorts[0]}/health/ready`)).ok, 120_000, 'api-1');
  apis.push(startApi(1), startApi(2));
  const workers = [startWorker(0), startWorker(1)];
  for (const port of apiPorts) await until(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok, 120_000, `the API on ${port}`);
  await until(() => workers.every((w) => /health and metrics on port/.test(w.output)), 120_000, 'the workers');

  const lbPort = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, `global
  maxconn 4000
defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  # A health check waits this long: a busy machine must not mark every API down at once.
  timeout check 3s
  retries 3
  option redispatch 1
  # The whole request is read before it is forwarded, so a request whose API died under it
  # can be replayed on another (l7 retries need it in the buffer).
  option http-buffer-request
  retry-on conn-failure empty-response response-timeout
frontend hindsight
  bind 127.0.0.1:${lbPort}
  default_backend apis
backend apis
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 1s fall 3 rise 2
${apiPorts.map((p, i) => `  server api${i + 1} 127.0.0.1:${p} check`).join('\n')}
`);
  const haproxy = launch('haproxy', 'haproxy', ['-f', cfg], {});
  const lb = `http://127.0.0.1:${lbPort}`;
  await until(async () => (await fetch(`${lb}/health/ready`)).ok, 30_000, 'HAProxy');
  log(`load balancer on ${lb}; offering ${RATE} requests/s`);

  // Work for the workers: items reaching reminder steps (webhook deliveries) and tracker pushes.
  const seeds: ChaseSeed[] = [];
  const linked: string[] = [];
  let feeding = true;
  const feed = (async () => {
    while (feeding) {
      seeds.push(await seedChase(db, receiver.url(), { teams: 1, perCase: 3 }).catch(() => null as unknown as ChaseSeed));
      for (let k = 0; k < 3; k++) {
        const rows = await q<{ id: string }>(db, `INSERT INTO action_items (incident_id, title, kind, priority, owner_team_id, due_at) VALUES ($1, $2, 'PREVENT', 'P2', $3, now() + interval '10 days') RETURNING id`,
          [incidentRow.id, `HA tracked item ${linked.length + 1}`, teamRow.id]).catch(() => []);
        if (!rows.length) continue;
        const [link] = await q<{ id: string }>(db, `INSERT INTO tracker_links (action_item_id, connection_id) VALUES ($1, $2) RETURNING id`, [rows[0].id, connection.id]);
        await q(db, `INSERT INTO tracker_pushes (link_id, kind) VALUES ($1, 'CREATE')`, [link.id]);
        linked.push(rows[0].id);
      }
      await sleep(4000);
    }
  })();

  const load = new Load(lb);
  await load.signIn();
  const running = load.run();
  const baselineFrom = Date.now();
  await sleep(20_000);
  const baseline = load.perSecond(baselineFrom, Date.now());
  log(`baseline: ${(baseline.reduce((a, b) => a + b, 0) / baseline.length).toFixed(1)} successful requests/s`);

  const faults: { name: string; at: number; recovered: number | null; note: string }[] = [];
  const fault = async (name: string, act: () => Promise<string>) => {
    const at = Date.now();
    log(`fault: ${name}`);
    const note = await act();
    await sleep(SETTLE_S * 1000);
    const recovered = recoverySeconds(load, at, Date.now());
    faults.push({ name, at, recovered, note });
    log(`  ${note}; back to full speed after ${recovered === null ? 'never (within the window)' : `${recovered} s`}`);
  };

  await fault('kill the Redis primary (SIGKILL)', async () => {
    const before = await redis.currentPrimary();
    const victim = before === redis.primary.port ? redis.primary : redis.replica;
    await victim.kill('SIGKILL');
    const t = Date.now();
    await until(async () => (await redis.currentPrimary()) !== before, 60_000, 'the sentinels to promote the replica');
    const promoted = ((Date.now() - t) / 1000).toFixed(1);
    await victim.restart(); // comes back as a replica of the new primary
    return `sentinels promoted the replica in ${promoted} s`;
  });
  await fault('kill an API process (SIGKILL)', async () => {
    await kill(apis[1]);
    await sleep(5000);
    apis[1] = startApi(1);
    return 'api-2 killed, restarted 5 s later';
  });
  await fault('kill a worker mid-delivery (SIGKILL)', async () => {
    await seedChase(db, receiver.url(), { teams: 2, perCase: 10 }).then((s) => seeds.push(s));
    receiver.hold();
    await until(() => receiver.waiting() > 0, 30_000, 'deliveries in flight');
    const inFlight = receiver.waiting();
    await kill(workers[0]);
    receiver.release();
    workers[0] = startWorker(0);
    return `worker-1 killed with ${inFlight} deliveries in flight, restarted`;
  });
  await fault('restart PgBouncer', async () => {
    const t = Date.now();
    await bouncer.restart();
    return `PgBouncer back after ${((Date.now() - t) / 1000).toFixed(1)} s`;
  });
  await fault('stop the read replica', async () => {
    replica.stop('fast');
    return 'replica stopped (reports read the primary)';
  });

  feeding = false;
  await feed;
  load.stop();
  await running;
  await replica.start();

  log('load stopped; waiting for every delivery and tracker push to finish');
  await until(async () => (await q<{ n: number }>(db, `SELECT count(*)::int AS n FROM deliveries WHERE status = 'PENDING'`))[0].n === 0, 180_000, 'no pending delivery');
  await until(async () => (await q<{ n: number }>(db, `SELECT count(*)::int AS n FROM tracker_links WHERE action_item_id = ANY($1::uuid[]) AND external_key IS NULL`, [linked]))[0].n === 0, 180_000, 'every tracker link created');

  // Verdicts.
  const sent = await q<{ id: string; status: string }>(db, `SELECT d.id, d.status FROM deliveries d JOIN notification_channels c ON c.id = d.channel_id WHERE c.kind = 'WEBHOOK'`);
  const succeeded = receiver.succeeded();
  const lostDeliveries = sent.filter((d) => d.status !== 'SENT' || !succeeded.has(d.id)).length;
  const doubledDeliveries = [...succeeded.values()].filter((n) => n > 1).length;
  const expectedSteps = seeds.filter(Boolean).flatMap((s) => s.items.filter((i) => i.expected !== null));
  const nudges = await q<{ subject_id: string; step: string; n: number }>(db, `SELECT subject_id, step, count(*)::int AS n FROM nudges WHERE subject_id = ANY($1::uuid[]) GROUP BY 1, 2`, [expectedSteps.map((i) => i.id)]);
  const reached = new Set(nudges.map((n) => `${n.subject_id}:${n.step}`));
  const lostNudges = expectedSteps.filter((i) => !reached.has(`${i.id}:${i.expected}`)).length;
  const doubledNudges = nudges.filter((n) => n.n > 1).length;
  const issues = fake.issues.GITHUB;
  const keys = await q<{ external_key: string }>(db, `SELECT external_key FROM tracker_links WHERE action_item_id = ANY($1::uuid[])`, [linked]);
  const lostPushes = linked.length - keys.filter((k) => k.external_key).length;
  const titles = new Map<string, number>();
  for (const i of issues) titles.set(i.title, (titles.get(i.title) ?? 0) + 1);
  const doubledPushes = [...titles.values()].filter((n) => n > 1).length;
  const total = load.samples.length;
  const failed = load.samples.filter((s) => !s.ok).length;
  const failedShare = total ? failed / total : 1;
  const latencies = load.samples.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;

  console.log('');
  console.log('ha: results');
  console.log(`  requests at the load balancer: ${total}, failed ${failed} (${(failedShare * 100).toFixed(3)} %); latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
  for (const f of faults) console.log(`  ${f.name}: ${f.note}; back to full speed after ${f.recovered === null ? 'never' : `${f.recovered} s`}`);
  console.log(`  nudges: ${expectedSteps.length} expected steps, ${lostNudges} lost, ${doubledNudges} doubled`);
  console.log(`  webhook deliveries: ${sent.length}, ${lostDeliveries} lost, ${doubledDeliveries} answered twice`);
  console.log(`  tracker pushes: ${linked.length} issues to create, ${lostPushes} lost, ${doubledPushes} created twice (${issues.length} issues at the fake GitHub)`);
  if (failed) console.log(`  first failures:\n    ${load.failures.slice(0, 10).join('\n    ')}`);
  const pass = failedShare < 0.001 && lostNudges + doubledNudges + lostDeliveries + doubledDeliveries + lostPushes + doubledPushes === 0 && faults.every((f) => f.recovered !== null && f.recovered <= 30);
  console.log(`ha: ${pass ? 'PASS' : 'FAIL'} (goals: < 0.1 % failed requests, nothing lost or doubled, full speed within 30 s of each fault) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (!pass) process.exitCode = 1;
  void haproxy;
}

async function cleanup(): Promise<void> {
  await Promise.all(procs.map((p) => kill(p, 'SIGKILL')));
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
}

process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
main()
  .catch((e: unknown) => {
    console.error(`ha: ${(e as Error).stack ?? e}`);
    for (const p of procs) if (p.output) console.error(`--- ${p.name} (last lines)\n${p.output.split('\n').slice(-15).join('\n')}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
