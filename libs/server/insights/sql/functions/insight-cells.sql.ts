import { CELL_COLUMNS, cellCents, cellsSelect } from '../cells.sql';
import { RATE_IN_FORCE } from '../cost.sql';
import { FACTS_LOCK } from '../facts.sql';
import { defineFunction } from '../sql-function';

/** Advisory lock class of one UTC day's cells: (CELL_LOCK, day number). */
export const CELL_LOCK = 1732802;

/** The cells' definition: what a cell holds of its fact rows. */
const CELLS = cellsSelect('incident_facts', 'f.started_at >= lo AND f.started_at < hi', 'rate');

/**
 * insight_cells_build(lo, hi, rate): the cells of the fact rows started in [lo, hi), priced at
 * `rate` — what the report aggregates for the partial days at the edges of its range, and the
 * cells' definition.
 */
export const INSIGHT_CELLS_BUILD = defineFunction({
  name: 'insight_cells_build',
  args: [['lo', 'timestamptz'], ['hi', 'timestamptz'], ['rate', 'double precision']],
  returns: 'SETOF incident_fact_cells',
  language: 'sql',
  volatility: 'STABLE',
  body: CELLS,
  // Every cell, rebuilt at the rate it records.
  rebuild: { name: 'incident_fact_cells', sql: `SELECT insight_cells_rebuild(NULL)`, definition: CELLS },
});

/** insight_cells_rebuild(days): the cells of the given UTC days rebuilt from the facts (NULL: every cell, under the facts' exclusive lock). */
export const INSIGHT_CELLS_REBUILD = defineFunction({
  name: 'insight_cells_rebuild',
  args: [['days', 'timestamptz[]']],
  returns: 'void',
  language: 'plpgsql',
  body: `
DECLARE
  r double precision := (SELECT rate FROM insight_cells_rate);
BEGIN
  IF days IS NULL THEN
    PERFORM pg_advisory_xact_lock(${FACTS_LOCK}, 0);
    DELETE FROM incident_fact_cells;
    INSERT INTO incident_fact_cells (${CELL_COLUMNS.join(', ')}) SELECT * FROM insight_cells_build('-infinity', 'infinity', r);
    RETURN;
  END IF;
  DELETE FROM incident_fact_cells WHERE day = ANY(days);
  INSERT INTO incident_fact_cells (${CELL_COLUMNS.join(', ')}) SELECT b.* FROM unnest(days) AS d, LATERAL insight_cells_build(d, d + interval '24 hours', r) b;
END`,
});

/** insight_cells_lock(days): the day locks, taken in order (concurrent writers of one day then see each other's rows). */
export const INSIGHT_CELLS_LOCK = defineFunction({
  name: 'insight_cells_lock',
  args: [['days', 'timestamptz[]']],
  returns: 'void',
  language: 'sql',
  body: `
  SELECT count(pg_advisory_xact_lock(${CELL_LOCK}, k)) FROM (SELECT DISTINCT (extract(epoch FROM d) / 86400)::int AS k FROM unnest(days) d ORDER BY 1) x;
`,
});

/**
 * A write to `settings` that changes the hourly rate in force reprices every cell in the same
 * transaction (the cents of ended outages depend on it).
 */
export const INSIGHT_CELLS_REPRICE = defineFunction({
  name: 'insight_cells_reprice',
  returns: 'trigger',
  language: 'plpgsql',
  body: `
DECLARE
  wanted double precision := ${RATE_IN_FORCE};
BEGIN
  IF wanted IS NOT DISTINCT FROM (SELECT rate FROM insight_cells_rate) THEN RETURN NULL; END IF;
  PERFORM pg_advisory_xact_lock(${FACTS_LOCK}, 0);
  UPDATE insight_cells_rate SET rate = wanted;
  UPDATE incident_fact_cells c SET cents = p.cents
    FROM (SELECT date_trunc('day', f.started_at, 'UTC') AS day, f.severity, f.segment_keys, ${cellCents('f', 'wanted')} AS cents
            FROM incident_facts f GROUP BY 1, 2, 3) p
   WHERE c.day = p.day AND c.severity = p.severity AND c.segment_keys = p.segment_keys AND c.cents IS DISTINCT FROM p.cents;
  RETURN NULL;
END`,
  // The default rate may have changed with the code: the cells take the rate in force.
  rebuild: { name: 'insight_cells_rate', sql: `UPDATE insight_cells_rate SET rate = ${RATE_IN_FORCE}; SELECT insight_cells_rebuild(NULL)`, definition: RATE_IN_FORCE },
});
