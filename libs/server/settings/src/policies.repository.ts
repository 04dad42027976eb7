import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Policies } from '@hindsight/domain';
import { InjectDataSource, queryOne } from '@hindsight/server-db';

export const POLICIES_KEY = 'policies';

/** All SQL about the stored policies (one row of `settings`). */
@Injectable()
export class PoliciesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** What an ADMIN stored; the defaults fill the rest (the service's job). */
  async stored(em: EntityManager | DataSource = this.ds): Promise<Partial<Policies>> {
    const row = await queryOne<{ value: Partial<Policies> }>(em, `SELECT value FROM settings WHERE key = $1`, [POLICIES_KEY]);
    return row?.value ?? {};
  }

  /** The settings row may not exist yet, so writers serialise on a lock of their own for the rest of the transaction. */
  async lockForUpdate(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('hindsight.settings.policies'))`);
  }

  async save(em: EntityManager, value: Policies, actorId: string): Promise<void> {
    await em.query(
      `INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, now(), $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [POLICIES_KEY, JSON.stringify(value), actorId],
    );
  }
}
