import { endedRevenueLoss } from '../cost.sql';
import { lockIncidents, REVENUE_SUM } from '../facts.sql';
import { CACHED_PLANS, defineFunction, sized, SqlFunction, triggerFunction } from '../sql-function';

type Event = 'INSERT' | 'UPDATE' | 'DELETE';

/** The transition tables a statement trigger of `event` sees. */
const rowsOf = (event: Event): string[] => (event === 'INSERT' ? ['new_rows'] : event === 'DELETE' ? ['old_rows'] : ['new_rows', 'old_rows']);
const all = (column: string) => (rows: string[]) => rows.map((r) => `SELECT ${column} FROM ${r}`).join(' UNION ');
const none = () => `SELECT NULL::uuid WHERE false`;

/**
 * What a write to each raw table means for the facts: the incidents to rebuild and those
 * "moved" (services, start or factor categories changed; their followers' repeat flags are
 * recomputed). One statement-level trigger function per table and event, named
 * `<table>_facts_<event>` (PostgreSQL gives transition tables only to single-event triggers).
 */
const SOURCES: { table: string; events: Event[]; ids: (rows: string[]) => string; moved: (rows: string[], event: Event) => string }[] = [
  {
    table: 'incidents', events: ['INSERT', 'UPDATE', 'DELETE'], ids: all('id'),
    // An edit that keeps the start and the kind leaves the repeat flags alone (a near miss has no fact row).
    moved: (rows, event) => event === 'UPDATE'
      ? `SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.started_at IS DISTINCT FROM o.started_at OR n.kind IS DISTINCT FROM o.kind`
      : all('id')(rows),
  },
  { table: 'incident_services', events: ['INSERT', 'UPDATE', 'DELETE'], ids: all('incident_id'), moved: all('incident_id') },
  { table: 'contributing_factors', events: ['INSERT', 'UPDATE', 'DELETE'], ids: all('incident_id'), moved: all('incident_id') },
  { table: 'postmortems', events: ['INSERT', 'UPDATE', 'DELETE'], ids: all('incident_id'), moved: none },
  { table: 'action_items', events: ['INSERT', 'UPDATE', 'DELETE'], ids: all('incident_id'), moved: none },
];

const syncTriggers: SqlFunction[] = SOURCES.flatMap((t) =>
  t.events.map((event) => {
    const rows = rowsOf(event);
    return triggerFunction(`${t.table}_facts_${event.toLowerCase()}`, `
DECLARE
  written bigint;
BEGIN
  written := (SELECT count(*) FROM ${rows[0]});
  IF written = 0 THEN RETURN NULL; END IF;
  ${sized('written', `insight_facts_sync(ARRAY(${t.ids(rows)}), ARRAY(${t.moved(rows, event)}))`, { perform: true })}
  RETURN NULL;
END`);
  }),
);

/**
 * A service's owning team: every incident it affects is synced (their team ids and team rows
 * move). Its revenue alone: the change is recorded (insight_revenue_changes) and its ~2,000
 * incidents are repriced after the write (insight_facts_catch_up), not in the ADMIN's
 * transaction.
 */
const servicesUpdate = triggerFunction('services_facts_update', `
DECLARE
  written bigint;
BEGIN
  written := (SELECT count(*) FROM new_rows);
  ${sized('written', `insight_facts_sync(ARRAY(
    SELECT x.incident_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN incident_services x ON x.service_id = n.id
     WHERE n.team_id IS DISTINCT FROM o.team_id), '{}')`, { perform: true })}
  ${sized('written', `INSERT INTO insight_revenue_changes (service_id)
  SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
   WHERE n.revenue_per_minute IS DISTINCT FROM o.revenue_per_minute AND n.team_id IS NOT DISTINCT FROM o.team_id
  ON CONFLICT (service_id) DO UPDATE SET changed_at = now()`)}
  RETURN NULL;
END`);

/**
 * insight_facts_catch_up(wait): applies the recorded revenue changes — the revenue and revenue
 * loss of the incidents of those services rewritten from their rows (the cells' cents and team
 * rows follow through their triggers) — and returns how many services it caught up. Changes
 * another session is applying are skipped, or with `wait` waited for (a report must not read
 * before they are in).
 */
export const INSIGHT_FACTS_CATCH_UP = defineFunction({
  name: 'insight_facts_catch_up',
  args: [['wait', 'boolean']],
  returns: 'integer',
  language: 'plpgsql',
  settings: CACHED_PLANS,
  body: `
DECLARE
  services uuid[];
  ids uuid[];
BEGIN
  IF wait THEN
    SELECT coalesce(array_agg(service_id), '{}') INTO services FROM (SELECT service_id FROM insight_revenue_changes ORDER BY service_id FOR UPDATE) s;
  ELSE
    SELECT coalesce(array_agg(service_id), '{}') INTO services FROM (SELECT service_id FROM insight_revenue_changes ORDER BY service_id FOR UPDATE SKIP LOCKED) s;
  END IF;
  IF cardinality(services) = 0 THEN RETURN 0; END IF;
  ids := ARRAY(SELECT DISTINCT incident_id FROM incident_services WHERE service_id = ANY(services));
  IF cardinality(ids) > 0 THEN
    ${lockIncidents('ids', null)}
    UPDATE incident_facts f SET revenue = r.revenue, revenue_loss = r.revenue_loss
      FROM (SELECT i.id, sv.revenue, ${endedRevenueLoss('i', 'sv.revenue')} AS revenue_loss
              FROM (SELECT x.incident_id, ${REVENUE_SUM} AS revenue FROM incident_services x JOIN services s ON s.id = x.service_id
                     WHERE x.incident_id = ANY(ids) GROUP BY x.incident_id) sv
              JOIN incidents i ON i.id = sv.incident_id) r
     WHERE f.incident_id = ANY(ids) AND f.incident_id = r.id AND (f.revenue, f.revenue_loss) IS DISTINCT FROM (r.revenue, r.revenue_loss);
  END IF;
  DELETE FROM insight_revenue_changes WHERE service_id = ANY(services);
  RETURN cardinality(services);
END`,
});

/** TRUNCATE has no transition tables: rebuild everything (TRUNCATE incidents … CASCADE empties incident_facts through its foreign key; the rows by service go here). */
const truncated = triggerFunction('insight_facts_truncated', `
BEGIN
  DELETE FROM incident_fact_services f WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = f.incident_id);
  PERFORM insight_facts_sync(ARRAY(SELECT id FROM incidents), ARRAY(SELECT id FROM incidents));
  RETURN NULL;
END`);

export const FACTS_TRIGGERS: readonly SqlFunction[] = [...syncTriggers, servicesUpdate, truncated];
