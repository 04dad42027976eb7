import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MINUTE_HISTOGRAM_BOUNDS, SEVERITIES, sortedRange, type FactorCategory, type Severity, type SloDimension, type TrendInterval } from '@hindsight/domain';
import { InjectDataSource, queryRows } from '@hindsight/server-db';
import { costExpression, countsJson, dayStatsJson, daysBetween, factCostCents, overdueAgesJson, percentiles, SqlParams, statsJson } from './insights.sql';

export interface ReportScope {
  from: Date;
  to: Date;
  interval: TrendInterval;
  teamId?: string | null;
  serviceId?: string | null;
  severities?: readonly Severity[] | null;
  segment?: string | null;
}

/** A distribution as SQL returns it: `bins` are the histogram counts in bound order. */
export interface StatsRow {
  count: number;
  median: number | null;
  p90: number | null;
  max: number | null;
  bins: number[];
}

export interface PeriodRow {
  /** Epoch ms of the period start; null on the overall row. */
  period: number | null;
  incidents: number;
  severities: [number, number, number, number];
  cost: number;
  ttr: StatsRow;
  ttd: StatsRow | null;
  ttm: StatsRow | null;
}

export interface ReportRows {
  /** One row per period that has incidents, plus the overall row (period null). */
  periods: PeriodRow[];
  categories: { category: FactorCategory; count: number }[] | null;
  repeats: number;
  actionItems: { open: number; overdue: number; done: number; doneOnTime: number; ages: StatsRow };
  postmortems: { counted: number; onTime: number };
}

export interface BudgetSloRow {
  id: string;
  serviceId: string;
  dimension: SloDimension;
  objective: number;
  windowDays: number;
  segment: string | null;
}

export interface BudgetIncidentRow {
  sloId: string;
  startedAt: Date;
  resolvedAt: Date | null;
  serviceIds: string[];
  impactedDimensions: SloDimension[];
  segments: string[];
}

export interface RoiItemRow {
  id: string;
  incidentId: string;
  category: FactorCategory | null;
  effortDays: number | null;
  completedAt: Date | null;
}

export interface SavingsItemRow {
  id: string;
  incidentId: string;
  category: FactorCategory;
  completedAt: Date;
}

/** One window of incidents to price: same service as `incidentId`, a factor of `category`, started in [from, to) (or [from, to] when `inclusive`). */
export interface PricedWindow {
  key: string;
  incidentId: string;
  category: FactorCategory;
  from: Date;
  to: Date;
}

/** A distribution's additive part, per period. */
interface CountsRow {
  count: number;
  max: number | null;
  bins: number[];
}

/** One period as the report statement returns it: additive figures, cost in cents. */
interface PeriodStatementRow {
  period: number;
  incidents: number;
  severities: [number, number, number, number];
  cents: number;
  ttr: StatsRow;
  ttd: CountsRow;
  ttm: CountsRow;
  repeats: number;
  pmCounted: number;
  pmOnTime: number;
  open: number;
  done: number;
  doneOnTime: number;
}

/** The report statement's one row. */
interface ReportStatementRow {
  periods: PeriodStatementRow[] | null;
  /** [median, p90] over the whole range; null without a value. */
  overall: { ttd: [number, number] | null; ttm: [number, number] | null; ttr: [number, number] | null };
  categories: ReportRows['categories'];
  ages: StatsRow;
}

const total = <R>(rows: readonly R[], pick: (r: R) => number): number => rows.reduce((n, r) => n + pick(r), 0);

/** The whole range's distribution: the periods' counts, max and bins summed, its own percentiles. */
function overallStats(parts: readonly CountsRow[], pct: [number, number] | null): StatsRow {
  const maxes = parts.map((c) => c.max).filter((m): m is number => m !== null);
  return {
    count: parts.reduce((n, c) => n + c.count, 0),
    median: pct?.[0] ?? null,
    p90: pct?.[1] ?? null,
    max: maxes.length ? Math.max(...maxes) : null,
    bins: parts.length ? parts[0].bins.map((_, k) => parts.reduce((n, c) => n + c.bins[k], 0)) : [],
  };
}

