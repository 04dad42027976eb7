import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Learning across incidents (issue 26, PRODUCT.md 5):
 * - `incidents.kind`: INCIDENT or NEAR_MISS (no customer impact); every existing incident is an
 *   INCIDENT. Near misses are analysed alike but counted apart (the insights' facts leave them out).
 * - `action_items.committed`: false for an idea (proposed, not chased, never overdue, not in
 *   action-item health). Existing items were all chased as commitments, so they stay committed.
 * - pg_trgm and a trigram index on incident titles, for similar incidents (with the full-text
 *   index incidents already have).
 * - Hand-named themes and the incidents tagged with them.
 */
export class Learning1796114000000 implements MigrationInterface {
  name = 'Learning1796114000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE incidents ADD COLUMN kind text NOT NULL DEFAULT 'INCIDENT' CHECK (kind IN ('INCIDENT', 'NEAR_MISS'));
      ALTER TABLE action_items ADD COLUMN committed boolean NOT NULL DEFAULT true;
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE INDEX incidents_title_trgm_idx ON incidents USING gin (lower(title) gin_trgm_ops);
      CREATE TABLE themes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX themes_name_key ON themes (lower(btrim(name)));
      CREATE TABLE incident_themes (
        incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        theme_id uuid NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
        tagged_by uuid REFERENCES users (id),
        tagged_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (theme_id, incident_id)
      );
      CREATE INDEX incident_themes_incident_idx ON incident_themes (incident_id);
      CREATE INDEX failed_safeguards_kind_idx ON failed_safeguards (kind, incident_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX failed_safeguards_kind_idx;
      DROP TABLE incident_themes;
      DROP TABLE themes;
      DROP INDEX incidents_title_trgm_idx;
      ALTER TABLE action_items DROP COLUMN committed;
      ALTER TABLE incidents DROP COLUMN kind;
    `);
  }
}
