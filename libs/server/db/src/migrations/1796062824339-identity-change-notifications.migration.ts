import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: every API process keeps the callers it has recognised in memory (the ActorCache
 * of libs/server/identity) instead of reading the user and session on every request. These
 * triggers tell every process, through NOTIFY on `hindsight_identity`, whose cached entries
 * to drop the moment a change commits, whichever code path (or a person at psql) made it:
 * payload `u:<user id>` for a change to the user, their sessions, API tokens, team
 * memberships or managed teams; `*` (drop everything) for a change of settings (session
 * lifetimes) or a TRUNCATE. Updates that change nothing (the API-token "last used" write
 * within its minute) stay silent.
 */
export class IdentityChangeNotifications1796062824339 implements MigrationInterface {
  name = 'IdentityChangeNotifications1796062824339';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION identity_notify_user() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        column_name text := TG_ARGV[0];
        old_id text;
        new_id text;
      BEGIN
        IF TG_OP <> 'INSERT' THEN old_id := to_jsonb(OLD) ->> column_name; END IF;
        IF TG_OP <> 'DELETE' THEN new_id := to_jsonb(NEW) ->> column_name; END IF;
        IF old_id IS NOT NULL THEN PERFORM pg_notify('hindsight_identity', 'u:' || old_id); END IF;
        IF new_id IS NOT NULL AND new_id IS DISTINCT FROM old_id THEN PERFORM pg_notify('hindsight_identity', 'u:' || new_id); END IF;
        RETURN NULL;
      END $$;

      CREATE FUNCTION identity_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('hindsight_identity', '*');
        RETURN NULL;
      END $$;

      CREATE TRIGGER users_identity_update AFTER UPDATE ON users FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION identity_notify_user('id');
      CREATE TRIGGER users_identity_delete AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION identity_notify_user('id');
      CREATE TRIGGER sessions_identity_update AFTER UPDATE ON sessions FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION identity_notify_user('user_id');
      CREATE TRIGGER sessions_identity_delete AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION identity_notify_user('user_id');
      CREATE TRIGGER api_tokens_identity_update AFTER UPDATE ON api_tokens FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION identity_notify_user('user_id');
      CREATE TRIGGER api_tokens_identity_delete AFTER DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION identity_notify_user('user_id');
      CREATE TRIGGER team_members_identity AFTER INSERT OR UPDATE OR DELETE ON team_members FOR EACH ROW EXECUTE FUNCTION identity_notify_user('user_id');
      CREATE TRIGGER teams_identity_manager AFTER INSERT OR UPDATE OF manager_id OR DELETE ON teams FOR EACH ROW EXECUTE FUNCTION identity_notify_user('manager_id');
      CREATE TRIGGER settings_identity AFTER INSERT OR UPDATE OR DELETE ON settings FOR EACH STATEMENT EXECUTE FUNCTION identity_notify_all();
      CREATE TRIGGER users_identity_truncate AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION identity_notify_all();
      CREATE TRIGGER sessions_identity_truncate AFTER TRUNCATE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION identity_notify_all();
      CREATE TRIGGER api_tokens_identity_truncate AFTER TRUNCATE ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION identity_notify_all();
      CREATE TRIGGER team_members_identity_truncate AFTER TRUNCATE ON team_members FOR EACH STATEMENT EXECUTE FUNCTION identity_notify_all();
      CREATE TRIGGER teams_identity_truncate AFTER TRUNCATE ON teams FOR EACH STATEMENT EXECUTE FUNCTION identity_notify_all();
      CREATE TRIGGER settings_identity_truncate AFTER TRUNCATE ON settings FOR EACH STATEMENT EXECUTE FUNCTION identity_notify_all();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER users_identity_update ON users; DROP TRIGGER users_identity_delete ON users; DROP TRIGGER users_identity_truncate ON users;
      DROP TRIGGER sessions_identity_update ON sessions; DROP TRIGGER sessions_identity_delete ON sessions; DROP TRIGGER sessions_identity_truncate ON sessions;
      DROP TRIGGER api_tokens_identity_update ON api_tokens; DROP TRIGGER api_tokens_identity_delete ON api_tokens; DROP TRIGGER api_tokens_identity_truncate ON api_tokens;
      DROP TRIGGER team_members_identity ON team_members; DROP TRIGGER team_members_identity_truncate ON team_members;
      DROP TRIGGER teams_identity_manager ON teams; DROP TRIGGER teams_identity_truncate ON teams;
      DROP TRIGGER settings_identity ON settings; DROP TRIGGER settings_identity_truncate ON settings;
      DROP FUNCTION identity_notify_all();
      DROP FUNCTION identity_notify_user();
    `);
  }
}
