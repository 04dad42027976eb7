// The insight rollups of a freshly seeded bench database, built in one set-based pass each
// (tools/bench/insights.bench.ts). Seeding a million incidents through the rollups' triggers
// took over 20 minutes; the bench instead inserts the raw rows with triggers off
// (session_replication_role = replica) and then builds what the triggers would have left, in
// dependency order:
//   facts computed → incident_fact_services → incident_facts (repeat flags included) → incident_fact_cells → incident_fact_teams.
// The SQL is imported from the rollups' own definitions (libs/server/insights/sql), never
// copied. Only for empty rollups.

import { factColumnsOf, factServicesSelect, factsSelect, repeatsSelect, SYNCED_COLUMNS, TEAM_ROWS_BUILD } from '@hindsight/server-insights-sql';

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

/**
 * The build, in dependency order: [label, statement]. The SQL is the rollups' own
 * (libs/server/insights/sql): the facts' SELECT of insight_facts_sync without its id filter,
 * kept for this transaction in a temporary table; from it the rows by service and the repeat
 * flags of insight_facts_flag_repeats(NULL) (its window pass), computed before the facts are
 * written in start order (not as an UPDATE of every row afterwards); then every cell
 * (insight_cells_rebuild) and the team rows in key order.
 */
export const ROLLUP_BUILD: readonly (readonly [label: string, sql: string])[] = [
  ['facts computed', `CREATE TEMPORARY TABLE seed_facts ON COMMIT DROP AS ${factsSelect(null)}`],
  ['incident_fact_services', `INSERT INTO incident_fact_services (incident_id, service_id, started_at, categories) ${factServicesSelect('seed_facts')}`],
  [
    'incident_facts',
    `INSERT INTO incident_facts (${SYNCED_COLUMNS.join(', ')}, is_repeat)
     SELECT ${factColumnsOf('f', SYNCED_COLUMNS)}, r.incident_id IS NOT NULL
       FROM seed_facts f LEFT JOIN (${repeatsSelect()}) r ON r.incident_id = f.incident_id
      ORDER BY f.started_at`,
  ],
  ['incident_fact_cells', `SELECT insight_cells_rebuild(NULL)`],
  ['incident_fact_teams', TEAM_ROWS_BUILD],
];

/**
 * A guard that the set-based build and the row-by-row sync still write the same rows: inside a savepoint that is then rolled back, the production
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
