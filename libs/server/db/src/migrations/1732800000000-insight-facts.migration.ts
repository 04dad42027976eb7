import { MigrationInterface, QueryRunner } from 'typeorm';

/** Frozen copies of the rules as of this migration (a migration must not change when the code does). */
const OPEN_ACTION = `('OPEN', 'IN_PROGRESS', 'BLOCKED')`;
/** The repeat look-back (REPEAT_WINDOW_DAYS = 90) in hours: a day is 24 h whatever the session's time zone. */
const REPEAT_WINDOW = `interval '2160 hours'`;
/** Above this many incidents to re-flag, one window pass over everything beats a probe per incident. */
const BULK_REPEATS = 20000;
/** Advisory lock keys of the sync: (class, 0) everything, (class, 1) the repeat flags, (class + 1, hash) one incident. */
const LOCK_CLASS = 1732800;
type Event = 'INSERT' | 'UPDATE' | 'DELETE';
const TRUNCATED = ['incidents', 'incident_services', 'contributing_factors', 'postmortems', 'action_items'];
/** minutesBetween(a, b) of libs/domain: whole milliseconds as float8 ÷ 60000, NULL when b is NULL. */
const minutes = (a: string, b: string): string => `(((extract(epoch FROM ${b}) - extract(epoch FROM ${a})) * 1000)::float8 / 60000)`;

/**
 * The reliability report's rollup (PRODUCT.md 5; libs/server/insights/README.md): one row per
 * incident in `incident_facts` holding what the report aggregates, precomputed, and one row per
 * (incident, service) in `incident_fact_services` for the repeat rule's look-up by service and
 * time. Both are kept exact by statement-level triggers on every table they read from, in
 * the writing transaction, so a report always agrees with the raw rows:
 * - `insight_facts_sync(ids, repeats)` rebuilds the rows of those incidents (deleted ones
 *   vanish); with `repeats` it also re-flags every incident whose repeat flag the write may
 *   have changed: those sharing a service with the incidents, before or after the write,
 *   started in the 90 days after them (isRepeat looks back from the LATER incident).
 * - What depends on the clock (cost of an outage still open, overdue items, postmortems past
 *   due) or on settings (the responder hourly rate) is stored as inputs and finished at query
 *   time, so neither the clock nor a policy change can leave a stale figure.
 */