/** The rollup's precomputed period starts (date_trunc of started_at in UTC). */
const PERIOD_COLUMN: Record<TrendInterval, string> = { WEEK: 'week_start', MONTH: 'month_start' };

/**
 * Run before the report statement, in its transaction. PostgreSQL's JIT compiles this
 * statement's many aggregate expressions for seconds on a big table (its cost estimate is
 * high), far more than it saves. The covered incidents and the percentiles' sorts of a
 * year of incidents stay in memory: with the default 4 MB work_mem they spill to disk.
 */
export const REPORT_SETTINGS = `SET LOCAL jit = off; SET LOCAL work_mem = '128MB'`;

/**
 * The reliability report as ONE statement over the rollup `incident_facts` (one row per
 * incident, kept exact by triggers in the writing transactions; migration
 * 1732800000000-insight-facts): the covered incidents are selected once (MATERIALIZED) and
 * every figure is aggregated from them, so the report is one snapshot and one round trip.
 * Additive figures are aggregated once, per period (the repository sums the periods for the
 * whole range); only the whole range's percentiles need their own pass. What depends on the
 * clock or the hourly rate is finished here from stored inputs. Used for a team or service
 * filter (the cells do not split by them) and when the cells are priced at another rate.
 */
export function factsReportSql(scope: ReportScope, now: Date, hourlyRate: number): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  const nowP = `${p.add(now)}::timestamptz`;
  const rateP = `${p.add(hourlyRate)}::float8`;
  p.where(`f.started_at >= ${p.add(scope.from)}::timestamptz`);
  p.where(`f.started_at < ${p.add(scope.to)}::timestamptz`);
  if (scope.severities?.length) p.where(`f.severity = ANY(${p.add(scope.severities)}::text[])`);
  // One team: a range of incident_fact_teams (the fact rows per owning team, by start) instead of the GIN on team_ids.
  const source = scope.teamId ? `incident_fact_teams f` : `incident_facts f`;
  if (scope.teamId) p.where(`f.team_id = ${p.add(scope.teamId)}::uuid`);
  if (scope.serviceId) p.where(`f.service_ids @> ARRAY[${p.add(scope.serviceId)}::uuid]`);
  if (scope.segment) p.where(`f.segment_keys @> ARRAY[lower(btrim(${p.add(scope.segment)}::text))]`);
  const sql = `
    WITH cov AS MATERIALIZED (
      SELECT f.${PERIOD_COLUMN[scope.interval]} AS period, f.severity, f.ttd, f.ttm, f.ttr, ${factCostCents('f', nowP, rateP)} AS cents,
             f.is_repeat, f.pm_due_at, f.pm_published_at, f.items_open, f.items_done, f.items_done_on_time, f.categories, f.open_item_due_ats
        FROM ${source}
       WHERE ${p.conjunction}
    ),
    periods AS (
      SELECT (extract(epoch FROM period) * 1000)::float8 AS period,
             count(*)::int AS incidents,
             ARRAY[count(*) FILTER (WHERE severity = 'SEV1'), count(*) FILTER (WHERE severity = 'SEV2'),
                   count(*) FILTER (WHERE severity = 'SEV3'), count(*) FILTER (WHERE severity = 'SEV4')]::int[] AS severities,
             sum(cents::bigint)::float8 AS cents,
             ${statsJson('ttr')} AS ttr, ${countsJson('ttd')} AS ttd, ${countsJson('ttm')} AS ttm,
             count(*) FILTER (WHERE is_repeat)::int AS repeats,
             count(*) FILTER (WHERE pm_due_at IS NOT NULL AND (pm_published_at IS NOT NULL OR ${nowP} > pm_due_at))::int AS "pmCounted",
             count(*) FILTER (WHERE pm_due_at IS NOT NULL AND pm_published_at <= pm_due_at)::int AS "pmOnTime",
             sum(items_open)::int AS open, sum(items_done)::int AS done, sum(items_done_on_time)::int AS "doneOnTime"
        FROM cov GROUP BY period
    ),
    overall AS (
      SELECT ${percentiles('ttd')} AS ttd, ${percentiles('ttm')} AS ttm, ${percentiles('ttr')} AS ttr FROM cov
    ),
    -- Incidents per set of categories first (few distinct sets), then per category.
    categories AS (
      SELECT category, sum(n)::int AS count
        FROM (SELECT categories, count(*) AS n FROM cov GROUP BY categories) s, unnest(s.categories) AS category
       GROUP BY category
    ),
    -- Materialized: every aggregate of the distribution reads the age, computed once.
    ages AS MATERIALIZED (
      SELECT ${daysBetween('d', nowP)} AS age
        FROM (SELECT unnest(open_item_due_ats) AS d FROM cov WHERE items_open > 0) o
       WHERE d < ${nowP}
    )
    SELECT
      (SELECT json_agg(periods) FROM periods) AS periods,
      (SELECT row_to_json(overall) FROM overall) AS overall,
      (SELECT json_agg(categories ORDER BY count DESC, category) FROM categories) AS categories,
      (SELECT ${dayStatsJson('age')} FROM ages) AS ages`;
  return { sql, params: p.values };
}

