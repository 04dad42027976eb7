import { MigrationInterface, QueryRunner } from 'typeorm';

/** incident_facts' columns as of this migration (frozen: a later column of the facts is not copied). */
const COLUMNS = `incident_id, started_at, week_start, month_start, severity, segment_keys, service_ids, team_ids, ttd, ttm, ttr, revenue_loss, revenue,
  impact_fraction, responder_hours, sla_credits, categories, is_repeat, pm_due_at, pm_published_at, items_open, items_done, items_done_on_time, open_item_due_ats`;
const from = (alias: string): string => COLUMNS.split(',').map((c) => `${alias}.${c.trim()}`).join(', ');

/**
 * Issue 14: one team's report still looked up each of its ~7,000 facts by key (4 buffers each,
 * half its time). `incident_fact_teams` becomes a copy of the fact rows per owning team,
 * keyed (team, start, incident), so a team's year is one contiguous range with every column
 * the report reads. Kept by the same statement triggers on incident_facts: the rows of a fact
 * that changed at all (a repeat flag too) are replaced, those of a deleted one removed.
 */
export class InsightTeamRows1796066480372 implements MigrationInterface {
  name = 'InsightTeamRows1796066480372';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE incident_fact_teams;
      CREATE TABLE incident_fact_teams (team_id uuid NOT NULL, LIKE incident_facts INCLUDING DEFAULTS, PRIMARY KEY (team_id, started_at, incident_id));
      CREATE INDEX incident_fact_teams_incident_idx ON incident_fact_teams (incident_id);

      CREATE OR REPLACE FUNCTION incident_facts_teams_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO incident_fact_teams (team_id, ${COLUMNS}) SELECT t, ${from('n')} FROM new_rows n, unnest(n.team_ids) AS t;
        RETURN NULL;
      END $fn$;

      CREATE OR REPLACE FUNCTION incident_facts_teams_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE changed uuid[];
      BEGIN
        changed := ARRAY(SELECT n.incident_id FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id WHERE (${from('n')}) IS DISTINCT FROM (${from('o')}));
        IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
        DELETE FROM incident_fact_teams WHERE incident_id = ANY(changed);
        INSERT INTO incident_fact_teams (team_id, ${COLUMNS}) SELECT t, ${from('n')} FROM new_rows n, unnest(n.team_ids) AS t WHERE n.incident_id = ANY(changed);
        RETURN NULL;
      END $fn$;
    `);
    // Backfill in key order (a team's rows then lie together).
    await q.query(`INSERT INTO incident_fact_teams (team_id, ${COLUMNS}) SELECT t, ${from('f')} FROM incident_facts f, unnest(f.team_ids) AS t ORDER BY 1, f.started_at, f.incident_id`);
    await q.query(`ANALYZE incident_fact_teams`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE incident_fact_teams;
      CREATE TABLE incident_fact_teams (team_id uuid NOT NULL, started_at timestamptz NOT NULL, incident_id uuid NOT NULL, PRIMARY KEY (team_id, started_at, incident_id));
      CREATE INDEX incident_fact_teams_incident_idx ON incident_fact_teams (incident_id);
      CREATE OR REPLACE FUNCTION incident_facts_teams_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO incident_fact_teams (team_id, started_at, incident_id) SELECT t, n.started_at, n.incident_id FROM new_rows n, unnest(n.team_ids) AS t;
        RETURN NULL;
      END $fn$;
      CREATE OR REPLACE FUNCTION incident_facts_teams_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE changed uuid[];
      BEGIN
        changed := ARRAY(SELECT n.incident_id FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
                          WHERE n.team_ids IS DISTINCT FROM o.team_ids OR n.started_at IS DISTINCT FROM o.started_at);
        IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
        DELETE FROM incident_fact_teams WHERE incident_id = ANY(changed);
        INSERT INTO incident_fact_teams (team_id, started_at, incident_id) SELECT t, n.started_at, n.incident_id FROM new_rows n, unnest(n.team_ids) AS t WHERE n.incident_id = ANY(changed);
        RETURN NULL;
      END $fn$;
    `);
    await q.query(`INSERT INTO incident_fact_teams (team_id, started_at, incident_id) SELECT t, f.started_at, f.incident_id FROM incident_facts f, unnest(f.team_ids) AS t`);
  }
}
