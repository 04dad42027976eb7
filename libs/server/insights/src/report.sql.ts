import { REPORT_DURATIONS, SEVERITIES, type Severity, type TrendInterval } from '@hindsight/domain';
import { DURATION_KEYS, factCostCents, RANK_BUCKETS } from '@hindsight/server-insights-sql';

/**
 * The reliability report's statements (libs/server/insights/README.md): SQL returns the
 * covered rows' facts — sums, rank counts, the values the percentiles need — and the API
 * computes the distributions from them (report.rows.ts).
 */

export interface ReportScope {
  from: Date;
  to: Date;
  interval: TrendInterval;
  teamId?: string | null;
  serviceId?: string | null;
  severities?: readonly Severity[] | null;
  segment?: string | null;
}

/** Numbered parameters and AND-ed conditions. */
export class SqlParams {
  readonly values: unknown[] = [];
  private readonly conditions: string[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  where(sql: string): void {
    this.conditions.push(sql);
  }

  get conjunction(): string {
    return this.conditions.length ? this.conditions.join(' AND ') : 'true';
  }
}

/** The rollup's precomputed period starts (date_trunc of started_at in UTC). */
export const PERIOD_COLUMN: Record<TrendInterval, string> = { WEEK: 'week_start', MONTH: 'month_start' };

/**
 * Run before the report's statements, in their transaction. PostgreSQL's JIT compiles their
 * many aggregate expressions for seconds on a big table (its cost estimate is high), far more
 * than it saves. A year of covered incidents stays in memory: with the default 4 MB work_mem it
 * spills to disk.
 */
export const REPORT_SETTINGS = `SET LOCAL jit = off; SET LOCAL work_mem = '128MB'`;

/** Values as float8send writes them, 8 bytes each, concatenated (NULLs left out): read with float8s. */
const valueBytes = (x: string): string => `coalesce(string_agg(float8send(${x}), ''::bytea), ''::bytea)`;
/** Instants as timestamptz_send writes them (microseconds since 2000), concatenated: read with instantsMs. */
const instantBytes = (x: string): string => `coalesce(string_agg(timestamptz_send(${x}), ''::bytea), ''::bytea)`;
/** The same, base64 inside a json object. */
const base64 = (bytes: string): string => `encode(${bytes}, 'base64')`;

const severityCounts = (count: (s: Severity) => string): string => `ARRAY[${SEVERITIES.map(count).join(', ')}]::int[]`;

/**
 * The report over the rollup `incident_facts` (a team: its copy per owning team,
 * incident_fact_teams, one range of its key) in ONE statement: the covered incidents are
 * selected once (MATERIALIZED) and aggregated per period; each period carries the values of
 * every distribution (float8, base64), from which the API computes them, per period and for the
 * whole range. What depends on the clock or the hourly rate is finished here from stored
 * inputs. Used for a team or service filter (the cells do not split by them) and when the
 * cells are priced at another rate.
 */
export function factsReportSql(scope: ReportScope, now: Date, hourlyRate: number): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  const nowP = `${p.add(now)}::timestamptz`;
  const rateP = `${p.add(hourlyRate)}::float8`;
  p.where(`f.started_at >= ${p.add(scope.from)}::timestamptz`);
  p.where(`f.started_at < ${p.add(scope.to)}::timestamptz`);
  if (scope.severities?.length) p.where(`f.severity = ANY(${p.add(scope.severities)}::text[])`);
  const source = scope.teamId ? `incident_fact_teams f` : `incident_facts f`;
  if (scope.teamId) p.where(`f.team_id = ${p.add(scope.teamId)}::uuid`);
  if (scope.serviceId) p.where(`f.service_ids @> ARRAY[${p.add(scope.serviceId)}::uuid]`);
  if (scope.segment) p.where(`f.segment_keys @> ARRAY[lower(btrim(${p.add(scope.segment)}::text))]`);
  const sql = `
    WITH cov AS MATERIALIZED (
      SELECT f.${PERIOD_COLUMN[scope.interval]} AS period, f.severity, ${DURATION_KEYS.map((k) => `f.${k}`).join(', ')}, ${factCostCents('f', nowP, rateP)} AS cents,
             f.is_repeat, f.pm_due_at, f.pm_published_at, f.items_open, f.items_done, f.items_done_on_time, f.categories, f.open_item_due_ats
        FROM ${source}
       WHERE ${p.conjunction}
    ),
    periods AS (
      SELECT (extract(epoch FROM period) * 1000)::float8 AS period,
             count(*)::int AS incidents,
             ${severityCounts((s) => `count(*) FILTER (WHERE severity = '${s}')`)} AS severities,
             sum(cents::bigint)::float8 AS cents,
             json_build_object(${DURATION_KEYS.map((k) => `'${k}', ${base64(valueBytes(k))}`).join(', ')}) AS "values",
             count(*) FILTER (WHERE is_repeat)::int AS repeats,
             count(*) FILTER (WHERE pm_due_at IS NOT NULL AND (pm_published_at IS NOT NULL OR ${nowP} > pm_due_at))::int AS "pmCounted",
             count(*) FILTER (WHERE pm_due_at IS NOT NULL AND pm_published_at <= pm_due_at)::int AS "pmOnTime",
             sum(items_open)::int AS open, sum(items_done)::int AS done, sum(items_done_on_time)::int AS "doneOnTime"
        FROM cov GROUP BY period
    ),
    -- Incidents per set of categories first (few distinct sets), then per category.
    categories AS (
      SELECT category, sum(n)::int AS count
        FROM (SELECT categories, count(*) AS n FROM cov GROUP BY categories) s, unnest(s.categories) AS category
       GROUP BY category
    )
    SELECT
      (SELECT json_agg(periods) FROM periods) AS periods,
      (SELECT json_agg(categories ORDER BY count DESC, category) FROM categories) AS categories,
      (SELECT ${instantBytes('d')} FROM (SELECT unnest(open_item_due_ats) AS d FROM cov WHERE items_open > 0) o WHERE d < ${nowP}) AS overdue`;
  return { sql, params: p.values };
}

