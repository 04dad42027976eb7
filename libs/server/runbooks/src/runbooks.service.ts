import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  canEditActionItem,
  canEditRunbook,
  canGiveRunbookFeedback,
  canReviewRunbook,
  checkText,
  diffRunbooks,
  isClosedStatus,
  isOneOf,
  RUNBOOK_SECTIONS,
  RUNBOOK_VERDICTS,
  RunbookContent,
  runbookReviewDueAt,
  RunbookVerdict,
  SectionDiff,
  StatusChangeFields,
  validateRunbookInput,
} from '@hindsight/domain';
import { ActionItemsService } from '@hindsight/server-action-items';
import { AuditService } from '@hindsight/server-audit';
import { CatalogService, LegacyRunbookPort } from '@hindsight/server-catalog';
import { assertValid, badInput, conflict, forbidden, isUuid, notFound, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { PostmortemExportService, type IncidentRunbookFeedback, type RunbookFeedbackPort } from '@hindsight/server-incidents';
import type { SessionActor } from '@hindsight/server-graphql';
import { PoliciesService } from '@hindsight/server-settings';
import { RunbookFeedbackRow, RunbookRow, RunbooksRepository, RunbookWrite } from './runbooks.repository';

export interface RunbookChanges {
  title?: string | null;
  detection?: string | null;
  mitigation?: string | null;
  verification?: string | null;
  escalation?: string | null;
  rollback?: string | null;
  pitfalls?: string | null;
  reviewIntervalDays?: number | null;
}

/** At most this many linked items are resolved by one save (a runbook gap is rarely tracked more than a few times). */
const MAX_RESOLVED_ITEMS = 50;

/** A completion the items room refuses points at the save's argument that asked for it. */
const RESOLVES_FIELDS: StatusChangeFields = { status: 'resolvesActionItemIds', completionNote: 'note', verification: 'resolvesActionItemIds', reason: 'reason' };

/** The note on revision 1 of a runbook made from a service's legacy text, as migration 1796055564467 wrote it. */
export const LEGACY_RUNBOOK_NOTE = "Moved from the service's runbook field";

/** The migration's conventions: "<service> runbook" (at most 200 characters), the whole text in mitigation, what on-call reached for it for. */
export function legacyRunbookContent(serviceName: string, text: string): RunbookContent {
  return { title: `${serviceName} runbook`.slice(0, 200), detection: null, mitigation: text, verification: null, escalation: null, rollback: null, pitfalls: null };
}

const trimmedOrNull = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : s.trim() === '' ? null : s);

const contentOf = (r: RunbookContent): RunbookContent => ({
  title: r.title, detection: r.detection, mitigation: r.mitigation, verification: r.verification, escalation: r.escalation, rollback: r.rollback, pitfalls: r.pitfalls,
});

function editRefusal(actor: SessionActor): string {
  return actor.role === 'VIEWER'
    ? "Viewers read only; runbooks are edited by the service's team (its members and manager), commanders and administrators."
    : "Only the service's team (its members and manager), commanders and administrators edit this runbook.";
}

/**
 * Runbooks (issue 13): every save is a revision (optimistic concurrency on `version`, like
 * the postmortem editor), a save or a review restarts the review clock, and a save may
 * complete the action items that asked for it. Each mutation is one transaction that locks
 * the runbook, checks rights (domain can* rules), writes and audits.
 */
