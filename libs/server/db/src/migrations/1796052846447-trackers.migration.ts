import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-way sync of action items with trackers (docs/trackers.md).
 * - `tracker_connections`: token and webhook secret are AES-256-GCM ciphertexts (never plain).
 * - `tracker_links`: one per action item; `create_marker` is written into the issue we create,
 *   so a retry after a crash finds that issue instead of creating a second one.
 * - `tracker_pushes`: the outbox of changes to send. Rows are written by a trigger in the same
 *   transaction as the item's change, so every path that closes, reopens or re-dates an item
 *   (API, nudge actions, extension approvals) is captured without knowing about trackers.
 *   Changes we apply because the tracker told us are marked with the session setting
 *   `hindsight.tracker_origin`, which the trigger skips: no ping-pong.
 * - `tracker_webhook_deliveries`: delivery ids seen, so a replayed webhook is applied once.
 */
export class Trackers1796052846447 implements MigrationInterface {
  name = 'Trackers1796052846447';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tracker_connections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('JIRA', 'GITHUB', 'GITLAB', 'LINEAR')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        base_url text NOT NULL CHECK (length(base_url) BETWEEN 8 AND 2048),
        project text NOT NULL CHECK (length(project) BETWEEN 1 AND 255),
        -- Jira Cloud signs in with an e-mail and an API token; without one it is Data Center (PAT).
        email text CHECK (length(email) <= 320),
        token_enc text NOT NULL,
        webhook_secret_enc text,
        team_id uuid REFERENCES teams (id) ON DELETE CASCADE,
        -- New items of the team get an issue without anyone asking (needs team_id).
        auto_create boolean NOT NULL DEFAULT false,
        last_synced_at timestamptz,
        last_error text,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (NOT auto_create OR team_id IS NOT NULL)
      );
      CREATE INDEX tracker_connections_team_idx ON tracker_connections (team_id);

      CREATE TABLE tracker_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        action_item_id uuid NOT NULL UNIQUE REFERENCES action_items (id) ON DELETE CASCADE,
        connection_id uuid NOT NULL REFERENCES tracker_connections (id) ON DELETE CASCADE,
        -- NULL while the issue is being created.
        external_key text,
        url text,
        state text NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'CLOSED')),
        create_marker text NOT NULL DEFAULT ('hindsight-' || replace(gen_random_uuid()::text, '-', '')),
        remote_updated_at timestamptz,
        pushed_due_date text,
        proposed_due_date text,
        -- A P0/P1 item closed upstream: open until someone records the verification.
        awaiting_verification boolean NOT NULL DEFAULT false,
        closed_upstream_by text,
        closed_upstream_at timestamptz,
        synced_at timestamptz,
        last_error text,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tracker_links_one_per_issue UNIQUE (connection_id, external_key)
      );
      CREATE INDEX tracker_links_connection_idx ON tracker_links (connection_id, id);

      CREATE TABLE tracker_pushes (
        -- The BullMQ job id: one job per push, however often it is relayed.
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        link_id uuid NOT NULL REFERENCES tracker_links (id) ON DELETE CASCADE,
        -- CREATE: make the issue; SYNC: bring its state and due date to the item's.
        kind text NOT NULL CHECK (kind IN ('CREATE', 'SYNC')),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DONE', 'FAILED')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        enqueued_at timestamptz,
        done_at timestamptz
      );
      -- Pending pushes of a link coalesce: one CREATE and one SYNC at most.
      CREATE UNIQUE INDEX tracker_pushes_pending_once ON tracker_pushes (link_id, kind) WHERE status = 'PENDING';
      CREATE INDEX tracker_pushes_relay_idx ON tracker_pushes (enqueued_at NULLS FIRST, created_at) WHERE status = 'PENDING';

      CREATE TABLE tracker_webhook_deliveries (
        connection_id uuid NOT NULL REFERENCES tracker_connections (id) ON DELETE CASCADE,
        delivery_id text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, delivery_id)
      );

      -- Statement-level for inserts: bulk imports and seeds pay one set-based statement, not one per row.
      CREATE FUNCTION tracker_capture_item_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('hindsight.tracker_origin', true), '') = 'tracker' THEN
          RETURN NULL;
        END IF;
        -- Auto-create: the oldest connection of the owning team that asks for it.
        WITH link AS (
          INSERT INTO tracker_links (action_item_id, connection_id, created_by)
          SELECT DISTINCT ON (n.id) n.id, c.id, n.created_by
            FROM new_items n JOIN tracker_connections c ON c.team_id = n.owner_team_id AND c.auto_create
           ORDER BY n.id, c.created_at, c.id
          ON CONFLICT DO NOTHING
          RETURNING id
        )
        INSERT INTO tracker_pushes (link_id, kind) SELECT id, 'CREATE' FROM link ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER action_items_tracker_insert AFTER INSERT ON action_items
        REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION tracker_capture_item_insert();

      CREATE FUNCTION tracker_capture_item_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('hindsight.tracker_origin', true), '') = 'tracker' THEN
          RETURN NULL;
        END IF;
        INSERT INTO tracker_pushes (link_id, kind)
        SELECT l.id, 'SYNC' FROM tracker_links l WHERE l.action_item_id = NEW.id
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER action_items_tracker_change AFTER UPDATE OF status, due_at ON action_items
        FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status OR NEW.due_at IS DISTINCT FROM OLD.due_at)
        EXECUTE FUNCTION tracker_capture_item_change();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER action_items_tracker_insert ON action_items; DROP TRIGGER action_items_tracker_change ON action_items`);
    await q.query(`DROP FUNCTION tracker_capture_item_insert(), tracker_capture_item_change()`);
    await q.query(`DROP TABLE tracker_webhook_deliveries, tracker_pushes, tracker_links, tracker_connections`);
  }
}