const MS_PER_DAY = 86_400_000;
const dayFloor = (d: Date): Date => new Date(Math.floor(d.getTime() / MS_PER_DAY) * MS_PER_DAY);
const dayCeil = (d: Date): Date => new Date(Math.ceil(d.getTime() / MS_PER_DAY) * MS_PER_DAY);

/** Element-wise sum of the cells' fixed-length count arrays, as int[]. */
const sumArrays = (column: string, length: number): string =>
  `ARRAY[${Array.from({ length }, (_, k) => `sum(${column}[${k + 1}])`).join(', ')}]::int[]`;

/**
 * The cells a report covers (incident_fact_cells: one row per UTC day × severity × set of
 * segment keys, kept exact by triggers on incident_facts): the whole days of [from, to) as
 * stored, the partial days at its edges built on the fly from incident_facts by the function
 * that defines the cells (insight_cells_build).
 */
function coveredCells(p: SqlParams, scope: ReportScope, hourlyRate: number, columns: string): string {
  // Only the edges are priced here (a parameter nobody reads would have no type).
  const rateP = (): string => `${p.add(hourlyRate)}::float8`;
  const keys = ['true'];
  if (scope.severities?.length) keys.push(`c.severity = ANY(${p.add(scope.severities)}::text[])`);
  if (scope.segment) keys.push(`c.segment_keys @> ARRAY[lower(btrim(${p.add(scope.segment)}::text))]`);
  const where = keys.join(' AND ');
  const [from, to, dayFrom, dayTo] = [scope.from, scope.to, dayCeil(scope.from), dayFloor(scope.to)];
  if (dayFrom >= dayTo) return `SELECT ${columns} FROM insight_cells_build(${p.add(from)}, ${p.add(to)}, ${rateP()}) c WHERE ${where}`;
  const [d0, d1] = [p.add(dayFrom), p.add(dayTo)];
  return [
    `SELECT ${columns} FROM incident_fact_cells c WHERE c.day >= ${d0} AND c.day < ${d1} AND ${where}`,
    ...(from < dayFrom ? [`SELECT ${columns} FROM insight_cells_build(${p.add(from)}, ${d0}, ${rateP()}) c WHERE ${where}`] : []),
    ...(dayTo < to ? [`SELECT ${columns} FROM insight_cells_build(${d1}, ${p.add(to)}, ${rateP()}) c WHERE ${where}`] : []),
  ].join(' UNION ALL ');
}

