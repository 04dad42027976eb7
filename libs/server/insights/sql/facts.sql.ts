import { OPEN_ACTION_STATUSES, REPEAT_WINDOW_DAYS, REPORT_DURATIONS } from '@hindsight/domain';
import { endedRevenueLoss } from './cost.sql';
import { durationOf } from './metrics.sql';

/**
 * `incident_facts`, the report's rollup: one row per incident with what the report reads,
 * rebuilt from the raw tables by insight_facts_sync in every writing transaction
 * (libs/server/insights/README.md). Its columns, the SELECT that computes them and the repeat
 * rule's window pass are defined here once: the database functions and the benchmark's seed
 * both use them.
 */

/** incident_facts' columns, in table order (incident_fact_teams copies them, after team_id). */
export const FACT_COLUMNS: readonly string[] = [
  'incident_id', 'started_at', 'week_start', 'month_start', 'severity', 'segment_keys', 'service_ids', 'team_ids',
  ...REPORT_DURATIONS.map((d) => d.key),
  'revenue_loss', 'revenue', 'impact_fraction', 'responder_hours', 'sla_credits', 'categories', 'is_repeat', 'pm_due_at', 'pm_published_at',
  'items_open', 'items_done', 'items_done_on_time', 'open_item_due_ats',
];

/** The columns of FACT_COLUMNS prefixed with a row alias. */
export const factColumnsOf = (alias: string, columns: readonly string[] = FACT_COLUMNS): string => columns.map((c) => `${alias}.${c}`).join(', ');

