import { sized, SqlFunction, triggerFunction } from '../sql-function';

/**
 * `insight_change_days`: production changes per service (null: unmatched) and UTC day, what
 * the DORA figures count (libs/domain dora.metric; docs/dora.md). Kept by statement triggers
 * on `changes` in the writing transaction: the rows a statement wrote leave their (service,
 * day) and come back, as a delta added in key order (two writers of one day wait for each
 * other on its row rather than deadlock).
 */

/** A change row's key in the rollup: its service and the UTC day it finished. */
const DAY = `(finished_at AT TIME ZONE 'UTC')::date`;

/** What a row of the rollup holds: the production changes of a service and day. */
export const CHANGE_DAYS_SELECT = `SELECT service_id, ${DAY} AS day, count(*)::int AS changes FROM changes WHERE production GROUP BY 1, 2`;

/** Adds the deltas `delta` (service_id, day, n) to the rollup. */
const addDeltas = (delta: string): string => `INSERT INTO insight_change_days AS d (service_id, day, changes)
    SELECT service_id, day, sum(n)::int FROM (${delta}) x GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
    ON CONFLICT ON CONSTRAINT insight_change_days_key DO UPDATE SET changes = d.changes + excluded.changes`;

const rowsOf = (relation: string, sign: 1 | -1): string => `SELECT service_id, ${DAY} AS day, ${sign} AS n FROM ${relation} WHERE production`;

const REBUILD = {
  name: 'insight_change_days',
  sql: `DELETE FROM insight_change_days; INSERT INTO insight_change_days (service_id, day, changes) ${CHANGE_DAYS_SELECT} ORDER BY 1, 2`,
  definition: CHANGE_DAYS_SELECT,
};

export const CHANGE_DAYS_TRIGGERS: readonly SqlFunction[] = [
  {
    ...triggerFunction('changes_days_insert', `
BEGIN
  ${addDeltas(rowsOf('new_rows', 1))};
  RETURN NULL;
END`),
    rebuild: REBUILD,
  },
  // A re-run (finished_at, production), a match to a service, a service deleted (service_id set null).
  triggerFunction('changes_days_update', `
DECLARE
  written bigint;
BEGIN
  written := (SELECT count(*) FROM new_rows);
  IF written = 0 THEN RETURN NULL; END IF;
  ${sized('written', addDeltas(`${rowsOf('new_rows', 1)} UNION ALL ${rowsOf('old_rows', -1)}`))}
  RETURN NULL;
END`),
  triggerFunction('changes_days_delete', `
BEGIN
  ${addDeltas(rowsOf('old_rows', -1))};
  RETURN NULL;
END`),
  triggerFunction('changes_days_truncate', `
BEGIN
  DELETE FROM insight_change_days;
  RETURN NULL;
END`),
];
