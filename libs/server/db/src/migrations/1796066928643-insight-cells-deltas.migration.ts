import { MigrationInterface, QueryRunner } from 'typeorm';

/** Frozen copies as of this migration: the lock class of one day's cells (1796062888895-insight-cells). */
const CELL_LOCK = 1732802;
/** Fact columns a cell reads besides its cost inputs and the repeat flag; a change to one of them rebuilds the cell's day. */
const SHAPE = `started_at, severity, segment_keys, week_start, month_start, ttd, ttm, ttr, categories, pm_due_at, pm_published_at,
  items_open, items_done, items_done_on_time, open_item_due_ats`;
const columns = (alias: string): string => SHAPE.split(',').map((c) => `${alias}.${c.trim()}`).join(', ');
/** One fact row's whole cents of an ended outage at rate r (0 while it is open): the cells' own sum, row by row. */
const cents = (f: string): string =>
  `CASE WHEN ${f}.revenue_loss IS NULL THEN 0 ELSE floor((${f}.revenue_loss + coalesce(${f}.responder_hours, 0) * r + coalesce(${f}.sla_credits, 0)) * 100 + 0.5) END`;

/**
 * Issue 14: a service's revenue change re-prices its ~2,200 incidents, which touch nearly
 * every day: the cells' update trigger rebuilt ~1,000 days (≈ 15 s at a million incidents).
 * Facts whose only changes are their cost inputs (revenue loss, responder hours, SLA credits)
 * or their repeat flag now move their cell's cents and repeat count by the difference, as the
 * repeat flag alone already did; any other change still rebuilds the days it touched.
 */
export class InsightCellsDeltas1796066928643 implements MigrationInterface {
  name = 'InsightCellsDeltas1796066928643';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION incident_facts_cells_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        days timestamptz[];
        moved timestamptz[];
        r double precision;
      BEGIN
        IF (SELECT count(*) FROM new_rows) > 20000 THEN PERFORM insight_cells_rebuild(NULL); RETURN NULL; END IF;
        days := ARRAY(
          SELECT DISTINCT d FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id,
                 LATERAL (VALUES (date_trunc('day', n.started_at, 'UTC')), (date_trunc('day', o.started_at, 'UTC'))) AS v(d)
           WHERE (${columns('n')}) IS DISTINCT FROM (${columns('o')}));
        moved := ARRAY(
          SELECT DISTINCT date_trunc('day', n.started_at, 'UTC') FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
           WHERE (n.is_repeat, n.revenue_loss, n.responder_hours, n.sla_credits) IS DISTINCT FROM (o.is_repeat, o.revenue_loss, o.responder_hours, o.sla_credits)
             AND (${columns('n')}) IS NOT DISTINCT FROM (${columns('o')}));
        IF cardinality(days) + cardinality(moved) = 0 THEN RETURN NULL; END IF;
        PERFORM count(pg_advisory_xact_lock(${CELL_LOCK}, k)) FROM (SELECT DISTINCT (extract(epoch FROM d) / 86400)::int AS k FROM unnest(days || moved) d ORDER BY 1) x;
        -- Read after the locks: a reprice holds the facts' lock while it changes the rate.
        r := (SELECT rate FROM insight_cells_rate);
        UPDATE incident_fact_cells c SET repeats = c.repeats + d.repeats, cents = c.cents + d.cents
          FROM (SELECT date_trunc('day', n.started_at, 'UTC') AS day, n.severity, n.segment_keys,
                       sum(n.is_repeat::int - o.is_repeat::int)::int AS repeats, sum(${cents('n')} - ${cents('o')})::float8 AS cents
                  FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
                 WHERE (n.is_repeat, n.revenue_loss, n.responder_hours, n.sla_credits) IS DISTINCT FROM (o.is_repeat, o.revenue_loss, o.responder_hours, o.sla_credits)
                   AND (${columns('n')}) IS NOT DISTINCT FROM (${columns('o')})
                   AND NOT (date_trunc('day', n.started_at, 'UTC') = ANY(days))
                 GROUP BY 1, 2, 3) d
         WHERE c.day = d.day AND c.severity = d.severity AND c.segment_keys = d.segment_keys;
        IF cardinality(days) > 0 THEN PERFORM insight_cells_rebuild(days); END IF;
        RETURN NULL;
      END $fn$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // Correct if slower: every changed fact rebuilds its days.
    await q.query(`
      CREATE OR REPLACE FUNCTION incident_facts_cells_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE days timestamptz[];
      BEGIN
        IF (SELECT count(*) FROM new_rows) > 20000 THEN PERFORM insight_cells_rebuild(NULL); RETURN NULL; END IF;
        days := ARRAY(
          SELECT DISTINCT d FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id,
                 LATERAL (VALUES (date_trunc('day', n.started_at, 'UTC')), (date_trunc('day', o.started_at, 'UTC'))) AS v(d)
           WHERE n IS DISTINCT FROM o);
        IF cardinality(days) = 0 THEN RETURN NULL; END IF;
        PERFORM count(pg_advisory_xact_lock(${CELL_LOCK}, k)) FROM (SELECT DISTINCT (extract(epoch FROM d) / 86400)::int AS k FROM unnest(days) d ORDER BY 1) x;
        PERFORM insight_cells_rebuild(days);
        RETURN NULL;
      END $fn$;
    `);
  }
}
