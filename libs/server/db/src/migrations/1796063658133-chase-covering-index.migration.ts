import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chase at scale (issue 14): the sweep's candidate scan reads every open item due within
 * three days (100,000 in the benchmark) on every sweep. action_items_chase_keyset_idx has the
 * scan's order and filter but not the columns the sweep reads (status, team, assignee), so
 * each item cost a heap visit; this index carries them, making the scan index-only on a
 * vacuumed table. It replaces the keyset index (same key and predicate), so item writes
 * maintain one index, not two.
 */
export class ChaseCoveringIndex1796063658133 implements MigrationInterface {
  name = 'ChaseCoveringIndex1796063658133';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX action_items_chase_cover_idx ON action_items (due_at, id) INCLUDE (snoozed_until, status, owner_team_id, assignee_id)
        WHERE status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED');
      DROP INDEX action_items_chase_keyset_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX action_items_chase_keyset_idx ON action_items (due_at, id) INCLUDE (snoozed_until) WHERE status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED');
      DROP INDEX action_items_chase_cover_idx;
    `);
  }
}