const MS_PER_DAY = 86_400_000;
const dayFloor = (d: Date): Date => new Date(Math.floor(d.getTime() / MS_PER_DAY) * MS_PER_DAY);
const dayCeil = (d: Date): Date => new Date(Math.ceil(d.getTime() / MS_PER_DAY) * MS_PER_DAY);

/** Element-wise sum of the cells' fixed-length count arrays, as int[]. */
const sumArrays = (column: string, length: number): string =>
  `ARRAY[${Array.from({ length }, (_, k) => `sum(${column}[${k + 1}])`).join(', ')}]::int[]`;
const MINUTE_BINS = MINUTE_HISTOGRAM_BOUNDS.length + 1;
/** Entries of a cell's `<x>_ranks` (migration 1796063899993-insight-cell-ranks: 39 thresholds, then the count). */
const RANK_BUCKETS = 40;
const cellCounts = (x: string): string => `json_build_object('count', sum(c.${x}_count)::int, 'max', max(c.${x}_max), 'bins', ${sumArrays(`c.${x}_bins`, MINUTE_BINS)})`;
type Metric = 'ttd' | 'ttm' | 'ttr';
const METRICS: readonly Metric[] = ['ttd', 'ttm', 'ttr'];

/**
 * The cells a report covers (migrations 1796062888895-insight-cells, 1796063899993-insight-cell-ranks:
 * one row per UTC day × severity × set of segment keys, kept exact by triggers on
 * incident_facts): the whole days of [from, to) as stored, the partial days at its edges built
 * on the fly from incident_facts by the function the triggers use (insight_cells_build).
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

/** What statement 1 reads of each covered cell. */
const STATEMENT_1_CELL_COLUMNS = [
  'c.week_start', 'c.month_start', 'c.severity', 'c.incidents', 'c.cents', 'c.categories', 'c.category_counts', 'c.repeats',
  'c.pm_published', 'c.pm_on_time', 'c.pm_pending_due_ats', 'c.items_open', 'c.items_done', 'c.items_done_on_time', 'c.open_item_due_ats',
  ...METRICS.flatMap((m) => [`c.${m}_count`, `c.${m}_max`, `c.${m}_bins`, `c.${m}_ranks`]),
].join(', ');

