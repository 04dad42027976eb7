import { MigrationInterface, QueryRunner } from 'typeorm';

/** Frozen copies of the rules as of this migration (a migration must not change when the code does). */
const MINUTE_BOUNDS = [5, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080, 43200];
/** DEFAULT_POLICIES.hourlyResponderRate, used while the settings hold no policies row. */
const DEFAULT_RATE = 150;
/** Above this many changed fact rows a statement rebuilds every cell (one pass) instead of the days it touched. */
const BULK_ROWS = 20000;
/** Advisory lock keys: the facts' class (1732800, 0) serialises bulk work; (CELL_LOCK, day number) one day's cells. */
const FACTS_LOCK = 1732800;
const CELL_LOCK = 1732802;

const bins = (x: string): string => {
  const conds = MINUTE_BOUNDS.map((b, k) => (k === 0 ? `${x} <= ${b}` : `${x} > ${MINUTE_BOUNDS[k - 1]} AND ${x} <= ${b}`));
  conds.push(`${x} > ${MINUTE_BOUNDS[MINUTE_BOUNDS.length - 1]}`);
  return `ARRAY[${conds.map((c) => `count(*) FILTER (WHERE ${c})`).join(', ')}]::int[]`;
};
const distribution = (x: string): string =>
  `count(${x})::int AS ${x}_count, max(${x}) AS ${x}_max, ${bins(x)} AS ${x}_bins, coalesce(array_agg(${x}) FILTER (WHERE ${x} IS NOT NULL), '{}') AS ${x}_values`;
/** The report's columns of a fact row; an update that changes none of them but is_repeat only moves a repeat count. */
const REPORTED = `started_at, severity, segment_keys, week_start, month_start, ttd, ttm, ttr, revenue_loss, responder_hours, sla_credits, categories,
  pm_due_at, pm_published_at, items_open, items_done, items_done_on_time, open_item_due_ats`;
const columns = (alias: string): string => REPORTED.split(',').map((c) => `${alias}.${c.trim()}`).join(', ');

/**
 * Issue 14: the reliability report at a million incidents. `incident_fact_cells` merges the
 * rollup `incident_facts` into one row per (UTC day, severity, set of segment keys), so a
 * report without a team or service filter reads a year as ~4,400 cells instead of ~330,000
 * incident rows. A cell holds the additive figures (counts, histogram bins, cost of ended
 * outages in whole cents, factor categories, repeats, postmortems, action items) and, for the
 * exact percentiles, the minute values themselves; what moves with the clock (due dates of
 * open items and unpublished postmortems) is kept as dates and finished at query time.
 * - Exact and fresh: statement-level triggers on incident_facts rebuild the cells of the days
 *   a write touched, in the writing transaction (an update that only flips is_repeat moves
 *   the repeat count). Day locks make concurrent writers of one day see each other's rows.
 * - The cost of ended outages depends on the responder hourly rate: the cells are priced at
 *   the rate in `insight_cells_rate`, and a change of the policies reprices them all in the
 *   same transaction; a report whose rate differs (a default changed in code) reads the
 *   incident rows instead.
 */
export class InsightCells1796062888895 implements MigrationInterface {
  name = 'InsightCells1796062888895';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE insight_cells_rate (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        rate double precision NOT NULL
      );
      CREATE TABLE incident_fact_cells (
        day timestamptz NOT NULL,
        severity text NOT NULL,
        segment_keys text[] NOT NULL,
        week_start timestamptz NOT NULL,
        month_start timestamptz NOT NULL,
        incidents int NOT NULL,
        -- Σ whole cents of the incidents whose outage has ended, at insight_cells_rate; open outages are priced at query time.
        cents double precision NOT NULL,
        ttd_count int NOT NULL, ttd_max double precision, ttd_bins int[] NOT NULL, ttd_values double precision[] NOT NULL,
        ttm_count int NOT NULL, ttm_max double precision, ttm_bins int[] NOT NULL, ttm_values double precision[] NOT NULL,
        ttr_count int NOT NULL, ttr_max double precision, ttr_bins int[] NOT NULL, ttr_values double precision[] NOT NULL,
        categories text[] NOT NULL,
        category_counts int[] NOT NULL,
        repeats int NOT NULL,
        -- Postmortems with a due date: published (and on time), and the due dates of unpublished ones.
        pm_published int NOT NULL,
        pm_on_time int NOT NULL,
        pm_pending_due_ats timestamptz[] NOT NULL,
        items_open int NOT NULL,
        items_done int NOT NULL,
        items_done_on_time int NOT NULL,
        open_item_due_ats timestamptz[] NOT NULL,
        PRIMARY KEY (day, severity, segment_keys)
      );

