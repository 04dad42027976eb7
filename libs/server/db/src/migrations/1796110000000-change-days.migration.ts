import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 25, DORA in the reliability report: a year of 10,000 production changes a day is
 * 3.65 million rows, too many to count per report. `insight_change_days` holds the number of
 * production changes per service (null: unmatched) and UTC day, kept by statement triggers on
 * `changes` in the writing transaction; a report counts whole days there and the partial
 * days at its edges from `changes` through `changes_production_finished_idx`. The trigger
 * functions are created here (so that down() drops them) and declared in
 * libs/server/insights/sql (applied after the migrations); the rows are built here once.
 */
export class ChangeDays1796110000000 implements MigrationInterface {
  name = 'ChangeDays1796110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE insight_change_days (
        service_id uuid,
        day date NOT NULL,
        changes int NOT NULL,
        CONSTRAINT insight_change_days_key UNIQUE NULLS NOT DISTINCT (service_id, day)
      );
      CREATE INDEX insight_change_days_day_idx ON insight_change_days (day) INCLUDE (changes);
      -- The partial days at a report's edges, company-wide.
      CREATE INDEX changes_production_finished_idx ON changes (finished_at) INCLUDE (service_id) WHERE production;
      INSERT INTO insight_change_days (service_id, day, changes)
        SELECT service_id, (finished_at AT TIME ZONE 'UTC')::date, count(*) FROM changes WHERE production GROUP BY 1, 2 ORDER BY 1, 2;
    `);
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      await q.query(`CREATE FUNCTION changes_days_${event}() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'changes_days_${event} is declared in libs/server/insights/sql: run the migrations';
      END $fn$`);
    }
    await q.query(`
      CREATE TRIGGER changes_days_insert AFTER INSERT ON changes REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION changes_days_insert();
      CREATE TRIGGER changes_days_update AFTER UPDATE ON changes REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION changes_days_update();
      CREATE TRIGGER changes_days_delete AFTER DELETE ON changes REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION changes_days_delete();
      CREATE TRIGGER changes_days_truncate AFTER TRUNCATE ON changes FOR EACH STATEMENT EXECUTE FUNCTION changes_days_truncate();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER changes_days_insert ON changes; DROP TRIGGER changes_days_update ON changes;
      DROP TRIGGER changes_days_delete ON changes; DROP TRIGGER changes_days_truncate ON changes;
      DROP FUNCTION changes_days_insert(); DROP FUNCTION changes_days_update(); DROP FUNCTION changes_days_delete(); DROP FUNCTION changes_days_truncate();
      DROP INDEX changes_production_finished_idx;
      DROP TABLE insight_change_days;
    `);
  }
}