/**
 * Statement 1 of a report over the cells: every figure but the percentiles, per period, plus
 * per period the summed rank counts of each distribution (which bucket holds which rank).
 * Open outages (their cost grows until now) are priced from their fact rows. `rateOk` is
 * false when the cells are priced at another hourly rate than `hourlyRate`.
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
  const sql = `
    WITH cells AS MATERIALIZED (${cells}),
    open AS (
      SELECT f.${period} AS period, sum(${factCostCents('f', nowP, rateP)}) AS cents FROM incident_facts f WHERE ${facts.join(' AND ')} GROUP BY 1
    ),
    periods AS (
      SELECT (extract(epoch FROM c.${period}) * 1000)::float8 AS period,
             sum(c.incidents)::int AS incidents,
             ARRAY[${SEVERITIES.map((s) => `coalesce(sum(c.incidents) FILTER (WHERE c.severity = '${s}'), 0)`).join(', ')}]::int[] AS severities,
             sum(c.cents) + coalesce(min(o.cents), 0) AS cents,
             ${cellCounts('ttr')} AS ttr, ${cellCounts('ttd')} AS ttd, ${cellCounts('ttm')} AS ttm,
             json_build_object(${METRICS.map((m) => `'${m}', ${sumArrays(`c.${m}_ranks`, RANK_BUCKETS)}`).join(', ')}) AS ranks,
             sum(c.repeats)::int AS repeats,
             (sum(c.pm_published) + sum((SELECT count(*) FROM unnest(c.pm_pending_due_ats) AS d WHERE ${nowP} > d)))::int AS "pmCounted",
             sum(c.pm_on_time)::int AS "pmOnTime",
             sum(c.items_open)::int AS open, sum(c.items_done)::int AS done, sum(c.items_done_on_time)::int AS "doneOnTime"
        FROM cells c LEFT JOIN open o ON o.period = c.${period}
       GROUP BY c.${period}
    ),
    categories AS (
      SELECT u.category, sum(u.n)::int AS count FROM cells c, unnest(c.categories, c.category_counts) AS u(category, n) GROUP BY u.category
    ),
    overdue AS MATERIALIZED (
      SELECT d FROM (SELECT unnest(c.open_item_due_ats) AS d FROM cells c) o WHERE d < ${nowP}
    )
    SELECT
      (SELECT json_agg(periods) FROM periods) AS periods,
      (SELECT json_agg(categories ORDER BY count DESC, category) FROM categories) AS categories,
      ${overdueAgesJson('overdue', nowP)} AS ages,
      coalesce((SELECT rate = ${rateP} FROM insight_cells_rate), false) AS "rateOk"`;
  return { sql, params: p.values };
}

/** Values of one distribution wanted from one rank bucket: sorted positions first..last (0-based) of the bucket's values in a period (or everywhere). */
export interface RankTarget {
  metric: Metric;
  /** Epoch ms of the period start; null: every covered cell. */
  period: number | null;
  /** 1-based index into the cells' `<metric>_ranks`. */
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
  const cells = coveredCells(p, scope, hourlyRate, [`c.${period}`, ...METRICS.flatMap((m) => [`c.${m}_values`, `c.${m}_ranks`])].join(', '));
  const slice = (m: Metric) => `c.${m}_values[coalesce(c.${m}_ranks[t.bucket - 1], 0) + 1 : c.${m}_ranks[t.bucket]]`;
  const values = `unnest(CASE t.metric ${METRICS.map((m) => `WHEN '${m}' THEN ${slice(m)}`).join(' ')} END)`;
  const list = (pick: (t: RankTarget, i: number) => unknown, type: string) => `${p.add(targets.map(pick))}::${type}[]`;
  // Narrow (only what the slices read), each cell read once: period targets by hash on the
  // period, whole-range ones (a handful) against every cell. Each target's bucket comes back
  // unsorted, as float8send's 8 bytes per value: sorting ~200,000 values into groups in the
  // statement took longer than the API selecting the ranks it needs, and turning them into
  // text and back (float8out, then Number) cost more than both.
  const sql = `
    WITH cells AS MATERIALIZED (
      SELECT c.${period} AS period, ${METRICS.map((m) => `c.${m}_values, c.${m}_ranks`).join(', ')} FROM (${cells}) c
    ),
    t AS MATERIALIZED (
      SELECT * FROM unnest(${list((_, i) => i, 'int')}, ${list((t) => t.metric, 'text')}, ${list((t) => (t.period === null ? null : new Date(t.period)), 'timestamptz')},
                           ${list((t) => t.bucket, 'int')}, ${list((t) => t.first, 'int')}, ${list((t) => t.last, 'int')})
               AS t(id, metric, period, bucket, first, last)
    ),
    v AS (
      SELECT t.id, ${values} AS v FROM cells c JOIN t ON t.period = c.period
      UNION ALL
      SELECT t.id, ${values} AS v FROM cells c CROSS JOIN (SELECT * FROM t WHERE t.period IS NULL) t
    )
    SELECT v.id, string_agg(float8send(v.v), ''::bytea) AS "values" FROM v GROUP BY v.id`;
  return { sql, params: p.values };
}

/** One period of statement 1: the additive figures, and the summed rank counts of each distribution. */
interface CellPeriodRow extends Omit<PeriodStatementRow, 'ttr'> {
  ttr: CountsRow;
  ranks: Record<Metric, number[]>;
}

