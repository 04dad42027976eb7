import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Global search (issue 23) over incidents, postmortems, runbooks, action items and services.
 * - Action items get a stored search_vector like incidents, postmortems and runbooks (title
 *   weighted above description): search reads the vectors of the 10,000 most recent items
 *   directly, which an expression would recompute for every row (ten times slower, measured).
 *   Postgres keeps the value on every update; an update that leaves title and description
 *   alone leaves it equal, so such updates stay HOT.
 * - Postmortems and action items are searched most recent first: an index on created_at each.
 * - Services are few: an expression index on the name is enough.
 */
export class GlobalSearch1796103001000 implements MigrationInterface {
  name = 'GlobalSearch1796103001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE action_items ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED;
      CREATE INDEX action_items_search_idx ON action_items USING gin (search_vector);
      CREATE INDEX action_items_created_idx ON action_items (created_at DESC, id DESC);
      CREATE INDEX postmortems_created_idx ON postmortems (created_at DESC, id DESC);
      CREATE INDEX services_search_idx ON services USING gin ((to_tsvector('english', name)));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX services_search_idx, postmortems_created_idx, action_items_created_idx, action_items_search_idx;
      ALTER TABLE action_items DROP COLUMN search_vector;
    `);
  }
}
