// `npm run bench:soak [-- --minutes N]` (or BENCH_SOAK_MINUTES): the API in its own process
// under a mixed read/write load for 10 minutes, at a bounded rate (BENCH_SOAK_RATE requests/s,
// 40 by default), on loopback and its own database. autocannon runs in a separate process.
// Prints RSS at start and end, requests, errors and p99 per minute, then PASS/FAIL lines:
// RSS growth over the last half of the run (the last 5 of 10 minutes) under 5 %, zero errors.
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'pg';
import { median, runBench, startApiProcess } from './load.util';

function minutesWanted(): number {
  const i = process.argv.indexOf('--minutes');
  const raw = i >= 0 ? process.argv[i + 1] : process.env['BENCH_SOAK_MINUTES'];
  const n = Number(raw ?? 10);
  if (!Number.isFinite(n) || n < 2 || n > 60) throw new Error(`--minutes must be between 2 and 60 (got ${raw})`);
  return Math.round(n);
}

const MINUTES = minutesWanted();
const RATE = Number(process.env['BENCH_SOAK_RATE'] ?? 40);
const CONNECTIONS = 4;
const WARM_UP_SECONDS = 20;

/** Resident set size of a process, in bytes (Linux). */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
}
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Two teams of people, a reviewed incident with a timeline (read), and an incident the writes go to. */
async function seed(pool: Pool): Promise<{ readId: string; writeId: string }> {
  const q = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await pool.query(sql, params)).rows as T[];
  const users = (await q<{ id: string }>(`INSERT INTO users (email, name, role) SELECT 'soak' || i || '@bench.local', 'Soak ' || i, 'COMMANDER' FROM generate_series(1, 20) i RETURNING id`)).map((u) => u.id);
  const teams = (await q<{ id: string }>(`INSERT INTO teams (name, slug, manager_id) VALUES ('Soak A', 'soak-a', $1), ('Soak B', 'soak-b', $2) RETURNING id`, [users[0], users[1]])).map((t) => t.id);
  await q(`INSERT INTO team_members (team_id, user_id) SELECT ($1::uuid[])[1 + i % 2], ($2::uuid[])[1 + i] FROM generate_series(0, 19) i`, [teams, users]);
  const [service] = await q<{ id: string }>(`INSERT INTO services (name, kind, tier, team_id) VALUES ('soak-api', 'API', 1, $1) RETURNING id`, [teams[0]]);
  const [read, write] = await q<{ id: string }>(`INSERT INTO incidents (title, severity, status, started_at, commander_id)
    VALUES ('Soak: checkout errors', 'SEV2', 'RESOLVED', now() - interval '3 days', $1), ('Soak: the incident being written', 'SEV3', 'INVESTIGATING', now() - interval '1 hour', $1) RETURNING id`, [users[2]]);
  await q(`INSERT INTO incident_services (incident_id, service_id) VALUES ($1, $3), ($2, $3)`, [read.id, write.id, service.id]);
  await q(`INSERT INTO timeline_events (incident_id, occurred_at, kind, description, author_id)
    SELECT $1, now() - interval '3 days' + i * interval '1 minute', 'NOTE', 'Soak event ' || i, ($2::uuid[])[1 + i % 20] FROM generate_series(1, 50) i`, [read.id, users]);
  await q(`INSERT INTO action_items (incident_id, title, kind, priority, owner_team_id, assignee_id, due_at)
    SELECT $1, 'Soak action ' || i, 'PREVENT', 'P2', ($2::uuid[])[1 + i % 2], ($3::uuid[])[1 + i % 20], now() + i * interval '1 day' FROM generate_series(1, 10) i`, [read.id, teams, users]);
  return { readId: read.id, writeId: write.id };
}