interface CellsStatementRow {
  periods: CellPeriodRow[] | null;
  categories: ReportRows['categories'];
  ages: StatsRow;
  rateOk: boolean;
}

/** Runs one statement in the report's transaction and returns its rows. */
export type ReportQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/**
 * PostgreSQL's percentile_cont (= the domain's percentileCont) of n sorted values of which
 * `at(rank)` gives the one at a 0-based rank: the same float operations.
 */
function percentileAt(n: number, q: number, at: (rank: number) => number): number {
  const rank = q * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = at(lo);
  return lo === hi ? a : a + (at(hi) - a) * (rank - lo);
}
const QUANTILES = [0.5, 0.9] as const;

/** The report over the cells, or null when they are priced at another rate. Both statements in one REPEATABLE READ snapshot. */
async function cellsReport(query: ReportQuery, scope: ReportScope, now: Date, hourlyRate: number): Promise<ReportRows | null> {
  const first = cellsReportSql(scope, now, hourlyRate);
  const [row] = await query<CellsStatementRow>(first.sql, first.params);
  if (!row?.rateOk) return null;
  const periods = row.periods ?? [];
  // Each distribution: its cumulative counts per bucket; the ranks its median and p90 need, and where they lie.
  const dists = [
    ...periods.map((r) => ({ metric: 'ttr' as Metric, period: r.period as number | null, counts: r.ranks.ttr })),
    ...METRICS.map((metric) => ({ metric, period: null, counts: Array.from({ length: RANK_BUCKETS }, (_, k) => total(periods, (r) => r.ranks[metric][k])) })),
  ];
  const targets: RankTarget[] = [];
  const place = new Map<string, { target: number; offset: number }>();
  for (const [d, dist] of dists.entries()) {
    const n = dist.counts[RANK_BUCKETS - 1];
    const ranks = n === 0 ? [] : [...new Set(QUANTILES.flatMap((q) => [Math.floor(q * (n - 1)), Math.ceil(q * (n - 1))]))];
    const where = ranks.map((rank) => {
      const bucket = dist.counts.findIndex((c) => c > rank);
      return { rank, bucket, offset: rank - (bucket > 0 ? dist.counts[bucket - 1] : 0) };
    });
    for (const bucket of new Set(where.map((w) => w.bucket))) {
      const mine = where.filter((w) => w.bucket === bucket);
      const offsets = mine.map((w) => w.offset);
      const target = targets.push({ metric: dist.metric, period: dist.period, bucket: bucket + 1, first: Math.min(...offsets), last: Math.max(...offsets) }) - 1;
      for (const w of mine) place.set(`${d}:${w.rank}`, { target, offset: w.offset });
    }
  }
  const values = new Map<number, number[]>();
  if (targets.length) {
    const second = cellRanksSql(scope, hourlyRate, targets);
    for (const r of await query<{ id: number; values: Buffer }>(second.sql, second.params)) {
      const t = targets[r.id];
      values.set(r.id, sortedRange(float8s(r.values), t.first, t.last));
    }
  }
  const pct = (d: number): [number, number] | null => {
    const n = dists[d].counts[RANK_BUCKETS - 1];
    if (n === 0) return null;
    const at = (rank: number): number => {
      const where = place.get(`${d}:${rank}`);
      const got = where && values.get(where.target)?.[where.offset - targets[where.target].first];
      if (got === undefined) throw new Error(`the report's rank ${rank} of ${dists[d].metric} is missing from its bucket`);
      return got;
    };
    return [percentileAt(n, QUANTILES[0], at), percentileAt(n, QUANTILES[1], at)];
  };
  const withTtr = periods.map((r, i): PeriodStatementRow => {
    const q = pct(i);
    return { ...r, ttr: { ...r.ttr, median: q?.[0] ?? null, p90: q?.[1] ?? null } };
  });
  const base = periods.length;
  return assembleRows(withTtr, { ttd: pct(base), ttm: pct(base + 1), ttr: pct(base + 2) }, row.categories, row.ages);
}

/** float8 values as float8send wrote them (8 big-endian bytes each), concatenated. */
function float8s(bytes: Buffer): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8);
  return out;
}

