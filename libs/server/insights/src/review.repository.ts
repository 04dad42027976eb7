import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { distributionOf, MAX_DRIVERS, MAX_RANKED_VALUES, rankedQuantiles, REPORT_DURATIONS, type DistributionStats, type FactorCategory, type HeadlineMetric, type Priority } from '@hindsight/domain';
import { InjectDataSource, onPrimary, queryOne, queryRows, readsFromReplica } from '@hindsight/server-db';
import { factCostCents } from '@hindsight/server-insights-sql';
import { BUDGET_INCIDENT_COLUMNS, mayOverlapWindow, SLO_COLUMNS, SLO_ORDER, type BudgetIncidentRow, type BudgetSloRow } from './error-budgets.repository';
import { float8s } from './float8.decode';
import { PERIOD_COLUMN, SqlParams, type ReportScope } from './report.sql';

/** One period of one range (previous or current) as the review's period statement returns it. */
export interface ReviewPeriodRow {
  /** The period belongs to the range (started_at ≥ from); the split period of an unaligned `from` appears once on each side. */
  current: boolean;
  /** Epoch ms of the period start. */
  period: number;
  incidents: number;
  /** The current range's periods only (the baseline's are not shown). */
  ttd: DistributionStats;
  ttm: DistributionStats;
  repeats: number;
  pmCounted: number;
  pmOnTime: number;
  /** The values the change detection ranks (all, or MAX_RANKED_VALUES order statistics): durations in minutes, costs in cents. */
  ttds: number[];
  ttms: number[];
  ttrs: number[];
  cents: number[];
}

/** An action item of an incident in scope, for its overdue state at past instants. */
export interface ScopedItemRow {
  priority: Priority;
  dueAt: Date;
  /** When it was closed; null while open (a closed item without a date is left out). */
  completedAt: Date | null;
}

/** What drove one change: asked for by `key`, over [from, to). */
export interface DriverRequest {
  key: string;
  metric: HeadlineMetric;
  /** The change made things worse: the longest / costliest incidents drove it; otherwise the shortest / cheapest. */
  worse: boolean;
  from: Date;
  to: Date;
}

export interface DriverRow {
  key: string;
  incidentIds: string[];
  services: { serviceId: string; count: number }[];
  categories: { category: FactorCategory; count: number }[];
}

/** The scope's criteria other than the dates, on rollup row `f` (as the reliability report applies them). */
function scopeConditions(p: SqlParams, scope: Omit<ReportScope, 'from' | 'to' | 'interval'>): void {
  if (scope.severities?.length) p.where(`f.severity = ANY(${p.add(scope.severities)}::text[])`);
  if (scope.teamId) p.where(`f.team_ids @> ARRAY[${p.add(scope.teamId)}::uuid]`);
  if (scope.serviceId) p.where(`f.service_ids @> ARRAY[${p.add(scope.serviceId)}::uuid]`);
  if (scope.segment) p.where(`f.segment_keys @> ARRAY[lower(btrim(${p.add(scope.segment)}::text))]`);
}

const [TTD, TTM] = (['ttd', 'ttm'] as const).map((key) => REPORT_DURATIONS.find((d) => d.key === key) ?? REPORT_DURATIONS[0]);

/** SLO `o` of service `s` is in scope: $1 team, $2 service, $3 segment (each null = any). */
const SLOS_IN_SCOPE = `($1::uuid IS NULL OR s.team_id = $1) AND ($2::uuid IS NULL OR o.service_id = $2)
          AND ($3::text IS NULL OR lower(btrim(o.segment)) = lower(btrim($3)))`;

/**
 * The sorted values of column `x` (NULLs left out) for the rank tests: all of them up to
 * MAX_RANKED_VALUES, else that many evenly spaced order statistics, so a company's decade of
 * weekly periods stays a bounded answer and a bounded sort (see rankedSample).
 */
const ranked = (x: string, quantiles: string): string =>
  `CASE WHEN count(${x}) <= ${MAX_RANKED_VALUES} THEN coalesce(array_agg(${x} ORDER BY ${x}) FILTER (WHERE ${x} IS NOT NULL), '{}')
        ELSE percentile_disc(${quantiles}) WITHIN GROUP (ORDER BY ${x}) END`;

/** A covered incident's triggering change and one SLO of the change's service, with the incidents that may count against it then. */
export interface TriggeringChangeBudgetRow {
  incidentId: string;
  changeId: string;
  serviceId: string;
  finishedAt: Date;
  version: string | null;
  slo: BudgetSloRow;
  incidents: Omit<BudgetIncidentRow, 'sloId'>[];
}

