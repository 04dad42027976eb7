import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource } from '@hindsight/server-db';

export interface AuditRecord {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditRow extends Required<AuditRecord> {
  id: string;
  at: Date;
}

export interface AuditQuery {
  entityType?: string | null;
  entityId?: string | null;
  beforeId?: string | null;
  limit: number;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Written with the change, inside the same transaction: a change is never unaudited. */
  async record(em: EntityManager, r: AuditRecord): Promise<void> {
    await em.query(
      `INSERT INTO audit_log (actor_id, action, entity_type, entity_id, before, after) VALUES ($1, $2, $3, $4, $5, $6)`,
      [r.actorId, r.action, r.entityType, r.entityId, r.before === undefined ? null : JSON.stringify(r.before), r.after === undefined ? null : JSON.stringify(r.after)],
    );
  }

  /**
   * For what a stranger can repeat at will (a revoked token sent again and again): the same
   * entry (action, entity and `after`) is written at most once per `seconds`, so the log
   * cannot be flooded.
   * Returns whether it was written.
   */
  async recordOncePer(em: EntityManager, r: AuditRecord, seconds: number): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO audit_log (actor_id, action, entity_type, entity_id, before, after)
       SELECT $1, $2, $3, $4, $5, $6
        WHERE NOT EXISTS (
          SELECT 1 FROM audit_log WHERE entity_type = $3 AND entity_id = $4 AND action = $2 AND after IS NOT DISTINCT FROM $6::jsonb AND at > now() - make_interval(secs => $7))
       RETURNING id`,
      [r.actorId, r.action, r.entityType, r.entityId, r.before === undefined ? null : JSON.stringify(r.before), r.after === undefined ? null : JSON.stringify(r.after), seconds],
    );
    return rows.length > 0;
  }

  async list(q: AuditQuery): Promise<AuditRow[]> {
    return this.ds.query(
      `SELECT id::text, actor_id AS "actorId", action, entity_type AS "entityType", entity_id AS "entityId", before, after, at
         FROM audit_log
        WHERE ($1::text IS NULL OR entity_type = $1) AND ($2::text IS NULL OR entity_id = $2) AND ($3::bigint IS NULL OR id < $3)
        ORDER BY audit_log.id DESC LIMIT $4`,
      [q.entityType ?? null, q.entityId ?? null, q.beforeId ?? null, q.limit],
    );
  }
}
