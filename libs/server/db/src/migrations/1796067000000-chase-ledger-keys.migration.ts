import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: a first sweep at a million items writes ~100,000 ledger rows with a team and
 * ~120,000 outbox rows, and each row's foreign-key checks ran one by one (a lookup and a row
 * lock per row: ≈ 4 µs for the nudge, 7 µs for the channel, 15 µs for the team, measured).
 * The same guarantees are now checked once per statement, over its transition table:
 * - the channels and teams a statement references are locked FOR KEY SHARE, as the foreign
 *   keys did (a deletion waits for the inserting transaction), and must all exist;
 * - the nudges a delivery references must exist (nudges are never deleted by the app; a
 *   deletion removes their deliveries, as ON DELETE CASCADE did);
 * - deleting a channel or a team sets the references to NULL, as ON DELETE SET NULL did.
 * The app never changes `deliveries.nudge_id`, `deliveries.channel_id` or `nudges.team_id`
 * after the insert except through those deletions, so only inserts are checked.
 *
 * And the ledger's unique key leads with the subject id instead of its kind: every sweep probes
 * it once per open item due within 3 days (100,000 probes at a million items), and a descent
 * that settles on the uuid at once compares no text in the inner pages (measured on the
 * benchmark's ledger: 315–330 → 170–189 ms for the probing statement). Same columns, same
 * constraint name, so ON CONFLICT ON CONSTRAINT nudges_once_per_step is unchanged.
 */
export class ChaseLedgerKeys1796067000000 implements MigrationInterface {
  name = 'ChaseLedgerKeys1796067000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_nudge_id_fkey;
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_channel_id_fkey;
      ALTER TABLE nudges DROP CONSTRAINT nudges_team_id_fkey;
      ALTER TABLE nudges DROP CONSTRAINT nudges_once_per_step, ADD CONSTRAINT nudges_once_per_step UNIQUE (subject_id, due_at, step, subject_kind);

      CREATE FUNCTION deliveries_check_references() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        wanted int;
        locked int;
      BEGIN
        SELECT count(DISTINCT channel_id) INTO wanted FROM new_rows;
        IF wanted > 0 THEN
          SELECT count(*) INTO locked
            FROM (SELECT 1 FROM notification_channels WHERE id IN (SELECT channel_id FROM new_rows) FOR KEY SHARE) l;
          IF locked < wanted THEN
            RAISE EXCEPTION 'insert or update on table "deliveries" violates foreign key constraint "deliveries_channel_id_fkey"'
              USING ERRCODE = 'foreign_key_violation', DETAIL = 'A delivery names a notification channel that does not exist.';
          END IF;
        END IF;
        IF EXISTS (SELECT 1 FROM new_rows d WHERE d.nudge_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM nudges n WHERE n.id = d.nudge_id)) THEN
          RAISE EXCEPTION 'insert or update on table "deliveries" violates foreign key constraint "deliveries_nudge_id_fkey"'
            USING ERRCODE = 'foreign_key_violation', DETAIL = 'A delivery names a nudge that does not exist.';
        END IF;
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER deliveries_check_references AFTER INSERT ON deliveries
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deliveries_check_references();

      CREATE FUNCTION nudges_check_references() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        wanted int;
        locked int;
      BEGIN
        SELECT count(DISTINCT team_id) INTO wanted FROM new_rows;
        IF wanted > 0 THEN
          SELECT count(*) INTO locked FROM (SELECT 1 FROM teams WHERE id IN (SELECT team_id FROM new_rows) FOR KEY SHARE) l;
          IF locked < wanted THEN
            RAISE EXCEPTION 'insert or update on table "nudges" violates foreign key constraint "nudges_team_id_fkey"'
              USING ERRCODE = 'foreign_key_violation', DETAIL = 'A nudge names a team that does not exist.';
          END IF;
        END IF;
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER nudges_check_references AFTER INSERT ON nudges
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nudges_check_references();

      CREATE FUNCTION nudges_delete_deliveries() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM deliveries WHERE nudge_id IN (SELECT id FROM old_rows);
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER nudges_delete_deliveries AFTER DELETE ON nudges
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nudges_delete_deliveries();

      CREATE FUNCTION notification_channels_unlink_deliveries() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE deliveries SET channel_id = NULL WHERE channel_id IN (SELECT id FROM old_rows);
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER notification_channels_unlink_deliveries AFTER DELETE ON notification_channels
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notification_channels_unlink_deliveries();

      CREATE FUNCTION teams_unlink_nudges() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE nudges SET team_id = NULL WHERE team_id IN (SELECT id FROM old_rows);
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER teams_unlink_nudges AFTER DELETE ON teams
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION teams_unlink_nudges();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER teams_unlink_nudges ON teams;
      DROP TRIGGER notification_channels_unlink_deliveries ON notification_channels;
      DROP TRIGGER nudges_delete_deliveries ON nudges;
      DROP TRIGGER nudges_check_references ON nudges;
      DROP TRIGGER deliveries_check_references ON deliveries;
      DROP FUNCTION teams_unlink_nudges(), notification_channels_unlink_deliveries(), nudges_delete_deliveries(), nudges_check_references(), deliveries_check_references();
      ALTER TABLE nudges DROP CONSTRAINT nudges_once_per_step, ADD CONSTRAINT nudges_once_per_step UNIQUE (subject_kind, subject_id, due_at, step);
      ALTER TABLE nudges ADD CONSTRAINT nudges_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_channel_id_fkey FOREIGN KEY (channel_id) REFERENCES notification_channels (id) ON DELETE SET NULL;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_nudge_id_fkey FOREIGN KEY (nudge_id) REFERENCES nudges (id) ON DELETE CASCADE;
    `);
  }
}
