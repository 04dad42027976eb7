import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_SESSION_LIFETIMES, FINISHED_SESSION_RETENTION_DAYS, SESSION_TOUCH_SECONDS, SessionLifetimes, withDefaultSessionLifetimes } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryRows } from '@hindsight/server-db';

export const SESSION_LIFETIMES_KEY = 'session-lifetimes';

export type SessionEndReason = 'logout' | 'password-change' | 'ended-by-user' | 'signed-out-everywhere' | 'ended-by-admin' | 'deactivated' | 'password-reset';

export interface SessionRow { id: string; userId: string; createdAt: Date; lastUsedAt: Date; expiresAt: Date; userAgent: string | null; clientIp: string | null }

const lifetime = (key: keyof SessionLifetimes): string =>
  `coalesce((SELECT (value->>'${key}')::int FROM settings WHERE key = '${SESSION_LIFETIMES_KEY}'), ${DEFAULT_SESSION_LIFETIMES[key]})`;

/**
 * A session row `s` that still counts: not ended, its token not expired, used within the idle
 * lifetime and younger than the absolute one. The lifetimes are read in the same statement,
 * so a shorter setting applies to sessions already open.
 */
export const LIVE_SESSION_SQL = `s.ended_at IS NULL AND s.expires_at > now()
  AND s.last_used_at > now() - make_interval(mins => ${lifetime('idleTimeoutMinutes')})
  AND s.created_at > now() - make_interval(hours => ${lifetime('absoluteLifetimeHours')})`;

const SESSION_COLUMNS = `s.id, s.user_id AS "userId", s.created_at AS "createdAt", s.last_used_at AS "lastUsedAt", s.expires_at AS "expiresAt", s.user_agent AS "userAgent", s.client_ip AS "clientIp"`;

/** Sign-in sessions (listing, last use, ending) and the lifetimes setting. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async lifetimes(em: EntityManager | DataSource = this.ds): Promise<SessionLifetimes> {
    const row = await queryOne<{ value: Partial<SessionLifetimes> }>(em, `SELECT value FROM settings WHERE key = $1`, [SESSION_LIFETIMES_KEY]);
    return withDefaultSessionLifetimes(row?.value);
  }

  /** The settings row may not exist yet, so writers serialise on a lock of their own for the rest of the transaction. */
  async lockLifetimes(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('hindsight.settings.session-lifetimes'))`);
  }

  async saveLifetimes(em: EntityManager, value: SessionLifetimes, actorId: string): Promise<void> {
    await em.query(
      `INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, now(), $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [SESSION_LIFETIMES_KEY, JSON.stringify(value), actorId],
    );
  }

  /** Live sessions of the user, most recently used first. */
  listLive(userId: string): Promise<SessionRow[]> {
    return this.ds.query(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.user_id = $1 AND ${LIVE_SESSION_SQL} ORDER BY s.last_used_at DESC, s.created_at DESC`, [userId]);
  }

  /** Records use of a live session, at most once per SESSION_TOUCH_SECONDS (the WHERE makes racing requests write once). */
  async touch(sessionId: string): Promise<void> {
    await this.ds.query(
      `UPDATE sessions SET last_used_at = now() WHERE id = $1 AND ended_at IS NULL AND last_used_at < now() - make_interval(secs => $2)`,
      [sessionId, SESSION_TOUCH_SECONDS],
    );
  }

  /** Ends live sessions of the user: one (`id`), all but one (`except`), or all; returns the ended ids. */
  async end(em: EntityManager, userId: string, reason: SessionEndReason, only: { id?: string; except?: string | null } = {}): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      em,
      `UPDATE sessions SET ended_at = now(), end_reason = $2
        WHERE user_id = $1 AND ended_at IS NULL AND ($3::uuid IS NULL OR id = $3::uuid) AND ($4::uuid IS NULL OR id <> $4::uuid) RETURNING id`,
      [userId, reason, only.id ?? null, only.except ?? null],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Deletes sessions that ended, or whose token expired, more than `retentionDays` ago (they
   * can never count again), `batch` rows per statement so no statement holds many row locks
   * for long. Returns how many went. Safe to run anywhere, any number of times at once.
   */
  async pruneFinished(retentionDays: number = FINISHED_SESSION_RETENTION_DAYS, batch = 10_000): Promise<number> {
    let pruned = 0;
    for (;;) {
      const row = await queryOne<{ n: number }>(
        this.ds,
        `WITH gone AS (
           DELETE FROM sessions WHERE id IN (
             SELECT id FROM sessions
              WHERE least(coalesce(ended_at, 'infinity'), expires_at) < now() - make_interval(days => $1)
              LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [retentionDays, batch],
      );
      const n = row?.n ?? 0;
      pruned += n;
      if (n < batch) return pruned;
    }
  }

  /** Revokes every live API token acting as the user; returns the revoked ids. */
  async revokeApiTokensOf(em: EntityManager, userId: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(em, `UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`, [userId]);
    return rows.map((r) => r.id);
  }
}
