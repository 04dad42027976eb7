import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  HypothesisStatus,
  validateContributingFactorInput,
  validateFailedSafeguardInput,
  validateHypothesisDecision,
  validateHypothesisStatement,
  validateAnalysisDeletion,
  validateTimelineEventInput,
} from '@hindsight/domain';
import { assertValid, badInput, isUniqueViolation, isUuid, notFound } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import {
  AnalysisRepository,
  ContributingFactorRow,
  FailedSafeguardRow,
  HypothesisRow,
  ONE_TRIGGER_INDEX,
  TimelineEventRow,
} from './analysis.repository';
import type {
  ContributingFactorInput,
  FailedSafeguardInput,
  TimelineEventInput,
  UpdateContributingFactorInput,
  UpdateFailedSafeguardInput,
  UpdateTimelineEventInput,
} from './analysis.types';
import { IncidentsRepository } from './incidents.repository';

const SECOND_TRIGGER = 'this incident already has a triggering cause; unmark it first (an incident has exactly one trigger)';

/** The analysis of an incident: timeline, hypotheses, contributing factors, failed safeguards. */
@Injectable()
export class AnalysisService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: AnalysisRepository,
    private readonly incidents: IncidentsRepository,
    private readonly audit: AuditService,
  ) {}

  async addTimelineEvent(actor: SessionActor, incidentId: string, input: TimelineEventInput): Promise<TimelineEventRow> {
    assertValid(validateTimelineEventInput(input));
    return this.ds.transaction(async (em) => {
      await this.assertIncident(em, incidentId);
      return this.addTimelineEventWithin(em, actor, incidentId, input);
    });
  }

  /** For other rooms (a linked change): an event written and audited in their transaction, on an incident they checked. */
  async addTimelineEventWithin(em: EntityManager, actor: SessionActor, incidentId: string, input: TimelineEventInput): Promise<TimelineEventRow> {
    assertValid(validateTimelineEventInput(input));
    const event = await this.repo.insertTimelineEvent(em, {
      incidentId,
      occurredAt: input.occurredAt,
      kind: input.kind,
      description: input.description,
      evidenceUrl: input.evidenceUrl?.trim() || null,
      // Typed in by a person, or posted by an integration with its API token.
      source: actor.via === 'api-token' ? 'API' : 'MANUAL',
      authorId: actor.id,
    });
    await this.audit.record(em, { actorId: actor.id, action: 'timeline-event.create', entityType: 'TimelineEvent', entityId: event.id, after: event });
    return event;
  }

  /** Corrects an event (a wrong time, kind or link); the audit log keeps what it said before. */
  async updateTimelineEvent(actor: SessionActor, id: string, input: UpdateTimelineEventInput): Promise<TimelineEventRow> {
    if (!isUuid(id)) throw notFound('timeline event', id);
    return this.ds.transaction(async (em) => {
      const updated = await this.updateTimelineEventWithin(em, actor, id, input);
      if (!updated) throw notFound('timeline event', id);
      return updated;
    });
  }

  /** As updateTimelineEvent, in the caller's transaction; null when the event is gone. */
  async updateTimelineEventWithin(em: EntityManager, actor: SessionActor, id: string, input: UpdateTimelineEventInput): Promise<TimelineEventRow | null> {
    const before = await this.repo.timelineEventForUpdate(em, id);
    if (!before) return null;
    // Checked as it would be stored, so a sent null on a required field is refused.
    const next = {
      occurredAt: input.occurredAt === undefined ? before.occurredAt : input.occurredAt,
      kind: input.kind === undefined ? before.kind : input.kind,
      description: input.description === undefined ? before.description : input.description,
      evidenceUrl: input.evidenceUrl === undefined ? before.evidenceUrl : input.evidenceUrl?.trim() || null,
    };
    assertValid(validateTimelineEventInput(next));
    const after = await this.repo.updateTimelineEvent(em, id, {
      occurredAt: next.occurredAt ?? before.occurredAt,
      kind: next.kind ?? before.kind,
      description: next.description ?? before.description,
      evidenceUrl: next.evidenceUrl,
    });
    await this.audit.record(em, { actorId: actor.id, action: 'timeline-event.update', entityType: 'TimelineEvent', entityId: id, before, after });
    return after;
  }

  async deleteTimelineEvent(actor: SessionActor, id: string): Promise<string> {
    if (!isUuid(id)) throw notFound('timeline event', id);
    return this.ds.transaction(async (em) => {
      if (!(await this.deleteTimelineEventWithin(em, actor, id))) throw notFound('timeline event', id);
      return id;
    });
  }

  /** As deleteTimelineEvent, in the caller's transaction; false when the event was already gone. */
  async deleteTimelineEventWithin(em: EntityManager, actor: SessionActor, id: string): Promise<boolean> {
    const before = await this.repo.timelineEventForUpdate(em, id);
    if (!before) return false;
    await this.repo.deleteTimelineEvent(em, id);
    await this.audit.record(em, { actorId: actor.id, action: 'timeline-event.delete', entityType: 'TimelineEvent', entityId: id, before });
    return true;
  }

  async addHypothesis(actor: SessionActor, incidentId: string, statement: string): Promise<HypothesisRow> {
    assertValid(validateHypothesisStatement(statement));
    return this.ds.transaction(async (em) => {
      await this.assertIncident(em, incidentId);
      const hypothesis = await this.repo.insertHypothesis(em, incidentId, statement, actor.id);
      await this.audit.record(em, { actorId: actor.id, action: 'hypothesis.create', entityType: 'Hypothesis', entityId: hypothesis.id, after: hypothesis });
      return hypothesis;
    });
  }

  /** OPEN → CONFIRMED or REJECTED, once: a verdict is history, a new idea is a new hypothesis. */
  async decideHypothesis(actor: SessionActor, id: string, status: HypothesisStatus, evidence: string): Promise<HypothesisRow> {
    if (!isUuid(id)) throw notFound('hypothesis', id);
    assertValid(validateHypothesisDecision(status, evidence));
    return this.ds.transaction(async (em) => {
      const before = await this.repo.hypothesisForUpdate(em, id);
      if (!before) throw notFound('hypothesis', id);
      if (before.status !== 'OPEN') {
        throw badInput('id', `this hypothesis was already ${before.status} at ${before.decidedAt?.toISOString()}; record a new hypothesis to revisit it`);
      }
      const after = await this.repo.decideHypothesis(em, id, status, evidence, actor.id);
      await this.audit.record(em, { actorId: actor.id, action: 'hypothesis.decide', entityType: 'Hypothesis', entityId: id, before, after });
      return after;
    });
  }

  async addContributingFactor(actor: SessionActor, incidentId: string, input: ContributingFactorInput): Promise<ContributingFactorRow> {
    assertValid(validateContributingFactorInput(input, false));
    try {
      return await this.ds.transaction(async (em) => {
        await this.assertIncident(em, incidentId);
        const isTrigger = input.isTrigger === true;
        assertValid(validateContributingFactorInput(input, isTrigger && (await this.repo.triggerExists(em, incidentId))));
        const factor = await this.repo.insertFactor(em, { incidentId, category: input.category, description: input.description, isTrigger });
        await this.audit.record(em, { actorId: actor.id, action: 'contributing-factor.create', entityType: 'ContributingFactor', entityId: factor.id, after: factor });
        return factor;
      });
    } catch (e) {
      // Two triggers added at once: the unique partial index lets only one through.
      if (isUniqueViolation(e, ONE_TRIGGER_INDEX)) throw badInput('input.isTrigger', SECOND_TRIGGER);
      throw e;
    }
  }

  /** Corrects a factor; this is also how the trigger is unmarked, or moved in two steps. */
  async updateContributingFactor(actor: SessionActor, id: string, input: UpdateContributingFactorInput): Promise<ContributingFactorRow> {
    if (!isUuid(id)) throw notFound('contributing factor', id);
    try {
      return await this.ds.transaction(async (em) => {
        const before = await this.repo.factorForUpdate(em, id);
        if (!before) throw notFound('contributing factor', id);
        // The domain checks the factor as it would be stored, so a sent null (clearing a required field) is refused.
        const next = {
          category: input.category === undefined ? before.category : input.category,
          description: input.description === undefined ? before.description : input.description,
          isTrigger: input.isTrigger ?? before.isTrigger,
        };
        const otherTrigger = next.isTrigger && (await this.repo.triggerExists(em, before.incidentId, id));
        assertValid(validateContributingFactorInput(next, otherTrigger));
        const after = await this.repo.updateFactor(em, id, { ...next, category: next.category ?? before.category, description: next.description ?? before.description });
        await this.audit.record(em, { actorId: actor.id, action: 'contributing-factor.update', entityType: 'ContributingFactor', entityId: id, before, after });
        return after;
      });
    } catch (e) {
      if (isUniqueViolation(e, ONE_TRIGGER_INDEX)) throw badInput('input.isTrigger', SECOND_TRIGGER);
      throw e;
    }
  }

  /** Removes a factor recorded by mistake; refused while action items address it, so no item silently loses its link (and its ROI). */
  async deleteContributingFactor(actor: SessionActor, id: string): Promise<string> {
    if (!isUuid(id)) throw notFound('contributing factor', id);
    return this.ds.transaction(async (em) => {
      const before = await this.repo.factorForUpdate(em, id);
      if (!before) throw notFound('contributing factor', id);
      assertValid(validateAnalysisDeletion('contributing factor', await this.repo.itemsAddressing(em, 'addresses_factor_id', id)));
      await this.repo.deleteFactor(em, id);
      await this.audit.record(em, { actorId: actor.id, action: 'contributing-factor.delete', entityType: 'ContributingFactor', entityId: id, before });
      return id;
    });
  }

  async addFailedSafeguard(actor: SessionActor, incidentId: string, input: FailedSafeguardInput): Promise<FailedSafeguardRow> {
    assertValid(validateFailedSafeguardInput(input));
    return this.ds.transaction(async (em) => {
      await this.assertIncident(em, incidentId);
      const safeguard = await this.repo.insertSafeguard(em, { incidentId, kind: input.kind, expectedBehavior: input.expectedBehavior, whyItFailed: input.whyItFailed });
      await this.audit.record(em, { actorId: actor.id, action: 'failed-safeguard.create', entityType: 'FailedSafeguard', entityId: safeguard.id, after: safeguard });
      return safeguard;
    });
  }

  async updateFailedSafeguard(actor: SessionActor, id: string, input: UpdateFailedSafeguardInput): Promise<FailedSafeguardRow> {
    if (!isUuid(id)) throw notFound('failed safeguard', id);
    return this.ds.transaction(async (em) => {
      const before = await this.repo.safeguardForUpdate(em, id);
      if (!before) throw notFound('failed safeguard', id);
      const next = {
        kind: input.kind === undefined ? before.kind : input.kind,
        expectedBehavior: input.expectedBehavior === undefined ? before.expectedBehavior : input.expectedBehavior,
        whyItFailed: input.whyItFailed === undefined ? before.whyItFailed : input.whyItFailed,
      };
      assertValid(validateFailedSafeguardInput(next));
      const after = await this.repo.updateSafeguard(em, id, {
        kind: next.kind ?? before.kind,
        expectedBehavior: next.expectedBehavior ?? before.expectedBehavior,
        whyItFailed: next.whyItFailed ?? before.whyItFailed,
      });
      await this.audit.record(em, { actorId: actor.id, action: 'failed-safeguard.update', entityType: 'FailedSafeguard', entityId: id, before, after });
      return after;
    });
  }

  async deleteFailedSafeguard(actor: SessionActor, id: string): Promise<string> {
    if (!isUuid(id)) throw notFound('failed safeguard', id);
    return this.ds.transaction(async (em) => {
      const before = await this.repo.safeguardForUpdate(em, id);
      if (!before) throw notFound('failed safeguard', id);
      assertValid(validateAnalysisDeletion('failed safeguard', await this.repo.itemsAddressing(em, 'addresses_safeguard_id', id)));
      await this.repo.deleteSafeguard(em, id);
      await this.audit.record(em, { actorId: actor.id, action: 'failed-safeguard.delete', entityType: 'FailedSafeguard', entityId: id, before });
      return id;
    });
  }

  private async assertIncident(em: EntityManager, incidentId: string): Promise<void> {
    const [incident] = isUuid(incidentId) ? await this.incidents.incidentsByIds([incidentId], em) : [];
    if (!incident) throw notFound('incident', incidentId);
  }
}
