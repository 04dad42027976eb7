import { MigrationInterface, QueryRunner } from 'typeorm';

const SECTIONS = [
  'summary', 'impact', 'timeline', 'triggeringCause', 'contributingFactors', 'failedSafeguards', 'hypotheses',
  'whatWentWell', 'whatWentPoorly', 'whereWeGotLucky', 'actionItems', 'runbookFeedback', 'lessons',
];

/**
 * Reviewers' comments on the sections of a postmortem (issue 23): added, then resolved once.
 * Read per postmortem, oldest first, hence the index. The section list is the domain's
 * POSTMORTEM_DOCUMENT_SECTIONS, held by the database too.
 */
export class PostmortemComments1796103000000 implements MigrationInterface {
  name = 'PostmortemComments1796103000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE postmortem_comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        postmortem_id uuid NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
        section text NOT NULL CHECK (section IN (${SECTIONS.map((s) => `'${s}'`).join(', ')})),
        body text NOT NULL CHECK (length(btrim(body)) >= 1 AND octet_length(body) <= 102400),
        author_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolved_by uuid REFERENCES users (id),
        CHECK ((resolved_at IS NULL) = (resolved_by IS NULL))
      );
      CREATE INDEX postmortem_comments_postmortem_idx ON postmortem_comments (postmortem_id, created_at, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE postmortem_comments`);
  }
}
