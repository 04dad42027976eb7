import { REPORT_DURATIONS } from '@hindsight/domain';
import { endedCostCents } from './cost.sql';
import { binCounts, rankCounts, RANK_BUCKETS } from './metrics.sql';

/**
 * `incident_fact_cells`: the facts merged into one row per (UTC day, severity, set of segment
 * keys) — the additive figures, and for the exact percentiles each distribution's sorted values
 * with their counts below the rank thresholds (libs/server/insights/README.md). How a cell is
 * computed from fact rows, and how a cell moves when fact rows come and go, is defined here once.
 */

const binsOf = (bounds: readonly number[]): number => bounds.length + 1;

/**
 * The cells' columns in table order (insight_cells_build returns rows of the table): the first
 * three distributions' count, max, bins and values came with the table and their ranks were
 * added after its last column (1796063899993-insight-cell-ranks); a distribution declared later
 * has its five columns added at the end, in that order.
 */
export const CELL_COLUMNS: readonly string[] = (() => {
  const [first, later] = [REPORT_DURATIONS.slice(0, 3), REPORT_DURATIONS.slice(3)];
  return [
    'day', 'severity', 'segment_keys', 'week_start', 'month_start', 'incidents', 'cents',
    ...first.flatMap((d) => [`${d.key}_count`, `${d.key}_max`, `${d.key}_bins`, `${d.key}_values`]),
    'categories', 'category_counts', 'repeats', 'pm_published', 'pm_on_time', 'pm_pending_due_ats', 'items_open', 'items_done', 'items_done_on_time', 'open_item_due_ats',
    ...first.map((d) => `${d.key}_ranks`),
    ...later.flatMap((d) => [`${d.key}_count`, `${d.key}_max`, `${d.key}_bins`, `${d.key}_values`, `${d.key}_ranks`]),
  ];
})();

/** A cell's cents: Σ whole cents of its fact rows `f` whose outage has ended, at `rate` (open outages are priced when a report reads them). */
export const cellCents = (f: string, rate: string): string => `coalesce(sum(${endedCostCents(f, rate)}), 0)::float8`;

/** The rows that came and those that left bring the same factor categories: the cell's stay. */
const SAME_CATEGORIES = '(p.categories, p.category_counts) IS NOT DISTINCT FROM (m.categories, m.category_counts)';

/** The key of a cell. */
const KEY = ['day', 'severity', 'segment_keys'] as const;

/**
 * The cells of the fact-shaped rows `f` of `relation` (incident_facts, or a trigger's
 * transition table) passing `where`, the ended outages priced at `rate`, columns CELL_COLUMNS.
 * The values are sorted: the report slices them by rank bucket.
 */
export function cellsSelect(relation: string, where: string, rate: string): string {
  const aggregates: Record<string, string> = {
    week_start: 'min(f.week_start)', month_start: 'min(f.month_start)', incidents: 'count(*)::int',
    cents: cellCents('f', rate),
    repeats: 'count(*) FILTER (WHERE f.is_repeat)::int',
    // Postmortems with a due date: published (and on time), and the due dates of unpublished ones (past due or not depends on the clock).
    pm_published: 'count(*) FILTER (WHERE f.pm_due_at IS NOT NULL AND f.pm_published_at IS NOT NULL)::int',
    pm_on_time: 'count(*) FILTER (WHERE f.pm_due_at IS NOT NULL AND f.pm_published_at <= f.pm_due_at)::int',
    pm_pending_due_ats: `coalesce(array_agg(f.pm_due_at) FILTER (WHERE f.pm_due_at IS NOT NULL AND f.pm_published_at IS NULL), '{}')`,
    items_open: 'sum(f.items_open)::int', items_done: 'sum(f.items_done)::int', items_done_on_time: 'sum(f.items_done_on_time)::int',
    open_item_due_ats: 'insight_concat(f.open_item_due_ats)',
  };
  for (const d of REPORT_DURATIONS) {
    const x = `f.${d.key}`;
    Object.assign(aggregates, {
      [`${d.key}_count`]: `count(${x})::int`,
      [`${d.key}_max`]: `max(${x})`,
      [`${d.key}_bins`]: binCounts(x, d.bounds),
      [`${d.key}_values`]: `coalesce(array_agg(${x} ORDER BY ${x}) FILTER (WHERE ${x} IS NOT NULL), '{}')`,
      [`${d.key}_ranks`]: rankCounts(x),
    });
  }
  const day = `date_trunc('day', f.started_at, 'UTC')`;
  const output: Record<string, string> = { categories: `coalesce(c.categories, '{}')`, category_counts: `coalesce(c.counts, '{}')` };
  return `
    WITH cats AS (
      SELECT day, severity, segment_keys, array_agg(category ORDER BY category) AS categories, array_agg(n ORDER BY category) AS counts
        FROM (SELECT ${day} AS day, f.severity, f.segment_keys, c AS category, count(*)::int AS n
                FROM ${relation} f, unnest(f.categories) AS c WHERE ${where} GROUP BY 1, 2, 3, 4) x
       GROUP BY 1, 2, 3
    ),
    base AS (
      SELECT ${day} AS day, f.severity, f.segment_keys, ${Object.entries(aggregates).map(([c, sql]) => `${sql} AS ${c}`).join(',\n             ')}
        FROM ${relation} f WHERE ${where} GROUP BY 1, 2, 3
    )
    SELECT ${CELL_COLUMNS.map((c) => `${output[c] ?? `b.${c}`} AS ${c}`).join(', ')}
      FROM base b LEFT JOIN cats c ON ${KEY.map((k) => `c.${k} = b.${k}`).join(' AND ')}`;
}

