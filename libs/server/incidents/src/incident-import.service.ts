import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { collectErrors, FieldError, validateContributingFactorInput, validateTimelineEventInput } from '@hindsight/domain';
import { assertValid, forbidden, isUniqueViolation } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { AnalysisRepository } from './analysis.repository';
import type { ContributingFactorInput, TimelineEventInput } from './analysis.types';
import { EXTERNAL_KEY_INDEX, IncidentOrigin, IncidentRow, IncidentsRepository } from './incidents.repository';
import { IncidentInput, IncidentsService } from './incidents.service';

/** One incident from another system, with the timeline and factors it brings along. */
export interface ImportedIncident {
  origin: IncidentOrigin;
  incident: IncidentInput;
  timeline?: readonly TimelineEventInput[];
  factors?: readonly ContributingFactorInput[];
}

export interface ImportOutcome {
  incident: IncidentRow;
  /** false when an incident with the same (source, externalKey) already existed: nothing was written. */
  created: boolean;
}

/**
 * Imports (ADMIN): each record is one transaction holding the incident, its timeline (marked
 * with the record's source) and its factors, with the usual validation and audit entries.
 * Idempotent by (source, externalKey), a unique index, so a re-run or a concurrent run of
 * the same import never duplicates an incident.
 */
@Injectable()
export class IncidentImportService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly incidents: IncidentsService,
    private readonly repo: IncidentsRepository,
    private readonly analysis: AnalysisRepository,
    private readonly audit: AuditService,
  ) {}

  async importIncident(actor: SessionActor, record: ImportedIncident): Promise<ImportOutcome> {
    if (actor.role !== 'ADMIN') throw forbidden('Only an ADMIN may import incidents.');
    const timeline = record.timeline ?? [];
    const factors = record.factors ?? [];
    // Fields named by their place in the record (`timeline[2].evidenceUrl`), so an importer finds the bad entry.
    const at = (list: string, i: number) => (e: FieldError): FieldError => ({ ...e, field: e.field.replace(/^input\./, `${list}[${i}].`) });
    assertValid(
      collectErrors(
        ...timeline.map((e, i) => validateTimelineEventInput(e).map(at('timeline', i))),
        ...factors.map((f, i) => validateContributingFactorInput(f, f.isTrigger === true && factors.slice(0, i).some((g) => g.isTrigger === true)).map(at('factors', i))),
      ),
    );
    try {
      return await this.ds.transaction(async (em) => {
        const existing = await this.repo.incidentByExternalKey(em, record.origin);
        if (existing) return { incident: existing, created: false };
        const incident = await this.incidents.createWithin(em, actor, record.incident, record.origin);
        for (const e of timeline) {
          const event = await this.analysis.insertTimelineEvent(em, {
            incidentId: incident.id, occurredAt: e.occurredAt, kind: e.kind, description: e.description,
            evidenceUrl: e.evidenceUrl?.trim() || null, source: record.origin.source, authorId: actor.id,
          });
          await this.audit.record(em, { actorId: actor.id, action: 'timeline-event.create', entityType: 'TimelineEvent', entityId: event.id, after: event });
        }
        for (const f of factors) {
          const factor = await this.analysis.insertFactor(em, { incidentId: incident.id, category: f.category, description: f.description, isTrigger: f.isTrigger === true });
          await this.audit.record(em, { actorId: actor.id, action: 'contributing-factor.create', entityType: 'ContributingFactor', entityId: factor.id, after: factor });
        }
        return { incident, created: true };
      });
    } catch (e) {
      // The same record imported twice at once: the unique index let one through.
      if (!isUniqueViolation(e, EXTERNAL_KEY_INDEX)) throw e;
      const existing = await this.repo.incidentByExternalKey(this.ds.manager, record.origin);
      if (!existing) throw e;
      return { incident: existing, created: false };
    }
  }
}
