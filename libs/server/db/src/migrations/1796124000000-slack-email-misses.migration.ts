import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Addresses Slack's `users.lookupByEmail` found nobody for (issue 24): a reminder to a person
 * the Slack app has not matched yet looks them up when it is delivered; a miss is remembered
 * for a day, so the sweep does not write a Slack DM for them at every step meanwhile.
 */
export class SlackEmailMisses1796124000000 implements MigrationInterface {
  name = 'SlackEmailMisses1796124000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE slack_email_misses (
        email text PRIMARY KEY CHECK (email = lower(email)),
        reason text NOT NULL,
        checked_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE slack_email_misses`);
  }
}
