import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ServiceKind, SloDimension } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryReturned, queryRows } from '@hindsight/server-db';

export interface ServiceWrite {
  name: string;
  kind: ServiceKind;
  tier: number;
  teamId: string;
  revenuePerMinute: number | null;
  runbook: string | null;
}

export interface ServiceRow extends ServiceWrite {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SloWrite {
  serviceId: string;
  dimension: SloDimension;
  objective: number;
  windowDays: number;
  segment: string | null;
}

export interface SloRow extends SloWrite {
  id: string;
  createdAt: Date;
}

// numeric comes back from pg as a string; float8 is exact enough for money per minute.
const SERVICE_COLUMNS = `s.id, s.name, s.kind, s.tier, s.team_id AS "teamId", s.revenue_per_minute::float8 AS "revenuePerMinute",
  s.runbook, s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;
const SLO_COLUMNS = `o.id, o.service_id AS "serviceId", o.dimension, o.objective, o.window_days AS "windowDays", o.segment, o.created_at AS "createdAt"`;

/** All SQL about services and their SLOs. */
@Injectable()
export class CatalogRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  listServices(): Promise<ServiceRow[]> {
    return queryRows(this.ds, `SELECT ${SERVICE_COLUMNS} FROM services s ORDER BY lower(s.name), s.id`);
  }

  servicesByIds(ids: readonly string[], em: EntityManager = this.ds.manager): Promise<ServiceRow[]> {
    return queryRows(em, `SELECT ${SERVICE_COLUMNS} FROM services s WHERE s.id = ANY($1::uuid[])`, [ids]);
  }

  /** Services owned by each team, for Team.services. */
  servicesOfTeams(teamIds: readonly string[]): Promise<ServiceRow[]> {
    return queryRows(this.ds, `SELECT ${SERVICE_COLUMNS} FROM services s WHERE s.team_id = ANY($1::uuid[]) ORDER BY lower(s.name), s.id`, [teamIds]);
  }

  /** SLOs of each service, for Service.slos: by dimension, the all-customers objective first. */
  slosOfServices(serviceIds: readonly string[]): Promise<SloRow[]> {
    return queryRows(
      this.ds,
      `SELECT ${SLO_COLUMNS} FROM slos o WHERE o.service_id = ANY($1::uuid[]) ORDER BY o.dimension, o.segment NULLS FIRST, o.id`,
      [serviceIds],
    );
  }

  /** Locks the row so a concurrent update cannot interleave between read and write. */
  serviceForUpdate(em: EntityManager, id: string): Promise<ServiceRow | null> {
    return queryOne(em, `SELECT ${SERVICE_COLUMNS} FROM services s WHERE s.id = $1 FOR UPDATE`, [id]);
  }

  async serviceNameTaken(em: EntityManager, name: string, exceptId: string | null = null): Promise<boolean> {
    const rows = await queryRows(em, `SELECT 1 FROM services WHERE lower(name) = lower($1) AND ($2::uuid IS NULL OR id <> $2)`, [name, exceptId]);
    return rows.length > 0;
  }

  async teamExists(em: EntityManager, id: string): Promise<boolean> {
    const rows = await queryRows(em, `SELECT 1 FROM teams WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async insertService(em: EntityManager, s: ServiceWrite): Promise<ServiceRow> {
    return queryReturned<ServiceRow>(
      em,
      `INSERT INTO services AS s (name, kind, tier, team_id, revenue_per_minute, runbook) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${SERVICE_COLUMNS}`,
      [s.name, s.kind, s.tier, s.teamId, s.revenuePerMinute, s.runbook],
      'INSERT INTO services returned no row',
    );
  }

  async updateService(em: EntityManager, id: string, s: ServiceWrite): Promise<ServiceRow> {
    return queryReturned<ServiceRow>(
      em,
      `UPDATE services AS s SET name = $2, kind = $3, tier = $4, team_id = $5, revenue_per_minute = $6, runbook = $7, updated_at = now()
        WHERE s.id = $1 RETURNING ${SERVICE_COLUMNS}`,
      [id, s.name, s.kind, s.tier, s.teamId, s.revenuePerMinute, s.runbook],
      `UPDATE services found no row ${id}`,
    );
  }

  async sloExists(em: EntityManager, s: Pick<SloWrite, 'serviceId' | 'dimension' | 'segment'>): Promise<boolean> {
    const rows = await queryRows(
      em,
      `SELECT 1 FROM slos WHERE service_id = $1 AND dimension = $2 AND lower(coalesce(segment, '')) = lower(coalesce($3, ''))`,
      [s.serviceId, s.dimension, s.segment],
    );
    return rows.length > 0;
  }

  async insertSlo(em: EntityManager, s: SloWrite): Promise<SloRow> {
    return queryReturned<SloRow>(
      em,
      `INSERT INTO slos AS o (service_id, dimension, objective, window_days, segment) VALUES ($1, $2, $3, $4, $5) RETURNING ${SLO_COLUMNS}`,
      [s.serviceId, s.dimension, s.objective, s.windowDays, s.segment],
      'INSERT INTO slos returned no row',
    );
  }
}
