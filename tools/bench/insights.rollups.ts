// The insight rollups of a freshly seeded bench database, built in one set-based pass each
// (tools/bench/insights.bench.ts). Seeding a million incidents through the rollups' triggers
// took over 20 minutes; the bench instead inserts the raw rows with triggers off
// (session_replication_role = replica) and then builds what the triggers would have left, in
// dependency order:
//   incident_fact_services → incident_facts (repeat flags included) → incident_fact_cells → incident_fact_teams.
// The SQL is that of the migrations' back-fills (libs/server/db/src/migrations/*insight*):
// the select of `insight_facts_sync` without its id filters, the window pass of
// `insight_facts_flag_repeats(NULL)` computed before the facts are written (not as an UPDATE of
// every row afterwards), `insight_cells_build` over every day as `insight_cells_rebuild(NULL)`
// runs it, and the team rows' back-fill in key order. Only for empty rollups; no migration or
// production code is involved.

/**
 * Every trigger that an INSERT into the seeded tables fires (foreign keys aside): the rollups'
 * and the action items' tracker-link trigger (which writes nothing without tracker connections;
 * the bench has none). Replica mode skips them all, and the foreign-key checks (the seed's
 * references hold by construction); a trigger not in this list would be skipped unnoticed, so
 * the seed refuses to start when the database has one.
 */
export const SEED_INSERT_TRIGGERS: readonly string[] = [
  'action_items.action_items_facts_insert',
  'action_items.action_items_tracker_insert',
  'contributing_factors.contributing_factors_facts_insert',
  'incident_facts.incident_facts_cells_insert',
  'incident_facts.incident_facts_teams_insert',
  'incident_services.incident_services_facts_insert',
  'incidents.incidents_facts_insert',
  'postmortems.postmortems_facts_insert',
];

/** The INSERT triggers (not foreign keys) on the seeded tables, as 'table.trigger', sorted; compare with SEED_INSERT_TRIGGERS. */
export const INSERT_TRIGGERS_SQL = `
  SELECT coalesce(array_agg(c.relname || '.' || t.tgname ORDER BY c.relname || '.' || t.tgname), '{}') AS triggers
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE NOT t.tgisinternal AND t.tgtype & 4 <> 0
     AND c.relname IN ('incidents', 'incident_services', 'contributing_factors', 'postmortems', 'action_items',
                       'incident_facts', 'incident_fact_services', 'incident_fact_cells', 'incident_fact_teams')`;

/** As in 1732800000000-insight-facts: open action-item statuses, the repeat window (90 days of 24 h), minutesBetween. */
const OPEN_ACTION = `('OPEN', 'IN_PROGRESS', 'BLOCKED')`;
const REPEAT_WINDOW = `interval '2160 hours'`;
const minutes = (a: string, b: string): string => `(((extract(epoch FROM ${b}) - extract(epoch FROM ${a})) * 1000)::float8 / 60000)`;
/** incident_facts' columns, in table order (1796066480372-insight-team-rows copies them per team). */
const COLUMNS = `incident_id, started_at, week_start, month_start, severity, segment_keys, service_ids, team_ids, ttd, ttm, ttr, revenue_loss, revenue,
  impact_fraction, responder_hours, sla_credits, categories, is_repeat, pm_due_at, pm_published_at, items_open, items_done, items_done_on_time, open_item_due_ats`;
const from = (alias: string): string => COLUMNS.split(',').map((c) => `${alias}.${c.trim()}`).join(', ');