/** The review's own SQL (issue 15), over the report's rollup incident_facts; the reports themselves come from InsightsService. */
@Injectable()
export class ReviewRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Per period of [from, to) (the baseline before `splitAt` and the range from it): the figures the report does not give per period, and the values to rank. */
  async periods(scope: ReportScope, splitAt: Date, now: Date, hourlyRate: number): Promise<ReviewPeriodRow[]> {
    const p = new SqlParams();
    const nowP = `${p.add(now)}::timestamptz`;
    const rateP = `${p.add(hourlyRate)}::float8`;
    const splitP = `${p.add(splitAt)}::timestamptz`;
    const quantiles = `${p.add(rankedQuantiles())}::float8[]`;
    p.where(`f.started_at >= ${p.add(scope.from)}::timestamptz`);
    p.where(`f.started_at < ${p.add(scope.to)}::timestamptz`);
    scopeConditions(p, scope);
    // The values of TTD and TTM in the current range, float8send's bytes: the API computes their distributions.
    const values = (x: string) => `coalesce(string_agg(float8send(${x}), ''::bytea) FILTER (WHERE current), ''::bytea)`;
    // On the primary, the revenue changes recorded so far are applied first (the reports do the same), in the same
    // round trip: the drivers read the facts after. A replica is read-only: with a change pending there, the primary
    // applies it and answers.
    const read = (catchUp: boolean) => this.ds.transaction(async (em) => {
      // The same reasons as the report's REPORT_SETTINGS: many aggregates (JIT), in-memory sorts.
      await em.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'${catchUp ? '; SELECT insight_facts_catch_up(true)' : ''}`);
      if (!catchUp) {
        const [{ pending }] = await em.query(`SELECT EXISTS (SELECT 1 FROM insight_revenue_changes) AS pending`);
        if (pending) return null;
      }
      return queryRows<Omit<ReviewPeriodRow, 'ttd' | 'ttm'> & { ttdValues: Buffer; ttmValues: Buffer }>(
        em,
        `WITH cov AS MATERIALIZED (
           SELECT f.started_at >= ${splitP} AS current, f.${PERIOD_COLUMN[scope.interval]} AS period, f.ttd, f.ttm, f.ttr, ${factCostCents('f', nowP, rateP)} AS cents,
                  f.is_repeat, f.pm_due_at, f.pm_published_at
             FROM incident_facts f WHERE ${p.conjunction}
         )
         SELECT current, (extract(epoch FROM period) * 1000)::float8 AS period, count(*)::int AS incidents,
                ${values('ttd')} AS "ttdValues", ${values('ttm')} AS "ttmValues",
                count(*) FILTER (WHERE is_repeat)::int AS repeats,
                count(*) FILTER (WHERE pm_due_at IS NOT NULL AND (pm_published_at IS NOT NULL OR ${nowP} > pm_due_at))::int AS "pmCounted",
                count(*) FILTER (WHERE pm_due_at IS NOT NULL AND pm_published_at <= pm_due_at)::int AS "pmOnTime",
                ${ranked('ttd', quantiles)} AS ttds, ${ranked('ttm', quantiles)} AS ttms, ${ranked('ttr', quantiles)} AS ttrs, ${ranked('cents::float8', quantiles)} AS cents
           FROM cov GROUP BY current, period ORDER BY period, current`,
        p.values,
      );
    });
    const rows = (await read(!readsFromReplica())) ?? (await onPrimary(() => read(true)));
    return rows!.map(({ ttdValues, ttmValues, ...row }) => ({ ...row, ttd: distributionOf(float8s(ttdValues), TTD.bounds), ttm: distributionOf(float8s(ttmValues), TTM.bounds) }));
  }

  /**
   * The action items of the incidents passing the scope's criteria (whenever they started)
   * that may be overdue at some instant in [first, last]: due before `last`, not closed before `first`.
   */
  scopedItems(scope: ReportScope, first: Date, last: Date): Promise<ScopedItemRow[]> {
    const p = new SqlParams();
    p.where(`a.due_at < ${p.add(last)}::timestamptz`);
    p.where(`(a.completed_at IS NULL OR a.completed_at > ${p.add(first)}::timestamptz)`);
    p.where(`(a.completed_at IS NOT NULL OR a.status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED'))`);
    p.where('a.committed');
    scopeConditions(p, scope);
    return queryRows(
      this.ds,
      `SELECT a.priority, a.due_at AS "dueAt", a.completed_at AS "completedAt"
         FROM action_items a JOIN incident_facts f ON f.incident_id = a.incident_id
        WHERE ${p.conjunction}`,
      p.values,
    );
  }

  /** The SLOs in scope: of the filter's service, of the services its team owns, or all; only the segment's with a segment filter. */
  slos(scope: ReportScope): Promise<BudgetSloRow[]> {
    return queryRows(
      this.ds,
      `SELECT ${SLO_COLUMNS} FROM slos o JOIN services s ON s.id = o.service_id
        WHERE ${SLOS_IN_SCOPE}
        ORDER BY ${SLO_ORDER}`,
      [scope.teamId ?? null, scope.serviceId ?? null, scope.segment ?? null],
    );
  }

  /** For each SLO in scope, the incidents on its service that may overlap [from − its window, to]. Which count is countsAgainstSlo. */
  budgetIncidents(scope: ReportScope, from: Date, to: Date): Promise<BudgetIncidentRow[]> {
    return queryRows(
      this.ds,
      `SELECT ${BUDGET_INCIDENT_COLUMNS}
         FROM slos o
         JOIN services s ON s.id = o.service_id
         JOIN incident_services x ON x.service_id = o.service_id
         JOIN incidents i ON i.id = x.incident_id
        WHERE ${SLOS_IN_SCOPE} AND ${mayOverlapWindow('$4::timestamptz', '$5::timestamptz')}`,
      [scope.teamId ?? null, scope.serviceId ?? null, scope.segment ?? null, from, to],
    );
  }

  /**
   * Change-freeze awareness: for each covered incident of [from, to) with a TRIGGERING change
   * to a service, each SLO of that service with the incidents that may overlap its window
   * ending at the change's finishedAt (which count is countsAgainstSlo). One statement.
   */
  async triggeringChangeBudgets(scope: ReportScope): Promise<TriggeringChangeBudgetRow[]> {
    const p = new SqlParams();
    p.where(`f.started_at >= ${p.add(scope.from)}::timestamptz`);
    p.where(`f.started_at < ${p.add(scope.to)}::timestamptz`);
    scopeConditions(p, scope);
    const rows = await queryRows<Omit<TriggeringChangeBudgetRow, 'incidents'> & { incidents: (Omit<BudgetIncidentRow, 'sloId' | 'startedAt' | 'resolvedAt'> & { startedAt: string; resolvedAt: string | null })[] }>(
      this.ds,
      `WITH trig AS (
         SELECT f.incident_id, c.id AS change_id, c.service_id, c.finished_at, c.version
           FROM incident_facts f
           JOIN incident_changes l ON l.incident_id = f.incident_id AND l.role = 'TRIGGERING'
           JOIN changes c ON c.id = l.change_id
          WHERE ${p.conjunction} AND c.service_id IS NOT NULL
       )
       SELECT t.incident_id AS "incidentId", t.change_id AS "changeId", t.service_id AS "serviceId", t.finished_at AS "finishedAt", t.version,
              json_build_object('id', o.id, 'serviceId', o.service_id, 'dimension', o.dimension, 'objective', o.objective, 'windowDays', o.window_days, 'segment', o.segment) AS slo,
              b.incidents
         FROM trig t
         JOIN slos o ON o.service_id = t.service_id
         CROSS JOIN LATERAL (
           SELECT coalesce(json_agg(json_build_object(
                    'startedAt', i.started_at, 'resolvedAt', i.resolved_at, 'impactedDimensions', i.impacted_dimensions, 'segments', i.segments,
                    'serviceIds', ARRAY(SELECT y.service_id::text FROM incident_services y WHERE y.incident_id = i.id))), '[]') AS incidents
             FROM incident_services x JOIN incidents i ON i.id = x.incident_id
            WHERE x.service_id = o.service_id AND ${mayOverlapWindow('t.finished_at', 't.finished_at')}
         ) b
        ORDER BY t.finished_at, t.incident_id, o.id`,
      p.values,
    );
    return rows.map((r) => ({
      ...r,
      incidents: r.incidents.map((i) => ({ ...i, startedAt: new Date(i.startedAt), resolvedAt: i.resolvedAt === null ? null : new Date(i.resolvedAt) })),
    }));
  }

  /** Incidents per month (start of month, epoch ms) passing the scope's criteria, over all time, oldest first; months without incidents are absent. */
  monthlyCounts(scope: ReportScope): Promise<{ month: number; incidents: number }[]> {
    const p = new SqlParams();
    scopeConditions(p, scope);
    return queryRows(
      this.ds,
      `SELECT (extract(epoch FROM f.month_start) * 1000)::float8 AS month, count(*)::int AS incidents
         FROM incident_facts f WHERE ${p.conjunction} GROUP BY f.month_start ORDER BY f.month_start`,
      p.values,
    );
  }

  /**
   * For each request, in one statement: the (at most MAX_DRIVERS) covered incidents of its period that
   * weigh most on the metric (the longest durations, the highest cost, or for counts the most
   * severe then costliest; reversed for a change for the better), the (at most MAX_DRIVERS) services most
   * involved and the factor categories.
   */
  async drivers(scope: ReportScope, requests: readonly DriverRequest[], now: Date, hourlyRate: number): Promise<DriverRow[]> {
    if (requests.length === 0) return [];
    const p = new SqlParams();
    const keys = p.add(requests.map((r) => r.key));
    const metrics = p.add(requests.map((r) => r.metric));
    const worse = p.add(requests.map((r) => r.worse));
    const froms = p.add(requests.map((r) => r.from));
    const tos = p.add(requests.map((r) => r.to));
    const cents = factCostCents('f', `${p.add(now)}::timestamptz`, `${p.add(hourlyRate)}::float8`);
    scopeConditions(p, scope);
    p.where(`f.started_at >= r."from" AND f.started_at < r."to"`);
    const value = `CASE r.metric WHEN 'TTD_MEDIAN' THEN f.ttd WHEN 'TTM_MEDIAN' THEN f.ttm WHEN 'TTR_MEDIAN' THEN f.ttr ELSE ${cents} END`;
    // Counts: the most severe first (SEV1 → 1), then the costliest, whichever the direction.
    const rank = `CASE WHEN r.metric = 'INCIDENTS' THEN substr(f.severity, 4)::int ELSE 0 END`;
    const order = `CASE WHEN r.worse OR r.metric = 'INCIDENTS' THEN -(${value}) ELSE ${value} END`;
    const row = await queryOne<{ rows: DriverRow[] | null }>(
      this.ds,
      `WITH r AS (SELECT * FROM unnest(${keys}::text[], ${metrics}::text[], ${worse}::boolean[], ${froms}::timestamptz[], ${tos}::timestamptz[]) AS r(key, metric, worse, "from", "to")),
       cov AS MATERIALIZED (
         SELECT r.key, f.incident_id, f.started_at, f.service_ids, f.categories, ${rank} AS k, ${order} AS o
           FROM r JOIN incident_facts f ON ${p.conjunction}
       ),
       top AS (
         SELECT key, array_agg(incident_id ORDER BY n) AS ids FROM (
           SELECT key, incident_id, row_number() OVER (PARTITION BY key ORDER BY k, o, started_at, incident_id) AS n FROM cov WHERE o IS NOT NULL) t
          WHERE n <= ${MAX_DRIVERS} GROUP BY key
       ),
       svc AS (
         SELECT key, json_agg(json_build_object('serviceId', service_id, 'count', n) ORDER BY n DESC, service_id) FILTER (WHERE rn <= ${MAX_DRIVERS}) AS services FROM (
           SELECT key, service_id, count(*)::int AS n, row_number() OVER (PARTITION BY key ORDER BY count(*) DESC, service_id) AS rn
             FROM cov, unnest(cov.service_ids) AS service_id GROUP BY key, service_id) s
          GROUP BY key
       ),
       cat AS (
         SELECT key, json_agg(json_build_object('category', category, 'count', n) ORDER BY n DESC, category) AS categories FROM (
           SELECT key, category, count(*)::int AS n FROM cov, unnest(cov.categories) AS category GROUP BY key, category) c
          GROUP BY key
       )
       SELECT json_agg(json_build_object('key', r.key, 'incidentIds', coalesce(top.ids, '{}'), 'services', coalesce(svc.services, '[]'), 'categories', coalesce(cat.categories, '[]'))) AS rows
         FROM r LEFT JOIN top ON top.key = r.key LEFT JOIN svc ON svc.key = r.key LEFT JOIN cat ON cat.key = r.key`,
      p.values,
    );
    return row?.rows ?? [];
  }
}