export class InsightFacts1732800000000 implements MigrationInterface {
  name = 'InsightFacts1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incident_facts (
        incident_id uuid PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
        started_at timestamptz NOT NULL,
        -- The report's periods (Monday 00:00 UTC, the 1st 00:00 UTC): date_trunc per row and report costs more than the rest of a row.
        week_start timestamptz NOT NULL,
        month_start timestamptz NOT NULL,
        severity text NOT NULL,
        -- Segments trimmed and lower-cased, as the report's segment filter compares them.
        segment_keys text[] NOT NULL,
        service_ids uuid[] NOT NULL,
        -- Owning teams of the affected services.
        team_ids uuid[] NOT NULL,
        ttd double precision,
        ttm double precision,
        ttr double precision,
        -- Outage minutes × Σ revenue per minute × impact fraction, when the outage has ended
        -- (mitigated or resolved); NULL while it grows with the clock: then computed at query
        -- time from revenue and impact_fraction.
        revenue_loss double precision,
        revenue numeric,
        impact_fraction double precision NOT NULL,
        responder_hours double precision,
        sla_credits double precision,
        categories text[] NOT NULL,
        is_repeat boolean NOT NULL DEFAULT false,
        pm_due_at timestamptz,
        pm_published_at timestamptz,
        items_open int NOT NULL,
        items_done int NOT NULL,
        items_done_on_time int NOT NULL,
        -- Due dates of the open items: overdue ones and their ages depend on the clock.
        open_item_due_ats timestamptz[] NOT NULL
      );
      CREATE INDEX incident_facts_started_idx ON incident_facts (started_at);
      CREATE INDEX incident_facts_team_idx ON incident_facts USING gin (team_ids);
      CREATE INDEX incident_facts_service_idx ON incident_facts USING gin (service_ids);
      CREATE INDEX incident_facts_segment_idx ON incident_facts USING gin (segment_keys);

      -- No foreign key: the trigger reads the rows of a just-deleted incident (where its
      -- services were, when) to re-flag the incidents that followed it.
      CREATE TABLE incident_fact_services (
        incident_id uuid NOT NULL,
        service_id uuid NOT NULL,
        started_at timestamptz NOT NULL,
        categories text[] NOT NULL,
        PRIMARY KEY (incident_id, service_id)
      );
      CREATE INDEX incident_fact_services_window_idx ON incident_fact_services (service_id, started_at);

      -- isRepeat of the given incidents (NULL: of all): a prior incident sharing a service and
      -- a factor category, started in [startedAt − 90 days, startedAt).
      CREATE FUNCTION insight_facts_flag_repeats(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        IF ids IS NULL OR cardinality(ids) > ${BULK_REPEATS} THEN
          -- One sort over every (service, category, incident) instead of a probe per incident.
          WITH flagged AS (
            SELECT DISTINCT incident_id
              FROM (SELECT incident_id, count(*) OVER (PARTITION BY service_id, category ORDER BY started_at
                                                      RANGE BETWEEN ${REPEAT_WINDOW} PRECEDING AND interval '1 microsecond' PRECEDING) AS earlier
                      FROM incident_fact_services, unnest(categories) AS category) w
             WHERE earlier > 0
          )
          UPDATE incident_facts f SET is_repeat = NOT is_repeat
           WHERE is_repeat IS DISTINCT FROM (incident_id IN (SELECT incident_id FROM flagged));
        ELSE
          UPDATE incident_facts f SET is_repeat = r.flag
            FROM (SELECT t.id, EXISTS (
                    SELECT 1 FROM incident_fact_services mine
                      JOIN incident_fact_services p ON p.service_id = mine.service_id
                           AND p.started_at < mine.started_at AND p.started_at >= mine.started_at - ${REPEAT_WINDOW}
                           AND p.categories && mine.categories
                     WHERE mine.incident_id = t.id) AS flag
                    FROM (SELECT DISTINCT id FROM unnest(ids) AS t(id)) t) r
           WHERE f.incident_id = r.id AND f.is_repeat IS DISTINCT FROM r.flag;
        END IF;
      END $fn$;

      -- Rebuilds the facts of incidents 'ids'; 'moved' (a subset) are those whose services,
      -- start or factor categories may have changed, or that were deleted: their rows by
      -- service are rebuilt and the repeat flags they can affect recomputed.
      CREATE FUNCTION insight_facts_sync(ids uuid[], moved uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        before_services uuid[];
        before_starts timestamptz[];
        followers uuid[];
      BEGIN
        IF cardinality(ids) IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
        -- Concurrent writes: each statement below reads a fresh snapshot (READ COMMITTED), so
        -- waiting for these locks (held to commit) makes a sync see what the writers before it
        -- committed. Without them, two transactions writing one incident (an item completed,
        -- its postmortem published) would each rebuild its row from a snapshot lacking the
        -- other's write, and two "moved" writes could each re-flag followers on half the truth.
        -- Order: everything (bulk) or a share of it, then the repeat flags, then incidents by key.
        IF cardinality(ids) > ${BULK_REPEATS} THEN
          PERFORM pg_advisory_xact_lock(${LOCK_CLASS}, 0);
        ELSE
          PERFORM pg_advisory_xact_lock_shared(${LOCK_CLASS}, 0);
          IF cardinality(moved) > 0 THEN PERFORM pg_advisory_xact_lock(${LOCK_CLASS}, 1); END IF;
          PERFORM pg_advisory_xact_lock(${LOCK_CLASS} + 1, h) FROM (SELECT DISTINCT hashtext(id::text) AS h FROM unnest(ids) AS t(id) ORDER BY 1) k;
        END IF;
        IF cardinality(moved) > 0 AND cardinality(moved) <= ${BULK_REPEATS} THEN
          -- Where the incidents were before the write: their followers may lose their flag.
          SELECT coalesce(array_agg(service_id), '{}'), coalesce(array_agg(started_at), '{}') INTO before_services, before_starts
            FROM incident_fact_services WHERE incident_id IN (SELECT unnest(moved));
        END IF;

        INSERT INTO incident_facts AS f (incident_id, started_at, week_start, month_start, severity, segment_keys, service_ids, team_ids, ttd, ttm, ttr, revenue_loss, revenue,
                                         impact_fraction, responder_hours, sla_credits, categories, pm_due_at, pm_published_at,
                                         items_open, items_done, items_done_on_time, open_item_due_ats)
        SELECT i.id, i.started_at, date_trunc('week', i.started_at, 'UTC'), date_trunc('month', i.started_at, 'UTC'), i.severity,
               ARRAY(SELECT DISTINCT lower(btrim(s)) FROM unnest(i.segments) s),
               coalesce(sv.service_ids, '{}'), coalesce(sv.team_ids, '{}'),
               ${minutes('i.started_at', 'i.detected_at')}, ${minutes('i.started_at', 'i.mitigated_at')}, ${minutes('i.started_at', 'i.resolved_at')},
               -- The same float operations, in the same order, as the report's cost expression.
               CASE WHEN coalesce(i.mitigated_at, i.resolved_at) IS NOT NULL THEN
                 greatest(0::float8, ${minutes('i.started_at', 'coalesce(i.mitigated_at, i.resolved_at)')}) * coalesce(sv.revenue, 0)::float8 * i.impact_fraction
               END,
               sv.revenue, i.impact_fraction, i.responder_hours, i.sla_credits,
               coalesce(cf.categories, '{}'), pm.due_at, pm.published_at,
               coalesce(ai.open, 0), coalesce(ai.done, 0), coalesce(ai.done_on_time, 0), coalesce(ai.open_due_ats, '{}')
          FROM incidents i
          LEFT JOIN (SELECT x.incident_id, array_agg(x.service_id ORDER BY x.service_id) AS service_ids,
                            array_agg(DISTINCT s.team_id) AS team_ids, sum(s.revenue_per_minute) AS revenue
                       FROM incident_services x JOIN services s ON s.id = x.service_id
                      WHERE x.incident_id IN (SELECT unnest(ids)) GROUP BY x.incident_id) sv ON sv.incident_id = i.id
          LEFT JOIN (SELECT incident_id, array_agg(DISTINCT category ORDER BY category) AS categories
                       FROM contributing_factors WHERE incident_id IN (SELECT unnest(ids)) GROUP BY incident_id) cf ON cf.incident_id = i.id
          LEFT JOIN postmortems pm ON pm.incident_id = i.id
          LEFT JOIN (SELECT incident_id,
                            count(*) FILTER (WHERE status IN ${OPEN_ACTION}) AS open,
                            count(*) FILTER (WHERE status = 'DONE') AS done,
                            count(*) FILTER (WHERE status = 'DONE' AND completed_at <= due_at) AS done_on_time,
                            array_agg(due_at ORDER BY due_at) FILTER (WHERE status IN ${OPEN_ACTION}) AS open_due_ats
                       FROM action_items WHERE incident_id IN (SELECT unnest(ids)) GROUP BY incident_id) ai ON ai.incident_id = i.id
         WHERE i.id IN (SELECT unnest(ids))
        ON CONFLICT (incident_id) DO UPDATE SET
          started_at = excluded.started_at, week_start = excluded.week_start, month_start = excluded.month_start, severity = excluded.severity, segment_keys = excluded.segment_keys,
          service_ids = excluded.service_ids, team_ids = excluded.team_ids, ttd = excluded.ttd, ttm = excluded.ttm, ttr = excluded.ttr,
          revenue_loss = excluded.revenue_loss, revenue = excluded.revenue, impact_fraction = excluded.impact_fraction,
          responder_hours = excluded.responder_hours, sla_credits = excluded.sla_credits, categories = excluded.categories,
          pm_due_at = excluded.pm_due_at, pm_published_at = excluded.pm_published_at, items_open = excluded.items_open,
          items_done = excluded.items_done, items_done_on_time = excluded.items_done_on_time, open_item_due_ats = excluded.open_item_due_ats;

        IF cardinality(moved) IS NULL OR cardinality(moved) = 0 THEN RETURN; END IF;
        DELETE FROM incident_fact_services WHERE incident_id IN (SELECT unnest(moved));
        INSERT INTO incident_fact_services (incident_id, service_id, started_at, categories)
        SELECT f.incident_id, s.id, f.started_at, f.categories
          FROM incident_facts f, unnest(f.service_ids) AS s(id)
         WHERE f.incident_id IN (SELECT unnest(moved));
        IF cardinality(moved) > ${BULK_REPEATS} THEN
          PERFORM insight_facts_flag_repeats(NULL);
          RETURN;
        END IF;

        -- The moved incidents and, before and after the write, every incident on one of their
        -- services started in the 90 days after one of them (isRepeat looks back from the later).
        -- LATERAL: one range scan of (service_id, started_at) per place, whatever the planner guesses.
        SELECT array_agg(DISTINCT id) INTO followers FROM (
          SELECT unnest(moved) AS id
          UNION
          SELECT p.incident_id
            FROM (SELECT * FROM unnest(before_services, before_starts) AS b(service_id, started_at)
                  UNION
                  SELECT service_id, started_at FROM incident_fact_services WHERE incident_id IN (SELECT unnest(moved))) w,
                 LATERAL (SELECT incident_id FROM incident_fact_services p
                           WHERE p.service_id = w.service_id AND p.started_at >= w.started_at AND p.started_at <= w.started_at + ${REPEAT_WINDOW}) p
        ) c;
        PERFORM insight_facts_flag_repeats(followers);
      END $fn$;
    `);

    // One statement-level trigger per table and event (PostgreSQL allows transition tables
    // only on single-event triggers). Each names the incidents to rebuild and those "moved".
    const all = (column: string) => (rows: string[]) => rows.map((r) => `SELECT ${column} FROM ${r}`).join(' UNION ');
    const none = () => `SELECT NULL::uuid WHERE false`;
    const triggers: { table: string; events: Event[]; ids: (rows: string[]) => string; moved: (rows: string[], event: Event) => string }[] = [
      {
        table: 'incidents', events: ['INSERT', 'UPDATE', 'DELETE'], ids: all('id'),
        // An edit that keeps the start leaves the repeat flags alone.
        moved: (rows, event) => event === 'UPDATE'
          ? `SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.started_at IS DISTINCT FROM o.started_at`
          : all('id')(rows),
      },
      { table: 'incident_services', events: ['INSERT', 'UPDATE', 'DELETE'], ids: all('incident_id'), moved: all('incident_id') },
      { table: 'contributing_factors', events: ['INSERT', 'UPDATE', 'DELETE'], ids: all('incident_id'), moved: all('incident_id') },
      { table: 'postmortems', events: ['INSERT', 'UPDATE', 'DELETE'], ids: all('incident_id'), moved: none },
      { table: 'action_items', events: ['INSERT', 'UPDATE', 'DELETE'], ids: all('incident_id'), moved: none },
      // A service's revenue or owning team: every incident it affected.
      {
        table: 'services', events: ['UPDATE'], moved: none,
        ids: () => `SELECT x.incident_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN incident_services x ON x.service_id = n.id
                     WHERE n.revenue_per_minute IS DISTINCT FROM o.revenue_per_minute OR n.team_id IS DISTINCT FROM o.team_id`,
      },
    ];
    for (const t of triggers) {
      for (const event of t.events) {
        const rows = event === 'INSERT' ? ['new_rows'] : event === 'DELETE' ? ['old_rows'] : ['new_rows', 'old_rows'];
        const name = `${t.table}_facts_${event.toLowerCase()}`;
        const referencing = rows.map((s) => (s === 'new_rows' ? 'NEW TABLE AS new_rows' : 'OLD TABLE AS old_rows')).join(' ');
        await q.query(`
          CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
          BEGIN
            PERFORM insight_facts_sync(ARRAY(${t.ids(rows)}), ARRAY(${t.moved(rows, event)}));
            RETURN NULL;
          END $fn$;
          CREATE TRIGGER ${name} AFTER ${event} ON ${t.table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${name}();
        `);
      }
    }

    // TRUNCATE has no transition tables: rebuild everything (TRUNCATE incidents … CASCADE
    // empties incident_facts through its foreign key; the rows by service go here).
    await q.query(`
      CREATE FUNCTION insight_facts_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM incident_fact_services f WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = f.incident_id);
        PERFORM insight_facts_sync(ARRAY(SELECT id FROM incidents), ARRAY(SELECT id FROM incidents));
        RETURN NULL;
      END $fn$;
    `);
    for (const table of TRUNCATED) {
      await q.query(`CREATE TRIGGER ${table}_facts_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION insight_facts_truncated()`);
    }

    // Backfill: every incident, rows in start order (the report reads ranges of started_at).
    await q.query(`SELECT insight_facts_sync(ARRAY(SELECT id FROM incidents ORDER BY started_at), ARRAY(SELECT id FROM incidents))`);
    // The sync updated every row (the repeat flags): rewrite the table compact, in start order.
    await q.query(`CLUSTER incident_facts USING incident_facts_started_idx`);
    await q.query(`ANALYZE incident_facts`);
    await q.query(`ANALYZE incident_fact_services`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TRUNCATED) await q.query(`DROP TRIGGER IF EXISTS ${table}_facts_truncate ON ${table}`);
    await q.query(`DROP FUNCTION IF EXISTS insight_facts_truncated()`);
    for (const table of ['incidents', 'incident_services', 'contributing_factors', 'postmortems', 'action_items', 'services']) {
      for (const event of ['insert', 'update', 'delete']) {
        await q.query(`DROP TRIGGER IF EXISTS ${table}_facts_${event} ON ${table}`);
        await q.query(`DROP FUNCTION IF EXISTS ${table}_facts_${event}()`);
      }
    }
    await q.query(`
      DROP FUNCTION insight_facts_sync(uuid[], uuid[]);
      DROP FUNCTION insight_facts_flag_repeats(uuid[]);
      DROP TABLE incident_fact_services;
      DROP TABLE incident_facts;
    `);
  }
}
