import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { TEST_ADMIN } from '@hindsight/server-app/testing';
import { installTimestamptzParser } from '@hindsight/server-db';

export interface LoadResult {
  rps: number;
  /** 99th percentile of request latency, ms. */
  p99: number;
  bytes: number;
}

export interface Target {
  url: string;
  init: RequestInit;
}

const AUTOCANNON = join(process.cwd(), 'node_modules', 'autocannon', 'autocannon.js');

/** One request through fetch: the page must answer 200 without GraphQL errors (a benchmark of error pages measures nothing). */
export async function checkPage(target: Target): Promise<string> {
  const res = await fetch(target.url, target.init);
  const text = await res.text();
  if (res.status !== 200 || text.includes('"errors"')) throw new Error(`bad response ${res.status} from ${target.url}: ${text.slice(0, 300)}`);
  return text;
}

/**
 * Drives `requests` requests at the target over `concurrency` keep-alive connections with
 * autocannon in a child process, so the load generator's own CPU and garbage never count
 * against the server being measured. Any non-2xx answer or socket error fails the run.
 */
export async function load(target: Target, requests: number, concurrency: number): Promise<LoadResult> {
  const body = await checkPage(target);
  // -L: autocannon notices the last answer only at a sample tick (1 s by default), which made
  // a 10-second run's duration, and so its req/s, up to 10% off.
  const args = [AUTOCANNON, '-j', '-n', '-L', '50', '-a', String(requests), '-c', String(concurrency), '-m', target.init.method ?? 'GET'];
  for (const [k, v] of Object.entries((target.init.headers ?? {}) as Record<string, string>)) args.push('-H', `${k}=${v}`);
  if (typeof target.init.body === 'string') args.push('-b', target.init.body);
  args.push(target.url);
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`autocannon failed: ${stderr || error.message}`)) : resolve(stdout))),
  );
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { duration: number; errors: number; timeouts: number; non2xx: number; '2xx': number; latency: { p99: number } };
  if (r.errors || r.timeouts || r.non2xx) throw new Error(`${target.url}: ${r.errors} socket errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx answers under load`);
  return { rps: r['2xx'] / r.duration, p99: r.latency.p99, bytes: Buffer.byteLength(body) };
}

export const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;

/**
 * The API and a bare handler serving the same page, measured alternately in one run with the
 * same connections (the machine is shared and noisy, so only the ratio within a run means
 * much): a warm-up of each, then BENCH_ROUNDS rounds (5 by default); prints every round and
 * the medians.
 */
/** CPU time (user + system, ms) the process has used so far, from /proc (Linux). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Runs the load and returns it with the CPU ms per request the given process spent on it. */
async function loadWithCpu(target: Target, requests: number, concurrency: number, pid: number): Promise<LoadResult & { cpuMs: number }> {
  const before = processCpuMs(pid);
  const r = await load(target, requests, concurrency);
  return { ...r, cpuMs: (processCpuMs(pid) - before) / requests };
}

export async function compareWithBare(label: string, api: Target & { pid: number }, bare: Target, requests: number, concurrency: number): Promise<void> {
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
  await load(api, requests, concurrency); // warm-up (Mercurius JIT-compiles after the first run)
  await load(bare, requests, concurrency);
  const results: { api: LoadResult & { cpuMs: number }; bare: LoadResult & { cpuMs: number } }[] = [];
  for (let i = 0; i < rounds; i++) {
    const b = await loadWithCpu(bare, requests, concurrency, process.pid);
    const a = await loadWithCpu(api, requests, concurrency, api.pid);
    results.push({ api: a, bare: b });
    console.log(
      `round ${i + 1}: api ${a.rps.toFixed(0)} req/s p99 ${a.p99.toFixed(1)} ms (${a.bytes} B, ${a.cpuMs.toFixed(2)} ms CPU/request); ` +
        `bare ${b.rps.toFixed(0)} req/s p99 ${b.p99.toFixed(1)} ms (${b.bytes} B, ${b.cpuMs.toFixed(2)} ms CPU/request); ratio ${(a.rps / b.rps).toFixed(2)}`,
    );
  }
  // CPU per request of each server's process is steadier than req/s on a shared machine: it says where a change went.
  console.log(`CPU per request (median): api process ${median(results.map((r) => r.api.cpuMs)).toFixed(2)} ms, bare handler's process ${median(results.map((r) => r.bare.cpuMs)).toFixed(2)} ms`);
  const a = { rps: median(results.map((r) => r.api.rps)), p99: median(results.map((r) => r.api.p99)) };
  const b = { rps: median(results.map((r) => r.bare.rps)), p99: median(results.map((r) => r.bare.p99)) };
  const ratio = median(results.map((r) => r.api.rps / r.bare.rps));
  console.log(`${label}; ${requests} requests × ${concurrency} connections (autocannon in its own process), median of ${rounds} rounds`);
  console.log(`graphql api: ${a.rps.toFixed(0)} req/s, p99 ${a.p99.toFixed(1)} ms; bare http+pg: ${b.rps.toFixed(0)} req/s, p99 ${b.p99.toFixed(1)} ms; ratio ${ratio.toFixed(2)}`);
}