/** Open action-item statuses (the domain's OPEN_ACTION_STATUSES) as an SQL list. */
export const OPEN_ACTIONS = `(${OPEN_ACTION_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** The repeat rule's look-back (REPEAT_WINDOW_DAYS) in hours: a day is 24 h whatever the session's time zone. */
export const REPEAT_WINDOW = `interval '${REPEAT_WINDOW_DAYS * 24} hours'`;

/** Above this many incidents, one pass over everything beats work per incident (and one advisory lock each). */
export const BULK_INCIDENTS = 20000;

/** Advisory lock class of the facts: (class, 0) everything (shared by writers, exclusive for bulk work), (class, 1) the repeat flags, (class + 1, hash) one incident. */
export const FACTS_LOCK = 1732800;

/**
 * The incident kind the facts hold: near misses are counted apart (PRODUCT.md 5), so they
 * never enter incident counts, durations, cost or error budgets; ideas (uncommitted action
 * items) never enter action-item health.
 */
export const COUNTED_KIND = 'INCIDENT';

/** The columns FACTS_SELECT computes: all but is_repeat (insight_facts_flag_repeats keeps that). */
export const SYNCED_COLUMNS: readonly string[] = FACT_COLUMNS.filter((c) => c !== 'is_repeat');

/**
 * The fact rows of the incidents `i.id IN (<ids>)` (every incident when `ids` is null), computed
 * from the raw tables, columns SYNCED_COLUMNS in order. `ids` is an SQL expression of a
 * uuid[]; the sub-selects are filtered by it too, so a write of one incident reads its rows
 * only.
 */
export function factsSelect(ids: string | null): string {
  const only = (column: string): string => (ids ? `WHERE ${column} IN (SELECT unnest(${ids}))` : '');
  const values: Record<string, string> = {
    incident_id: 'i.id',
    started_at: 'i.started_at',
    // The report's periods (Monday 00:00 UTC, the 1st 00:00 UTC): date_trunc per row and report costs more than the rest of a row.
    week_start: `date_trunc('week', i.started_at, 'UTC')`,
    month_start: `date_trunc('month', i.started_at, 'UTC')`,
    severity: 'i.severity',
    // Trimmed and lower-cased, as the report's segment filter compares them.
    segment_keys: 'ARRAY(SELECT DISTINCT lower(btrim(s)) FROM unnest(i.segments) s)',
    service_ids: `coalesce(sv.service_ids, '{}')`,
    team_ids: `coalesce(sv.team_ids, '{}')`,
    ...Object.fromEntries(REPORT_DURATIONS.map((d) => [d.key, durationOf(d, 'i')])),
    revenue_loss: endedRevenueLoss('i', 'sv.revenue'),
    revenue: 'sv.revenue',
    impact_fraction: 'i.impact_fraction',
    responder_hours: 'i.responder_hours',
    sla_credits: 'i.sla_credits',
    categories: `coalesce(cf.categories, '{}')`,
    pm_due_at: 'pm.due_at',
    pm_published_at: 'pm.published_at',
    items_open: 'coalesce(ai.open, 0)',
    items_done: 'coalesce(ai.done, 0)',
    items_done_on_time: 'coalesce(ai.done_on_time, 0)',
    open_item_due_ats: `coalesce(ai.open_due_ats, '{}')`,
  };
  return `SELECT ${SYNCED_COLUMNS.map((c) => `${values[c]} AS ${c}`).join(',\n         ')}
    FROM incidents i
    LEFT JOIN (SELECT x.incident_id, array_agg(x.service_id ORDER BY x.service_id) AS service_ids,
                      array_agg(DISTINCT s.team_id) AS team_ids, ${REVENUE_SUM} AS revenue
                 FROM incident_services x JOIN services s ON s.id = x.service_id
                ${only('x.incident_id')} GROUP BY x.incident_id) sv ON sv.incident_id = i.id
    LEFT JOIN (SELECT incident_id, array_agg(DISTINCT category ORDER BY category) AS categories
                 FROM contributing_factors ${only('incident_id')} GROUP BY incident_id) cf ON cf.incident_id = i.id
    LEFT JOIN postmortems pm ON pm.incident_id = i.id
    LEFT JOIN (SELECT incident_id,
                      count(*) FILTER (WHERE status IN ${OPEN_ACTIONS}) AS open,
                      count(*) FILTER (WHERE status = 'DONE') AS done,
                      count(*) FILTER (WHERE status = 'DONE' AND completed_at <= due_at) AS done_on_time,
                      array_agg(due_at ORDER BY due_at) FILTER (WHERE status IN ${OPEN_ACTIONS}) AS open_due_ats
                 FROM action_items WHERE committed ${ids ? `AND incident_id IN (SELECT unnest(${ids}))` : ''} GROUP BY incident_id) ai ON ai.incident_id = i.id
   WHERE i.kind = '${COUNTED_KIND}'${ids ? ` AND i.id IN (SELECT unnest(${ids}))` : ''}`;
}

/** Σ revenue per minute of an incident's services (`s` services joined through `x` incident_services, grouped by incident). */
export const REVENUE_SUM = 'sum(s.revenue_per_minute)';

/** The rows by service (incident_fact_services) of fact-shaped rows `f`: what the repeat rule looks up by service and time. */
export const factServicesSelect = (f: string, where = 'true'): string =>
  `SELECT f.incident_id, s.id AS service_id, f.started_at, f.categories FROM ${f} f, unnest(f.service_ids) AS s(id) WHERE ${where}`;

/**
 * The incidents that are repeats, among all rows of incident_fact_services (or a relation of
 * the same shape): isRepeat in one sort over every (service, category, incident), an earlier
 * incident sharing both started in [start − 90 days, start).
 */
export const repeatsSelect = (rows = 'incident_fact_services'): string => `
  SELECT DISTINCT incident_id
    FROM (SELECT incident_id, count(*) OVER (PARTITION BY service_id, category ORDER BY started_at
                                            RANGE BETWEEN ${REPEAT_WINDOW} PRECEDING AND interval '1 microsecond' PRECEDING) AS earlier
            FROM ${rows}, unnest(categories) AS category) w
   WHERE earlier > 0`;

/** isRepeat of fact row `f` by probe: an earlier incident on one of its services with one of its factor categories in the window. */
export const repeatProbe = (f: string): string => `EXISTS (
  SELECT 1 FROM incident_fact_services mine
    JOIN incident_fact_services p ON p.service_id = mine.service_id
         AND p.started_at < mine.started_at AND p.started_at >= mine.started_at - ${REPEAT_WINDOW}
         AND p.categories && mine.categories
   WHERE mine.incident_id = ${f}.incident_id)`;

/**
 * Concurrent writes: each statement of a sync reads a fresh snapshot (READ COMMITTED), so
 * waiting for these locks (held to commit) makes it see what the writers before it committed.
 * Order: everything (bulk, exclusive) or a share of it, then the repeat flags when `moved`, then
 * incidents by key.
 */
export const lockIncidents = (ids: string, moved: string | null): string => `
  IF cardinality(${ids}) > ${BULK_INCIDENTS} THEN
    PERFORM pg_advisory_xact_lock(${FACTS_LOCK}, 0);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(${FACTS_LOCK}, 0);
    ${moved ? `IF cardinality(${moved}) > 0 THEN PERFORM pg_advisory_xact_lock(${FACTS_LOCK}, 1); END IF;` : ''}
    PERFORM pg_advisory_xact_lock(${FACTS_LOCK} + 1, h) FROM (SELECT DISTINCT hashtext(id::text) AS h FROM unnest(${ids}) AS t(id) ORDER BY 1) k;
  END IF;`;
