import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrateDatabase, withDatabase } from '@hindsight/server-db';
import { freePort, until } from '@hindsight/server-db/testing';

/*
 * The zero-downtime upgrade check (docs/upgrading.md): the previous release's API serves test
 * traffic over a database at its own schema while this checkout's new migrations are applied,
 * then a previous-release API starts on the migrated database (a pod restarting mid-rollout)
 * and serves too. Any failed request fails the check: a migration that breaks the running
 * release (a dropped or renamed column, a new NOT NULL column without a default, a changed
 * type) must be split into expand now and contract in a later release.
 */

export const ROOT = join(__dirname, '..', '..');
const SERVER_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN = { email: 'upgrade-check@example.com', password: 'upgrade-check-password' };

export interface UpgradeCheckResult {
  requests: number;
  failures: string[];
  /** Requests served after the new migrations were applied, by the API already running and by one started then. */
  afterMigration: number;
}

function git(args: string[], cwd = ROOT): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * The previous release: UPGRADE_BASE if set; else the newest `v*` tag behind HEAD; else the
 * commit before the newest one that added a migration (what the last release ran, as far as
 * the schema is concerned).
 */
export function previousRelease(): { commit: string; how: string } {
  const forced = process.env['UPGRADE_BASE'];
  if (forced) return { commit: git(['rev-parse', `${forced}^{commit}`]), how: `UPGRADE_BASE=${forced}` };
  const tag = (() => {
    try {
      return git(['describe', '--tags', '--abbrev=0', '--match', 'v*', 'HEAD^']);
    } catch {
      return '';
    }
  })();
  if (tag) return { commit: git(['rev-parse', `${tag}^{commit}`]), how: `the newest release tag, ${tag}` };
  const added = git(['log', '-1', '--diff-filter=A', '--format=%H', '--', 'libs/server/db/src/migrations']);
  if (!added) throw new Error('no commit adds a migration: nothing to check');
  return { commit: git(['rev-parse', `${added}^`]), how: `the parent of ${added.slice(0, 10)}, the newest commit that added a migration` };
}

