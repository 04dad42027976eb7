import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 28: the insights' rollup functions had as body whichever migration last redefined
 * them. Their definitions now live in code, one source each (libs/server/insights/sql); this
 * table records the hash of each one as applied, and after the migrations the runner re-applies
 * those whose definition changed (applyDeclaredFunctions), with the rebuild of what they wrote.
 */
export class DeclaredFunctions1796105000000 implements MigrationInterface {
  name = 'DeclaredFunctions1796105000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE schema_functions (
        -- name(argument types), as pg_proc tells functions apart
        signature text PRIMARY KEY,
        -- sha256 of the CREATE OR REPLACE FUNCTION statement applied
        hash text NOT NULL,
        -- sha256 of the definition of the rows it writes (a rollup), when it writes some: their rebuild is due when it changes
        definition_hash text,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE schema_functions`);
  }
}
