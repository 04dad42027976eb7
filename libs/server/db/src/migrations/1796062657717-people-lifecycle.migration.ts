import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People over their whole life (issue 12): SCIM provisioning, deactivation, sessions.
 * - users.external_id / teams.external_id: the identity provider's id (SCIM externalId),
 *   unique when set, so a provider finds its people and groups again.
 * - users.must_change_password: set by an ADMIN's password reset, cleared by changePassword.
 * - sessions.last_used_at (written at most once a minute per session), user_agent, client_ip:
 *   what "your sessions" shows and what the idle lifetime is measured from; more end reasons.
 * - action_items.previous_assignee_id: who had an item before it was unassigned (deactivation,
 *   removal from a team, a manual change), so it reads "unassigned (was …)". A trigger keeps
 *   it for every change of assignee, whichever code path makes it.
 */
export class PeopleLifecycle1796062657717 implements MigrationInterface {
  name = 'PeopleLifecycle1796062657717';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN external_id text CHECK (length(external_id) BETWEEN 1 AND 400),
                        ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
      CREATE UNIQUE INDEX users_external_id_key ON users (external_id) WHERE external_id IS NOT NULL;
      ALTER TABLE teams ADD COLUMN external_id text CHECK (length(external_id) BETWEEN 1 AND 400);
      CREATE UNIQUE INDEX teams_external_id_key ON teams (external_id) WHERE external_id IS NOT NULL;

      ALTER TABLE sessions ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now(),
                           ADD COLUMN user_agent text CHECK (length(user_agent) <= 512),
                           ADD COLUMN client_ip text CHECK (length(client_ip) <= 64);
      UPDATE sessions SET last_used_at = created_at;
      ALTER TABLE sessions DROP CONSTRAINT sessions_end_reason_check;
      ALTER TABLE sessions ADD CONSTRAINT sessions_end_reason_check
        CHECK (end_reason IN ('logout', 'password-change', 'ended-by-user', 'signed-out-everywhere', 'ended-by-admin', 'deactivated', 'password-reset'));

      ALTER TABLE action_items ADD COLUMN previous_assignee_id uuid REFERENCES users (id);
      CREATE FUNCTION action_items_keep_previous_assignee() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.assignee_id IS NOT NULL AND NEW.assignee_id IS DISTINCT FROM OLD.assignee_id THEN
          NEW.previous_assignee_id := OLD.assignee_id;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER action_items_previous_assignee BEFORE UPDATE OF assignee_id ON action_items
        FOR EACH ROW EXECUTE FUNCTION action_items_keep_previous_assignee();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER action_items_previous_assignee ON action_items;
      DROP FUNCTION action_items_keep_previous_assignee();
      ALTER TABLE action_items DROP COLUMN previous_assignee_id;
      ALTER TABLE sessions DROP CONSTRAINT sessions_end_reason_check;
      UPDATE sessions SET end_reason = 'logout' WHERE end_reason NOT IN ('logout', 'password-change');
      ALTER TABLE sessions ADD CONSTRAINT sessions_end_reason_check CHECK (end_reason IN ('logout', 'password-change'));
      ALTER TABLE sessions DROP COLUMN last_used_at, DROP COLUMN user_agent, DROP COLUMN client_ip;
      ALTER TABLE teams DROP COLUMN external_id;
      ALTER TABLE users DROP COLUMN external_id, DROP COLUMN must_change_password;
    `);
  }
}
