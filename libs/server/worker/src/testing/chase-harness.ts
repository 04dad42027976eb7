import { ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { daysAgo, Rows } from '@hindsight/server-testing';
import { scaled, serverArgs, withClient } from '@hindsight/server-db/testing';

export const ROOT = join(__dirname, '..', '..', '..', '..', '..');
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const DAY = 86_400_000;
/** Tests' receivers listen on loopback, which the outbound guard refuses unless allowed. */
export const LOOPBACK_ALLOWLIST = '127.0.0.1,::1,localhost';

export interface ReceivedDelivery {
  id: string;
  body: string;
  signature: string | undefined;
  /** The answer reached the sender (the response finished before the connection closed). */
  acked: boolean;
  status: number;
  /** When the request arrived (Date.now()). */
  at: number;
  /** The request's path and query. */
  url: string;
}

export interface ReceiverOptions {
  /** Answer 500 this many times per delivery id before answering 200. */
  failFirst?: number;
  /** Answer this status, always. */
  alwaysStatus?: number;
  /** The success status (200 by default; a Teams workflow answers 202). */
  okStatus?: number;
  /** Answer this many attempts of each delivery id 429 (rate limited) before succeeding … */
  throttleFirst?: number;
  /** … with `Retry-After: <this many seconds>`. */
  retryAfterSeconds?: number;
}

/**
 * A real HTTP receiver on loopback that records every POST by X-Hindsight-Delivery. `hold()`
 * stops answering (requests wait) until `release()`: a test closes the gate, lets the
 * sender record what was already answered, then kills it with requests in flight.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private server: Server | null = null;
  private readonly attemptsById = new Map<string, number>();
  private held: (() => void)[] | null = null;
  port = 0;

  constructor(private readonly options: ReceiverOptions = {}) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const id = String(req.headers['x-hindsight-delivery'] ?? '');
    const n = (this.attemptsById.get(id) ?? 0) + 1;
    this.attemptsById.set(id, n);
    if (this.held) await new Promise<void>((resolve) => this.held?.push(resolve));
    const throttled = n <= (this.options.throttleFirst ?? 0);
    const status = this.options.alwaysStatus ?? (throttled ? 429 : n <= (this.options.failFirst ?? 0) ? 500 : (this.options.okStatus ?? 200));
    const record: ReceivedDelivery = { id, body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-hindsight-signature'] as string | undefined, acked: false, status, at, url: req.url ?? '' };
    this.received.push(record);
    if (res.destroyed || req.socket.destroyed) return;
    res.on('finish', () => (record.acked = true));
    res.writeHead(status, { 'content-type': 'application/json', ...(throttled && this.options.retryAfterSeconds !== undefined ? { 'retry-after': String(this.options.retryAfterSeconds) } : {}) });
    res.end('{}');
  }

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const waiting = this.held ?? [];
    this.held = null;
    waiting.forEach((r) => r());
  }

  /** Requests waiting at the gate. */
  waiting(): number {
    return this.held?.length ?? 0;
  }

  /** Deliveries answered 2xx, by id. */
  succeeded(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.received) if (r.acked && r.status < 300) m.set(r.id, (m.get(r.id) ?? 0) + 1);
    return m;
  }

  async close(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export function verifySignature(body: string, secret: string, header: string | undefined): boolean {
  return header === `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export { withClient };

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

export interface ChaseSeed {
  teamIds: string[];
  incidentId: string;
  /** Items by ladder position at seeding time: the step they have reached (null: none). */
  items: { id: string; teamId: string; expected: 'DUE_SOON' | 'DUE' | 'OVERDUE' | 'ESCALATED' | 'LEADERSHIP' | null }[];
}

/** Due-date offsets (from now) that land safely inside each step, and quiet cases. */
const PLAN = [
  { offset: 2 * DAY, expected: 'DUE_SOON' },
  { offset: -0.5 * DAY, expected: 'DUE' },
  { offset: -3 * DAY, expected: 'OVERDUE' },
  { offset: -10 * DAY, expected: 'ESCALATED' },
  { offset: -30 * DAY, expected: 'LEADERSHIP' },
  { offset: 10 * DAY, expected: null },
  { offset: -3 * DAY, expected: null, status: 'DONE' },
  { offset: -3 * DAY, expected: null, status: 'WONT_DO' },
  { offset: -3 * DAY, expected: null, snoozedFor: 2 * DAY },
] as const;

/**
 * Teams, each with one WEBHOOK channel to `hookUrl`, one leadership WEBHOOK channel, and
 * `perCase` action items for each PLAN row per team, without assignee or manager (so every
 * delivery goes to a webhook and can be counted by the receiver).
 */
export async function seedChase(url: string, hookUrl: string, opts: { teams?: number; perCase?: number } = {}): Promise<ChaseSeed> {
  const teams = opts.teams ?? 2;
  const perCase = opts.perCase ?? 3;
  return withClient(url, async (c) => {
    const suffix = randomBytes(3).toString('hex');
    const teamIds: string[] = [];
    for (let t = 0; t < teams; t++) {
      const { rows } = await c.query(`INSERT INTO teams (name, slug) VALUES ($1, $2) RETURNING id`, [`Team ${t} ${suffix}`, `team-${t}-${suffix}`]);
      teamIds.push(rows[0].id);
      await c.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('WEBHOOK', $1, $2, $3, $4)`, [`team-${t}-hook`, hookUrl, WEBHOOK_SECRET, rows[0].id]);
    }
    await c.query(`INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('WEBHOOK', 'leadership-hook', $1, $2, NULL)`, [hookUrl, WEBHOOK_SECRET]);
    const { id: incidentId } = await new Rows(c).incident({ title: 'Checkout latency', started_at: daysAgo(40) });
    const items: ChaseSeed['items'] = [];
    const now = Date.now();
    for (const teamId of teamIds) {
      for (const p of PLAN) {
        const status = 'status' in p ? p.status : 'OPEN';
        const snoozed = 'snoozedFor' in p ? new Date(now + p.snoozedFor) : null;
        // Set-based: one statement per case, however many items.
        const { rows } = await c.query(
          `INSERT INTO action_items (incident_id, title, kind, priority, status, owner_team_id, due_at, snoozed_until, completed_at, completion_note, wont_do_reason)
           SELECT $1, 'Add a canary for checkout ' || k, 'PREVENT', 'P2', $3, $4, $5, $6,
                  CASE WHEN $3 = 'DONE' THEN now() END, CASE WHEN $3 = 'DONE' THEN 'done' END, CASE WHEN $3 = 'WONT_DO' THEN 'no' END
             FROM generate_series(1, $2::int) AS k
           RETURNING id`,
          [incidentId, perCase, status, teamId, new Date(now + p.offset), snoozed],
        );
        for (const r of rows) items.push({ id: r.id, teamId, expected: p.expected });
      }
    }
    return { teamIds, incidentId, items };
  });
}

