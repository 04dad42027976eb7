import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Model-drafted postmortem sections (issue 26): one row per draft asked for, so the per-person
 * limit holds across API processes and ADMINs see per section how drafts fared (kept as
 * written, kept after edits, discarded). The draft's text is not kept: it lives only in the
 * answer and, if kept, in the postmortem.
 */
export class PostmortemDrafts1796115000000 implements MigrationInterface {
  name = 'PostmortemDrafts1796115000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE postmortem_drafts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        section text NOT NULL,
        model text NOT NULL,
        requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        result text NOT NULL DEFAULT 'PENDING' CHECK (result IN ('PENDING', 'SHOWN', 'MODEL_TIMEOUT', 'MODEL_BAD_ANSWER', 'MODEL_REFUSED', 'MODEL_UNAVAILABLE')),
        sentences integer NOT NULL DEFAULT 0,
        uncited integer NOT NULL DEFAULT 0,
        dropped_citations integer NOT NULL DEFAULT 0,
        outcome text CHECK (outcome IN ('KEPT', 'EDITED', 'DISCARDED')),
        decided_at timestamptz,
        CHECK (outcome IS NULL OR result = 'SHOWN')
      );
      CREATE INDEX postmortem_drafts_requester_idx ON postmortem_drafts (requested_by, created_at);
      CREATE INDEX postmortem_drafts_incident_idx ON postmortem_drafts (incident_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE postmortem_drafts`);
  }
}