/** What statement 1 reads of each covered cell: every column but the sorted values, which statement 2 reads. */
const STATEMENT_1_CELL_COLUMNS = [
  'c.week_start', 'c.month_start', 'c.severity', 'c.incidents', 'c.cents', 'c.categories', 'c.category_counts', 'c.repeats',
  'c.pm_published', 'c.pm_on_time', 'c.pm_pending_due_ats', 'c.items_open', 'c.items_done', 'c.items_done_on_time', 'c.open_item_due_ats',
  ...DURATION_KEYS.flatMap((k) => [`c.${k}_count`, `c.${k}_max`, `c.${k}_bins`, `c.${k}_ranks`]),
].join(', ');

/**
 * Statement 1 of a report over the cells: every figure but the percentiles, per period, with
 * each distribution's count, max, histogram and summed rank counts (which bucket holds which
 * rank); the overdue due dates (their ages move with the clock). Open outages (their cost
 * grows until now) are priced from their fact rows. `rateOk` is false when the cells are
 * priced at another hourly rate than `hourlyRate`.
 */
export function cellsReportSql(scope: ReportScope, now: Date, hourlyRate: number): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  const nowP = `${p.add(now)}::timestamptz`;
  const rateP = `${p.add(hourlyRate)}::float8`;
  // Every column but the sorted values (statement 2 reads those): a backend whose memory is
  // not yet grown maps and unmaps what the materialized cells hold at each report (page faults,
  // ≈ 15–20 µs each on a VM), and the values are most of the cells' bytes.
  const cells = coveredCells(p, scope, hourlyRate, STATEMENT_1_CELL_COLUMNS);
  const facts = [`f.revenue_loss IS NULL`, `f.started_at >= ${p.add(scope.from)}::timestamptz`, `f.started_at < ${p.add(scope.to)}::timestamptz`];
  if (scope.severities?.length) facts.push(`f.severity = ANY(${p.add(scope.severities)}::text[])`);
  if (scope.segment) facts.push(`f.segment_keys @> ARRAY[lower(btrim(${p.add(scope.segment)}::text))]`);
  const period = PERIOD_COLUMN[scope.interval];
  const distribution = (d: (typeof REPORT_DURATIONS)[number]): string =>
    `json_build_object('count', sum(c.${d.key}_count)::int, 'max', max(c.${d.key}_max), 'bins', ${sumArrays(`c.${d.key}_bins`, d.bounds.length + 1)}, 'ranks', ${sumArrays(`c.${d.key}_ranks`, RANK_BUCKETS)})`;
  const sql = `
    WITH cells AS MATERIALIZED (${cells}),
    open AS (
      SELECT f.${period} AS period, sum(${factCostCents('f', nowP, rateP)}) AS cents FROM incident_facts f WHERE ${facts.join(' AND ')} GROUP BY 1
    ),
    periods AS (
      SELECT (extract(epoch FROM c.${period}) * 1000)::float8 AS period,
             sum(c.incidents)::int AS incidents,
             ${severityCounts((s) => `coalesce(sum(c.incidents) FILTER (WHERE c.severity = '${s}'), 0)`)} AS severities,
             sum(c.cents) + coalesce(min(o.cents), 0) AS cents,
             json_build_object(${REPORT_DURATIONS.map((d) => `'${d.key}', ${distribution(d)}`).join(', ')}) AS distributions,
             sum(c.repeats)::int AS repeats,
             (sum(c.pm_published) + sum((SELECT count(*) FROM unnest(c.pm_pending_due_ats) AS d WHERE ${nowP} > d)))::int AS "pmCounted",
             sum(c.pm_on_time)::int AS "pmOnTime",
             sum(c.items_open)::int AS open, sum(c.items_done)::int AS done, sum(c.items_done_on_time)::int AS "doneOnTime"
        FROM cells c LEFT JOIN open o ON o.period = c.${period}
       GROUP BY c.${period}
    ),
    categories AS (
      SELECT u.category, sum(u.n)::int AS count FROM cells c, unnest(c.categories, c.category_counts) AS u(category, n) GROUP BY u.category
    )
    SELECT
      (SELECT json_agg(periods) FROM periods) AS periods,
      (SELECT json_agg(categories ORDER BY count DESC, category) FROM categories) AS categories,
      (SELECT ${instantBytes('d')} FROM (SELECT unnest(c.open_item_due_ats) AS d FROM cells c) o WHERE d < ${nowP}) AS overdue,
      coalesce((SELECT rate = ${rateP} FROM insight_cells_rate), false) AS "rateOk"`;
  return { sql, params: p.values };
}