async function main(): Promise<void> {
  const api = await startApiProcess();
  const pool = new Pool({ connectionString: api.dbUrl, max: 2 });
  try {
    const { readId, writeId } = await seed(pool);
    const token = await api.login();
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const gql = (query: string, variables: Record<string, unknown> = {}) => ({ method: 'POST' as const, path: '/graphql', headers, body: JSON.stringify({ query, variables }) });
    const requests = [
      gql(`query($id: ID) { incident(id: $id) { id reference title status cost isRepeat timeline { id occurredAt kind description author { id name } } actionItems { id title status dueAt assignee { id name } ownerTeam { id name } } } }`, { id: readId }),
      gql(`mutation($id: ID!, $e: TimelineEventInput!) { addTimelineEvent(incidentId: $id, input: $e) { id } }`, { id: writeId, e: { kind: 'NOTE', description: 'Soak note', occurredAt: new Date().toISOString() } }),
      gql(`{ teams { id name manager { id name } members { id name role } } }`),
      gql(`{ incidents(first: 20) { nodes { id reference title severity status startedAt } } }`),
      gql(`mutation($id: ID!) { addHypothesis(incidentId: $id, statement: "Soak hypothesis") { id } }`, { id: writeId }),
      gql(`{ me { id name role } }`),
    ];
    for (const r of requests) {
      const res = await fetch(`${api.url}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
      const text = await res.text();
      if (res.status !== 200 || text.includes('"errors"')) throw new Error(`the soak's request failed before the run: ${res.status} ${text.slice(0, 300)}`);
    }

    const run = (seconds: number, onMinute: (m: { minute: number; requests: number; errors: number; p99: number }) => void): Promise<void> => {
      const child = fork(join(__dirname, 'soak.load.ts'), [], {
        env: { ...process.env, SOAK_PLAN: JSON.stringify({ url: api.url, seconds, rate: RATE, connections: CONNECTIONS, requests }) },
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      });
      if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => onMinute(JSON.parse(line) as { minute: number; requests: number; errors: number; p99: number }));
      return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the load generator ended with ${code}`)))));
    };

    await run(WARM_UP_SECONDS, () => undefined);
    const rssStart = rssOf(api.pid);
    console.log(`soak: ${MINUTES} min, ${RATE} req/s over ${CONNECTIONS} connections (autocannon in its own process), reads:writes 4:2; RSS at start ${mb(rssStart)}`);
    const samples: number[][] = Array.from({ length: MINUTES }, () => []);
    const started = Date.now();
    const sampler = setInterval(() => {
      const m = Math.min(MINUTES - 1, Math.floor((Date.now() - started) / 60_000));
      samples[m].push(rssOf(api.pid));
    }, 2_000);
    let errors = 0;
    await run(MINUTES * 60, (m) => {
      errors += m.errors;
      const rss = samples[m.minute - 1]?.length ? median(samples[m.minute - 1]) : rssOf(api.pid);
      console.log(`minute ${m.minute}: ${m.requests} requests, ${m.errors} errors, p99 ${m.p99.toFixed(1)} ms, RSS ${mb(rss)}`);
    });
    clearInterval(sampler);
    const rssEnd = rssOf(api.pid);
    const half = Math.floor(MINUTES / 2);
    // Median RSS of a minute, so one garbage collection caught mid-way does not decide.
    const from = median(samples[MINUTES - half - 1] ?? [rssStart]);
    const to = median(samples[MINUTES - 1].length ? samples[MINUTES - 1] : [rssEnd]);
    const growth = ((to - from) / from) * 100;
    console.log(`RSS at start ${mb(rssStart)}, at end ${mb(rssEnd)}`);
    console.log(`RSS growth over the last ${half} minutes: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} % (${mb(from)} -> ${mb(to)}, limit 5 %): ${growth < 5 ? 'PASS' : 'FAIL'}`);
    console.log(`errors: ${errors}: ${errors === 0 ? 'PASS' : 'FAIL'}`);
    if (growth >= 5 || errors > 0) process.exitCode = 1;
  } finally {
    await pool.end();
    await api.close();
  }
}

runBench(main);
