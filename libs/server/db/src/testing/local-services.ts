import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '@hindsight/server-queue/testing';
import { scaled } from './test-time';

/*
 * Throw-away servers of Debian's packages on loopback, each in a temporary directory and on a
 * free port of its own (never the machine's 5432 or 6379): a PostgreSQL primary and its
 * streaming replica, PgBouncer in front of either. For the topology tests and `npm run test:ha`.
 * Postgres and PgBouncer refuse to run as root, so as root they run as the `postgres` user.
 */

const PG_BIN = process.env['PG_BIN'] ?? execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
const AS_ROOT = process.getuid?.() === 0;

export { freePort };

/** A temporary directory the server's user owns. */
export function serviceDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (AS_ROOT) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  return dir;
}

function asServiceUser(command: string, args: string[]): [string, string[]] {
  return AS_ROOT ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function run(command: string, args: string[]): string {
  const [c, a] = asServiceUser(command, args);
  return execFileSync(c, a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function until<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + scaled(ms);
  let last: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${scaled(ms)} ms${last ? ` (${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PostgresServer {
  port: number;
  dir: string;
  url(database?: string): string;
  /** Stops it (`fast`: ends sessions, clean; `immediate`: like a crash). */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): Promise<void>;
  remove(): void;
}

async function ready(port: number): Promise<void> {
  await until(async () => {
    const c = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 1000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } finally {
      await c.end().catch(() => undefined);
    }
  }, 60_000, `Postgres on port ${port} to answer`);
}

function server(dir: string, port: number): PostgresServer {
  const data = join(dir, 'data');
  const pgCtl = join(PG_BIN, 'pg_ctl');
  return {
    port,
    dir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: (mode = 'fast') => {
      try {
        run(pgCtl, ['-D', data, '-m', mode, '-w', 'stop']);
      } catch {
        // Already stopped.
      }
    },
    start: async () => {
      run(pgCtl, ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', 'start']);
      await ready(port);
    },
    remove: () => {
      try {
        run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Not running.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SETTINGS = (port: number, dir: string) => `
port = ${port}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${dir}'
wal_level = replica
max_wal_senders = 5
hot_standby = on
hot_standby_feedback = on
max_connections = 200
shared_buffers = 64MB
# Throw-away test clusters: durability is not what they test.
fsync = off
full_page_writes = off
`;

/** A new PostgreSQL cluster (initdb), trusting loopback, ready for streaming replicas. */
export async function startPostgres(prefix = 'hs-pg-'): Promise<PostgresServer> {
  const dir = serviceDir(prefix);
  const port = await freePort();
  const data = join(dir, 'data');
  run(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  writeFileSync(join(data, 'postgresql.auto.conf'), SETTINGS(port, dir));
  const pg = server(dir, port);
  await pg.start();
  return pg;
}

/** A hot-standby streaming replica of `primary` (pg_basebackup). */
export async function startReplica(primary: PostgresServer, prefix = 'hs-replica-'): Promise<PostgresServer> {
  const dir = serviceDir(prefix);
  const port = await freePort();
  const data = join(dir, 'data');
  run(join(PG_BIN, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--no-sync']);
  // The copy carries the primary's settings; the replica listens on its own port and socket directory.
  writeFileSync(join(data, 'postgresql.auto.conf'), `${SETTINGS(port, dir)}\nprimary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=hs_replica'\n`);
  const replica = server(dir, port);
  await replica.start();
  return replica;
}

export interface PgBouncer {
  port: number;
  url(database: string): string;
  /** Stops it (SIGINT: finishes the transactions in flight, then exits) and starts it again on the same port. */
  restart(): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/**
 * Debian's PgBouncer in front of the server at `upstreamPort`, every database, user postgres,
 * `pool_mode` transaction and `poolSize` server connections per database.
 */
export async function startPgBouncer(upstreamPort: number, options: { poolSize?: number; maxClients?: number } = {}): Promise<PgBouncer> {
  const dir = serviceDir('hs-pgbouncer-');
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    `[databases]
* = host=127.0.0.1 port=${upstreamPort} user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = ${options.poolSize ?? 10}
max_client_conn = ${options.maxClients ?? 500}
ignore_startup_parameters = extra_float_digits,options
logfile = ${join(dir, 'pgbouncer.log')}
pidfile = ${join(dir, 'pgbouncer.pid')}
admin_users = postgres
`,
  );
  if (AS_ROOT) execFileSync('chown', ['-R', 'postgres', dir]);
  let child: ChildProcess | null = null;
  const launch = async () => {
    // PgBouncer drops root itself (-u), so signals reach it and not a wrapper.
    const proc = spawn('pgbouncer', AS_ROOT ? ['-u', 'postgres', ini] : [ini], { stdio: 'ignore' });
    child = proc;
    await until(async () => {
      if (proc.exitCode !== null) throw new Error(`pgbouncer exited with ${proc.exitCode}`);
      const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 1000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    }, 30_000, `PgBouncer on port ${port} to answer`);
  };
  const exited = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())));
  await launch();
  const signal = (s: NodeJS.Signals) => child?.kill(s);
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    restart: async () => {
      const c = child;
      signal('SIGINT');
      if (c) await exited(c);
      await launch();
    },
    kill: (s = 'SIGKILL') => signal(s),
    stop: async () => {
      const c = child;
      signal('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      if (c) await Promise.race([exited(c), new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (c && c.exitCode === null && c.signalCode === null) signal('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates the database `name` on a server (idempotent). */
export async function createDatabase(serverUrl: string, name: string): Promise<void> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name}"`).catch((e: { code?: string }) => {
      if (e.code !== '42P04') throw e;
    });
  } finally {
    await c.end();
  }
}

/** For a spec that must not run where the package is missing to say so plainly. */
export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
