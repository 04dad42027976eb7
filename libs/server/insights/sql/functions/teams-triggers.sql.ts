import { FACT_COLUMNS, factColumnsOf } from '../facts.sql';
import { sized, SqlFunction, triggerFunction } from '../sql-function';

/**
 * `incident_fact_teams`: a copy of each fact row per owning team, keyed (team, start,
 * incident), so one team's report reads one contiguous range. Kept by statement triggers on
 * incident_facts in the writing transaction.
 */

/** The team rows of fact-shaped rows `f` of `relation` passing `where` (insert them in key order for a bulk load). */
export const teamRowsSelect = (relation: string, where = 'true'): string =>
  `SELECT t AS team_id, ${factColumnsOf('f')} FROM ${relation} f, unnest(f.team_ids) AS t WHERE ${where}`;

const INSERT = `INSERT INTO incident_fact_teams (team_id, ${FACT_COLUMNS.join(', ')})`;
/** The key of a team row that is not its incident: when it changes, the rows are replaced rather than updated. */
const KEYED = ['team_ids', 'started_at'];

/** Every team row rewritten from the facts, in key order (a team's rows then lie together). */
export const TEAM_ROWS_BUILD = `${INSERT} ${teamRowsSelect('incident_facts')} ORDER BY team_id, started_at, incident_id`;

export const TEAMS_TRIGGERS: readonly SqlFunction[] = [
  {
    ...triggerFunction('incident_facts_teams_insert', `
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
  ${INSERT} ${teamRowsSelect('new_rows')};
  RETURN NULL;
END`),
    rebuild: { name: 'incident_fact_teams', sql: `DELETE FROM incident_fact_teams; ${TEAM_ROWS_BUILD}`, definition: teamRowsSelect('incident_facts') },
  },
  // Facts that kept their teams and start are updated in place (a repeat flag, a cost); the others' rows replaced.
  triggerFunction('incident_facts_teams_update', `
DECLARE
  written bigint;
  moved uuid[];
BEGIN
  written := (SELECT count(*) FROM new_rows);
  IF written = 0 THEN RETURN NULL; END IF;
  ${sized('written', `UPDATE incident_fact_teams t SET (${FACT_COLUMNS.join(', ')}) = (${factColumnsOf('n')})
    FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
   WHERE t.incident_id = n.incident_id AND (${factColumnsOf('n', KEYED)}) IS NOT DISTINCT FROM (${factColumnsOf('o', KEYED)})
     AND (${factColumnsOf('n')}) IS DISTINCT FROM (${factColumnsOf('o')})`)}
  ${sized('written', `ARRAY(SELECT n.incident_id FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
                  WHERE (${factColumnsOf('n', KEYED)}) IS DISTINCT FROM (${factColumnsOf('o', KEYED)}))`, { into: 'moved' })}
  IF cardinality(moved) = 0 THEN RETURN NULL; END IF;
  DELETE FROM incident_fact_teams WHERE incident_id = ANY(moved);
  ${sized('written', `${INSERT} ${teamRowsSelect('new_rows', 'f.incident_id = ANY(moved)')}`, { vars: ['moved'] })}
  RETURN NULL;
END`),
  triggerFunction('incident_facts_teams_delete', `
BEGIN
  DELETE FROM incident_fact_teams WHERE incident_id IN (SELECT incident_id FROM old_rows);
  RETURN NULL;
END`),
  triggerFunction('incident_facts_teams_truncate', `
BEGIN
  DELETE FROM incident_fact_teams;
  RETURN NULL;
END`),
];
