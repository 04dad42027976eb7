import { Injectable, Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  blamelessReview, buildDraftRequest, DRAFT_OUTCOMES, DRAFT_SECTIONS, draftAcceptance, type DraftMaterial, type DraftOutcome, isDraftSection, parseDraftAnswer,
} from '@hindsight/domain';
import { AuditService } from '@hindsight/server-audit';
import { ChangesService } from '@hindsight/server-changes';
import { AppError, badInput, conflict, forbidden, isUuid, notFound } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { IncidentRecordService } from '@hindsight/server-incidents';
import { DraftResult, DraftsRepository } from './drafts.repository';
import type { PostmortemDraftingType, PostmortemDraftReportType, PostmortemDraftType } from './drafts.types';
import { badAnswer, ModelClient, notConfigured } from './model.client';

class LimitReached extends Error {}

/**
 * Model-drafted postmortem sections (PRODUCT.md 6): built only from the incident record the
 * requesting person reads, every sentence citing the timeline events it rests on, reviewed for
 * blame before it is shown, and never written to the postmortem: the person keeps, edits or
 * discards it, and that choice is counted.
 */
@Injectable()
export class DraftsService {
  private readonly log = new Logger('DraftsService');
  /** People with a draft being written by this process: one at a time each. */
  private readonly inFlight = new Set<string>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: DraftsRepository,
    private readonly model: ModelClient,
    private readonly records: IncidentRecordService,
    private readonly changes: ChangesService,
    private readonly audit: AuditService,
  ) {}

  drafting(): PostmortemDraftingType {
    const ai = this.model.settings;
    return { enabled: ai !== null, model: ai?.model ?? null, sections: [...DRAFT_SECTIONS], draftsPerHour: ai?.draftsPerHour ?? 0 };
  }

  async draft(actor: SessionActor, incidentId: string, section: string): Promise<PostmortemDraftType> {
    const ai = this.model.settings;
    if (!ai) throw notConfigured();
    if (!isDraftSection(section)) throw badInput('section', `must be one of ${DRAFT_SECTIONS.join(', ')}`);
    if (!isUuid(incidentId)) throw notFound('incident', incidentId);
    const record = await this.records.record(incidentId);
    if (!record) throw notFound('incident', incidentId);
    if (this.inFlight.has(actor.id)) throw new AppError('A draft is already being written for you; wait for it before asking for another.', 'RATE_LIMITED', { retryAfterSeconds: 5 }, 429);
    this.inFlight.add(actor.id);
    try {
      const changes = await this.changes.beforeDetectionOf(record.incident);
      const { incident } = record;
      const material: DraftMaterial = {
        reference: incident.reference, title: incident.title, severity: incident.severity, status: incident.status,
        startedAt: incident.startedAt, detectedAt: incident.detectedAt, mitigatedAt: incident.mitigatedAt, resolvedAt: incident.resolvedAt,
        services: record.services.map((s) => s.name), summary: incident.summary, customerImpact: incident.customerImpact,
        usersAffected: incident.usersAffected, failedRequests: incident.failedRequests,
        timeline: record.timeline, hypotheses: record.hypotheses, factors: record.factors, safeguards: record.safeguards,
        changes: changes.map((c) => ({ service: c.serviceName, version: c.version, environment: c.environment, status: c.status, finishedAt: c.finishedAt, role: c.role })),
      };
      const request = buildDraftRequest(section, material);
      // The row (for the limit) and the audit entry of what is sent go in before anything is sent.
      let draftId: string;
      try {
        draftId = await this.ds.transaction(async (em) => {
          const id = await this.repo.insert(em, { incidentId, section, model: ai.model, requestedById: actor.id });
          const recent = await this.repo.countRecent(em, actor.id);
          if (recent.count > ai.draftsPerHour) throw new LimitReached(String(Math.max(1, 3600 - recent.oldestAgeSeconds)));
          await this.audit.record(em, {
            actorId: actor.id, action: 'postmortem.draft-requested', entityType: 'Incident', entityId: incidentId,
            after: { draftId: id, model: ai.model, server: new URL(ai.baseUrl).host, sent: request.sent },
          });
          return id;
        });
      } catch (e) {
        if (!(e instanceof LimitReached)) throw e;
        throw new AppError(`You asked for ${ai.draftsPerHour} drafts in the last hour, the most allowed (AI_DRAFTS_PER_HOUR); try again in ${e.message} s.`, 'RATE_LIMITED', { retryAfterSeconds: Number(e.message) }, 429);
      }
      return await this.ask(draftId, section, ai.model, request.messages, request.labels);
    } finally {
      this.inFlight.delete(actor.id);
    }
  }

  private async ask(draftId: string, section: string, model: string, messages: { role: 'system' | 'user'; content: string }[], labels: Map<string, string>): Promise<PostmortemDraftType> {
    try {
      const answer = await this.model.complete(messages);
      if (answer.kind === 'refused') throw refused(answer.reason);
      const parsed = parseDraftAnswer(answer.content, labels);
      if (parsed.kind === 'refused') throw refused(parsed.reason);
      if (parsed.kind === 'malformed') throw badAnswer(parsed.reason);
      const sentences = parsed.sentences.map((s) => ({ ...s, uncited: s.citedEventIds.length === 0, findings: blamelessReview(s.text) }));
      await this.repo.finish(draftId, { result: 'SHOWN', sentences: sentences.length, uncited: sentences.filter((s) => s.uncited).length, droppedCitations: parsed.droppedCitations });
      return { id: draftId, section, model, sentences, droppedCitations: parsed.droppedCitations };
    } catch (e) {
      const code = e instanceof AppError ? e.extensions['code'] : null;
      const result: DraftResult = code === 'MODEL_TIMEOUT' || code === 'MODEL_BAD_ANSWER' || code === 'MODEL_REFUSED' ? code : 'MODEL_UNAVAILABLE';
      await this.repo.finish(draftId, { result }).catch((failed: unknown) => this.log.warn(`could not record the failed draft ${draftId}: ${String(failed)}`));
      throw e;
    }
  }

  /** The person who asked for a draft (or an ADMIN) says what became of it; once. */
  async decide(actor: SessionActor, draftId: string, outcome: DraftOutcome): Promise<string> {
    if (!(DRAFT_OUTCOMES as readonly string[]).includes(outcome)) throw badInput('outcome', `must be one of ${DRAFT_OUTCOMES.join(', ')}`);
    if (!isUuid(draftId)) throw notFound('draft', draftId);
    return this.ds.transaction(async (em) => {
      const draft = await this.repo.forUpdate(em, draftId);
      if (!draft) throw notFound('draft', draftId);
      if (draft.requestedById !== actor.id && actor.role !== 'ADMIN') throw forbidden('Only the person who asked for this draft records what became of it.');
      if (draft.result !== 'SHOWN') throw badInput('id', 'this draft was never shown');
      if (draft.outcome !== null) throw conflict(`This draft was already recorded as ${draft.outcome}.`, { outcome: draft.outcome });
      await this.repo.decide(em, draftId, outcome);
      return draftId;
    });
  }

  async report(from: Date | null): Promise<PostmortemDraftReportType> {
    const [outcomes, failures] = await Promise.all([this.repo.outcomeCounts(from), this.repo.failureCounts(from)]);
    return { sections: draftAcceptance(outcomes), failures: failures.map((f) => ({ code: f.result, count: f.count })) };
  }
}

function refused(reason: string): AppError {
  return new AppError(`The model declined to write this section (${reason}); nothing was changed. Write it by hand, or add to the timeline and try again.`, 'MODEL_REFUSED', { reason });
}
