import { MigrationInterface, QueryRunner } from 'typeorm';

const STEPS = `('DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED', 'LEADERSHIP')`;
const KINDS = `('EMAIL', 'SLACK', 'WEBHOOK')`;

/**
 * The chaser (PRODUCT.md 4): channels, the nudge ledger and the delivery outbox.
 * - `nudges` is the source of truth for "exactly once per step": one row per subject, due
 *   date and step, sent or superseded, guarded by a unique constraint that concurrent
 *   sweeps race on (ON CONFLICT DO NOTHING).
 * - `deliveries` is the outbox, written in the same transaction as the nudge or digest it
 *   carries; its id is the stable delivery id (BullMQ job id, X-Hindsight-Delivery).
 * - `digests` holds one weekly digest per team (and one for leadership) and its content.
 */
export class Chase1732700000000 implements MigrationInterface {
  name = 'Chase1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_channels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ${KINDS}),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        target text NOT NULL CHECK (length(target) BETWEEN 3 AND 2048),
        -- The HMAC key of WEBHOOK channels; never returned by the API.
        secret text CHECK (length(secret) <= 1024),
        -- NULL: a leadership channel.
        team_id uuid REFERENCES teams (id) ON DELETE CASCADE,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind <> 'WEBHOOK' OR secret IS NOT NULL)
      );
      CREATE INDEX notification_channels_team_idx ON notification_channels (team_id);

      -- The sweep pages open items in (due_at, id) order. action_items_chase_idx (due_at) cannot
      -- serve that order, and the planner then walks action_items_list_idx over closed items too;
      -- this one matches the order and the filter, and carries snoozed_until so the scan is
      -- index-only on a vacuumed table.
      CREATE INDEX action_items_chase_keyset_idx ON action_items (due_at, id) INCLUDE (snoozed_until) WHERE status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED');
      CREATE INDEX postmortems_chase_keyset_idx ON postmortems (due_at, id) WHERE status <> 'PUBLISHED' AND due_at IS NOT NULL;

      CREATE TABLE nudges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_kind text NOT NULL CHECK (subject_kind IN ('ACTION_ITEM', 'POSTMORTEM')),
        subject_id uuid NOT NULL,
        due_at timestamptz NOT NULL,
        step text NOT NULL CHECK (step IN ${STEPS}),
        -- Reached at the same time as a more advanced step, recorded but never sent.
        superseded boolean NOT NULL DEFAULT false,
        -- The team whose channels and manager the step addressed.
        team_id uuid REFERENCES teams (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT nudges_once_per_step UNIQUE (subject_kind, subject_id, due_at, step)
      );

      CREATE TABLE digests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('TEAM', 'LEADERSHIP')),
        team_id uuid REFERENCES teams (id) ON DELETE CASCADE,
        week_start timestamptz NOT NULL,
        content jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'TEAM') = (team_id IS NOT NULL)),
        CONSTRAINT digests_once_per_week UNIQUE NULLS NOT DISTINCT (kind, team_id, week_start)
      );

      CREATE TABLE deliveries (
        -- The stable delivery id: BullMQ job id and X-Hindsight-Delivery, the same on retries.
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        nudge_id uuid REFERENCES nudges (id) ON DELETE CASCADE,
        digest_id uuid REFERENCES digests (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ${KINDS}),
        -- NULL for a person's email; the channel otherwise.
        channel_id uuid REFERENCES notification_channels (id) ON DELETE CASCADE,
        -- An email address, or the channel's name.
        recipient text NOT NULL,
        -- The addressed person's name, for the greeting only.
        recipient_name text,
        -- SKIPPED: the subject went quiet (closed, published, snoozed, new due date) before sending.
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'SKIPPED')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- Set once the delivery job is in the queue; NULL after a crash between commit and enqueue.
        enqueued_at timestamptz,
        -- Held by the job sending it, so a duplicate job (re-enqueued after Redis lost its data,
        -- or a stalled job whose worker is in fact alive) waits instead of sending it twice.
        lease_until timestamptz,
        sent_at timestamptz,
        failed_at timestamptz,
        CHECK ((nudge_id IS NULL) <> (digest_id IS NULL)),
        CHECK ((status = 'SENT') = (sent_at IS NOT NULL))
      );
      CREATE INDEX deliveries_nudge_idx ON deliveries (nudge_id) WHERE nudge_id IS NOT NULL;
      CREATE INDEX deliveries_digest_idx ON deliveries (digest_id) WHERE digest_id IS NOT NULL;
      -- The relay's recovery pass: deliveries still to send.
      CREATE INDEX deliveries_pending_idx ON deliveries (enqueued_at NULLS FIRST, created_at) WHERE status = 'PENDING';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE deliveries, digests, nudges, notification_channels`);
    await q.query(`DROP INDEX action_items_chase_keyset_idx, postmortems_chase_keyset_idx`);
  }
}
