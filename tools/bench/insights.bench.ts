// `npm run bench:insights`: the reliability report on 1,000,000 incidents (3 years, 50 teams,
// 500 services), through the GraphQL API (real HTTP server) next to the bare SQL statement the
// API runs, in one process on one database. Prints the median ms of each and their ratio.
// Goals: company year ≤ 300 ms, one team ≤ 50 ms, API within 1.3× of the bare SQL.
// Then the cost of writes through the rollups' triggers (one statement each, rolled back):
// goals an incident edit ≤ 15 ms, a service's revenue change ≤ 500 ms.
//
// The data lives in its own database, `hindsight_bench_insights`, seeded with set-based SQL
// (INSERT … SELECT generate_series). It is dropped at the end unless BENCH_KEEP=1; a kept
// database is reused by the next run (no re-seed) — delete it with BENCH_FRESH=1.
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { Pool, PoolClient } from 'pg';
import { DEFAULT_POLICIES } from '@hindsight/domain';
import { doraRows, factsReportSql, REPORT_SETTINGS, reliabilityReportRows, ReportScope } from '@hindsight/server-insights';
import { CHANGE_DAYS_SELECT } from '@hindsight/server-insights-sql';
import { checkRollups, INSERT_TRIGGERS_SQL, ROLLUP_BUILD, SEED_INSERT_TRIGGERS } from './insights.rollups';
import { seedWith, startBenchApi, type SeedStep } from './database.util';
import { median, runBench } from './load.util';

// BENCH_DB: another database name, e.g. to seed a small set without touching a kept one.
const DB = process.env['BENCH_DB'] ?? 'hindsight_bench_insights';
const INCIDENTS = Number(process.env['BENCH_INCIDENTS'] ?? 1_000_000);
const TEAMS = 50;
const SERVICES = 500;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const KEEP = process.env['BENCH_KEEP'] === '1';
const FRESH = process.env['BENCH_FRESH'] === '1';
// BENCH_COMPARE=1: also time the statement over incident_facts alone (what a report read before incident_fact_cells), same data, same run.
const COMPARE = process.env['BENCH_COMPARE'] === '1';
// BENCH_PART=reads or writes: only that half of the bench (default both).
const PART = process.env['BENCH_PART'] ?? 'both';
// DORA (issue 25): deploys a day over the report's year, to the first CHANGE_SERVICES services; one in ten to staging.
const CHANGES_PER_DAY = Number(process.env['BENCH_CHANGES_PER_DAY'] ?? 10_000);
const CHANGE_SERVICES = 200;
// Three years of data ending 2026-01-01; the reports look at the last one.
const DATA_FROM = '2023-01-01T00:00:00Z';
const YEAR = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') };

