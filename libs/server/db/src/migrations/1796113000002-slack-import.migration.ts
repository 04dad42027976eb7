import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An incident's Slack channel and what importing it proposed (issue 24): each message once per
 * incident (its `ts` is the key, so a re-import adds only new ones), kept as a timeline event,
 * or dropped, by a commander.
 */
export class SlackImport1796113000002 implements MigrationInterface {
  name = 'SlackImport1796113000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incident_slack_channels (
        incident_id uuid PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
        channel_id text NOT NULL,
        channel_name text,
        set_by uuid REFERENCES users(id) ON DELETE SET NULL,
        set_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE slack_import_proposals (
        incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        ts text NOT NULL,
        occurred_at timestamptz NOT NULL,
        text text NOT NULL,
        permalink text,
        author text,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'KEPT', 'DROPPED')),
        timeline_event_id uuid,
        decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
        decided_at timestamptz,
        imported_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (incident_id, ts)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE slack_import_proposals; DROP TABLE incident_slack_channels;`);
  }
}
