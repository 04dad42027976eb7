import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: one team's report reads its incidents by (team, start). `incident_facts.team_ids`
 * is an array (GIN), so a team's year was the intersection of two bitmaps — the team's
 * incidents of every year and every incident of the year (~330,000 entries at a million
 * incidents) — before the 7,000 rows it needs. `incident_fact_teams` holds one row per
 * (owning team, start, incident), kept by statement triggers on incident_facts in the writing
 * transaction (rows of a fact whose teams or start changed are replaced, those of a deleted one removed), so the report
 * reads one range of its primary key. Writes to one incident are already serialised by the
 * facts' advisory locks.
 */
export class InsightFactTeams1796064932506 implements MigrationInterface {
  name = 'InsightFactTeams1796064932506';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incident_fact_teams (
        team_id uuid NOT NULL,
        started_at timestamptz NOT NULL,
        incident_id uuid NOT NULL,
        PRIMARY KEY (team_id, started_at, incident_id)
      );
      CREATE INDEX incident_fact_teams_incident_idx ON incident_fact_teams (incident_id);

      CREATE FUNCTION incident_facts_teams_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO incident_fact_teams (team_id, started_at, incident_id)
        SELECT t, n.started_at, n.incident_id FROM new_rows n, unnest(n.team_ids) AS t;
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION incident_facts_teams_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE changed uuid[];
      BEGIN
        changed := ARRAY(SELECT n.incident_id FROM new_rows n JOIN old_rows o ON o.incident_id = n.incident_id
                          WHERE n.team_ids IS DISTINCT FROM o.team_ids OR n.started_at IS DISTINCT FROM o.started_at);
        IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
        DELETE FROM incident_fact_teams WHERE incident_id = ANY(changed);
        INSERT INTO incident_fact_teams (team_id, started_at, incident_id)
        SELECT t, n.started_at, n.incident_id FROM new_rows n, unnest(n.team_ids) AS t WHERE n.incident_id = ANY(changed);
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION incident_facts_teams_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM incident_fact_teams WHERE incident_id IN (SELECT incident_id FROM old_rows);
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION incident_facts_teams_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM incident_fact_teams;
        RETURN NULL;
      END $fn$;

      CREATE TRIGGER incident_facts_teams_insert AFTER INSERT ON incident_facts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_facts_teams_insert();
      CREATE TRIGGER incident_facts_teams_update AFTER UPDATE ON incident_facts REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_facts_teams_update();
      CREATE TRIGGER incident_facts_teams_delete AFTER DELETE ON incident_facts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_facts_teams_delete();
      CREATE TRIGGER incident_facts_teams_truncate AFTER TRUNCATE ON incident_facts FOR EACH STATEMENT EXECUTE FUNCTION incident_facts_teams_truncate();
    `);
    // Backfill in key order (a team's rows then lie together).
    await q.query(`INSERT INTO incident_fact_teams (team_id, started_at, incident_id)
                   SELECT t, f.started_at, f.incident_id FROM incident_facts f, unnest(f.team_ids) AS t ORDER BY 1, 2, 3`);
    await q.query(`ANALYZE incident_fact_teams`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER incident_facts_teams_insert ON incident_facts;
      DROP TRIGGER incident_facts_teams_update ON incident_facts;
      DROP TRIGGER incident_facts_teams_delete ON incident_facts;
      DROP TRIGGER incident_facts_teams_truncate ON incident_facts;
      DROP FUNCTION incident_facts_teams_insert();
      DROP FUNCTION incident_facts_teams_update();
      DROP FUNCTION incident_facts_teams_delete();
      DROP FUNCTION incident_facts_teams_truncate();
      DROP TABLE incident_fact_teams;
    `);
  }
}
