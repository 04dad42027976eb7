import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditQuery, AuditRecord, AuditRepository, AuditRow } from './audit.repository';

/**
 * The audit log as every other room reaches it. An entry is written with the change it
 * records, inside the caller's transaction, so a change is never unaudited.
 */
@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  /** For scripts that run without the Nest container (key rotation). */
  static standalone(ds: DataSource): AuditService {
    return new AuditService(new AuditRepository(ds));
  }

  record(em: EntityManager, entry: AuditRecord): Promise<void> {
    return this.repo.record(em, entry);
  }

  /**
   * For what a stranger can repeat at will: the same entry is written at most once per
   * `seconds`, so the log cannot be flooded. Returns whether it was written.
   */
  recordOncePer(em: EntityManager, entry: AuditRecord, seconds: number): Promise<boolean> {
    return this.repo.recordOncePer(em, entry, seconds);
  }

  list(q: AuditQuery): Promise<AuditRow[]> {
    return this.repo.list(q);
  }
}
