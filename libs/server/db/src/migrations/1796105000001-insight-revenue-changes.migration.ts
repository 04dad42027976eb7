import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 28: a service's revenue change re-priced its ~2,000 incidents' facts, cells and team
 * rows in the ADMIN's transaction (0.8–4 s at a million incidents, more on a busy machine).
 * The change is now recorded here and applied after the write by insight_facts_catch_up — by
 * the worker's maintenance queue, or by the next report first (reports stay exact). The
 * function is created here so that down() drops it; its body is declared in
 * libs/server/insights/sql and applied after the migrations.
 */
export class InsightRevenueChanges1796105000001 implements MigrationInterface {
  name = 'InsightRevenueChanges1796105000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE insight_revenue_changes (
        service_id uuid PRIMARY KEY REFERENCES services (id) ON DELETE CASCADE,
        changed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE FUNCTION insight_facts_catch_up(wait boolean) RETURNS integer LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'insight_facts_catch_up is declared in libs/server/insights/sql: run the migrations';
      END $fn$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION insight_facts_catch_up(boolean); DROP TABLE insight_revenue_changes;`);
  }
}
