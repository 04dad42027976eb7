import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SloDimension } from '@hindsight/domain';
import { InjectDataSource, queryRows } from '@hindsight/server-db';

export interface BudgetSloRow {
  id: string;
  serviceId: string;
  dimension: SloDimension;
  objective: number;
  windowDays: number;
  segment: string | null;
}

export interface BudgetIncidentRow {
  sloId: string;
  startedAt: Date;
  resolvedAt: Date | null;
  serviceIds: string[];
  impactedDimensions: SloDimension[];
  segments: string[];
}

/** The error budgets' inputs: SLOs and the incidents that may count against them (the domain's countsAgainstSlo decides). */
@Injectable()
export class ErrorBudgetsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** SLOs of one service (or all), optionally only those for one segment (compared trimmed, case-insensitively). */
  slos(serviceId: string | null, segment: string | null): Promise<BudgetSloRow[]> {
    return queryRows(
      this.ds,
      `SELECT o.id, o.service_id AS "serviceId", o.dimension, o.objective, o.window_days AS "windowDays", o.segment
         FROM slos o JOIN services s ON s.id = o.service_id
        WHERE ($1::uuid IS NULL OR o.service_id = $1) AND ($2::text IS NULL OR lower(btrim(o.segment)) = lower(btrim($2)))
        ORDER BY lower(s.name), s.id, o.dimension, o.segment NULLS FIRST, o.id`,
      [serviceId, segment],
    );
  }

  /**
   * For each SLO, the incidents on its service that may overlap its window [at − w days, at]:
   * started before `at` and not resolved before the window opens.
   */
  budgetIncidents(sloIds: readonly string[], at: Date): Promise<BudgetIncidentRow[]> {
    return queryRows(
      this.ds,
      `SELECT o.id AS "sloId", i.started_at AS "startedAt", i.resolved_at AS "resolvedAt",
              ARRAY(SELECT service_id::text FROM incident_services WHERE incident_id = i.id) AS "serviceIds",
              i.impacted_dimensions AS "impactedDimensions", i.segments
         FROM slos o
         JOIN incident_services x ON x.service_id = o.service_id
         JOIN incidents i ON i.id = x.incident_id
        WHERE o.id = ANY($1::uuid[]) AND i.kind = 'INCIDENT'
          AND i.started_at < $2::timestamptz
          AND (i.resolved_at IS NULL OR i.resolved_at > $2::timestamptz - o.window_days * interval '24 hours')`,
      [sloIds, at],
    );
  }
}
