import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 25: changes (deploys) in, and on the incident (docs/changes.md).
 * - `changes`: one row per finished change, found again by (source, source_key), the sender's
 *   own id of it, so a replay or a redelivery stores nothing new. `service_id` is null while no
 *   service or alias has the sender's name (`service_name`, kept as sent): an unmatched change
 *   is kept, never dropped. Who made the change is not stored (blameless by design).
 * - `service_aliases`: further deploy names of a service; one service per name.
 * - `change_sources`: GitHub and GitLab webhooks cannot send an API token, so each sender is a
 *   source whose secret (encrypted with HINDSIGHT_ENCRYPTION_KEY) verifies its signature.
 * - `incident_changes`: a change linked to an incident as TRIGGERING (one per incident) or
 *   CONTRIBUTING, with the CHANGE timeline event the link wrote.
 * - `incident_change_windows`: an incident's own window before detection (4 hours without a row).
 */
export class Changes1796106000000 implements MigrationInterface {
  name = 'Changes1796106000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE change_sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        kind text NOT NULL CHECK (kind IN ('GITHUB', 'GITLAB')),
        secret_enc text NOT NULL,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_received_at timestamptz
      );

      CREATE TABLE changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source text NOT NULL CHECK (source IN ('github', 'gitlab', 'argocd', 'generic')),
        source_key text NOT NULL CHECK (length(source_key) BETWEEN 1 AND 500),
        service_id uuid REFERENCES services (id) ON DELETE SET NULL,
        service_name text NOT NULL CHECK (length(service_name) BETWEEN 1 AND 200),
        environment text NOT NULL CHECK (length(environment) BETWEEN 1 AND 100),
        production boolean NOT NULL,
        version text CHECK (length(version) BETWEEN 1 AND 200),
        url text CHECK (length(url) BETWEEN 1 AND 2048),
        status text NOT NULL CHECK (status IN ('succeeded', 'failed', 'cancelled')),
        started_at timestamptz,
        finished_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT changes_started_before_finished CHECK (started_at IS NULL OR started_at <= finished_at),
        CONSTRAINT changes_source_key UNIQUE (source, source_key)
      );
      -- Changes before detection: a service's production changes in a time range.
      CREATE INDEX changes_service_production_idx ON changes (service_id, finished_at DESC, id DESC) WHERE production;
      -- changes(serviceId?, from, to): newest first, all environments.
      CREATE INDEX changes_service_finished_idx ON changes (service_id, finished_at DESC, id DESC);
      CREATE INDEX changes_finished_idx ON changes (finished_at DESC, id DESC);
      -- Matching earlier changes when a service or an alias takes their name.
      CREATE INDEX changes_unmatched_idx ON changes (lower(service_name)) WHERE service_id IS NULL;

      CREATE TABLE service_aliases (
        alias_key text PRIMARY KEY,
        alias text NOT NULL CHECK (length(alias) BETWEEN 1 AND 200),
        service_id uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (alias_key = lower(alias))
      );
      CREATE INDEX service_aliases_service_idx ON service_aliases (service_id);

      CREATE TABLE incident_changes (
        incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        change_id uuid NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('TRIGGERING', 'CONTRIBUTING')),
        timeline_event_id uuid REFERENCES timeline_events (id) ON DELETE SET NULL,
        linked_by uuid REFERENCES users (id),
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (incident_id, change_id)
      );
      CREATE UNIQUE INDEX incident_changes_one_trigger ON incident_changes (incident_id) WHERE role = 'TRIGGERING';
      CREATE INDEX incident_changes_change_idx ON incident_changes (change_id);
      CREATE INDEX incident_changes_event_idx ON incident_changes (timeline_event_id) WHERE timeline_event_id IS NOT NULL;

      CREATE TABLE incident_change_windows (
        incident_id uuid PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
        minutes int NOT NULL CHECK (minutes BETWEEN 1 AND 10080),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE incident_change_windows, incident_changes, service_aliases, changes, change_sources`);
  }
}
