import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Global search (issue 23) over incidents, postmortems, runbooks (which have search_vector
 * columns), action items and services. The last two get expression indexes rather than
 * stored columns: no table rewrite, and an item's many small updates (status, snooze,
 * assignee) do not recompute a vector. The search repository spells the same expressions,
 * so the planner uses these indexes.
 */
export class GlobalSearch1796103001000 implements MigrationInterface {
  name = 'GlobalSearch1796103001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX action_items_search_idx ON action_items USING gin (
        (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')));
      CREATE INDEX services_search_idx ON services USING gin ((to_tsvector('english', name)));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX action_items_search_idx; DROP INDEX services_search_idx;`);
  }
}