/** Periods summed into the whole range; the whole range's percentiles come separately. */
function assembleRows(periods: readonly PeriodStatementRow[], overallPct: ReportStatementRow['overall'], categories: ReportRows['categories'], ages: StatsRow): ReportRows {
  // Sums of whole cents are exact integers; one division rounds like a decimal sum of the costs.
  const period = (r: PeriodStatementRow): PeriodRow => ({ period: r.period, incidents: r.incidents, severities: r.severities, cost: r.cents / 100, ttr: r.ttr, ttd: null, ttm: null });
  const overall: PeriodRow = {
    period: null,
    incidents: total(periods, (r) => r.incidents),
    severities: [0, 1, 2, 3].map((k) => total(periods, (r) => r.severities[k])) as PeriodRow['severities'],
    cost: total(periods, (r) => r.cents) / 100,
    ttr: overallStats(periods.map((r) => r.ttr), overallPct.ttr),
    ttd: overallStats(periods.map((r) => r.ttd), overallPct.ttd),
    ttm: overallStats(periods.map((r) => r.ttm), overallPct.ttm),
  };
  return {
    periods: [...periods.map(period), overall],
    categories,
    repeats: total(periods, (r) => r.repeats),
    actionItems: { open: total(periods, (r) => r.open), overdue: ages.count, done: total(periods, (r) => r.done), doneOnTime: total(periods, (r) => r.doneOnTime), ages },
    postmortems: { counted: total(periods, (r) => r.pmCounted), onTime: total(periods, (r) => r.pmOnTime) },
  };
}

/**
 * The report's rows, as the API computes them (public so the benchmark runs exactly that):
 * over the cells unless a team or service is filtered (the cells do not split by them) or
 * the cells are priced at another hourly rate; else over incident_facts. Run it in one
 * REPEATABLE READ transaction after REPORT_SETTINGS: its statements then see one snapshot.
 */
export async function reliabilityReportRows(query: ReportQuery, scope: ReportScope, now: Date, hourlyRate: number): Promise<ReportRows> {
  if (!scope.teamId && !scope.serviceId) {
    const rows = await cellsReport(query, scope, now, hourlyRate);
    if (rows) return rows;
  }
  return factsReportRows(query, scope, now, hourlyRate);
}

/** The report's rows from incident_facts alone (factsReportSql): what the cells must equal, to the digit. */
export async function factsReportRows(query: ReportQuery, scope: ReportScope, now: Date, hourlyRate: number): Promise<ReportRows> {
  const { sql, params } = factsReportSql(scope, now, hourlyRate);
  const [row] = await query<ReportStatementRow>(sql, params);
  if (!row) throw new Error('the report statement returned no row');
  return assembleRows(row.periods ?? [], row.overall, row.categories, row.ages);
}

