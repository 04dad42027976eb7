import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in sessions (issue 12): every sign-in token names its row here (the JWT's `sid`), and a
 * request is accepted only while the row is live, so `logout` ends the calling session and
 * `changePassword` ends the person's other sessions at once. Tokens issued before this
 * migration carry no `sid` and are no longer accepted: everyone signs in again once.
 */
export class Sessions1796058587933 implements MigrationInterface {
  name = 'Sessions1796058587933';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('logout', 'password-change'))
      );
      CREATE INDEX sessions_live_idx ON sessions (user_id) WHERE ended_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sessions`);
  }
}
