import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries at scale (issue 14): a delivery row is written once and then updated for its send
 * lease. Room left on each page lets that update stay on the page without new index entries
 * (a HOT update: lease_until is in no index), which is most of what taking a lease cost.
 */
export class DeliveriesFillfactor1796065587165 implements MigrationInterface {
  name = 'DeliveriesFillfactor1796065587165';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries SET (fillfactor = 60)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries RESET (fillfactor)`);
  }
}