/** All SQL of the insights: report aggregation, error-budget inputs, ROI and cost-savings pricing. */
@Injectable()
export class InsightsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  reliabilityReport(scope: ReportScope, now: Date, hourlyRate: number): Promise<ReportRows> {
    return this.ds.transaction('REPEATABLE READ', async (em) => {
      await em.query(REPORT_SETTINGS);
      return reliabilityReportRows((sql, params) => em.query(sql, params), scope, now, hourlyRate);
    });
  }

  async teamExists(id: string): Promise<boolean> {
    return (await queryRows(this.ds, `SELECT 1 FROM teams WHERE id = $1`, [id])).length > 0;
  }

  async serviceExists(id: string): Promise<boolean> {
    return (await queryRows(this.ds, `SELECT 1 FROM services WHERE id = $1`, [id])).length > 0;
  }

  /** SLOs of one service (or all), optionally only those for one segment (compared trimmed, case-insensitively). */
  slos(serviceId: string | null, segment: string | null): Promise<BudgetSloRow[]> {
    return queryRows(
      this.ds,
      `SELECT o.id, o.service_id AS "serviceId", o.dimension, o.objective, o.window_days AS "windowDays", o.segment
         FROM slos o JOIN services s ON s.id = o.service_id
        WHERE ($1::uuid IS NULL OR o.service_id = $1) AND ($2::text IS NULL OR lower(btrim(o.segment)) = lower(btrim($2)))
        ORDER BY lower(s.name), s.id, o.dimension, o.segment NULLS FIRST, o.id`,
      [serviceId, segment],
    );
  }

  /**
   * For each SLO, the incidents on its service that may overlap its window [at − w days, at]:
   * started before `at` and not resolved before the window opens. Which of them count
   * (dimension, segment) is the domain's countsAgainstSlo.
   */
  budgetIncidents(sloIds: readonly string[], at: Date): Promise<BudgetIncidentRow[]> {
    return queryRows(
      this.ds,
      `SELECT o.id AS "sloId", i.started_at AS "startedAt", i.resolved_at AS "resolvedAt",
              ARRAY(SELECT service_id::text FROM incident_services WHERE incident_id = i.id) AS "serviceIds",
              i.impacted_dimensions AS "impactedDimensions", i.segments
         FROM slos o
         JOIN incident_services x ON x.service_id = o.service_id
         JOIN incidents i ON i.id = x.incident_id
        WHERE o.id = ANY($1::uuid[])
          AND i.started_at < $2::timestamptz
          AND (i.resolved_at IS NULL OR i.resolved_at > $2::timestamptz - o.window_days * interval '24 hours')`,
      [sloIds, at],
    );
  }

  /** The inputs of each item's ROI: the category it addresses, its effort, its completion. */
  roiItems(ids: readonly string[]): Promise<RoiItemRow[]> {
    return queryRows(
      this.ds,
      `SELECT a.id, a.incident_id AS "incidentId", f.category, a.effort_days AS "effortDays",
              CASE WHEN a.status = 'DONE' THEN a.completed_at END AS "completedAt"
         FROM action_items a LEFT JOIN contributing_factors f ON f.id = a.addresses_factor_id
        WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** DONE items with an addressed factor, completed in [from, to), optionally of one owning team or one service. */
  savingsItems(from: Date, to: Date, teamId: string | null, serviceId: string | null): Promise<SavingsItemRow[]> {
    return queryRows(
      this.ds,
      `SELECT a.id, a.incident_id AS "incidentId", f.category, a.completed_at AS "completedAt"
         FROM action_items a JOIN contributing_factors f ON f.id = a.addresses_factor_id
        WHERE a.status = 'DONE' AND a.completed_at >= $1 AND a.completed_at < $2
          AND ($3::uuid IS NULL OR a.owner_team_id = $3)
          AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM incident_services x WHERE x.incident_id = a.incident_id AND x.service_id = $4))
        ORDER BY a.completed_at DESC, a.id`,
      [from, to, teamId, serviceId],
    );
  }

  /**
   * The cost (as of `now`) of every incident in each window that shares a service with the
   * window's incident and has a contributing factor of its category. `toInclusive` closes
   * the windows on the right (ROI looks back up to and including its anchor).
   */
  async pricedWindows(windows: readonly PricedWindow[], now: Date, hourlyRate: number, toInclusive: boolean): Promise<Map<string, number[]>> {
    const result = new Map<string, number[]>(windows.map((w) => [w.key, []]));
    if (windows.length === 0) return result;
    const rows = await queryRows<{ key: string; costs: number[] }>(
      this.ds,
      `SELECT w.key, array_agg(${costExpression('i', '$6::timestamptz', '$7::float8')} ORDER BY i.started_at, i.id) AS costs
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS w(key, incident_id, category, "from", "to")
         JOIN incidents i ON i.started_at >= w."from" AND (i.started_at < w."to" OR ($8::boolean AND i.started_at = w."to"))
        WHERE EXISTS (SELECT 1 FROM incident_services mine JOIN incident_services theirs ON theirs.service_id = mine.service_id
                       WHERE mine.incident_id = w.incident_id AND theirs.incident_id = i.id)
          AND EXISTS (SELECT 1 FROM contributing_factors f WHERE f.incident_id = i.id AND f.category = w.category)
        GROUP BY w.key`,
      [windows.map((w) => w.key), windows.map((w) => w.incidentId), windows.map((w) => w.category), windows.map((w) => w.from), windows.map((w) => w.to), now, hourlyRate, toInclusive],
    );
    for (const r of rows) result.set(r.key, r.costs);
    return result;
  }
}
