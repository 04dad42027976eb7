import { CELL_COLUMNS, cellsSelect, mergedCells } from '../cells.sql';
import { endedCostCents } from '../cost.sql';
import { DURATION_KEYS } from '../metrics.sql';
import { sized, SqlFunction, triggerFunction } from '../sql-function';

/** Above this many changed fact rows a statement rebuilds every cell (one pass) instead of moving the cells it touched. */
export const BULK_ROWS = 20000;

/** Fact columns that place a fact in its cell and give its distributions, categories, postmortem and items. */
const SHAPE = ['started_at', 'severity', 'segment_keys', 'week_start', 'month_start', 'categories', 'pm_due_at', 'pm_published_at',
  'items_open', 'items_done', 'items_done_on_time', 'open_item_due_ats', ...DURATION_KEYS];
/** Fact columns a cell only sums: its cost inputs and the repeat flag. (Revenue, impact, services and teams leave the cells alone.) */
const SCALARS = ['revenue_loss', 'responder_hours', 'sla_credits', 'is_repeat'];

const row = (alias: string, columns: readonly string[]): string => `(${columns.map((c) => `${alias}.${c}`).join(', ')})`;
const dayOf = (f: string): string => `date_trunc('day', ${f}.started_at, 'UTC')`;

/**
 * The cells follow their fact rows in the writing transaction, without reading any other
 * fact: the rows that left (`minus`) are taken out of their cells and those that came (`plus`)
 * put in (mergedCells) — an incident's edit moves one cell. Rows whose only changes are summed
 * ones (`scalars`: a cost, a repeat flag) move their cell's cents and repeat count by the
 * difference — a service's revenue, ~2,000 facts. Day locks (in order) first: two writers of
 * one day then apply their changes one after the other, each to the cells the other left.
 */
function moveCells(written: 'new_rows' | 'old_rows', plus: string | null, minus: string | null, scalars: string | null = null): string {
  const rows = [plus, minus, scalars].filter((r): r is string => r !== null);
  const cells = (relation: string | null) => (relation ? cellsSelect(relation, 'true', 'cell_rate') : `SELECT * FROM incident_fact_cells WHERE false`);
  const cents = (f: string) => `coalesce(${endedCostCents(f, 'cell_rate')}, 0)`;
  const rated = { vars: ['cell_rate'] };
  const exists = (relations: string[], into: string): string => sized('written', `EXISTS (${relations.map((t) => `SELECT 1 FROM ${t} f`).join(' UNION ALL ')})`, { into });
  return `
DECLARE
  written bigint;
  moved boolean := false;
  rescaled boolean := false;
  cell_rate double precision;
BEGIN
  written := (SELECT count(*) FROM ${written});
  IF written = 0 THEN RETURN NULL; END IF;
  IF written > ${BULK_ROWS} THEN PERFORM insight_cells_rebuild(NULL); RETURN NULL; END IF;
  ${plus || minus ? exists([plus, minus].filter((r): r is string => r !== null), 'moved') : ''}
  ${scalars ? exists([scalars], 'rescaled') : ''}
  IF NOT (moved OR rescaled) THEN RETURN NULL; END IF;
  ${sized('written', `insight_cells_lock(ARRAY(${rows.map((t) => `SELECT ${dayOf('f')} FROM ${t} f`).join(' UNION ')}))`, { perform: true })}
  -- Read after the locks: a reprice holds the facts' lock while it changes the rate.
  cell_rate := (SELECT rate FROM insight_cells_rate);${scalars ? `
  IF rescaled THEN
    ${sized('written', `UPDATE incident_fact_cells c SET cents = c.cents + d.cents, repeats = c.repeats + d.repeats
    FROM (SELECT ${dayOf('n')} AS day, n.severity, n.segment_keys,
                 sum(${cents('n')} - ${cents('o')})::float8 AS cents, sum(n.is_repeat::int - o.is_repeat::int)::int AS repeats
            FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
           WHERE ${row('n', SHAPE)} IS NOT DISTINCT FROM ${row('o', SHAPE)} AND ${row('n', SCALARS)} IS DISTINCT FROM ${row('o', SCALARS)}
           GROUP BY 1, 2, 3) d
   WHERE c.day = d.day AND c.severity = d.severity AND c.segment_keys = d.segment_keys`, rated)}
  END IF;` : ''}${plus || minus ? `
  IF moved THEN
    ${sized('written', `WITH plus AS MATERIALIZED (${cells(plus)}),
       minus AS MATERIALIZED (${cells(minus)}),
       merged AS MATERIALIZED (${mergedCells('plus', 'minus')}),
       emptied AS (DELETE FROM incident_fact_cells c USING merged m
                    WHERE m.incidents = 0 AND c.day = m.day AND c.severity = m.severity AND c.segment_keys = m.segment_keys)
  INSERT INTO incident_fact_cells (${CELL_COLUMNS.join(', ')}) SELECT * FROM merged WHERE incidents > 0
  ON CONFLICT (day, severity, segment_keys) DO UPDATE SET ${CELL_COLUMNS.slice(3).map((c) => `${c} = excluded.${c}`).join(', ')}`, rated)}
  END IF;` : ''}
  RETURN NULL;
END`;
}

/** The old or new versions (`side`) of the updated fact rows whose shape changed. */
const reshaped = (side: 'n' | 'o'): string => `(SELECT ${side}.* FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
   WHERE ${row('n', SHAPE)} IS DISTINCT FROM ${row('o', SHAPE)})`;
/** The updated fact rows (new versions) whose shape stayed but whose summed columns changed. */
const rescaled = `(SELECT n.* FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
   WHERE ${row('n', SHAPE)} IS NOT DISTINCT FROM ${row('o', SHAPE)} AND ${row('n', SCALARS)} IS DISTINCT FROM ${row('o', SCALARS)})`;

export const CELLS_TRIGGERS: readonly SqlFunction[] = [
  triggerFunction('incident_facts_cells_insert', moveCells('new_rows', 'new_rows', null)),
  triggerFunction('incident_facts_cells_update', moveCells('new_rows', reshaped('n'), reshaped('o'), rescaled)),
  triggerFunction('incident_facts_cells_delete', moveCells('old_rows', null, 'old_rows')),
  triggerFunction('incident_facts_cells_truncate', `
BEGIN
  DELETE FROM incident_fact_cells;
  RETURN NULL;
END`),
];