      CREATE AGGREGATE insight_concat(anycompatiblearray) (SFUNC = array_cat, STYPE = anycompatiblearray, INITCOND = '{}');

      -- The cells of the fact rows started in [lo, hi), priced at 'rate'. Also what the report
      -- aggregates for the partial days at the edges of its range.
      CREATE FUNCTION insight_cells_build(lo timestamptz, hi timestamptz, rate double precision) RETURNS SETOF incident_fact_cells
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
               b.items_open, b.items_done, b.items_done_on_time, b.open_item_due_ats
          FROM base b LEFT JOIN cats c ON c.day = b.day AND c.severity = b.severity AND c.segment_keys = b.segment_keys
      $fn$;

      -- Rebuilds the cells of the given UTC days (NULL: every cell), under day locks (bulk: the facts' exclusive lock).
      CREATE FUNCTION insight_cells_rebuild(days timestamptz[]) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        r double precision := (SELECT rate FROM insight_cells_rate);
      BEGIN
        IF days IS NULL THEN
          PERFORM pg_advisory_xact_lock(${FACTS_LOCK}, 0);
          DELETE FROM incident_fact_cells;
          INSERT INTO incident_fact_cells SELECT * FROM insight_cells_build('-infinity', 'infinity', r);
          RETURN;
        END IF;
        DELETE FROM incident_fact_cells WHERE day = ANY(days);
        INSERT INTO incident_fact_cells SELECT b.* FROM unnest(days) AS d, LATERAL insight_cells_build(d, d + interval '24 hours', r) b;
      END $fn$;

      -- Day locks first (sorted), then one statement per step: each reads a snapshot taken after the locks.
      CREATE FUNCTION insight_cells_lock(days timestamptz[]) RETURNS void LANGUAGE sql AS $fn$
        SELECT count(pg_advisory_xact_lock(${CELL_LOCK}, k)) FROM (SELECT DISTINCT (extract(epoch FROM d) / 86400)::int AS k FROM unnest(days) d ORDER BY 1) x;
      $fn$;

      CREATE FUNCTION incident_facts_cells_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE days timestamptz[];
      BEGIN
        IF (SELECT count(*) FROM new_rows) > ${BULK_ROWS} THEN PERFORM insight_cells_rebuild(NULL); RETURN NULL; END IF;
        days := ARRAY(SELECT DISTINCT date_trunc('day', started_at, 'UTC') FROM new_rows);
        PERFORM insight_cells_lock(days);
        PERFORM insight_cells_rebuild(days);
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION incident_facts_cells_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE days timestamptz[];
      BEGIN
        IF (SELECT count(*) FROM old_rows) > ${BULK_ROWS} THEN PERFORM insight_cells_rebuild(NULL); RETURN NULL; END IF;
        days := ARRAY(SELECT DISTINCT date_trunc('day', started_at, 'UTC') FROM old_rows);
        PERFORM insight_cells_lock(days);
        PERFORM insight_cells_rebuild(days);
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION incident_facts_cells_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        days timestamptz[];
        flipped timestamptz[];
      BEGIN
        IF (SELECT count(*) FROM new_rows) > ${BULK_ROWS} THEN PERFORM insight_cells_rebuild(NULL); RETURN NULL; END IF;
        -- Rows whose report columns changed: their cells, before and after, are rebuilt. Rows
        -- rewritten unchanged (the sync's upsert) need nothing; a flipped repeat flag alone moves a count.
        days := ARRAY(
          SELECT DISTINCT d FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id,
                 LATERAL (VALUES (date_trunc('day', n.started_at, 'UTC')), (date_trunc('day', o.started_at, 'UTC'))) AS v(d)
           WHERE (${columns('n')}) IS DISTINCT FROM (${columns('o')}));
        flipped := ARRAY(
          SELECT DISTINCT date_trunc('day', n.started_at, 'UTC') FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
           WHERE n.is_repeat IS DISTINCT FROM o.is_repeat AND (${columns('n')}) IS NOT DISTINCT FROM (${columns('o')}));
        IF cardinality(days) + cardinality(flipped) = 0 THEN RETURN NULL; END IF;
        PERFORM insight_cells_lock(days || flipped);
        UPDATE incident_fact_cells c SET repeats = c.repeats + d.delta
          FROM (SELECT date_trunc('day', n.started_at, 'UTC') AS day, n.severity, n.segment_keys, sum(CASE WHEN n.is_repeat THEN 1 ELSE -1 END)::int AS delta
                  FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
                 WHERE n.is_repeat IS DISTINCT FROM o.is_repeat AND (${columns('n')}) IS NOT DISTINCT FROM (${columns('o')})
                   AND NOT (date_trunc('day', n.started_at, 'UTC') = ANY(days))
                 GROUP BY 1, 2, 3) d
         WHERE c.day = d.day AND c.severity = d.severity AND c.segment_keys = d.segment_keys;
        IF cardinality(days) > 0 THEN PERFORM insight_cells_rebuild(days); END IF;
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION incident_facts_cells_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM incident_fact_cells;
        RETURN NULL;
      END $fn$;

      CREATE TRIGGER incident_facts_cells_insert AFTER INSERT ON incident_facts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_facts_cells_insert();
      CREATE TRIGGER incident_facts_cells_update AFTER UPDATE ON incident_facts REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_facts_cells_update();
      CREATE TRIGGER incident_facts_cells_delete AFTER DELETE ON incident_facts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_facts_cells_delete();
      CREATE TRIGGER incident_facts_cells_truncate AFTER TRUNCATE ON incident_facts FOR EACH STATEMENT EXECUTE FUNCTION incident_facts_cells_truncate();

      -- The rate the policies put in force (the default while they hold none): a change reprices every cell.
      CREATE FUNCTION insight_cells_reprice() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        wanted double precision := coalesce((SELECT (value ->> 'hourlyResponderRate')::float8 FROM settings WHERE key = 'policies'), ${DEFAULT_RATE});
      BEGIN
        IF wanted IS NOT DISTINCT FROM (SELECT rate FROM insight_cells_rate) THEN RETURN NULL; END IF;
        PERFORM pg_advisory_xact_lock(${FACTS_LOCK}, 0);
        UPDATE insight_cells_rate SET rate = wanted;
        UPDATE incident_fact_cells c SET cents = p.cents
          FROM (SELECT date_trunc('day', f.started_at, 'UTC') AS day, f.severity, f.segment_keys,
                       coalesce(sum(floor((f.revenue_loss + coalesce(f.responder_hours, 0) * wanted + coalesce(f.sla_credits, 0)) * 100 + 0.5))
                                FILTER (WHERE f.revenue_loss IS NOT NULL), 0)::float8 AS cents
                  FROM incident_facts f GROUP BY 1, 2, 3) p
         WHERE c.day = p.day AND c.severity = p.severity AND c.segment_keys = p.segment_keys AND c.cents IS DISTINCT FROM p.cents;
        RETURN NULL;
      END $fn$;
      CREATE TRIGGER settings_insight_cells_reprice AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings FOR EACH STATEMENT EXECUTE FUNCTION insight_cells_reprice();

      -- Open outages are priced at query time: find them without reading the ended ones.
      CREATE INDEX incident_facts_open_outage_idx ON incident_facts (started_at) WHERE revenue_loss IS NULL;
    `);

    // Backfill: the rate in force, then every cell in one pass.
    await q.query(`INSERT INTO insight_cells_rate (rate) VALUES (coalesce((SELECT (value ->> 'hourlyResponderRate')::float8 FROM settings WHERE key = 'policies'), ${DEFAULT_RATE}))`);
    await q.query(`SELECT insight_cells_rebuild(NULL)`);
    await q.query(`ANALYZE incident_fact_cells`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX incident_facts_open_outage_idx;
      DROP TRIGGER settings_insight_cells_reprice ON settings;
      DROP FUNCTION insight_cells_reprice();
      DROP TRIGGER incident_facts_cells_insert ON incident_facts;
      DROP TRIGGER incident_facts_cells_update ON incident_facts;
      DROP TRIGGER incident_facts_cells_delete ON incident_facts;
      DROP TRIGGER incident_facts_cells_truncate ON incident_facts;
      DROP FUNCTION incident_facts_cells_insert();
      DROP FUNCTION incident_facts_cells_update();
      DROP FUNCTION incident_facts_cells_delete();
      DROP FUNCTION incident_facts_cells_truncate();
      DROP FUNCTION insight_cells_lock(timestamptz[]);
      DROP FUNCTION insight_cells_rebuild(timestamptz[]);
      DROP FUNCTION insight_cells_build(timestamptz, timestamptz, double precision);
      DROP AGGREGATE insight_concat(anycompatiblearray);
      DROP TABLE incident_fact_cells;
      DROP TABLE insight_cells_rate;
    `);
  }
}
