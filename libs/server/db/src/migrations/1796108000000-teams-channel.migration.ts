import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Microsoft Teams channels (issue 24): TEAMS next to EMAIL, SLACK and WEBHOOK. A TEAMS
 * channel's Workflows webhook URL carries its signature (`sig=`), so like a Slack URL it is the
 * channel's credential: kept sealed in `secret`, `target` holding it redacted. The new checks
 * of `deliveries` are validated after they are added, which lets writes go on meanwhile.
 */
export class TeamsChannel1796108000000 implements MigrationInterface {
  name = 'TeamsChannel1796108000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notification_channels DROP CONSTRAINT notification_channels_kind_check;
      ALTER TABLE notification_channels ADD CONSTRAINT notification_channels_kind_check CHECK (kind IN ('EMAIL', 'SLACK', 'WEBHOOK', 'TEAMS'));
      ALTER TABLE notification_channels ADD CONSTRAINT notification_channels_teams_url_check CHECK (kind <> 'TEAMS' OR secret IS NOT NULL);
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_kind_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_kind_check CHECK (kind IN ('EMAIL', 'SLACK', 'WEBHOOK', 'TEAMS')) NOT VALID;
      ALTER TABLE deliveries VALIDATE CONSTRAINT deliveries_kind_check;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // Deleting a channel only unlinks its deliveries: TEAMS rows of both go, or the old checks would refuse them.
    await q.query(`
      DELETE FROM deliveries WHERE kind = 'TEAMS';
      DELETE FROM notification_channels WHERE kind = 'TEAMS';
      ALTER TABLE notification_channels DROP CONSTRAINT notification_channels_teams_url_check;
      ALTER TABLE notification_channels DROP CONSTRAINT notification_channels_kind_check;
      ALTER TABLE notification_channels ADD CONSTRAINT notification_channels_kind_check CHECK (kind IN ('EMAIL', 'SLACK', 'WEBHOOK'));
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_kind_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_kind_check CHECK (kind IN ('EMAIL', 'SLACK', 'WEBHOOK'));
    `);
  }
}
