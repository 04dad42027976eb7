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

/** An SLO `o` as a BudgetSloRow (its service joined as `s`, for SLO_ORDER). */
export const SLO_COLUMNS = `o.id, o.service_id AS "serviceId", o.dimension, o.objective, o.window_days AS "windowDays", o.segment`;
/** SLOs by service name, then dimension and segment: the order budgets are listed in. */
export const SLO_ORDER = `lower(s.name), s.id, o.dimension, o.segment NULLS FIRST, o.id`;
/** An incident `i` on SLO `o`'s service as a BudgetIncidentRow. */
export const BUDGET_INCIDENT_COLUMNS = `o.id AS "sloId", i.started_at AS "startedAt", i.resolved_at AS "resolvedAt",
       ARRAY(SELECT service_id::text FROM incident_services WHERE incident_id = i.id) AS "serviceIds",
       i.impacted_dimensions AS "impactedDimensions", i.segments`;

/**
 * Whether incident `i` may overlap [from − SLO `o`'s window, to] (`from` and `to` SQL
 * expressions): started before `to`, not resolved before the window opens. A pre-filter: the
 * domain's countsAgainstSlo decides.
 */
export function mayOverlapWindow(from: string, to: string): string {
  return `i.kind = 'INCIDENT' AND i.started_at < ${to}
          AND (i.resolved_at IS NULL OR i.resolved_at > ${from} - o.window_days * interval '24 hours')`;
}

/** The error budgets' inputs: SLOs and the incidents that may count against them (the domain's countsAgainstSlo decides). */
@Injectable()
export class ErrorBudgetsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** SLOs of one service (or all), optionally only those for one segment (compared trimmed, case-insensitively). */
  slos(serviceId: string | null, segment: string | null): Promise<BudgetSloRow[]> {
    return queryRows(
      this.ds,
      `SELECT ${SLO_COLUMNS} FROM slos o JOIN services s ON s.id = o.service_id
        WHERE ($1::uuid IS NULL OR o.service_id = $1) AND ($2::text IS NULL OR lower(btrim(o.segment)) = lower(btrim($2)))
        ORDER BY ${SLO_ORDER}`,
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
      `SELECT ${BUDGET_INCIDENT_COLUMNS}
         FROM slos o
         JOIN incident_services x ON x.service_id = o.service_id
         JOIN incidents i ON i.id = x.incident_id
        WHERE o.id = ANY($1::uuid[]) AND ${mayOverlapWindow('$2::timestamptz', '$2::timestamptz')}`,
      [sloIds, at],
    );
  }
}
