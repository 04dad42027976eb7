import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deleting a notification channel (issue 12) keeps its delivery history: `deliveries.channel_id`
 * becomes ON DELETE SET NULL instead of CASCADE. A delivery keeps its kind and recipient (the
 * channel's name), which is what reminder histories show.
 */
export class ChannelDeleteKeepsDeliveries1796058848317 implements MigrationInterface {
  name = 'ChannelDeleteKeepsDeliveries1796058848317';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_channel_id_fkey;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_channel_id_fkey FOREIGN KEY (channel_id) REFERENCES notification_channels (id) ON DELETE SET NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_channel_id_fkey;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_channel_id_fkey FOREIGN KEY (channel_id) REFERENCES notification_channels (id) ON DELETE CASCADE;
    `);
  }
}
