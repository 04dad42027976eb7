import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ActionStatus, FactorCategory } from '@hindsight/domain';
import { InjectDataSource, queryRows } from '@hindsight/server-db';
import { incidentCost } from '@hindsight/server-insights-sql';

export interface RoiItemRow {
  id: string;
  incidentId: string;
  category: FactorCategory | null;
  effortDays: number | null;
  status: ActionStatus;
  completedAt: Date | null;
}

export interface SavingsItemRow {
  id: string;
  incidentId: string;
  category: FactorCategory;
  completedAt: Date;
}

/** One window of incidents to price: same service as `incidentId`, a factor of `category`, started in [from, to) (or [from, to] when inclusive). */
export interface PricedWindow {
  key: string;
  incidentId: string;
  category: FactorCategory;
  from: Date;
  to: Date;
}

/** ROI's and cost savings' inputs: the items, and the cost of the past incidents they are judged by. */
@Injectable()
export class RoiRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The inputs of each item's ROI: the category it addresses, its effort, its status and completion. */
  roiItems(ids: readonly string[]): Promise<RoiItemRow[]> {
    return queryRows(
      this.ds,
      `SELECT a.id, a.incident_id AS "incidentId", f.category, a.effort_days AS "effortDays", a.status, a.completed_at AS "completedAt"
         FROM action_items a LEFT JOIN contributing_factors f ON f.id = a.addresses_factor_id
        WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** DONE items with an addressed factor, completed in [from, to), optionally of one owning team or one service. */
  savingsItems(from: Date, to: Date, teamId: string | null, serviceId: string | null): Promise<SavingsItemRow[]> {
    return queryRows(
      this.ds,
      `SELECT a.id, a.incident_id AS "incidentId", f.category, a.completed_at AS "completedAt"
         FROM action_items a JOIN contributing_factors f ON f.id = a.addresses_factor_id
        WHERE a.status = 'DONE' AND a.completed_at >= $1 AND a.completed_at < $2
          AND ($3::uuid IS NULL OR a.owner_team_id = $3)
          AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM incident_services x WHERE x.incident_id = a.incident_id AND x.service_id = $4))
        ORDER BY a.completed_at DESC, a.id`,
      [from, to, teamId, serviceId],
    );
  }

  /**
   * The cost (as of `now`) of every incident in each window that shares a service with the
   * window's incident and has a contributing factor of its category. `toInclusive` closes
   * the windows on the right (ROI looks back up to and including its anchor).
   */
  async pricedWindows(windows: readonly PricedWindow[], now: Date, hourlyRate: number, toInclusive: boolean): Promise<Map<string, number[]>> {
    const result = new Map<string, number[]>(windows.map((w) => [w.key, []]));
    if (windows.length === 0) return result;
    const rows = await queryRows<{ key: string; costs: number[] }>(
      this.ds,
      `SELECT w.key, array_agg(${incidentCost('i', '$6::timestamptz', '$7::float8')} ORDER BY i.started_at, i.id) AS costs
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS w(key, incident_id, category, "from", "to")
         JOIN incidents i ON i.started_at >= w."from" AND (i.started_at < w."to" OR ($8::boolean AND i.started_at = w."to"))
        WHERE i.kind = 'INCIDENT' AND EXISTS (SELECT 1 FROM incident_services mine JOIN incident_services theirs ON theirs.service_id = mine.service_id
                       WHERE mine.incident_id = w.incident_id AND theirs.incident_id = i.id)
          AND EXISTS (SELECT 1 FROM contributing_factors f WHERE f.incident_id = i.id AND f.category = w.category)
        GROUP BY w.key`,
      [windows.map((w) => w.key), windows.map((w) => w.incidentId), windows.map((w) => w.category), windows.map((w) => w.from), windows.map((w) => w.to), now, hourlyRate, toInclusive],
    );
    for (const r of rows) result.set(r.key, r.costs);
    return result;
  }
}