/** The build, in dependency order: [label, statement]. Each reads only tables built before it. */
export const ROLLUP_BUILD: readonly (readonly [label: string, sql: string])[] = [
  // What insight_facts_sync writes for a moved incident: one row per affected service with
  // the incident's start and factor categories (the facts' own values, computed the same way).
  [
    'incident_fact_services',
    `INSERT INTO incident_fact_services (incident_id, service_id, started_at, categories)
     SELECT x.incident_id, x.service_id, i.started_at, coalesce(cf.categories, '{}')
       FROM incident_services x JOIN services s ON s.id = x.service_id JOIN incidents i ON i.id = x.incident_id
       LEFT JOIN (SELECT incident_id, array_agg(DISTINCT category ORDER BY category) AS categories
                    FROM contributing_factors GROUP BY incident_id) cf ON cf.incident_id = x.incident_id`,
  ],
  // insight_facts_sync's row of every incident, with the repeat flag of insight_facts_flag_repeats(NULL)
  // (one window pass over incident_fact_services), written in start order (as CLUSTER leaves it).
  [
    'incident_facts',
    `WITH flagged AS (
       SELECT DISTINCT incident_id
         FROM (SELECT incident_id, count(*) OVER (PARTITION BY service_id, category ORDER BY started_at
                                                  RANGE BETWEEN ${REPEAT_WINDOW} PRECEDING AND interval '1 microsecond' PRECEDING) AS earlier
                 FROM incident_fact_services, unnest(categories) AS category) w
        WHERE earlier > 0
     )
     INSERT INTO incident_facts (incident_id, started_at, week_start, month_start, severity, segment_keys, service_ids, team_ids, ttd, ttm, ttr, revenue_loss, revenue,
                                 impact_fraction, responder_hours, sla_credits, categories, is_repeat, pm_due_at, pm_published_at,
                                 items_open, items_done, items_done_on_time, open_item_due_ats)
     SELECT i.id, i.started_at, date_trunc('week', i.started_at, 'UTC'), date_trunc('month', i.started_at, 'UTC'), i.severity,
            ARRAY(SELECT DISTINCT lower(btrim(s)) FROM unnest(i.segments) s),
            coalesce(sv.service_ids, '{}'), coalesce(sv.team_ids, '{}'),
            ${minutes('i.started_at', 'i.detected_at')}, ${minutes('i.started_at', 'i.mitigated_at')}, ${minutes('i.started_at', 'i.resolved_at')},
            CASE WHEN coalesce(i.mitigated_at, i.resolved_at) IS NOT NULL THEN
              greatest(0::float8, ${minutes('i.started_at', 'coalesce(i.mitigated_at, i.resolved_at)')}) * coalesce(sv.revenue, 0)::float8 * i.impact_fraction
            END,
            sv.revenue, i.impact_fraction, i.responder_hours, i.sla_credits,
            coalesce(cf.categories, '{}'), fl.incident_id IS NOT NULL, pm.due_at, pm.published_at,
            coalesce(ai.open, 0), coalesce(ai.done, 0), coalesce(ai.done_on_time, 0), coalesce(ai.open_due_ats, '{}')
       FROM incidents i
       LEFT JOIN (SELECT x.incident_id, array_agg(x.service_id ORDER BY x.service_id) AS service_ids,
                         array_agg(DISTINCT s.team_id) AS team_ids, sum(s.revenue_per_minute) AS revenue
                    FROM incident_services x JOIN services s ON s.id = x.service_id GROUP BY x.incident_id) sv ON sv.incident_id = i.id
       LEFT JOIN (SELECT incident_id, array_agg(DISTINCT category ORDER BY category) AS categories
                    FROM contributing_factors GROUP BY incident_id) cf ON cf.incident_id = i.id
       LEFT JOIN postmortems pm ON pm.incident_id = i.id
       LEFT JOIN (SELECT incident_id,
                         count(*) FILTER (WHERE status IN ${OPEN_ACTION}) AS open,
                         count(*) FILTER (WHERE status = 'DONE') AS done,
                         count(*) FILTER (WHERE status = 'DONE' AND completed_at <= due_at) AS done_on_time,
                         array_agg(due_at ORDER BY due_at) FILTER (WHERE status IN ${OPEN_ACTION}) AS open_due_ats
                    FROM action_items GROUP BY incident_id) ai ON ai.incident_id = i.id
       LEFT JOIN flagged fl ON fl.incident_id = i.id
      ORDER BY i.started_at`,
  ],
  // insight_cells_rebuild(NULL) on an empty table: every cell, at the rate in force.
  ['incident_fact_cells', `INSERT INTO incident_fact_cells SELECT * FROM insight_cells_build('-infinity', 'infinity', (SELECT rate FROM insight_cells_rate))`],
  // The team rows' back-fill, in key order (a team's rows lie together).
  [
    'incident_fact_teams',
    `INSERT INTO incident_fact_teams (team_id, ${COLUMNS}) SELECT t, ${from('f')} FROM incident_facts f, unnest(f.team_ids) AS t ORDER BY 1, f.started_at, f.incident_id`,
  ],
];

/**
 * A guard against this copy drifting from the database's own functions (a later migration
 * changing `insight_facts_sync`): inside a savepoint that is then rolled back, the production
 * sync rebuilds a sample of incidents as a write to them would (their facts, their rows by
 * service, and the repeat flags of every incident after them on their services), and the
 * build must already hold exactly what it writes. Run with the triggers enabled again, inside
 * the seeding transaction. Returns the number of rows that differ (0: the build agrees).
 */
export async function checkRollups(query: (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>, sample: string[]): Promise<number> {
  const snapshot = async (): Promise<{ facts: string[]; services: string[]; repeats: string }> => {
    const facts = await query(`SELECT f::text AS r FROM incident_facts f WHERE incident_id = ANY($1::uuid[]) ORDER BY incident_id`, [sample]);
    const services = await query(`SELECT s::text AS r FROM incident_fact_services s WHERE incident_id = ANY($1::uuid[]) ORDER BY incident_id, service_id`, [sample]);
    const repeats = await query(`SELECT count(*) FILTER (WHERE is_repeat)::text AS n FROM incident_facts`);
    return { facts: facts.rows.map((r) => String(r['r'])), services: services.rows.map((r) => String(r['r'])), repeats: String(repeats.rows[0]['n']) };
  };
  const before = await snapshot();
  await query('SAVEPOINT rollup_check');
  try {
    await query(`SELECT insight_facts_sync($1::uuid[], $1::uuid[])`, [sample]);
    const after = await snapshot();
    const differ = (a: string[], b: string[]): number => a.filter((r) => !b.includes(r)).length + b.filter((r) => !a.includes(r)).length;
    return differ(before.facts, after.facts) + differ(before.services, after.services) + (before.repeats === after.repeats ? 0 : 1);
  } finally {
    await query('ROLLBACK TO SAVEPOINT rollup_check');
  }
}
