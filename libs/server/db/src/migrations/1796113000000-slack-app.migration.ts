import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Slack app (issue 24): its credentials (bot token and signing secret, sealed with
 * HINDSIGHT_ENCRYPTION_KEY; one row), the Slack people matched to Hindsight accounts, the
 * sign-in links that match the others, and every request from Slack applied, once.
 */
export class SlackApp1796113000000 implements MigrationInterface {
  name = 'SlackApp1796113000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE slack_settings (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        bot_token text NOT NULL,
        signing_secret text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL
      );
      CREATE TABLE slack_people (
        slack_team_id text NOT NULL,
        slack_user_id text NOT NULL,
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        matched_by text NOT NULL CHECK (matched_by IN ('EMAIL', 'SIGN_IN', 'NONE')),
        slack_email text,
        deleted boolean NOT NULL DEFAULT false,
        checked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (slack_team_id, slack_user_id)
      );
      CREATE INDEX slack_people_user_idx ON slack_people (user_id) WHERE user_id IS NOT NULL;
      CREATE TABLE slack_link_tokens (
        token_hash text PRIMARY KEY,
        slack_team_id text NOT NULL,
        slack_user_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        used_by uuid REFERENCES users(id) ON DELETE CASCADE
      );
      CREATE TABLE slack_requests (
        key text PRIMARY KEY,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX slack_requests_received_idx ON slack_requests (received_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE slack_requests; DROP TABLE slack_link_tokens; DROP TABLE slack_people; DROP TABLE slack_settings;`);
  }
}
