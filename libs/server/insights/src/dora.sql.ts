import type { TrendInterval } from '@hindsight/domain';
import type { ReportQuery } from './report.rows';
import { SqlParams, type ReportScope } from './report.sql';

/**
 * The DORA figures' statement (docs/dora.md): per period, the production changes that
 * finished in [from, to) — whole UTC days counted in `insight_change_days`, the partial days
 * at the edges from `changes` — and the failed ones among them (linked to an incident — not a near
 * miss — passing the filter's severities and segment), each with its finish and its incidents' recovery as
 * epoch ms, its service and those incidents (the review's drivers). The domain's doraFigures computes every figure from them.
 */

const MS_PER_DAY = 86_400_000;
const dayFloor = (d: Date): Date => new Date(Math.floor(d.getTime() / MS_PER_DAY) * MS_PER_DAY);
const dayCeil = (d: Date): Date => new Date(Math.ceil(d.getTime() / MS_PER_DAY) * MS_PER_DAY);

const TRUNC: Record<TrendInterval, string> = { WEEK: 'week', MONTH: 'month' };
/** The UTC period start of an instant, as epoch ms. */
const periodMs = (interval: TrendInterval, instant: string): string =>
  `(extract(epoch FROM date_trunc('${TRUNC[interval]}', ${instant} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') * 1000)::float8`;
const epochMs = (instant: string): string => `(extract(epoch FROM ${instant}) * 1000)::float8`;

export interface DoraRows {
  /** Production changes per period (epoch ms of its start) that has any. */
  deployments: { period: number; deployments: number }[];
  /** One row per failed change: its period, finish, and the last recovery of its incidents (null while one has not recovered). */
  failed: { period: number; finishedAt: number; recoveredAt: number | null; serviceId: string | null; incidentIds: string[] }[];
}

export function doraSql(scope: ReportScope): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  // The services in scope: a condition on a service_id column.
  const inScope = scope.serviceId
    ? ((): ((col: string) => string) => { const s = p.add(scope.serviceId); return (col) => `${col} = ${s}::uuid`; })()
    : scope.teamId
      ? ((): ((col: string) => string) => { const t = p.add(scope.teamId); return (col) => `${col} IN (SELECT s.id FROM services s WHERE s.team_id = ${t}::uuid)`; })()
      : (): string => 'true';
  const [from, to, dayFrom, dayTo] = [scope.from, scope.to, dayCeil(scope.from), dayFloor(scope.to)];
  const fromP = `${p.add(from)}::timestamptz`;
  const toP = `${p.add(to)}::timestamptz`;
  const raw = (a: string, b: string): string =>
    `SELECT ${periodMs(scope.interval, 'c.finished_at')} AS period, count(*) AS n FROM changes c
      WHERE c.production AND c.finished_at >= ${a} AND c.finished_at < ${b} AND ${inScope('c.service_id')} GROUP BY 1`;
  let counted: string;
  if (dayFrom >= dayTo) counted = raw(fromP, toP);
  else {
    const d0 = `${p.add(dayFrom)}::timestamptz`;
    const d1 = `${p.add(dayTo)}::timestamptz`;
    counted = [
      `SELECT ${periodMs(scope.interval, `d.day::timestamp AT TIME ZONE 'UTC'`)} AS period, sum(d.changes) AS n FROM insight_change_days d
        WHERE d.day >= (${d0} AT TIME ZONE 'UTC')::date AND d.day < (${d1} AT TIME ZONE 'UTC')::date AND ${inScope('d.service_id')} GROUP BY 1`,
      ...(from < dayFrom ? [raw(fromP, d0)] : []),
      ...(dayTo < to ? [raw(d1, toP)] : []),
    ].join(' UNION ALL ');
  }
  const incident: string[] = [];
  if (scope.severities?.length) incident.push(`i.severity = ANY(${p.add(scope.severities)}::text[])`);
  if (scope.segment) incident.push(`EXISTS (SELECT 1 FROM unnest(i.segments) s WHERE lower(btrim(s)) = lower(btrim(${p.add(scope.segment)}::text)))`);
  const recovered = 'coalesce(i.mitigated_at, i.resolved_at)';
  const sql = `
    WITH counted AS (${counted}),
    -- The links are few next to the changes (a year of deploys is millions of rows): read them first and reach each change by its key,
    -- rather than scanning the period's changes for the linked ones.
    links AS MATERIALIZED (SELECT l.change_id, l.incident_id FROM incident_changes l),
    deployments AS (SELECT period, sum(n)::int AS deployments FROM counted GROUP BY period),
    failed AS (
      SELECT ${periodMs(scope.interval, 'c.finished_at')} AS period, ${epochMs('c.finished_at')} AS "finishedAt",
             CASE WHEN bool_and(${recovered} IS NOT NULL) THEN ${epochMs(`max(${recovered})`)} END AS "recoveredAt",
             c.service_id AS "serviceId", array_agg(i.id ORDER BY i.started_at, i.id) AS "incidentIds"
        FROM links l
        JOIN changes c ON c.id = l.change_id
        JOIN incidents i ON i.id = l.incident_id AND i.kind = 'INCIDENT'
       WHERE c.production AND c.finished_at >= ${fromP} AND c.finished_at < ${toP} AND ${inScope('c.service_id')}${incident.map((w) => ` AND ${w}`).join('')}
       GROUP BY c.id, c.finished_at, c.service_id
    )
    SELECT (SELECT coalesce(json_agg(d), '[]') FROM deployments d) AS deployments,
           (SELECT coalesce(json_agg(f), '[]') FROM failed f) AS failed`;
  return { sql, params: p.values };
}

/** The DORA rows of a report's scope; run it in the report's transaction (one snapshot). */
export async function doraRows(query: ReportQuery, scope: ReportScope): Promise<DoraRows> {
  const { sql, params } = doraSql(scope);
  const [row] = await query<DoraRows>(sql, params);
  if (!row) throw new Error('the DORA statement returned no row');
  return { deployments: row.deployments, failed: row.failed };
}
