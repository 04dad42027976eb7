import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MINUTE_HISTOGRAM_BOUNDS, SEVERITIES, type FactorCategory, type Severity, type SloDimension, type TrendInterval } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryRows } from '@hindsight/server-db';
import { costExpression, countsJson, dayStatsJson, daysBetween, factCostCents, percentiles, SqlParams, statsJson } from './insights.sql';

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
  /** Cells statement only: false when the cells are priced at another hourly rate. */
  rateOk?: boolean;
}

const total = (rows: readonly PeriodStatementRow[], pick: (r: PeriodStatementRow) => number): number => rows.reduce((n, r) => n + pick(r), 0);

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
  if (scope.teamId) p.where(`f.team_ids @> ARRAY[${p.add(scope.teamId)}::uuid]`);
  if (scope.serviceId) p.where(`f.service_ids @> ARRAY[${p.add(scope.serviceId)}::uuid]`);
  if (scope.segment) p.where(`f.segment_keys @> ARRAY[lower(btrim(${p.add(scope.segment)}::text))]`);
  const sql = `
    WITH cov AS MATERIALIZED (
      SELECT f.${PERIOD_COLUMN[scope.interval]} AS period, f.severity, f.ttd, f.ttm, f.ttr, ${factCostCents('f', nowP, rateP)} AS cents,
             f.is_repeat, f.pm_due_at, f.pm_published_at, f.items_open, f.items_done, f.items_done_on_time, f.categories, f.open_item_due_ats
        FROM incident_facts f
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

/** Element-wise sum of the cells' histogram arrays (fixed length), as int[]. */
const sumBins = (column: string, length: number): string =>
  `ARRAY[${Array.from({ length }, (_, k) => `sum(${column}[${k + 1}])`).join(', ')}]::int[]`;
const MINUTE_BINS = MINUTE_HISTOGRAM_BOUNDS.length + 1;
const cellCounts = (x: string): string => `json_build_object('count', sum(c.${x}_count)::int, 'max', max(c.${x}_max), 'bins', ${sumBins(`c.${x}_bins`, MINUTE_BINS)})`;

/**
 * The reliability report over `incident_fact_cells` (migration 1796062888895-insight-cells:
 * one row per UTC day × severity × set of segment keys, kept exact by triggers on
 * incident_facts): the whole days of [from, to) are read as cells, the partial days at its
 * edges are built on the fly from incident_facts by the same function the triggers use
 * (insight_cells_build), and open outages (their cost grows until now) are priced from their
 * fact rows. Percentiles are exact: the cells keep the minute values. The same figures as
 * factsReportSql, one statement, one snapshot; `rateOk` is false when the cells are priced
 * at another hourly rate than `hourlyRate` (the repository then runs factsReportSql).
 */
export function cellsReportSql(scope: ReportScope, now: Date, hourlyRate: number): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  const nowP = `${p.add(now)}::timestamptz`;
  const rateP = `${p.add(hourlyRate)}::float8`;
  const fromP = `${p.add(scope.from)}::timestamptz`;
  const toP = `${p.add(scope.to)}::timestamptz`;
  const keys = (alias: string): string[] => [
    ...(scope.severities?.length ? [`${alias}.severity = ANY(${p.add(scope.severities)}::text[])`] : []),
    ...(scope.segment ? [`${alias}.segment_keys @> ARRAY[lower(btrim(${p.add(scope.segment)}::text))]`] : []),
  ];
  const cellKeys = ['true', ...keys('c')].join(' AND ');
  const factKeys = ['true', ...keys('f')].join(' AND ');
  const [dayFrom, dayTo] = [dayCeil(scope.from), dayFloor(scope.to)];
  const whole = dayFrom < dayTo;
  const edges: [string, string][] = whole
    ? [[fromP, `${p.add(dayFrom)}::timestamptz`], [`${p.add(dayTo)}::timestamptz`, toP]]
    : [[fromP, toP]];
  const sources = [
    ...(whole ? [`SELECT c.* FROM incident_fact_cells c WHERE c.day >= ${edges[0][1]} AND c.day < ${edges[1][0]} AND ${cellKeys}`] : []),
    ...edges.map(([lo, hi]) => `SELECT c.* FROM insight_cells_build(${lo}, ${hi}, ${rateP}) c WHERE ${cellKeys}`),
  ];
  const period = PERIOD_COLUMN[scope.interval];
  const sql = `
    WITH cells AS MATERIALIZED (${sources.join(' UNION ALL ')}),
    open AS (
      SELECT f.${period} AS period, sum(${factCostCents('f', nowP, rateP)}) AS cents
        FROM incident_facts f
       WHERE f.revenue_loss IS NULL AND f.started_at >= ${fromP} AND f.started_at < ${toP} AND ${factKeys}
       GROUP BY 1
    ),
    ttr AS (SELECT c.${period} AS period, ${percentiles('v')} AS pct FROM cells c, unnest(c.ttr_values) AS v GROUP BY 1),
    periods AS (
      SELECT (extract(epoch FROM c.${period}) * 1000)::float8 AS period,
             sum(c.incidents)::int AS incidents,
             ARRAY[${SEVERITIES.map((s) => `coalesce(sum(c.incidents) FILTER (WHERE c.severity = '${s}'), 0)`).join(', ')}]::int[] AS severities,
             sum(c.cents) + coalesce(min(o.cents), 0) AS cents,
             json_build_object('count', sum(c.ttr_count)::int, 'median', min(t.pct[1]), 'p90', min(t.pct[2]), 'max', max(c.ttr_max), 'bins', ${sumBins('c.ttr_bins', MINUTE_BINS)}) AS ttr,
             ${cellCounts('ttd')} AS ttd, ${cellCounts('ttm')} AS ttm,
             sum(c.repeats)::int AS repeats,
             (sum(c.pm_published) + sum((SELECT count(*) FROM unnest(c.pm_pending_due_ats) AS d WHERE ${nowP} > d)))::int AS "pmCounted",
             sum(c.pm_on_time)::int AS "pmOnTime",
             sum(c.items_open)::int AS open, sum(c.items_done)::int AS done, sum(c.items_done_on_time)::int AS "doneOnTime"
        FROM cells c LEFT JOIN open o ON o.period = c.${period} LEFT JOIN ttr t ON t.period = c.${period}
       GROUP BY c.${period}
    ),
    overall AS (
      SELECT (SELECT ${percentiles('v')} FROM cells c, unnest(c.ttd_values) AS v) AS ttd,
             (SELECT ${percentiles('v')} FROM cells c, unnest(c.ttm_values) AS v) AS ttm,
             (SELECT ${percentiles('v')} FROM cells c, unnest(c.ttr_values) AS v) AS ttr
    ),
    categories AS (
      SELECT u.category, sum(u.n)::int AS count FROM cells c, unnest(c.categories, c.category_counts) AS u(category, n) GROUP BY u.category
    ),
    ages AS MATERIALIZED (
      SELECT ${daysBetween('d', nowP)} AS age FROM cells c, unnest(c.open_item_due_ats) AS d WHERE d < ${nowP}
    )
    SELECT
      (SELECT json_agg(periods) FROM periods) AS periods,
      (SELECT row_to_json(overall) FROM overall) AS overall,
      (SELECT json_agg(categories ORDER BY count DESC, category) FROM categories) AS categories,
      (SELECT ${dayStatsJson('age')} FROM ages) AS ages,
      coalesce((SELECT rate = ${rateP} FROM insight_cells_rate), false) AS "rateOk"`;
  return { sql, params: p.values };
}

/** The statement the API runs for `scope` (public so the benchmark runs exactly that): cells unless a team or service is filtered. */
export function reliabilityReportSql(scope: ReportScope, now: Date, hourlyRate: number): { sql: string; params: unknown[] } {
  return scope.teamId || scope.serviceId ? factsReportSql(scope, now, hourlyRate) : cellsReportSql(scope, now, hourlyRate);
}

/** All SQL of the insights: report aggregation, error-budget inputs, ROI and cost-savings pricing. */
@Injectable()
export class InsightsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async reliabilityReport(scope: ReportScope, now: Date, hourlyRate: number): Promise<ReportRows> {
    const run = (statement: { sql: string; params: unknown[] }) => this.ds.transaction(async (em) => {
      await em.query(REPORT_SETTINGS);
      return queryOne<ReportStatementRow>(em, statement.sql, statement.params);
    });
    let row = await run(reliabilityReportSql(scope, now, hourlyRate));
    // Cells priced at another rate than the one in force (e.g. a default changed in code): read the incident rows.
    if (row?.rateOk === false) row = await run(factsReportSql(scope, now, hourlyRate));
    if (!row) throw new Error('the report statement returned no row');
    const periods = row.periods ?? [];
    // Sums of whole cents are exact integers; one division rounds like a decimal sum of the costs.
    const period = (r: PeriodStatementRow): PeriodRow => ({ period: r.period, incidents: r.incidents, severities: r.severities, cost: r.cents / 100, ttr: r.ttr, ttd: null, ttm: null });
    const overall: PeriodRow = {
      period: null,
      incidents: total(periods, (r) => r.incidents),
      severities: [0, 1, 2, 3].map((k) => total(periods, (r) => r.severities[k])) as PeriodRow['severities'],
      cost: total(periods, (r) => r.cents) / 100,
      ttr: overallStats(periods.map((r) => r.ttr), row.overall.ttr),
      ttd: overallStats(periods.map((r) => r.ttd), row.overall.ttd),
      ttm: overallStats(periods.map((r) => r.ttm), row.overall.ttm),
    };
    return {
      periods: [...periods.map(period), overall],
      categories: row.categories,
      repeats: total(periods, (r) => r.repeats),
      actionItems: { open: total(periods, (r) => r.open), overdue: row.ages.count, done: total(periods, (r) => r.done), doneOnTime: total(periods, (r) => r.doneOnTime), ages: row.ages },
      postmortems: { counted: total(periods, (r) => r.pmCounted), onTime: total(periods, (r) => r.pmOnTime) },
    };
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