async function seed(pool: Pool): Promise<void> {
  const started = performance.now();
  await seedWith(pool, seedRows);
  console.log(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The raw rows, then the insight rollups. Through the rollups' triggers a million incidents
 * took over 20 minutes (each statement rebuilding facts, cells and team rows), so the raw rows
 * go in with triggers off (replica mode, this transaction only) and the rollups are then built
 * in one set-based pass each, as their migrations back-fill them (tools/bench/insights.rollups.ts),
 * and checked against the production sync on a sample before the commit.
 */
async function seedRows(client: PoolClient, step: SeedStep): Promise<void> {
  console.log(`seeding ${INCIDENTS} incidents…`);
  await step('teams', `INSERT INTO teams (name, slug) SELECT 'Team ' || t, 'team-' || t FROM generate_series(1, ${TEAMS}) t`);
  await step('services', `INSERT INTO services (name, kind, tier, team_id, revenue_per_minute)
    SELECT 'service-' || s, 'API', 1 + s % 3, (SELECT id FROM teams WHERE slug = 'team-' || (1 + s % ${TEAMS})),
           CASE WHEN s % 4 = 0 THEN NULL ELSE (s % 50) * 10 END
      FROM generate_series(0, ${SERVICES - 1}) s`);
  await client.query('BEGIN');
  const triggers = (await client.query<{ triggers: string[] }>(INSERT_TRIGGERS_SQL)).rows[0].triggers;
  if ([...triggers].sort().join() !== [...SEED_INSERT_TRIGGERS].sort().join()) {
    throw new Error(`the seed skips the INSERT triggers ${SEED_INSERT_TRIGGERS.join(', ')} and builds what they write; the database has ${triggers.join(', ')}: update tools/bench/insights.rollups.ts`);
  }
  await client.query('SET LOCAL session_replication_role = replica');
  // Durations are long-tailed (exp of a uniform): minutes to hours, a few days.
  await step('incidents', `INSERT INTO incidents (title, severity, status, impacted_dimensions, segments, started_at, detected_at, mitigated_at, resolved_at, responder_hours, sla_credits, labels)
    SELECT 'Incident ' || n,
           (ARRAY['SEV1','SEV2','SEV2','SEV3','SEV3','SEV3','SEV4','SEV4','SEV4','SEV4'])[1 + n % 10],
           CASE WHEN n % 50 = 0 THEN 'INVESTIGATING' ELSE 'RESOLVED' END,
           ARRAY['AVAILABILITY'],
           CASE WHEN n % 5 = 0 THEN ARRAY['enterprise'] WHEN n % 10 = 1 THEN ARRAY['eu'] ELSE '{}'::text[] END,
           st, st + d, CASE WHEN n % 3 <> 0 THEN st + d + m END, CASE WHEN n % 50 <> 0 THEN st + d + m + r END,
           CASE WHEN n % 2 = 0 THEN (n % 7) + 0.5 END, CASE WHEN n % 20 = 0 THEN (n % 13) * 100 END, '{}'
      FROM (SELECT n, timestamptz '${DATA_FROM}' + (random() * interval '1095 days') AS st,
                   exp(random() * 5) * interval '1 minute' AS d, exp(random() * 6) * interval '1 minute' AS m, exp(random() * 7) * interval '1 minute' AS r
              FROM generate_series(1, ${INCIDENTS}) n) g`);
  // Each incident affects one service, every tenth a second one; services cluster by team.
  await step('incident_services', `WITH svc AS (SELECT array_agg(id ORDER BY name) AS ids FROM services)
    INSERT INTO incident_services (incident_id, service_id)
    SELECT i.id, svc.ids[1 + (i.number::bigint * 7919 + k) % ${SERVICES}] FROM incidents i CROSS JOIN svc CROSS JOIN generate_series(0, 1) k
     WHERE k = 0 OR i.number % 10 = 0`);
  await step('contributing_factors', `INSERT INTO contributing_factors (incident_id, category, description, is_trigger)
    SELECT i.id, (ARRAY['RELEASE_REGRESSION','CONFIG_CHANGE','CAPACITY','BAD_DATA','FEATURE_STORE_LAG','DEPENDENCY_OUTAGE','MODEL_VERSION','ABNORMAL_TRAFFIC',
                        'INFRASTRUCTURE','NETWORK','SECURITY','CERTIFICATE_OR_SECRET','PROCESS','OBSERVABILITY_GAP','UNKNOWN','OTHER'])[1 + (i.number * 31 + k * 7) % 16],
           'factor', k = 0
      FROM incidents i CROSS JOIN generate_series(0, 1) k WHERE k = 0 OR i.number % 3 = 0`);
  await step('postmortems', `INSERT INTO postmortems (incident_id, status, due_at, published_at)
    SELECT id, CASE WHEN number % 4 = 0 THEN 'DRAFT' ELSE 'PUBLISHED' END,
           CASE WHEN resolved_at IS NOT NULL AND severity <> 'SEV4' THEN resolved_at + interval '240 hours' END,
           CASE WHEN number % 4 <> 0 THEN coalesce(resolved_at, started_at) + (number % 15) * interval '24 hours' END
      FROM incidents`);
  await step('action_items', `INSERT INTO action_items (incident_id, title, kind, priority, status, owner_team_id, due_at, completed_at, completion_note)
    SELECT i.id, 'fix', 'PREVENT', 'P2', CASE WHEN i.number % 3 = 0 THEN 'OPEN' ELSE 'DONE' END, s.team_id, i.started_at + interval '720 hours',
           CASE WHEN i.number % 3 <> 0 THEN i.started_at + (i.number % 60) * interval '24 hours' END, CASE WHEN i.number % 3 <> 0 THEN 'done' END
      FROM incidents i JOIN LATERAL (SELECT sv.team_id FROM incident_services x JOIN services sv ON sv.id = x.service_id WHERE x.incident_id = i.id LIMIT 1) s ON true
     WHERE i.number % 2 = 0`);
  // The rollups, in dependency order; the facts are written in start order (as the migrations' CLUSTER leaves them).
  await client.query(`SET LOCAL work_mem = '256MB'`);
  for (const [label, sql] of ROLLUP_BUILD) await step(label, sql);
  await client.query('SET LOCAL session_replication_role = origin');
  await client.query('RESET work_mem');
  await step('analyze rollups', 'ANALYZE incident_fact_services, incident_facts, incident_fact_cells, incident_fact_teams');
  const t = performance.now();
  const sample = (await client.query<{ ids: string[] }>(`SELECT array(SELECT id FROM incidents ORDER BY number LIMIT 50 OFFSET $1) AS ids`, [Math.floor(INCIDENTS / 2)])).rows[0].ids;
  const differ = await checkRollups((sql, params) => client.query(sql, params), sample);
  if (differ) throw new Error(`the seeded rollups differ from what insight_facts_sync writes (${differ} rows of ${sample.length} sampled incidents): update tools/bench/insights.rollups.ts`);
  console.log(`  check against insight_facts_sync (${sample.length} incidents): identical in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await client.query('COMMIT');
  // As autovacuum leaves a live database: statistics, visibility map.
  await step('vacuum', 'VACUUM ANALYZE');
}

/**
 * The changes of the report's year: CHANGES_PER_DAY a day spread over CHANGE_SERVICES
 * services, with triggers off like the incidents, then their daily rollup built with its own
 * SQL (CHANGE_DAYS_SELECT) and every twentieth incident of the year linked to a change as its
 * trigger. Run once per database (a kept database without changes gets them on reuse).
 */
async function seedChanges(pool: Pool): Promise<void> {
  const started = performance.now();
  const total = CHANGES_PER_DAY * 365;
  await seedWith(pool, async (client, step) => {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(`SET LOCAL work_mem = '256MB'`);
    console.log(`seeding ${total} changes (${CHANGES_PER_DAY} a day for a year, ${CHANGE_SERVICES} services)…`);
    await step('changes', `WITH svc AS (SELECT array_agg(id ORDER BY name) AS ids, array_agg(name ORDER BY name) AS names FROM (SELECT id, name FROM services ORDER BY name LIMIT ${CHANGE_SERVICES}) s)
      INSERT INTO changes (source, source_key, service_id, service_name, environment, production, version, status, finished_at)
      SELECT 'generic', 'bench:' || n, svc.ids[1 + ((n::bigint * 7919) % ${CHANGE_SERVICES})::int], svc.names[1 + ((n::bigint * 7919) % ${CHANGE_SERVICES})::int],
             CASE WHEN n % 10 = 0 THEN 'staging' ELSE 'production' END, n % 10 <> 0, 'v' || n, CASE WHEN n % 25 = 0 THEN 'failed' ELSE 'succeeded' END,
             timestamptz '${YEAR.from.toISOString()}' + (n::float8 / ${total}) * interval '365 days'
        FROM generate_series(0, ${total - 1}) n CROSS JOIN svc`);
    await step('insight_change_days', `INSERT INTO insight_change_days (service_id, day, changes) ${CHANGE_DAYS_SELECT} ORDER BY 1, 2`);
    await step('incident_changes', `INSERT INTO incident_changes (incident_id, change_id, role)
      SELECT i.id, c.id, 'TRIGGERING'
        FROM (SELECT id, started_at FROM incidents WHERE started_at >= '${YEAR.from.toISOString()}' AND started_at < '${YEAR.to.toISOString()}' AND number % 20 = 0) i
        JOIN LATERAL (SELECT c.id FROM changes c WHERE c.production AND c.finished_at <= i.started_at ORDER BY c.finished_at DESC LIMIT 1) c ON true`);
    await client.query('COMMIT');
  });
  await pool.query('VACUUM ANALYZE changes, insight_change_days, incident_changes');
  console.log(`  changes seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Median ms of each of two runs, taken in alternation (a, b, a, b, …) after one warm-up of
 * each: this VM's speed moves from minute to minute, and alternating lets both see the same.
 */
async function timePair(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  await a(); // warm-up: plan cache, JIT, buffers
  await b();
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    for (const [k, fn] of [a, b].entries()) {
      const t = performance.now();
      await fn();
      samples[k].push(performance.now() - t);
    }
  }
  return [median(samples[0]), median(samples[1])];
}

/**
 * The cost of one write statement through the rollups' triggers (facts, rows by service, cells,
 * team rows), each in a transaction that is then rolled back, so the kept database is left as it
 * was: a different incident (or service) per run, median of RUNS after one warm-up.
 */
async function timeWrites(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    const pick = async (sql: string): Promise<string[]> => (await client.query<{ id: string }>(sql, [RUNS + 1])).rows.map((r) => r.id);
    const incidents = await pick(`SELECT id FROM incidents WHERE started_at >= '2025-03-01' AND resolved_at IS NOT NULL ORDER BY number LIMIT $1`);
    const services = await pick(`SELECT s.id FROM services s WHERE s.revenue_per_minute IS NOT NULL ORDER BY s.name LIMIT $1`);
    const revenue = `UPDATE services SET revenue_per_minute = revenue_per_minute + 1 WHERE id = $1`;
    // [label, rows, statement timed, statement run before it in the transaction, goal in ms]
    const writes: [label: string, ids: string[], sql: string, before: string | null, goal: number | null][] = [
      ['incident edit (start kept)', incidents, `UPDATE incidents SET resolved_at = resolved_at + interval '1 minute' WHERE id = $1`, null, 15],
      ['incident start moved 1 h', incidents, `UPDATE incidents SET started_at = started_at - interval '1 hour' WHERE id = $1`, null, null],
      ['factor added', incidents, `INSERT INTO contributing_factors (incident_id, category, description, is_trigger) VALUES ($1, 'CAPACITY', 'bench', false)`, null, null],
      ['service revenue changed', services, revenue, null, 500],
      // What the worker (or the next report) does after that write: its ~2,000 incidents repriced.
      ['  its catch-up, after it', services, `SELECT insight_facts_catch_up(false) WHERE $1::uuid IS NOT NULL`, revenue, null],
    ];
    console.log(`\nwrites (one statement in a rolled-back transaction, median of ${RUNS}, a different row each run)`);
    for (const [label, ids, sql, before, goal] of writes) {
      const samples: number[] = [];
      for (const [i, id] of ids.entries()) {
        await client.query('BEGIN');
        try {
          if (before) await client.query(before, [id]);
          const t = performance.now();
          await client.query(sql, [id]);
          if (i > 0) samples.push(performance.now() - t); // the first is the warm-up
        } finally {
          await client.query('ROLLBACK');
        }
      }
      const verdict = goal === null ? '' : ` (goal ≤ ${goal} ms) ${median(samples) <= goal ? 'ok' : 'MISSES GOAL'}`;
      console.log(`${label.padEnd(28)} ${median(samples).toFixed(1).padStart(8)} ms  (${Math.min(...samples).toFixed(1)}–${Math.max(...samples).toFixed(1)})${verdict}`);
    }
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  const api = await startBenchApi(DB, { fresh: FRESH, keep: KEEP });
  const { pool, gql } = api;
  try {
    if (api.reused) console.log(`reusing the seeded database ${DB}`);
    else await seed(pool);
    if (!(await pool.query('SELECT EXISTS (SELECT 1 FROM changes) AS some')).rows[0].some) await seedChanges(pool);
    const token = await api.login();
    const count = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents')).rows[0].n;
    const teamId = (await pool.query<{ id: string }>(`SELECT id FROM teams WHERE slug = 'team-1'`)).rows[0].id;

    const STATS = 'count median p90 max histogram { upperBound count }';
    const QUERY = `query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents
      points { periodStart incidents bySeverity { severity count } timeToResolveMinutes { ${STATS} } cost }
      timeToDetectMinutes { ${STATS} } timeToMitigateMinutes { ${STATS} } timeToResolveMinutes { ${STATS} }
      topFactorCategories { category count } repeatIncidents
      actionItems { open overdue done doneOnTime doneOnTimeRate overdueAgeDays { ${STATS} } }
      postmortemsPublishedOnTimeRate totalCost
      dora { deployments deploymentsPerDay changeFailureRate failedChanges recoveryMedianMinutes recoveryP90Minutes changeFailureRateLow changeFailureRateHigh } } }`;

    console.log(`load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`\n${count} incidents, ${TEAMS} teams, ${SERVICES} services; report ${YEAR.from.toISOString().slice(0, 10)} → ${YEAR.to.toISOString().slice(0, 10)} weekly; median of ${RUNS} runs each, API and bare SQL alternating`);
    const cases: [string, Partial<ReportScope>, number][] = [
      ['company year', {}, 300],
      ['one team', { teamId }, 50],
      ['one segment (enterprise)', { segment: 'enterprise' }, 300],
    ];
    /** What the API's repository runs: the report's statements in one REPEATABLE READ transaction with its settings. */
    const bare = async (run: (query: <T>(sql: string, params: unknown[]) => Promise<T[]>) => Promise<unknown>): Promise<void> => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        await client.query(REPORT_SETTINGS);
        await run(async <T>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as T[]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    const report = (scope: ReportScope) => bare((query) => reliabilityReportRows(query, scope, new Date(), DEFAULT_POLICIES.hourlyResponderRate));
    /** What the API's repository runs since issue 25: the report's statements, then the DORA statement, in the same snapshot. */
    const reportWithDora = (scope: ReportScope) => bare(async (query) => {
      await reliabilityReportRows(query, scope, new Date(), DEFAULT_POLICIES.hourlyResponderRate);
      await doraRows(query, scope);
    });
    if (COMPARE) {
      for (const [label, extra] of cases) {
        const scope: ReportScope = { ...YEAR, interval: 'WEEK', ...extra };
        const { sql, params } = factsReportSql(scope, new Date(), DEFAULT_POLICIES.hourlyResponderRate);
        const [factsMs, nowMs] = await timePair(() => bare((query) => query(sql, params)), () => report(scope));
        console.log(`  ${label}: bare SQL over incident_facts alone ${factsMs.toFixed(1)} ms, as the API runs it now ${nowMs.toFixed(1)} ms`);
      }
    }
    // The DORA figures' share of the report: the same statements with and without the DORA statement, alternating.
    for (const [label, extra] of PART === 'writes' ? [] : cases) {
      const scope: ReportScope = { ...YEAR, interval: 'WEEK', ...extra };
      let deployments = 0;
      const [withoutMs, withMs] = await timePair(
        () => report(scope),
        () => bare(async (query) => {
          await reliabilityReportRows(query, scope, new Date(), DEFAULT_POLICIES.hourlyResponderRate);
          deployments = (await doraRows(query, scope)).deployments.reduce((n, d) => n + d.deployments, 0);
        }),
      );
      console.log(`${label.padEnd(26)} ${String(deployments).padStart(8)} deploys  report without DORA ${withoutMs.toFixed(1).padStart(7)} ms  with DORA ${withMs.toFixed(1).padStart(7)} ms  (+${(withMs - withoutMs).toFixed(1)} ms)`);
    }
    for (const [label, extra, goal] of PART === 'writes' ? [] : cases) {
      const scope: ReportScope = { ...YEAR, interval: 'WEEK', ...extra };
      const filter = { from: YEAR.from.toISOString(), to: YEAR.to.toISOString(), interval: 'WEEK', ...extra };
      let covered = 0;
      const [apiMs, bareMs] = await timePair(
        async () => {
          covered = ((await gql(QUERY, { f: filter }, token))['reliabilityReport'] as { incidents: number }).incidents;
        },
        () => reportWithDora(scope),
      );
      const verdict = apiMs <= goal && apiMs <= bareMs * 1.3 ? 'ok' : 'MISSES GOAL';
      console.log(`${label.padEnd(26)} ${String(covered).padStart(7)} incidents  api ${apiMs.toFixed(1).padStart(7)} ms  bare SQL ${bareMs.toFixed(1).padStart(7)} ms  ratio ${(apiMs / bareMs).toFixed(2)}  (goal ≤ ${goal} ms, ≤ 1.3×) ${verdict}`);
    }
    if (PART !== 'reads') await timeWrites(pool);
    console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await api.close();
  }
}

runBench(main);
