import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answering nudges (issue 10):
 * - `due_date_extension_requests`: "need more time" asked of the owning team's manager,
 *   decided once (PENDING → APPROVED | DECLINED), never by the person who asked.
 * - `deliveries` also carries the messages about a request (to the manager and team
 *   channels when asked, to the requester when decided), written in the same transaction
 *   as the request or decision: the outbox, so each goes out exactly once.
 */
export class ExtensionRequests1796052829809 implements MigrationInterface {
  name = 'ExtensionRequests1796052829809';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE due_date_extension_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        action_item_id uuid NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
        requested_by uuid NOT NULL REFERENCES users (id),
        -- The due date in force when asked, so a decision shows what it replaces.
        previous_due_at timestamptz NOT NULL,
        until timestamptz NOT NULL,
        reason text NOT NULL CHECK (length(reason) >= 1 AND octet_length(reason) <= 102400),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES users (id),
        decided_at timestamptz,
        note text CHECK (octet_length(note) <= 102400),
        CHECK ((status = 'PENDING') = (decided_at IS NULL)),
        CHECK (decided_by IS NULL OR decided_by <> requested_by)
      );
      CREATE INDEX due_date_extension_requests_item_idx ON due_date_extension_requests (action_item_id, created_at);
      -- Managers' home pages: the requests still waiting for a decision.
      CREATE INDEX due_date_extension_requests_pending_idx ON due_date_extension_requests (created_at) WHERE status = 'PENDING';

      ALTER TABLE deliveries
        ADD COLUMN extension_request_id uuid REFERENCES due_date_extension_requests (id) ON DELETE CASCADE,
        ADD COLUMN extension_event text CHECK (extension_event IN ('REQUESTED', 'DECIDED')),
        ADD CONSTRAINT deliveries_extension_event CHECK ((extension_request_id IS NULL) = (extension_event IS NULL));
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_subject CHECK (num_nonnulls(nudge_id, digest_id, extension_request_id) = 1);
      CREATE INDEX deliveries_extension_request_idx ON deliveries (extension_request_id) WHERE extension_request_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM deliveries WHERE extension_request_id IS NOT NULL;
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_one_subject;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_check CHECK ((nudge_id IS NULL) <> (digest_id IS NULL));
      ALTER TABLE deliveries DROP COLUMN extension_event, DROP COLUMN extension_request_id;
      DROP TABLE due_date_extension_requests;
    `);
  }
}