/** Webhook deliveries the seed must produce: each sent step to its team channel, LEADERSHIP also to leadership. */
export function expectedWebhookDeliveries(seed: ChaseSeed): number {
  return seed.items.reduce((n, i) => n + (i.expected === null ? 0 : i.expected === 'LEADERSHIP' ? 2 : 1), 0);
}

export async function until<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 30_000, what = 'condition'): Promise<T> {
  const end = Date.now() + scaled(ms);
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Delivery rows by status. */
export async function deliveryCounts(url: string): Promise<Record<string, number>> {
  return withClient(url, async (c) => {
    const { rows } = await c.query(`SELECT status, count(*)::int AS n FROM deliveries GROUP BY status`);
    return Object.fromEntries(rows.map((r: { status: string; n: number }) => [r.status, r.n]));
  });
}

/**
 * What a killed worker's send leases come to once they run out: the deliveries it held are
 * free to take again. Production waits SEND_LEASE_MS (30 s) for that; a test moves the leases
 * to now instead of sleeping through them, and what follows is the same.
 */
export async function expireSendLeases(url: string): Promise<number> {
  return withClient(url, async (c) => (await c.query(`UPDATE deliveries SET lease_until = now() WHERE lease_until > now()`)).rowCount ?? 0);
}

/** Stops each worker still running: SIGTERM, and SIGKILL if it has not exited within 10 s. */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const w of workers) {
    if (w.child.exitCode !== null || w.child.signalCode !== null) continue;
    w.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([w.exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<number>;
  exited: Promise<number | null>;
  output(): string;
}

/** The real worker (apps/worker/src/main.ts) as a child process. */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, serverArgs('apps/worker/src/main.ts'), {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test', LOG_LEVEL: 'info', WORKER_HEALTH_PORT: '0', JWT_SECRET: 'w'.repeat(40), OUTBOUND_ALLOWLIST: LOOPBACK_ALLOWLIST, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /health and metrics on port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', () => reject(new Error(`worker exited early: ${out.slice(-2000)}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => out };
}

/**
 * Holds a sweep in the middle: records (without committing) the ledger row the sweep's
 * last chunk will insert, so that chunk's INSERT waits on the unique key while earlier
 * chunks are committed. `release()` rolls back, and the sweep (or its successor) goes on.
 */
export async function blockLastCandidate(url: string): Promise<{ release(): Promise<void> }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query('BEGIN');
  await c.query(
    `INSERT INTO nudges (subject_kind, subject_id, due_at, step)
     SELECT 'ACTION_ITEM', id, due_at, 'DUE_SOON' FROM action_items
      WHERE status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED') AND snoozed_until IS NULL AND due_at <= now() + interval '3 days'
      ORDER BY due_at DESC, id DESC LIMIT 1`,
  );
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await c.query('ROLLBACK').catch(() => undefined);
      await c.end().catch(() => undefined);
    },
  };
}
