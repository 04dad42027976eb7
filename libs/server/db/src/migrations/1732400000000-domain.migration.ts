import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN_ACTION = `('OPEN', 'IN_PROGRESS', 'BLOCKED')`;

export class Domain1732400000000 implements MigrationInterface {
  name = 'Domain1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Policies and rates an ADMIN can change (PRODUCT.md 4); one row per key, JSON value.
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users (id)
      );

      CREATE TABLE services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('API', 'MODEL', 'PIPELINE', 'DATASTORE', 'FEATURE_STORE', 'FRONTEND', 'INFRASTRUCTURE', 'OTHER')),
        tier int NOT NULL CHECK (tier BETWEEN 1 AND 3),
        team_id uuid NOT NULL REFERENCES teams (id),
        revenue_per_minute numeric CHECK (revenue_per_minute >= 0),
        runbook text CHECK (octet_length(runbook) <= 102400),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX services_name_key ON services (lower(name));
      CREATE INDEX services_team_idx ON services (team_id);

      CREATE TABLE slos (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        service_id uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
        dimension text NOT NULL CHECK (dimension IN ('AVAILABILITY', 'LATENCY', 'FRESHNESS', 'THROUGHPUT', 'CORRECTNESS')),
        objective double precision NOT NULL CHECK (objective > 0 AND objective < 1),
        window_days int NOT NULL DEFAULT 28 CHECK (window_days BETWEEN 1 AND 365),
        segment text CHECK (length(segment) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX slos_service_dimension_segment_key ON slos (service_id, dimension, coalesce(segment, ''));

      -- References INC-<n>: a sequence never hands out a number twice, even under concurrency.
      CREATE SEQUENCE incident_number_seq;

      CREATE TABLE incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number int NOT NULL UNIQUE DEFAULT nextval('incident_number_seq'),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        severity text NOT NULL CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
        status text NOT NULL CHECK (status IN ('INVESTIGATING', 'IDENTIFIED', 'MITIGATED', 'RESOLVED', 'CLOSED')),
        summary text CHECK (octet_length(summary) <= 102400),
        impacted_dimensions text[] NOT NULL DEFAULT '{}',
        segments text[] NOT NULL DEFAULT '{}',
        regions text[] NOT NULL DEFAULT '{}',
        labels text[] NOT NULL DEFAULT '{}',
        customer_impact text CHECK (octet_length(customer_impact) <= 102400),
        users_affected bigint CHECK (users_affected >= 0),
        failed_requests bigint CHECK (failed_requests >= 0),
        impact_fraction double precision NOT NULL DEFAULT 1 CHECK (impact_fraction >= 0 AND impact_fraction <= 1),
        commander_id uuid REFERENCES users (id),
        started_at timestamptz NOT NULL,
        detected_at timestamptz,
        acknowledged_at timestamptz,
        mitigated_at timestamptz,
        resolved_at timestamptz,
        responder_hours double precision CHECK (responder_hours >= 0),
        sla_credits double precision CHECK (sla_credits >= 0),
        no_action_reason text CHECK (octet_length(no_action_reason) <= 102400),
        source text NOT NULL DEFAULT 'MANUAL' CHECK (source IN ('MANUAL', 'API', 'WEBHOOK', 'IMPORT')),
        external_key text,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        search_vector tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
        ) STORED,
        -- The milestone ordering rule, held by the database too (PRODUCT.md 3).
        CHECK (detected_at IS NULL OR detected_at >= started_at),
        CHECK (acknowledged_at IS NULL OR acknowledged_at >= coalesce(detected_at, started_at)),
        CHECK (mitigated_at IS NULL OR mitigated_at >= coalesce(acknowledged_at, detected_at, started_at)),
        CHECK (resolved_at IS NULL OR resolved_at >= coalesce(mitigated_at, acknowledged_at, detected_at, started_at))
      );
      CREATE INDEX incidents_started_idx ON incidents (started_at DESC, id DESC);
      CREATE INDEX incidents_search_idx ON incidents USING gin (search_vector);
      CREATE INDEX incidents_segments_idx ON incidents USING gin (segments);
      CREATE UNIQUE INDEX incidents_external_key ON incidents (source, external_key) WHERE external_key IS NOT NULL;

      CREATE TABLE incident_services (
        incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES services (id),
        PRIMARY KEY (incident_id, service_id)
      );
      CREATE INDEX incident_services_service_idx ON incident_services (service_id, incident_id);

      CREATE TABLE timeline_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        occurred_at timestamptz NOT NULL,
        kind text NOT NULL CHECK (kind IN ('DETECTION', 'ALERT', 'PAGE', 'ESCALATION', 'HYPOTHESIS', 'DIAGNOSIS', 'MITIGATION', 'COMMUNICATION', 'CHANGE', 'RESOLUTION', 'NOTE')),
        description text NOT NULL CHECK (length(description) >= 1 AND octet_length(description) <= 102400),
        evidence_url text CHECK (length(evidence_url) <= 2048),
        source text NOT NULL DEFAULT 'MANUAL' CHECK (source IN ('MANUAL', 'API', 'WEBHOOK', 'IMPORT')),
        author_id uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX timeline_events_incident_idx ON timeline_events (incident_id, occurred_at, id);

      CREATE TABLE hypotheses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        statement text NOT NULL CHECK (length(statement) >= 1 AND octet_length(statement) <= 102400),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CONFIRMED', 'REJECTED')),
        evidence text CHECK (octet_length(evidence) <= 102400),
        decided_at timestamptz,
        decided_by uuid REFERENCES users (id),
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'OPEN') = (decided_at IS NULL))
      );
      CREATE INDEX hypotheses_incident_idx ON hypotheses (incident_id, created_at);

      CREATE TABLE contributing_factors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        category text NOT NULL CHECK (category IN ('RELEASE_REGRESSION', 'CONFIG_CHANGE', 'CAPACITY', 'BAD_DATA', 'FEATURE_STORE_LAG', 'DEPENDENCY_OUTAGE', 'MODEL_VERSION', 'ABNORMAL_TRAFFIC', 'INFRASTRUCTURE', 'NETWORK', 'SECURITY', 'CERTIFICATE_OR_SECRET', 'PROCESS', 'OBSERVABILITY_GAP', 'UNKNOWN', 'OTHER')),
        description text NOT NULL CHECK (length(description) >= 1 AND octet_length(description) <= 102400),
        is_trigger boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX contributing_factors_incident_idx ON contributing_factors (incident_id, created_at);
      CREATE INDEX contributing_factors_category_idx ON contributing_factors (category, incident_id);
      -- At most one triggering cause per incident, whatever races.
      CREATE UNIQUE INDEX contributing_factors_one_trigger ON contributing_factors (incident_id) WHERE is_trigger;

      CREATE TABLE failed_safeguards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('ALERTING', 'CANARY', 'AUTO_ROLLBACK', 'TESTING', 'CODE_REVIEW', 'RUNBOOK', 'RATE_LIMITING', 'CIRCUIT_BREAKER', 'CAPACITY_PLANNING', 'DATA_VALIDATION', 'FEATURE_FLAG', 'BACKUP', 'OTHER')),
        expected_behavior text NOT NULL CHECK (length(expected_behavior) >= 1 AND octet_length(expected_behavior) <= 102400),
        why_it_failed text NOT NULL CHECK (length(why_it_failed) >= 1 AND octet_length(why_it_failed) <= 102400),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX failed_safeguards_incident_idx ON failed_safeguards (incident_id, created_at);

      CREATE TABLE postmortems (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL UNIQUE REFERENCES incidents (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'IN_REVIEW', 'PUBLISHED')),
        summary text CHECK (octet_length(summary) <= 102400),
        impact text CHECK (octet_length(impact) <= 102400),
        triggering_cause text CHECK (octet_length(triggering_cause) <= 102400),
        what_went_well text CHECK (octet_length(what_went_well) <= 102400),
        what_went_poorly text CHECK (octet_length(what_went_poorly) <= 102400),
        where_we_got_lucky text CHECK (octet_length(where_we_got_lucky) <= 102400),
        lessons text CHECK (octet_length(lessons) <= 102400),
        due_at timestamptz,
        version int NOT NULL DEFAULT 1,
        published_at timestamptz,
        published_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        search_vector tsvector GENERATED ALWAYS AS (
          to_tsvector('english', coalesce(summary, '') || ' ' || coalesce(impact, '') || ' ' || coalesce(triggering_cause, '') || ' ' ||
            coalesce(what_went_well, '') || ' ' || coalesce(what_went_poorly, '') || ' ' || coalesce(where_we_got_lucky, '') || ' ' || coalesce(lessons, ''))
        ) STORED
      );
      CREATE INDEX postmortems_search_idx ON postmortems USING gin (search_vector);
      -- The postmortem chase reads unpublished postmortems by due date.
      CREATE INDEX postmortems_chase_idx ON postmortems (due_at) WHERE status <> 'PUBLISHED' AND due_at IS NOT NULL;

      CREATE TABLE postmortem_revisions (
        postmortem_id uuid NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
        version int NOT NULL,
        content jsonb NOT NULL,
        author_id uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (postmortem_id, version)
      );

      CREATE TABLE postmortem_reviews (
        postmortem_id uuid NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
        reviewer_id uuid NOT NULL REFERENCES users (id),
        verdict text NOT NULL DEFAULT 'PENDING' CHECK (verdict IN ('PENDING', 'APPROVED', 'CHANGES_REQUESTED')),
        comment text CHECK (octet_length(comment) <= 102400),
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        PRIMARY KEY (postmortem_id, reviewer_id)
      );

      CREATE TABLE action_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text CHECK (octet_length(description) <= 102400),
        kind text NOT NULL CHECK (kind IN ('MITIGATE', 'PREVENT', 'DETECT', 'REPAIR', 'PROCESS')),
        priority text NOT NULL CHECK (priority IN ('P0', 'P1', 'P2', 'P3')),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'WONT_DO')),
        owner_team_id uuid NOT NULL REFERENCES teams (id),
        assignee_id uuid REFERENCES users (id),
        due_at timestamptz NOT NULL,
        snoozed_until timestamptz,
        snooze_reason text CHECK (octet_length(snooze_reason) <= 102400),
        completed_at timestamptz,
        completion_note text CHECK (octet_length(completion_note) <= 102400),
        verification text CHECK (octet_length(verification) <= 102400),
        wont_do_reason text CHECK (octet_length(wont_do_reason) <= 102400),
        external_url text CHECK (length(external_url) <= 2048),
        addresses_factor_id uuid REFERENCES contributing_factors (id) ON DELETE SET NULL,
        addresses_safeguard_id uuid REFERENCES failed_safeguards (id) ON DELETE SET NULL,
        reach double precision CHECK (reach >= 0),
        impact double precision CHECK (impact >= 0.25 AND impact <= 3),
        confidence double precision CHECK (confidence >= 0 AND confidence <= 1),
        effort_days double precision CHECK (effort_days > 0),
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX action_items_incident_idx ON action_items (incident_id, created_at);
      CREATE INDEX action_items_team_idx ON action_items (owner_team_id, status, due_at);
      CREATE INDEX action_items_assignee_idx ON action_items (assignee_id, status, due_at) WHERE assignee_id IS NOT NULL;
      CREATE INDEX action_items_list_idx ON action_items (due_at, id);
      -- The chase sweep: open items by due date (snoozed ones are filtered on the row).
      CREATE INDEX action_items_chase_idx ON action_items (due_at) WHERE status IN ${OPEN_ACTION};

      -- Every change of an action item's due date: who, when, why (PRODUCT.md 3).
      CREATE TABLE action_item_due_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        action_item_id uuid NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
        previous_due_at timestamptz NOT NULL,
        new_due_at timestamptz NOT NULL,
        reason text NOT NULL CHECK (length(reason) >= 1 AND octet_length(reason) <= 102400),
        changed_by uuid REFERENCES users (id),
        changed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX action_item_due_changes_item_idx ON action_item_due_changes (action_item_id, changed_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE action_item_due_changes, action_items, postmortem_reviews, postmortem_revisions, postmortems,
        failed_safeguards, contributing_factors, hypotheses, timeline_events, incident_services, incidents, slos, services, settings;
      DROP SEQUENCE incident_number_seq;
    `);
  }
}