@Injectable()
export class RunbooksService implements OnModuleInit, LegacyRunbookPort, RunbookFeedbackPort {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: RunbooksRepository,
    private readonly items: ActionItemsService,
    private readonly policies: PoliciesService,
    private readonly audit: AuditService,
    private readonly catalog: CatalogService,
    private readonly postmortemExport: PostmortemExportService,
  ) {}

  onModuleInit(): void {
    this.catalog.useLegacyRunbooks(this);
    this.postmortemExport.useRunbookFeedback(this);
  }

  /** The postmortem export's runbook feedback section (RunbookFeedbackPort). */
  feedbackOfIncident(incidentId: string): Promise<IncidentRunbookFeedback[]> {
    return this.repo.feedbackForExport(incidentId);
  }

  async hasRunbooks(em: EntityManager, serviceId: string): Promise<boolean> {
    return this.repo.serviceHasRunbooks(em, serviceId);
  }

  /**
   * createService / updateService with legacy `runbook` text on a service without runbooks:
   * the same first runbook the migration made, written and audited like createRunbook, in the
   * catalogue's transaction. Only ADMINs write services, and they may edit every runbook.
   */
  async createFromLegacyText(em: EntityManager, actor: SessionActor, service: { id: string; name: string }, text: string, now: Date): Promise<void> {
    const content = legacyRunbookContent(service.name, text);
    const interval = (await this.policies.current(em)).runbookReviewDays;
    const write: RunbookWrite = { ...content, reviewIntervalDays: interval, reviewDueAt: runbookReviewDueAt({ lastReviewedAt: null, updatedAt: now, reviewIntervalDays: interval }) };
    const created = await this.repo.insert(em, service.id, actor.id, write, now);
    await this.repo.insertRevision(em, created, 1, content, actor.id, now, LEGACY_RUNBOOK_NOTE);
    await this.audit.record(em, { actorId: actor.id, action: 'runbook.create', entityType: 'Runbook', entityId: created, after: { serviceId: service.id, version: 1, ...write, note: LEGACY_RUNBOOK_NOTE } });
  }

  async byId(id: string): Promise<RunbookRow | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.repo.byIds([id]);
    return row ?? null;
  }

  list(serviceId: string | null | undefined, stale: boolean | null | undefined, search: string | null | undefined = null, now = new Date()): Promise<RunbookRow[]> {
    if (serviceId && !isUuid(serviceId)) throw badInput('serviceId', `"${serviceId}" is not an id`);
    if (search && search.length > 200) throw badInput('search', 'at most 200 characters');
    return this.repo.list(serviceId ?? null, stale ? now : null, search?.trim() || null);
  }

  async create(actor: SessionActor, serviceId: string, input: RunbookChanges, now = new Date()): Promise<RunbookRow> {
    assertValid(validateRunbookInput(input, 'create'));
    const id = await this.ds.transaction(async (em) => {
      const service = isUuid(serviceId) ? await this.repo.service(em, serviceId) : null;
      if (!service) throw unknownId('service', serviceId, 'serviceId');
      if (!canEditRunbook(actor, service.teamId)) throw forbidden(editRefusal(actor));
      const interval = input.reviewIntervalDays ?? (await this.policies.current(em)).runbookReviewDays;
      const content: RunbookContent = { ...this.sections(null, input), title: (input.title ?? '').trim() };
      const write: RunbookWrite = { ...content, reviewIntervalDays: interval, reviewDueAt: runbookReviewDueAt({ lastReviewedAt: null, updatedAt: now, reviewIntervalDays: interval }) };
      const created = await this.repo.insert(em, service.id, actor.id, write, now);
      await this.repo.insertRevision(em, created, 1, content, actor.id, now, null);
      await this.audit.record(em, { actorId: actor.id, action: 'runbook.create', entityType: 'Runbook', entityId: created, after: { serviceId: service.id, version: 1, ...write } });
      return created;
    });
    return this.mustGet(id);
  }

  /**
   * Saves a new revision. A stale `expectedVersion` is CONFLICT with the current version, so
   * the editor can merge. `resolvesActionItemIds` completes items addressing this runbook
   * ("resolved by runbook revision N"); a P0/P1 item stays open for its verification.
   */
  async update(
    actor: SessionActor,
    id: string,
    expectedVersion: number,
    input: RunbookChanges,
    note: string | null | undefined,
    resolvesActionItemIds: readonly string[] | null | undefined,
    now = new Date(),
  ): Promise<RunbookRow> {
    const noteError = checkText('note', note);
    assertValid([...validateRunbookInput(input, 'update'), ...(noteError ? [noteError] : [])]);
    const resolves = [...new Set(resolvesActionItemIds ?? [])];
    if (resolves.length > MAX_RESOLVED_ITEMS) throw badInput('resolvesActionItemIds', `at most ${MAX_RESOLVED_ITEMS} items per save`);
    const bad = resolves.find((i) => !isUuid(i));
    if (bad !== undefined) throw badInput('resolvesActionItemIds', `"${bad}" is not an id`);
    await this.ds.transaction(async (em) => {
      const before = await this.lockEditable(em, actor, id, canEditRunbook);
      if (expectedVersion !== before.version) {
        throw conflict(
          `The runbook was changed by someone else: you edited version ${expectedVersion}, it is now version ${before.version}. Reload it, reapply your changes and send expectedVersion ${before.version}.`,
          { field: 'expectedVersion', currentVersion: before.version },
        );
      }
      const content: RunbookContent = { ...this.sections(before, input), title: input.title?.trim() || before.title };
      const interval = input.reviewIntervalDays ?? before.reviewIntervalDays;
      const write: RunbookWrite = { ...content, reviewIntervalDays: interval, reviewDueAt: runbookReviewDueAt({ lastReviewedAt: before.lastReviewedAt, updatedAt: now, reviewIntervalDays: interval }) };
      if (!(await this.repo.update(em, before.id, expectedVersion, write, now))) throw new Error(`runbook ${before.id} moved past version ${expectedVersion} under its lock`);
      const version = before.version + 1;
      const trimmedNote = note?.trim() || null;
      await this.repo.insertRevision(em, before.id, version, content, actor.id, now, trimmedNote);
      await this.audit.record(em, { actorId: actor.id, action: 'runbook.update', entityType: 'Runbook', entityId: before.id, before, after: { ...write, version, note: trimmedNote } });
      await this.resolveItems(em, actor, before.id, version, resolves, now);
    });
    return this.mustGet(id);
  }

  /** "Still true": restarts the review clock without a new revision. */
  async markReviewed(actor: SessionActor, id: string, now = new Date()): Promise<RunbookRow> {
    await this.ds.transaction(async (em) => {
      const before = await this.lockEditable(em, actor, id, canReviewRunbook);
      const reviewDueAt = runbookReviewDueAt({ lastReviewedAt: now, updatedAt: before.updatedAt, reviewIntervalDays: before.reviewIntervalDays });
      await this.repo.markReviewed(em, before.id, actor.id, now, reviewDueAt);
      await this.audit.record(em, {
        actorId: actor.id, action: 'runbook.review', entityType: 'Runbook', entityId: before.id,
        before: { lastReviewedAt: before.lastReviewedAt, reviewDueAt: before.reviewDueAt }, after: { lastReviewedAt: now, reviewDueAt },
      });
    });
    return this.mustGet(id);
  }

  async recordFeedback(actor: SessionActor, incidentId: string, runbookId: string, verdict: RunbookVerdict, note: string | null | undefined): Promise<RunbookFeedbackRow> {
    const errors = [checkText('note', note)].filter((e) => e !== null);
    if (!isOneOf(RUNBOOK_VERDICTS, verdict)) errors.push({ field: 'verdict', reason: `must be one of ${RUNBOOK_VERDICTS.join(', ')}` });
    assertValid(errors);
    return this.ds.transaction(async (em) => {
      if (!isUuid(incidentId) || !(await this.repo.incidentExists(em, incidentId))) throw unknownId('incident', incidentId, 'incidentId');
      const runbook = isUuid(runbookId) ? await this.repo.forUpdate(em, runbookId) : null;
      if (!runbook) throw unknownId('runbook', runbookId, 'runbookId');
      if (!canGiveRunbookFeedback(actor)) throw forbidden('Feedback on runbooks needs a sign-in.');
      const row = await this.repo.insertFeedback(em, { runbookId: runbook.id, incidentId, verdict, note: note?.trim() || null, authorId: actor.id });
      await this.audit.record(em, { actorId: actor.id, action: 'runbook.feedback', entityType: 'Runbook', entityId: runbook.id, after: row });
      return row;
    });
  }

  /** The changes between two revisions (either order; the older one is the "before"). */
  async diff(runbookId: string, fromVersion: number, toVersion: number): Promise<SectionDiff[]> {
    const rows = await this.repo.revisions(runbookId, [fromVersion, toVersion]);
    const from = rows.find((r) => r.version === fromVersion);
    const to = rows.find((r) => r.version === toVersion);
    if (!from) throw badInput('fromVersion', `this runbook has no revision ${fromVersion}`);
    if (!to) throw badInput('toVersion', `this runbook has no revision ${toVersion}`);
    return diffRunbooks(contentOf(from), contentOf(to));
  }

  private async resolveItems(em: EntityManager, actor: SessionActor, runbookId: string, version: number, ids: readonly string[], now: Date): Promise<void> {
    // A fixed lock order, so two saves resolving overlapping items cannot deadlock.
    for (const itemId of [...ids].sort()) {
      const item = await this.items.lockForUpdate(em, itemId);
      if (!item) throw unknownId('action item', itemId, 'resolvesActionItemIds');
      if (item.addressesRunbookId !== runbookId) throw badInput('resolvesActionItemIds', `action item "${item.title}" does not address this runbook`);
      if (isClosedStatus(item.status)) throw badInput('resolvesActionItemIds', `action item "${item.title}" is already ${item.status}`);
      if (!canEditActionItem(actor, item.ownerTeamId)) throw forbidden(`You may not close "${item.title}": it belongs to a team whose items you do not edit.`);
      const note = `Resolved by runbook revision ${version}`;
      if (item.priority === 'P0' || item.priority === 'P1') {
        // The revision is recorded against the item, but a P0/P1 closes only with a verification of the fix.
        await this.audit.record(em, {
          actorId: actor.id, action: 'action-item.runbook-revision', entityType: 'ActionItem', entityId: item.id,
          after: { runbookId, runbookVersion: version, note: `${note}; still needs its verification before it is done` },
        });
        continue;
      }
      await this.items.completeLocked(em, item, { actorId: actor.id, note, action: 'action-item.resolve-by-runbook', extra: { runbookId, runbookVersion: version }, fields: RESOLVES_FIELDS }, now);
    }
  }

  private sections(before: RunbookContent | null, input: RunbookChanges): Omit<RunbookContent, 'title'> {
    const out = {} as Record<(typeof RUNBOOK_SECTIONS)[number], string | null>;
    for (const s of RUNBOOK_SECTIONS) out[s] = input[s] === undefined ? (before?.[s] ?? null) : trimmedOrNull(input[s]);
    return out;
  }

  private async lockEditable(em: EntityManager, actor: SessionActor, id: string, rule: (actor: SessionActor, teamId: string) => boolean): Promise<RunbookRow> {
    const row = isUuid(id) ? await this.repo.forUpdate(em, id) : null;
    if (!row) throw notFound('runbook', id);
    if (!rule(actor, row.teamId)) throw forbidden(editRefusal(actor));
    return row;
  }

  private async mustGet(id: string): Promise<RunbookRow> {
    const row = await this.byId(id);
    if (!row) throw notFound('runbook', id);
    return row;
  }
}