/** A git worktree of `commit` in a temporary directory, sharing this checkout's node_modules. */
export function checkoutRelease(commit: string): { root: string; remove(): void } {
  const parent = mkdtempSync(join(tmpdir(), 'hs-upgrade-'));
  const root = join(parent, 'release');
  git(['worktree', 'add', '--detach', root, commit]);
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  return {
    root,
    remove: () => {
      try {
        git(['worktree', 'remove', '--force', root]);
      } catch {
        rmSync(root, { recursive: true, force: true });
        git(['worktree', 'prune']);
      }
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

interface ApiProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** The API of the checkout at `root` (its own source, run with swc) on a free port. */
async function startApiAt(root: string, databaseUrl: string): Promise<ApiProcess> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env, NODE_OPTIONS: '', NODE_ENV: 'production', HINDSIGHT_PROCESS: 'api', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl,
      JWT_SECRET: 'upgrade-check-secret-0123456789-abcdef', HINDSIGHT_ADMIN_EMAIL: ADMIN.email, HINDSIGHT_ADMIN_PASSWORD: ADMIN.password,
      QUEUE_PREFIX: `hs-upgrade-${randomBytes(3).toString('hex')}`, LOG_LEVEL: 'warn', LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`the API of ${root} exited: ${out.slice(-1500)}`);
    return (await fetch(`${url}/health/ready`)).ok;
  }, 120_000, `the API of ${root} to be ready`);
  return {
    url, child, output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** Operations both releases serve: reads and writes of every main kind of page. */
class Traffic {
  requests = 0;
  afterMigration = 0;
  migrated = false;
  readonly failures: string[] = [];
  private token = '';
  private incidents: string[] = [];
  private stopped = false;

  constructor(private url: string) {}

  target(url: string): void {
    this.url = url;
  }

  private async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T | null> {
    this.requests++;
    if (this.migrated) this.afterMigration++;
    try {
      const res = await fetch(`${this.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
      if (res.status !== 200 || body.errors?.length || !body.data) {
        this.failures.push(`${query.replace(/\s+/g, ' ').slice(0, 60)}: HTTP ${res.status} ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
        return null;
      }
      return body.data;
    } catch (e) {
      this.failures.push(`${query.slice(0, 60)}: ${(e as Error).message}`);
      return null;
    }
  }

  async signIn(): Promise<void> {
    const data = await this.gql<{ login: { token: string } }>(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password });
    if (!data) throw new Error(`cannot sign in: ${this.failures.join('; ')}`);
    this.token = data.login.token;
  }

  private async round(i: number): Promise<void> {
    const created = await this.gql<{ createIncident: { id: string } }>(
      `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`,
      { i: { title: `Upgrade traffic ${i}`, severity: 'SEV3', startedAt: new Date(Date.now() - 3_600_000).toISOString() } },
    );
    if (created) this.incidents.push(created.createIncident.id);
    const id = this.incidents[i % Math.max(1, this.incidents.length)];
    await Promise.all([
      this.gql(`{ me { id email role } }`),
      this.gql(`{ incidents(first: 20) { nodes { id title severity status startedAt } } }`),
      id ? this.gql(`query($id: ID!) { incident(id: $id) { id title severity status timeline { id } actionItems { id title status dueAt } } }`, { id }) : null,
      id ? this.gql(`mutation($id: ID!, $i: UpdateIncidentInput!) { updateIncident(id: $id, input: $i) { id } }`, { id, i: { title: `Upgrade traffic ${i} (edited)` } }) : null,
      this.gql(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents timeToResolveMinutes { median } } }`,
        { f: { from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() } }),
      this.gql(`{ actionItems(first: 20) { nodes { id title status } } }`),
    ]);
  }

  /** Rounds until stop(), one at a time. */
  async run(): Promise<void> {
    for (let i = 0; !this.stopped; i++) await this.round(i);
  }

  stop(): void {
    this.stopped = true;
  }
}

/**
 * The check itself: `releaseRoot` is a checkout of the previous release; the new migrations
 * are this checkout's (plus `extraSql`, the self-test's deliberately breaking "migration").
 */
export async function runUpgradeCheck(releaseRoot: string, options: { extraSql?: string; log?: (line: string) => void } = {}): Promise<UpgradeCheckResult> {
  const log = options.log ?? (() => undefined);
  const name = `hindsight_upgrade_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = withDatabase(SERVER_URL, name);
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: SERVER_URL });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  const apis: ApiProcess[] = [];
  try {
    log('migrating a fresh database with the previous release');
    execFileSync(process.execPath, ['-r', '@swc-node/register', 'libs/server/db/src/migrate.main.ts'], { cwd: releaseRoot, env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: url }, stdio: 'pipe' });
    const old = await startApiAt(releaseRoot, url);
    apis.push(old);
    const traffic = new Traffic(old.url);
    await traffic.signIn();
    const running = traffic.run();
    await until(() => traffic.requests >= 30, 60_000, 'traffic to start');
    log(`the previous release serves; applying the new migrations (${traffic.requests} requests so far)`);
    const { applied } = await migrateDatabase(url);
    if (options.extraSql) {
      const c = new Client({ connectionString: url });
      await c.connect();
      await c.query(options.extraSql).finally(() => c.end());
    }
    traffic.migrated = true;
    log(`applied ${applied.length ? applied.join(', ') : 'nothing (no new migrations)'}${options.extraSql ? ' and the extra SQL' : ''}; traffic goes on`);
    await until(() => traffic.afterMigration >= 30, 60_000, 'traffic after the migrations');
    // A pod of the previous release restarting mid-rollout starts on the migrated schema.
    const restarted = await startApiAt(releaseRoot, url);
    apis.push(restarted);
    traffic.target(restarted.url);
    const before = traffic.afterMigration;
    await until(() => traffic.afterMigration >= before + 30, 60_000, 'traffic to the restarted previous release');
    traffic.stop();
    await running;
    return { requests: traffic.requests, failures: traffic.failures, afterMigration: traffic.afterMigration };
  } finally {
    await Promise.all(apis.map((a) => a.stop()));
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  }
}

export function hasWorktreeOf(root: string): boolean {
  return existsSync(join(root, 'apps', 'api', 'src', 'main.ts'));
}