/** Values of one distribution wanted from one rank bucket: sorted positions first..last (0-based) of the bucket's values in a period (or everywhere). */
export interface RankTarget {
  /** The distribution's key (REPORT_DURATIONS). */
  key: string;
  /** Epoch ms of the period start; null: every covered cell. */
  period: number | null;
  /** 1-based index into the cells' `<key>_ranks`. */
  bucket: number;
  first: number;
  last: number;
}

/**
 * Statement 2 of a report over the cells: for each target, the values of its bucket in the
 * covered cells (slices of their sorted value arrays), from which the API selects positions
 * first..last. Reads a few per cent of the values instead of sorting them all; same snapshot
 * as statement 1.
 */
export function cellRanksSql(scope: ReportScope, hourlyRate: number, targets: readonly RankTarget[]): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  const period = PERIOD_COLUMN[scope.interval];
  const cells = coveredCells(p, scope, hourlyRate, [`c.${period}`, ...DURATION_KEYS.flatMap((k) => [`c.${k}_values`, `c.${k}_ranks`])].join(', '));
  const slice = (k: string) => `c.${k}_values[coalesce(c.${k}_ranks[t.bucket - 1], 0) + 1 : c.${k}_ranks[t.bucket]]`;
  const values = `unnest(CASE t.key ${DURATION_KEYS.map((k) => `WHEN '${k}' THEN ${slice(k)}`).join(' ')} END)`;
  const list = (pick: (t: RankTarget, i: number) => unknown, type: string) => `${p.add(targets.map(pick))}::${type}[]`;
  // Narrow (only what the slices read), each cell read once: period targets by hash on the
  // period, whole-range ones (a handful) against every cell. Each target's bucket comes back
  // unsorted, as float8send's 8 bytes per value: sorting ~200,000 values into groups in the
  // statement took longer than the API selecting the ranks it needs, and turning them into
  // text and back (float8out, then Number) cost more than both.
  const sql = `
    WITH cells AS MATERIALIZED (
      SELECT c.${period} AS period, ${DURATION_KEYS.map((k) => `c.${k}_values, c.${k}_ranks`).join(', ')} FROM (${cells}) c
    ),
    t AS MATERIALIZED (
      SELECT * FROM unnest(${list((_, i) => i, 'int')}, ${list((t) => t.key, 'text')}, ${list((t) => (t.period === null ? null : new Date(t.period)), 'timestamptz')},
                           ${list((t) => t.bucket, 'int')}, ${list((t) => t.first, 'int')}, ${list((t) => t.last, 'int')})
               AS t(id, key, period, bucket, first, last)
    ),
    v AS (
      SELECT t.id, ${values} AS v FROM cells c JOIN t ON t.period = c.period
      UNION ALL
      SELECT t.id, ${values} AS v FROM cells c CROSS JOIN (SELECT * FROM t WHERE t.period IS NULL) t
    )
    SELECT v.id, ${valueBytes('v.v')} AS "values" FROM v GROUP BY v.id`;
  return { sql, params: p.values };
}
