import { MigrationInterface, QueryRunner } from 'typeorm';

const SECTIONS = ['detection', 'mitigation', 'verification', 'escalation', 'rollback', 'pitfalls'];
const sectionColumns = SECTIONS.map((s) => `${s} text CHECK (octet_length(${s}) <= 102400)`).join(',\n        ');

/**
 * Runbooks (issue 13):
 * - `runbooks`: several per service, Markdown sections, a version bumped by every save
 *   (optimistic concurrency like postmortems), a review interval and the review due date
 *   the chaser reads through `runbooks_review_due_idx`.
 * - `runbook_revisions`: every save's content, editor, time and note, so any revision can be
 *   read and two compared.
 * - `runbook_feedback`: what responders said a runbook did for them in an incident.
 * - `action_items.addresses_runbook_id`: the gap an item fixes; a new revision can close it.
 * - `nudges.subject_kind` gains RUNBOOK: stale runbooks ride the same ladder and ledger.
 * The free-text `services.runbook` becomes each service's first runbook, whole, in the
 * mitigation section (what an on-call engineer reached for it for), as revision 1 by the
 * last person who changed the service (else the oldest ADMIN), at the service's last change.
 * The column stays, untouched, so nothing is lost and `Service.runbook` keeps answering.
 */
export class Runbooks1796055564467 implements MigrationInterface {
  name = 'Runbooks1796055564467';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE runbooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        service_id uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        ${sectionColumns},
        version int NOT NULL DEFAULT 1 CHECK (version >= 1),
        review_interval_days int NOT NULL CHECK (review_interval_days BETWEEN 1 AND 730),
        last_reviewed_at timestamptz,
        last_reviewed_by uuid REFERENCES users (id),
        -- max(last_reviewed_at, updated_at) + review_interval_days, written with every change (runbookReviewDueAt).
        review_due_at timestamptz NOT NULL,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        search_vector tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
          setweight(to_tsvector('english', ${SECTIONS.map((s) => `coalesce(${s}, '')`).join(" || ' ' || ")}), 'B')
        ) STORED
      );
      CREATE INDEX runbooks_service_idx ON runbooks (service_id, title);
      -- The chase sweep and runbooks(stale: true): runbooks by review due date.
      CREATE INDEX runbooks_review_due_idx ON runbooks (review_due_at, id);
      CREATE INDEX runbooks_search_idx ON runbooks USING gin (search_vector);

      CREATE TABLE runbook_revisions (
        runbook_id uuid NOT NULL REFERENCES runbooks (id) ON DELETE CASCADE,
        version int NOT NULL CHECK (version >= 1),
        title text NOT NULL,
        ${sectionColumns},
        edited_by uuid NOT NULL REFERENCES users (id),
        edited_at timestamptz NOT NULL DEFAULT now(),
        note text CHECK (octet_length(note) <= 102400),
        PRIMARY KEY (runbook_id, version)
      );

      CREATE TABLE runbook_feedback (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        runbook_id uuid NOT NULL REFERENCES runbooks (id) ON DELETE CASCADE,
        incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        verdict text NOT NULL CHECK (verdict IN ('HELPED', 'MISSING_STEPS', 'WRONG', 'OUTDATED', 'NOT_FOUND', 'NOT_USED')),
        note text CHECK (octet_length(note) <= 102400),
        author_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX runbook_feedback_runbook_idx ON runbook_feedback (runbook_id, created_at);
      CREATE INDEX runbook_feedback_incident_idx ON runbook_feedback (incident_id, created_at);

      ALTER TABLE action_items ADD COLUMN addresses_runbook_id uuid REFERENCES runbooks (id) ON DELETE SET NULL;
      CREATE INDEX action_items_runbook_idx ON action_items (addresses_runbook_id) WHERE addresses_runbook_id IS NOT NULL;

      ALTER TABLE nudges DROP CONSTRAINT nudges_subject_kind_check;
      ALTER TABLE nudges ADD CONSTRAINT nudges_subject_kind_check CHECK (subject_kind IN ('ACTION_ITEM', 'POSTMORTEM', 'RUNBOOK'));
    `);
    // The old free text, whole, as revision 1 of each service's first runbook.
    await q.query(`
      WITH old AS (
        SELECT s.id AS service_id, s.name, s.runbook, s.updated_at,
               coalesce(
                 (SELECT l.actor_id FROM audit_log l WHERE l.entity_type = 'Service' AND l.entity_id = s.id::text AND l.actor_id IS NOT NULL ORDER BY l.at DESC LIMIT 1),
                 (SELECT u.id FROM users u WHERE u.role = 'ADMIN' ORDER BY u.created_at, u.id LIMIT 1),
                 (SELECT u.id FROM users u ORDER BY u.created_at, u.id LIMIT 1)
               ) AS editor
          FROM services s
         WHERE s.runbook IS NOT NULL AND btrim(s.runbook) <> ''
      ), made AS (
        INSERT INTO runbooks (service_id, title, mitigation, version, review_interval_days, review_due_at, created_by, created_at, updated_at)
        SELECT service_id, left(name || ' runbook', 200), runbook, 1, 90, updated_at + interval '90 days', editor, updated_at, updated_at FROM old
        RETURNING id, service_id, title, mitigation, created_by, updated_at
      )
      INSERT INTO runbook_revisions (runbook_id, version, title, mitigation, edited_by, edited_at, note)
      SELECT id, 1, title, mitigation, created_by, updated_at, 'Moved from the service''s runbook field' FROM made
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM deliveries WHERE nudge_id IN (SELECT id FROM nudges WHERE subject_kind = 'RUNBOOK');
      DELETE FROM nudges WHERE subject_kind = 'RUNBOOK';
      ALTER TABLE nudges DROP CONSTRAINT nudges_subject_kind_check;
      ALTER TABLE nudges ADD CONSTRAINT nudges_subject_kind_check CHECK (subject_kind IN ('ACTION_ITEM', 'POSTMORTEM'));
      ALTER TABLE action_items DROP COLUMN addresses_runbook_id;
      DROP TABLE runbook_feedback, runbook_revisions, runbooks;
    `);
  }
}
