import { MigrationInterface, QueryRunner } from 'typeorm';

/** Frozen copies of the rules as of this migration (a migration must not change when the code does). */
const MINUTE_BOUNDS = [5, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080, 43200];
/**
 * Rank buckets of the minute values: thresholds 2^(k/2) minutes, 15 s to 91 days. A cell's
 * `<x>_ranks[j]` counts its values below the j-th threshold (the last entry: all of them),
 * so summing them over cells tells which bucket holds a given rank of the whole selection.
 */
const RANK_THRESHOLDS = Array.from({ length: 39 }, (_, i) => 2 ** ((i - 4) / 2));

const bins = (x: string): string => {
  const conds = MINUTE_BOUNDS.map((b, k) => (k === 0 ? `${x} <= ${b}` : `${x} > ${MINUTE_BOUNDS[k - 1]} AND ${x} <= ${b}`));
  conds.push(`${x} > ${MINUTE_BOUNDS[MINUTE_BOUNDS.length - 1]}`);
  return `ARRAY[${conds.map((c) => `count(*) FILTER (WHERE ${c})`).join(', ')}]::int[]`;
};
const ranks = (x: string): string => `ARRAY[${[...RANK_THRESHOLDS.map((t) => `count(*) FILTER (WHERE ${x} < ${t})`), `count(${x})`].join(', ')}]::int[]`;
const distribution = (x: string): string =>
  `count(${x})::int AS ${x}_count, max(${x}) AS ${x}_max, ${bins(x)} AS ${x}_bins,
   coalesce(array_agg(${x} ORDER BY ${x}) FILTER (WHERE ${x} IS NOT NULL), '{}') AS ${x}_values, ${ranks(x)} AS ${x}_ranks`;

/**
 * Issue 14: exact percentiles without sorting every covered value. The cells keep their minute
 * values sorted, with the count below each rank threshold (`ttd_ranks`, `ttm_ranks`,
 * `ttr_ranks`): a report sums those counts to find the bucket that holds each rank it needs,
 * then sorts only the values of that bucket (array slices of the cells), a few per cent of
 * the selection. Cells stay inline (toast_tuple_target): the slices then read no TOAST.
 */
export class InsightCellRanks1796063899993 implements MigrationInterface {
  name = 'InsightCellRanks1796063899993';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE incident_fact_cells SET (toast_tuple_target = 8160);
      ALTER TABLE incident_fact_cells ADD COLUMN ttd_ranks int[], ADD COLUMN ttm_ranks int[], ADD COLUMN ttr_ranks int[];

      CREATE OR REPLACE FUNCTION insight_cells_build(lo timestamptz, hi timestamptz, rate double precision) RETURNS SETOF incident_fact_cells
      LANGUAGE sql STABLE AS $fn$
        WITH cats AS (
          SELECT day, severity, segment_keys, array_agg(category ORDER BY category) AS categories, array_agg(n ORDER BY category) AS counts
            FROM (SELECT date_trunc('day', started_at, 'UTC') AS day, severity, segment_keys, c AS category, count(*)::int AS n
                    FROM incident_facts, unnest(categories) AS c WHERE started_at >= lo AND started_at < hi GROUP BY 1, 2, 3, 4) x
           GROUP BY 1, 2, 3
        ),
        base AS (
          SELECT date_trunc('day', started_at, 'UTC') AS day, severity, segment_keys, min(week_start) AS week_start, min(month_start) AS month_start,
                 count(*)::int AS incidents,
                 coalesce(sum(floor((revenue_loss + coalesce(responder_hours, 0) * rate + coalesce(sla_credits, 0)) * 100 + 0.5))
                          FILTER (WHERE revenue_loss IS NOT NULL), 0)::float8 AS cents,
                 ${distribution('ttd')}, ${distribution('ttm')}, ${distribution('ttr')},
                 count(*) FILTER (WHERE is_repeat)::int AS repeats,
                 count(*) FILTER (WHERE pm_due_at IS NOT NULL AND pm_published_at IS NOT NULL)::int AS pm_published,
                 count(*) FILTER (WHERE pm_due_at IS NOT NULL AND pm_published_at <= pm_due_at)::int AS pm_on_time,
                 coalesce(array_agg(pm_due_at) FILTER (WHERE pm_due_at IS NOT NULL AND pm_published_at IS NULL), '{}') AS pm_pending_due_ats,
                 sum(items_open)::int AS items_open, sum(items_done)::int AS items_done, sum(items_done_on_time)::int AS items_done_on_time,
                 insight_concat(open_item_due_ats) AS open_item_due_ats
            FROM incident_facts WHERE started_at >= lo AND started_at < hi GROUP BY 1, 2, 3
        )
        SELECT b.day, b.severity, b.segment_keys, b.week_start, b.month_start, b.incidents, b.cents,
               b.ttd_count, b.ttd_max, b.ttd_bins, b.ttd_values, b.ttm_count, b.ttm_max, b.ttm_bins, b.ttm_values,
               b.ttr_count, b.ttr_max, b.ttr_bins, b.ttr_values,
               coalesce(c.categories, '{}'), coalesce(c.counts, '{}'), b.repeats, b.pm_published, b.pm_on_time, b.pm_pending_due_ats,
               b.items_open, b.items_done, b.items_done_on_time, b.open_item_due_ats, b.ttd_ranks, b.ttm_ranks, b.ttr_ranks
          FROM base b LEFT JOIN cats c ON c.day = b.day AND c.severity = b.severity AND c.segment_keys = b.segment_keys
      $fn$;
    `);
    // Backfill: every cell rewritten (sorted values, ranks, inline), then the ranks are required.
    await q.query(`SELECT insight_cells_rebuild(NULL)`);
    await q.query(`ALTER TABLE incident_fact_cells ALTER COLUMN ttd_ranks SET NOT NULL, ALTER COLUMN ttm_ranks SET NOT NULL, ALTER COLUMN ttr_ranks SET NOT NULL`);
    await q.query(`ANALYZE incident_fact_cells`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incident_fact_cells DROP COLUMN ttd_ranks, DROP COLUMN ttm_ranks, DROP COLUMN ttr_ranks, RESET (toast_tuple_target)`);
  }
}
