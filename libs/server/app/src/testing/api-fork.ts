import { ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverEntry } from '@hindsight/server-db/testing';
import { TEST_ADMIN } from './api-harness';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

export interface ForkedApi {
  url: string;
  dbUrl: string;
  pid: number;
  /** Everything the process wrote (its JSON log lines). */
  output(): string;
  /** Resident memory of the process now, bytes (VmRSS of /proc/<pid>/status). */
  rss(): number;
  /** SQL statements run so far, and the heap in use after a full collection. */
  stats(): Promise<{ sqlStatements: number; heapUsed: number }>;
  login(email?: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts `api.process.ts`: the real API in its own process (production settings plus `env`),
 * so a spec can measure what a request does to the server (memory, event loop, logs) and not
 * to the test runner.
 */
export async function forkApi(env: Record<string, string> = {}): Promise<ForkedApi> {
  const entry = serverEntry(join(__dirname, 'api.process.ts'));
  const child: ChildProcess = fork(entry.file, [], {
    cwd: ROOT,
    execArgv: ['--expose-gc', ...entry.execArgv],
    env: { ...process.env, NODE_OPTIONS: '', LOG_FORMAT: 'json', HINDSIGHT_PROCESS: 'api', HINDSIGHT_TEST_API_ENV: JSON.stringify(env) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const started = await new Promise<{ url: string; dbUrl: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; dbUrl: string }));
    child.once('exit', (code) => reject(new Error(`the API process ended with ${code} before it listened:\n${out}`)));
  });
  child.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid ?? 0;
  return {
    ...started,
    pid,
    output: () => out,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    stats: () =>
      new Promise((resolve) => {
        const onMessage = (m: unknown) => {
          if (m && typeof m === 'object' && 'heapUsed' in m) {
            child.off('message', onMessage);
            resolve(m as { sqlStatements: number; heapUsed: number });
          }
        };
        child.on('message', onMessage);
        child.send('stats');
      }),
    login: async (email = TEST_ADMIN.email, password = TEST_ADMIN.password) => {
      const res = await fetch(`${started.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: email, p: password } }),
      });
      const body = (await res.json()) as { data?: { login: { token: string } }; errors?: unknown };
      if (!body.data) throw new Error(`login failed: ${JSON.stringify(body.errors)}`);
      return body.data.login.token;
    },
    close: async () => {
      if (child.exitCode === null) child.send('close');
      await exited;
    },
  };
}