export interface ApiProcess {
  url: string;
  dbUrl: string;
  pid: number;
  /** Signs in as the test ADMIN and returns the token. */
  login(): Promise<string>;
  /** Ends the API (its database is dropped); a CPU profile, if asked for, is written now. */
  close(): Promise<void>;
}

/**
 * Forks `api.process.ts`: the API alone in its process, logs at `info` (JSON, into a file under
 * the temp dir), as in production. BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the API there,
 * BENCH_HEAP_PROF=<dir> a sampling profile of its allocations.
 */
export async function startApiProcess(env: Record<string, string> = {}): Promise<ApiProcess> {
  const logFile = join(tmpdir(), `hindsight-bench-api-${process.pid}.log`);
  const out = openSync(logFile, 'w');
  const profDir = process.env['BENCH_CPU_PROF'];
  const heapDir = process.env['BENCH_HEAP_PROF'];
  const child = fork(join(__dirname, 'api.process.ts'), [], {
    execArgv: [...process.execArgv, ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), ...(heapDir ? ['--heap-prof', '--heap-prof-dir', heapDir] : [])],
    env: { ...process.env, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', out, out, 'ipc'],
  });
  const started = await new Promise<{ url: string; dbUrl: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; dbUrl: string }));
    child.once('exit', (code) => reject(new Error(`the API process ended with ${code} before it listened; see ${logFile}`)));
  });
  child.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    ...started,
    pid: child.pid ?? 0,
    login: async () => {
      const res = await fetch(`${started.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: TEST_ADMIN.email, p: TEST_ADMIN.password } }),
      });
      const body = (await res.json()) as { data?: { login: { token: string } }; errors?: unknown };
      if (!body.data) throw new Error(`login failed: ${JSON.stringify(body.errors)}`);
      return body.data.login.token;
    },
    close: async () => {
      child.send('close');
      await exited;
      closeSync(out);
    },
  };
}

/** One page of the API measured against a bare handler serving the same JSON (compareWithBare). */
export interface PageAgainstBare<Seeded> {
  label: string;
  /** Writes the page's data into the API's database; what it returns is handed to `request` and `bare`. */
  seed(pool: Pool): Promise<Seeded>;
  /** The page's GraphQL request. */
  request(seeded: Seeded): { query: string; variables?: Record<string, unknown> };
  /** The page's JSON body, from the statements the API's resolvers and loaders issue, assembled by hand. */
  bare(pool: Pool, seeded: Seeded): Promise<string>;
  requests: number;
  concurrency: number;
}

/** Starts the API in its own process, seeds its database, serves the bare page next to it and compares the two. */
export async function benchPageAgainstBare<Seeded>(page: PageAgainstBare<Seeded>): Promise<void> {
  const api = await startApiProcess();
  // The same pool size as the API's (DataSource default), and the same reading of timestamps.
  installTimestamptzParser();
  const pool = new Pool({ connectionString: api.dbUrl, max: 10 });
  try {
    const seeded = await page.seed(pool);
    const token = await api.login();
    const bare = createServer((req, res) => {
      page.bare(pool, seeded).then(
        (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
        (e: Error) => res.writeHead(500).end(e.message),
      );
      req.resume();
    }).listen(0, '127.0.0.1');
    await once(bare, 'listening');
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
    const gql: RequestInit = { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(page.request(seeded)) };
    await compareWithBare(page.label, { url: `${api.url}/graphql`, init: gql, pid: api.pid }, { url: bareUrl, init: { method: 'GET' } }, page.requests, page.concurrency);
    bare.close();
  } finally {
    await pool.end();
    await api.close();
  }
}

/** Runs a benchmark: a failure is printed and the process exits 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
