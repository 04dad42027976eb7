import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';

/*
 * Throw-away Redis servers of Debian's redis-server on free loopback ports, in a temporary
 * directory (never the machine's 6379): one server, a primary with a replica and three
 * sentinels, a three-node Cluster, a TLS server. For the topology tests and `npm run test:ha`.
 */

/** A free TCP port on loopback (the OS picks it; a race with another process is unlikely and fails loudly). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function answers(port: number, tls?: { ca: Buffer }): Promise<boolean> {
  const redis = new IORedis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...(tls ? { tls: { ca: tls.ca } } : {}) });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } finally {
    redis.disconnect();
  }
}

export interface RedisProcess {
  port: number;
  child: ChildProcess;
  /** Starts it again on the same port with the same configuration (after kill). */
  restart(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface RedisSet {
  dir: string;
  stop(): Promise<void>;
}

class Servers {
  readonly dir = mkdtempSync(join(tmpdir(), 'hs-redis-'));
  private readonly all: RedisProcess[] = [];

  async launch(name: string, conf: string, port: number, options: { sentinel?: boolean; tls?: { ca: Buffer } } = {}): Promise<RedisProcess> {
    const file = join(this.dir, `${name}.conf`);
    writeFileSync(file, `bind 127.0.0.1\ndir ${this.dir}\nlogfile ${join(this.dir, `${name}.log`)}\n${conf}\n`);
    const start = async (): Promise<ChildProcess> => {
      const child = spawn('redis-server', options.sentinel ? [file, '--sentinel'] : [file], { stdio: 'ignore' });
      await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`redis ${name} exited`);
        return answers(port, options.tls);
      }, 20_000, `redis ${name} on port ${port}`);
      return child;
    };
    const proc: RedisProcess = {
      port,
      child: await start(),
      restart: async () => {
        proc.child = await start();
      },
      kill: async (signal = 'SIGKILL') => {
        const c = proc.child;
        if (c.exitCode !== null || c.signalCode !== null) return;
        const gone = new Promise<void>((r) => c.once('exit', () => r()));
        c.kill(signal);
        await gone;
      },
    };
    this.all.push(proc);
    return proc;
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((p) => p.kill('SIGKILL')));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const EPHEMERAL = 'save ""\nappendonly no';

/** One server. */
export async function startRedis(): Promise<RedisSet & { server: RedisProcess; url: string }> {
  const s = new Servers();
  const port = await freePort();
  const server = await s.launch('redis', `port ${port}\n${EPHEMERAL}`, port);
  return { dir: s.dir, server, url: `redis://127.0.0.1:${port}`, stop: () => s.stop() };
}

export interface SentinelSet extends RedisSet {
  name: string;
  primary: RedisProcess;
  replica: RedisProcess;
  sentinels: RedisProcess[];
  /** REDIS_SENTINELS for these sentinels. */
  sentinelList: string;
  /** The port the sentinels name as the primary now. */
  currentPrimary(): Promise<number>;
}

/**
 * A primary, a replica and three sentinels (quorum 2) that call a primary down after
 * `downAfterMs` without an answer. Redis's own replication: the replica may miss the last
 * writes before a failover, as in production; the queue is rebuilt from Postgres.
 */
export async function startSentinels(options: { name?: string; downAfterMs?: number } = {}): Promise<SentinelSet> {
  const s = new Servers();
  const name = options.name ?? 'hindsight';
  const [p, r, ...sp] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  // appendonly so a primary restarted after a kill comes back with its data, as a real one would.
  const primary = await s.launch('primary', `port ${p}\nappendonly yes\nappendfsync everysec\nsave ""`, p);
  const replica = await s.launch('replica', `port ${r}\nappendonly yes\nappendfsync everysec\nsave ""\nreplicaof 127.0.0.1 ${p}`, r);
  await waitFor(async () => {
    const c = new IORedis({ port: r, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      return /master_link_status:up/.test(await c.info('replication'));
    } finally {
      c.disconnect();
    }
  }, 20_000, 'the replica to sync');
  const sentinels: RedisProcess[] = [];
  for (const [i, port] of sp.entries()) {
    sentinels.push(await s.launch(`sentinel-${i}`, [
      `port ${port}`,
      `sentinel monitor ${name} 127.0.0.1 ${p} 2`,
      `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1000}`,
      `sentinel failover-timeout ${name} 10000`,
      `sentinel parallel-syncs ${name} 1`,
    ].join('\n'), port, { sentinel: true }));
  }
  const currentPrimary = async (): Promise<number> => {
    const c = new IORedis({ port: sp[0], host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      const answer = (await c.call('SENTINEL', 'get-master-addr-by-name', name)) as [string, string];
      return Number(answer[1]);
    } finally {
      c.disconnect();
    }
  };
  // Every sentinel knows the replica and the other sentinels before anything fails.
  await waitFor(async () => {
    for (const port of sp) {
      const c = new IORedis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
      try {
        const replicas = (await c.call('SENTINEL', 'replicas', name)) as unknown[];
        const peers = (await c.call('SENTINEL', 'sentinels', name)) as unknown[];
        if (replicas.length < 1 || peers.length < 2) return false;
      } finally {
        c.disconnect();
      }
    }
    return true;
  }, 30_000, 'the sentinels to find each other');
  return { dir: s.dir, name, primary, replica, sentinels, sentinelList: sp.map((port) => `127.0.0.1:${port}`).join(','), currentPrimary, stop: () => s.stop() };
}

/** Three primaries (no replicas) joined into a Redis Cluster with redis-cli. */
export async function startCluster(): Promise<RedisSet & { nodes: RedisProcess[]; url: string }> {
  const s = new Servers();
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const nodes: RedisProcess[] = [];
  for (const port of ports) {
    nodes.push(await s.launch(`node-${port}`, `port ${port}\n${EPHEMERAL}\ncluster-enabled yes\ncluster-config-file nodes-${port}.conf\ncluster-node-timeout 2000`, port));
  }
  execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore' });
  await waitFor(async () => {
    const c = new IORedis({ port: ports[0], host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      return /cluster_state:ok/.test((await c.call('CLUSTER', 'INFO')) as string);
    } finally {
      c.disconnect();
    }
  }, 20_000, 'the cluster to be ok');
  return { dir: s.dir, nodes, url: `redis://127.0.0.1:${ports[0]}`, stop: () => s.stop() };
}

/** A TLS-only server with a certificate for 127.0.0.1 signed by a CA of its own (openssl). */
export async function startTlsRedis(): Promise<RedisSet & { url: string; caFile: string }> {
  const s = new Servers();
  const port = await freePort();
  const f = (n: string) => join(s.dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Hindsight test CA', '-keyout', f('ca.key'), '-out', f('ca.pem'));
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr'));
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('san.ext'), '-out', f('server.pem'));
  const ca = readFileSync(f('ca.pem'));
  await s.launch('tls', [
    'port 0', `tls-port ${port}`, `tls-cert-file ${f('server.pem')}`, `tls-key-file ${f('server.key')}`, `tls-ca-cert-file ${f('ca.pem')}`, 'tls-auth-clients no', EPHEMERAL,
  ].join('\n'), port, { tls: { ca } });
  return { dir: s.dir, url: `rediss://127.0.0.1:${port}`, caFile: f('ca.pem'), stop: () => s.stop() };
}
