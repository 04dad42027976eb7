import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  canTransitionPostmortem,
  checkText,
  collectErrors,
  isStaleVersion,
  POSTMORTEM_SECTIONS,
  type PostmortemTexts,
  publishBlockers,
  ReviewVerdict,
  validatePostmortemInput,
  validateReviewRequest,
  validateReviewVerdict,
} from '@hindsight/domain';
import { AppError, assertValid, badInput, conflict, forbidden, isUuid, notFound } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { AnalysisRepository } from './analysis.repository';
import { IncidentsRepository } from './incidents.repository';
import { PostmortemRow, PostmortemsRepository } from './postmortems.repository';
import type { PostmortemInput } from './postmortems.types';

const CONTENT_KEYS = [...POSTMORTEM_SECTIONS, 'noActionReason'] as const;

const contentOf = (p: PostmortemRow): PostmortemTexts =>
  Object.fromEntries(CONTENT_KEYS.map((k) => [k, p[k]])) as PostmortemTexts;

/** Sent fields replace the stored ones; null or blank clears; absent fields stay. */
function mergeContent(current: PostmortemTexts, input: PostmortemInput): PostmortemTexts {
  const next = { ...current };
  for (const k of CONTENT_KEYS) {
    const v = input[k];
    if (v !== undefined) next[k] = v === null || v.trim() === '' ? null : v;
  }
  return next;
}

/** Postmortems: sections with optimistic concurrency, revisions, review and publication. */
@Injectable()
export class PostmortemsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: PostmortemsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly analysis: AnalysisRepository,
    private readonly audit: AuditService,
  ) {}

  /** The postmortems of the incidents found, in no particular order: other rooms' batches. */
  ofIncidents(incidentIds: readonly string[]): Promise<PostmortemRow[]> {
    return incidentIds.length ? this.repo.postmortemsOfIncidents(incidentIds) : Promise.resolve([]);
  }

  async update(actor: SessionActor, incidentId: string, expectedVersion: number, input: PostmortemInput): Promise<PostmortemRow> {
    assertValid(collectErrors(validatePostmortemInput(input), checkText('input.noActionReason', input.noActionReason)));
    return this.ds.transaction(async (em) => {
      const before = await this.lock(em, incidentId);
      // Never a silent overwrite: the client must reload, merge and retry with the current version.
      if (isStaleVersion(expectedVersion, before.version)) {
        throw conflict(
          `The postmortem was changed by someone else: you edited version ${expectedVersion}, it is now version ${before.version}. Reload it, reapply your changes and send expectedVersion ${before.version}.`,
          { currentVersion: before.version },
        );
      }
      const content = mergeContent(contentOf(before), input);
      if (content.noActionReason !== before.noActionReason) await this.incidents.setNoActionReason(em, incidentId, content.noActionReason);
      const after = await this.repo.updateSections(em, incidentId, expectedVersion, content);
      if (!after) throw conflict('The postmortem was changed by someone else meanwhile; reload it and retry.', { currentVersion: before.version + 1 });
      await this.repo.insertRevision(em, after.id, after.version, content, actor.id);
      await this.audit.record(em, { actorId: actor.id, action: 'postmortem.update', entityType: 'Postmortem', entityId: after.id, before, after });
      return after;
    });
  }

  async requestReview(actor: SessionActor, incidentId: string, reviewerIds: readonly string[]): Promise<PostmortemRow> {
    const ids = [...new Set(reviewerIds)];
    const malformed = ids.find((id) => !isUuid(id));
    if (malformed) throw badInput('reviewerIds', `no active user with id "${malformed}"`);
    return this.ds.transaction(async (em) => {
      const before = await this.lock(em, incidentId);
      assertValid(validateReviewRequest(before.status, ids));
      const active = await this.incidents.activeUserIds(em, ids);
      const missing = ids.find((id) => !active.has(id));
      if (missing) throw badInput('reviewerIds', `no active user with id "${missing}": reviewers must be active users`);
      const reviewsBefore = await this.repo.reviewsOf([before.id], em);
      await this.repo.requestReviews(em, before.id, ids);
      if (before.status === 'DRAFT' && canTransitionPostmortem('DRAFT', 'IN_REVIEW')) await this.repo.setStatus(em, before.id, 'IN_REVIEW');
      const after = await this.reread(em, incidentId);
      await this.audit.record(em, {
        actorId: actor.id, action: 'postmortem.request-review', entityType: 'Postmortem', entityId: before.id,
        before: { status: before.status, reviews: reviewsBefore }, after: { status: after.status, reviews: await this.repo.reviewsOf([before.id], em) },
      });
      return after;
    });
  }

  /** A named reviewer approves or asks for changes, whatever their role. */
  async review(actor: SessionActor, incidentId: string, verdict: ReviewVerdict, comment: string | null | undefined): Promise<PostmortemRow> {
    assertValid(collectErrors(checkText('comment', comment)));
    return this.ds.transaction(async (em) => {
      const before = await this.lock(em, incidentId);
      const reviews = await this.repo.reviewsOf([before.id], em);
      const mine = reviews.find((r) => r.reviewerId === actor.id);
      const check = validateReviewVerdict(before.status, verdict, mine !== undefined);
      if (check.forbidden) throw forbidden(check.forbidden);
      assertValid(check.errors);
      await this.repo.recordVerdict(em, before.id, actor.id, verdict, comment?.trim() ? comment : null);
      await this.audit.record(em, {
        actorId: actor.id, action: 'postmortem.review', entityType: 'Postmortem', entityId: before.id,
        before: mine, after: { reviewerId: actor.id, verdict, comment: comment ?? null },
      });
      return this.reread(em, incidentId);
    });
  }

  async publish(actor: SessionActor, incidentId: string): Promise<PostmortemRow> {
    return this.ds.transaction(async (em) => {
      const before = await this.lock(em, incidentId);
      // One connection per transaction: these run one after the other anyway.
      const factors = await this.analysis.factorsOf([incidentId], em);
      const actionItemCount = await this.repo.actionItemCount(em, incidentId);
      const reviews = await this.repo.reviewsOf([before.id], em);
      const [incident] = await this.incidents.incidentsByIds([incidentId], em);
      const blockers = publishBlockers(before, {
        kind: incident?.kind ?? 'INCIDENT',
        factorCount: factors.length,
        hasTriggerFactor: factors.some((f) => f.isTrigger),
        actionItemCount,
        noActionNeededReason: before.noActionReason,
        reviews,
      });
      if (blockers.length) {
        throw new AppError(`The postmortem cannot be published yet: ${blockers.join(' ')}`, 'BAD_USER_INPUT', {
          field: 'incidentId', reason: blockers.join(' '), blockers,
        });
      }
      await this.repo.markPublished(em, before.id, actor.id);
      const after = await this.reread(em, incidentId);
      await this.audit.record(em, { actorId: actor.id, action: 'postmortem.publish', entityType: 'Postmortem', entityId: before.id, before, after });
      return after;
    });
  }

  private async lock(em: EntityManager, incidentId: string): Promise<PostmortemRow> {
    const row = isUuid(incidentId) ? await this.repo.postmortemForUpdate(em, incidentId) : null;
    if (!row) throw notFound('incident', incidentId);
    return row;
  }

  private async reread(em: EntityManager, incidentId: string): Promise<PostmortemRow> {
    const row = await this.repo.postmortemOfIncident(em, incidentId);
    if (!row) throw new Error(`postmortem of incident ${incidentId} vanished inside its transaction`);
    return row;
  }
}