/**
 * The cells after fact rows `minus` left and `plus` came, for the cell keys either touches:
 * `stored` (incident_fact_cells, or nothing) ⊖ cellsSelect(minus) ⊕ cellsSelect(plus), column by
 * column — counts and bins and ranks add up, the sorted values and due dates are multisets, the
 * categories merge, max is the last sorted value. `plus` and `minus` name relations of
 * cellsSelect's shape. A cell left with no incident comes out with incidents = 0.
 */
export function mergedCells(plus: string, minus: string): string {
  const n = (col: string) => `coalesce(c.${col}, 0) + coalesce(p.${col}, 0) - coalesce(m.${col}, 0)`;
  const arrays = (col: string, length: number) => `ARRAY[${Array.from({ length }, (_, k) => `coalesce(c.${col}[${k + 1}], 0) + coalesce(p.${col}[${k + 1}], 0) - coalesce(m.${col}[${k + 1}], 0)`).join(', ')}]::int[]`;
  // The stored elements minus one occurrence per element of the leaving rows, plus the new rows' ones; unchanged when both sides bring the same.
  const multiset = (col: string, sorted: boolean) => `CASE WHEN p.${col} IS NOT DISTINCT FROM m.${col} THEN coalesce(c.${col}, '{}') ELSE ARRAY(
      SELECT e FROM (SELECT e, row_number() OVER (PARTITION BY e) AS k FROM unnest(c.${col}) AS e) s
       WHERE s.k > (SELECT count(*) FROM unnest(m.${col}) AS leaving WHERE leaving = s.e)
      UNION ALL SELECT unnest(p.${col})${sorted ? ' ORDER BY 1' : ''}) END`;
  const columns: Record<string, string> = {
    day: 'k.day', severity: 'k.severity', segment_keys: 'k.segment_keys',
    week_start: 'coalesce(c.week_start, p.week_start, m.week_start)', month_start: 'coalesce(c.month_start, p.month_start, m.month_start)',
    incidents: n('incidents'), cents: n('cents'), repeats: n('repeats'), pm_published: n('pm_published'), pm_on_time: n('pm_on_time'),
    items_open: n('items_open'), items_done: n('items_done'), items_done_on_time: n('items_done_on_time'),
    pm_pending_due_ats: multiset('pm_pending_due_ats', false), open_item_due_ats: multiset('open_item_due_ats', false),
    categories: `CASE WHEN ${SAME_CATEGORIES} THEN coalesce(c.categories, '{}') ELSE coalesce(cat.categories, '{}') END`,
    category_counts: `CASE WHEN ${SAME_CATEGORIES} THEN coalesce(c.category_counts, '{}') ELSE coalesce(cat.counts, '{}') END`,
  };
  for (const d of REPORT_DURATIONS) {
    const x = d.key;
    Object.assign(columns, {
      [`${x}_count`]: n(`${x}_count`),
      // Set once the values are merged (below).
      [`${x}_max`]: 'NULL::float8',
      [`${x}_bins`]: arrays(`${x}_bins`, binsOf(d.bounds)),
      [`${x}_values`]: multiset(`${x}_values`, true),
      [`${x}_ranks`]: arrays(`${x}_ranks`, RANK_BUCKETS),
    });
  }
  const on = (alias: string) => KEY.map((k) => `${alias}.${k} = k.${k}`).join(' AND ');
  const merged = `
    SELECT ${CELL_COLUMNS.map((c) => `${columns[c]} AS ${c}`).join(',\n           ')}
      FROM (SELECT ${KEY.join(', ')} FROM ${plus} UNION SELECT ${KEY.join(', ')} FROM ${minus}) k
      LEFT JOIN incident_fact_cells c ON ${on('c')}
      LEFT JOIN ${plus} p ON ${on('p')}
      LEFT JOIN ${minus} m ON ${on('m')}
      -- Categories: recounted only when the rows brought different ones.
      LEFT JOIN LATERAL (
        SELECT array_agg(category ORDER BY category) AS categories, array_agg(total ORDER BY category) AS counts
          FROM (SELECT category, sum(n)::int AS total FROM (
                  SELECT * FROM unnest(c.categories, c.category_counts) AS u(category, n)
                  UNION ALL SELECT * FROM unnest(p.categories, p.category_counts)
                  UNION ALL SELECT category, -n FROM unnest(m.categories, m.category_counts) AS u(category, n)) u
                 GROUP BY category HAVING sum(n) <> 0) t
         WHERE NOT ${SAME_CATEGORIES}
      ) cat ON true`;
  return `SELECT ${CELL_COLUMNS.map((c) => (c.endsWith('_max') ? `v.${c.slice(0, -4)}_values[cardinality(v.${c.slice(0, -4)}_values)] AS ${c}` : `v.${c}`)).join(', ')}
    FROM (${merged}) v`;
}
