// `npm run bench:capacity`: what one API process carries on this machine (docs/kubernetes.md).
// One API (its own process) over a database with a year of incidents, the fault suite's mix of
// reads, writes and reports offered at rising rates (open loop, 20 s each); prints per rate the
// requests served per second, p50/p99 latency, failures and the API's CPU per request.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrateDatabase, withDatabase } from '@hindsight/server-db';
import { freePort, TEST_SERVER_URL, until } from '@hindsight/server-db/testing';

const ROOT = join(__dirname, '..', '..');
const RATES = (process.env['CAPACITY_RATES'] ?? '25,50,100,150,200').split(',').map(Number);
const SECONDS = Number(process.env['CAPACITY_SECONDS'] ?? 20);
const ADMIN = { email: 'capacity@example.com', password: 'capacity-password' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const name = `hindsight_capacity_${randomBytes(3).toString('hex')}`;
  const url = withDatabase(TEST_SERVER_URL, name);
  await migrateDatabase(url);
  const port = await freePort();
  const api = spawn(process.execPath, ['--max-semi-space-size=64', '-r', '@swc-node/register', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url, JWT_SECRET: 'capacity-secret-0123456789-abcdefghijk',
      HINDSIGHT_ADMIN_EMAIL: ADMIN.email, HINDSIGHT_ADMIN_PASSWORD: ADMIN.password, QUEUE_PREFIX: `hs-cap-${randomBytes(3).toString('hex')}`, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await until(async () => (await fetch(`${base}/health/ready`)).ok, 120_000, 'the API');
    const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      return { ok: res.status === 200 && !body.errors && !!body.data, data: body.data };
    };
    const token = ((await post(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password })).data?.['login'] as { token: string }).token;
    // A year of history: 300 incidents through the API.
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const r = await post(`mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`, { i: { title: `Capacity ${i}`, severity: ['SEV1', 'SEV2', 'SEV3'][i % 3], startedAt: new Date(Date.now() - (i + 1) * 29 * 3_600_000).toISOString() } }, token);
      if (r.ok) ids.push((r.data?.['createIncident'] as { id: string }).id);
    }
    const from = new Date(Date.now() - 365 * 86_400_000).toISOString();
    const to = new Date().toISOString();
    let n = 0;
    const one = (): Promise<{ ok: boolean }> => {
      const k = n++;
      const id = ids[k % ids.length];
      switch (k % 10) {
        case 0: return post(`mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`, { i: { title: `Load ${k}`, severity: 'SEV3', startedAt: new Date().toISOString() } }, token);
        case 1: return post(`mutation($id: ID!, $i: UpdateIncidentInput!) { updateIncident(id: $id, input: $i) { id } }`, { id, i: { title: `Capacity ${k} (edited)` } }, token);
        case 2: return post(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents timeToResolveMinutes { median p90 } } }`, { f: { from, to } }, token);
        case 3: case 4: return post(`query($id: ID!) { incident(id: $id) { id title severity status timeline { id } actionItems { id title status } } }`, { id }, token);
        case 5: case 6: return post(`{ incidents(first: 25) { nodes { id title severity status startedAt } totalCount } }`, {}, token);
        case 7: return post(`{ actionItems(first: 25) { nodes { id title status dueAt } } }`, {}, token);
        default: return post(`{ me { id email role } }`, {}, token);
      }
    };
    const cpu = async () => {
      const stat = (await import('node:fs')).readFileSync(`/proc/${api.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(stat[11]) + Number(stat[12])) * 10; // ms (100 ticks per second)
    };
    console.log(`capacity: one API process, ${SECONDS} s per rate; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('offered/s  served/s  p50 ms  p99 ms  failed  API CPU ms/request');
    for (const rate of RATES) {
      const samples: { ok: boolean; ms: number }[] = [];
      const inFlight = new Set<Promise<unknown>>();
      const cpu0 = await cpu();
      const start = Date.now();
      for (let k = 0; Date.now() - start < SECONDS * 1000; k++) {
        const due = start + (k * 1000) / rate;
        if (due > Date.now()) await sleep(due - Date.now());
        const t = Date.now();
        const p = one().then((r) => samples.push({ ok: r.ok, ms: Date.now() - t }), () => samples.push({ ok: false, ms: Date.now() - t })).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await Promise.all(inFlight);
      const elapsed = (Date.now() - start) / 1000;
      const cpuMs = (await cpu()) - cpu0;
      const ms = samples.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
      const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor(ms.length * p))] ?? 0;
      const served = samples.filter((s) => s.ok).length;
      console.log(`${String(rate).padStart(9)}  ${(served / elapsed).toFixed(1).padStart(8)}  ${String(pct(0.5)).padStart(6)}  ${String(pct(0.99)).padStart(6)}  ${String(samples.length - served).padStart(6)}  ${(cpuMs / Math.max(1, samples.length)).toFixed(2).padStart(8)}`);
    }
  } finally {
    api.kill('SIGTERM');
    await sleep(1000);
    const c = new Client({ connectionString: TEST_SERVER_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => c.end());
  }
}

main().catch((e: unknown) => {
  console.error(`capacity: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
