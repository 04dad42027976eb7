import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the Slack app posted for each delivery (issue 24): the attempt is recorded before the
 * post and its message's `ts` after, so a retry after a lost answer (a worker killed
 * mid-delivery) looks for the message it may have posted — by the delivery id in its
 * metadata — instead of posting a second one.
 */
export class SlackPosts1796113000001 implements MigrationInterface {
  name = 'SlackPosts1796113000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE slack_posts (
        delivery_id uuid PRIMARY KEY,
        channel text NOT NULL,
        ts text,
        started_at timestamptz NOT NULL DEFAULT now(),
        posted_at timestamptz
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE slack_posts`);
  }
}
