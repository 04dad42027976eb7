import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { DraftOutcome, DraftOutcomeCount } from '@hindsight/domain';
import { InjectDataSource, queryRows } from '@hindsight/server-db';

export type DraftResult = 'SHOWN' | 'MODEL_TIMEOUT' | 'MODEL_BAD_ANSWER' | 'MODEL_REFUSED' | 'MODEL_UNAVAILABLE';

export interface DraftRow {
  id: string;
  incidentId: string;
  section: string;
  requestedById: string | null;
  result: DraftResult | 'PENDING';
  outcome: DraftOutcome | null;
}

/** The drafts asked for: one row each (never their text), for the per-person limit and the acceptance figures. */
@Injectable()
export class DraftsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insert(em: EntityManager, d: { incidentId: string; section: string; model: string; requestedById: string }): Promise<string> {
    const [row] = await queryRows<{ id: string }>(em, `INSERT INTO postmortem_drafts (incident_id, section, model, requested_by) VALUES ($1, $2, $3, $4) RETURNING id`, [
      d.incidentId, d.section, d.model, d.requestedById,
    ]);
    return row.id;
  }

  /** Drafts this person asked for in the last hour, the one being asked for included. */
  async countRecent(em: EntityManager, userId: string): Promise<{ count: number; oldestAgeSeconds: number }> {
    const [row] = await queryRows<{ count: number; oldestAgeSeconds: number }>(
      em,
      `SELECT count(*)::int AS count, COALESCE(extract(epoch FROM now() - min(created_at)), 0)::int AS "oldestAgeSeconds"
         FROM postmortem_drafts WHERE requested_by = $1 AND created_at > now() - interval '1 hour'`,
      [userId],
    );
    return row;
  }

  async finish(id: string, r: { result: DraftResult; sentences?: number; uncited?: number; droppedCitations?: number }): Promise<void> {
    await this.ds.query(`UPDATE postmortem_drafts SET result = $2, sentences = $3, uncited = $4, dropped_citations = $5 WHERE id = $1`, [
      id, r.result, r.sentences ?? 0, r.uncited ?? 0, r.droppedCitations ?? 0,
    ]);
  }

  async forUpdate(em: EntityManager, id: string): Promise<DraftRow | null> {
    const [row] = await queryRows<DraftRow>(
      em,
      `SELECT id, incident_id AS "incidentId", section, requested_by AS "requestedById", result, outcome FROM postmortem_drafts WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ?? null;
  }

  async decide(em: EntityManager, id: string, outcome: DraftOutcome): Promise<void> {
    await em.query(`UPDATE postmortem_drafts SET outcome = $2, decided_at = now() WHERE id = $1`, [id, outcome]);
  }

  /** Shown drafts per section and outcome (null: not decided yet), since `from`. */
  outcomeCounts(from: Date | null): Promise<DraftOutcomeCount[]> {
    return queryRows(
      this.ds,
      `SELECT section, outcome, count(*)::int AS count FROM postmortem_drafts
        WHERE result = 'SHOWN' AND ($1::timestamptz IS NULL OR created_at >= $1) GROUP BY section, outcome`,
      [from],
    );
  }

  /** Drafts that could not be shown, per reason, since `from`. */
  failureCounts(from: Date | null): Promise<{ result: string; count: number }[]> {
    return queryRows(
      this.ds,
      `SELECT result, count(*)::int AS count FROM postmortem_drafts
        WHERE result NOT IN ('SHOWN', 'PENDING') AND ($1::timestamptz IS NULL OR created_at >= $1) GROUP BY result ORDER BY result`,
      [from],
    );
  }
}
