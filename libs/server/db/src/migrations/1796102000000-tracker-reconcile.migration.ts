import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 22, item 13: reconciliation that one issue cannot stop (docs/trackers.md).
 * - `tracker_links.deleted_upstream_at`: when the tracker said the linked issue no longer
 *   exists (deleted, or no longer visible to the token). Such a link is no longer read back;
 *   the item is chased as before, and the link shows it.
 * - `tracker_created_issues`: the issues a CREATE push made, written (and committed) the moment
 *   the tracker answers, outside the push's transaction, which a crash rolls back. The retried
 *   push names them to the marker look-up, so a search index that has not caught up (Jira
 *   Cloud's `reconcileIssues`) still finds the issue instead of a second one being made. No
 *   foreign key to the link: the push holds the link's row lock while this row is written.
 *   Rows go when the push records the issue; those left behind are pruned after 30 days.
 */
export class TrackerReconcile1796102000000 implements MigrationInterface {
  name = 'TrackerReconcile1796102000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tracker_links ADD COLUMN deleted_upstream_at timestamptz;

      CREATE TABLE tracker_created_issues (
        link_id uuid NOT NULL,
        connection_id uuid NOT NULL REFERENCES tracker_connections (id) ON DELETE CASCADE,
        issue_key text NOT NULL,
        issue_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (link_id, issue_id)
      );
      CREATE INDEX tracker_created_issues_connection_idx ON tracker_created_issues (connection_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tracker_created_issues`);
    await q.query(`ALTER TABLE tracker_links DROP COLUMN deleted_upstream_at`);
  }
}
