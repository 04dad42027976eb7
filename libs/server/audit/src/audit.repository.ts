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
