import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  ActionKind,
  actionItemDueAt,
  ActionStatus,
  canClaimActionItem,
  canEditActionItem,
  completedAtAfter,
  FieldError,
  httpUrlOrNull,
  ideaCannotBeDone,
  isClosedStatus,
  isOpenStatus,
  Priority,
  StatusChangeFields,
  validateActionItemInput,
  validateCommit,
  validateDropIdea,
  validateDueDateChange,
  validateSnooze,
  validateStatusChange,
} from '@hindsight/domain';
import { assertValid, badInput, conflict, decodeCursor, encodeCursor, forbidden, isUuid, notFound, pageSize, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import type { LeaverItems, OpenItemsPort } from '@hindsight/server-identity';
import { PoliciesService } from '@hindsight/server-settings';
import { ActionItemCursor, ActionItemListFilter, ActionItemRow, ActionItemsRepository, ActionItemWrite } from './action-items.repository';

export interface NewActionItem {
  title: string;
  description?: string | null;
  kind: ActionKind;
  priority: Priority;
  ownerTeamId: string;
  assigneeId?: string | null;
  dueAt?: Date | null;
  addressesFactorId?: string | null;
  addressesSafeguardId?: string | null;
  addressesRunbookId?: string | null;
  externalUrl?: string | null;
  reach?: number | null;
  impact?: number | null;
  confidence?: number | null;
  effortDays?: number | null;
  /** false: propose it as an idea (not chased, never overdue); true when omitted. */
  committed?: boolean | null;
}

/** Only the keys present change; null clears the optional ones. */
export interface ActionItemChanges {
  title?: string | null;
  description?: string | null;
  kind?: ActionKind | null;
  priority?: Priority | null;
  status?: ActionStatus | null;
  ownerTeamId?: string | null;
  assigneeId?: string | null;
  addressesFactorId?: string | null;
  addressesSafeguardId?: string | null;
  externalUrl?: string | null;
  reach?: number | null;
  impact?: number | null;
  confidence?: number | null;
  effortDays?: number | null;
}

/** What a status change through updateActionItem may carry besides the status. */
export interface StatusChangeArgs {
  note?: string | null;
  verification?: string | null;
  reason?: string | null;
}

/**
 * A status change another room makes on an item it has locked, inside its own transaction:
 * who made it (null: a system, e.g. a tracker), the audit action, and what the entry adds to
 * the item's "after" (a runbook revision, the tracker issue).
 */
export interface LockedStatusChange {
  actorId: string | null;
  action: string;
  extra?: Record<string, unknown>;
}

export interface LockedCompletion extends LockedStatusChange {
  note: string;
  /** Where a refusal points, when the caller's arguments are not completeActionItem's. */
  fields?: StatusChangeFields;
}

export interface ActionItemPage {
  nodes: ActionItemRow[];
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

const CURSOR_TIME = /^\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const trimmed = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : s.trim() || null);

/**
 * Action items (PRODUCT.md 2.4): every rule comes from the domain library; each mutation is
 * one transaction that locks the item, checks rights (canEditActionItem), writes and audits.
 */
@Injectable()
export class ActionItemsService implements OpenItemsPort {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ActionItemsRepository,
    private readonly policies: PoliciesService,
    private readonly audit: AuditService,
  ) {}

  async byId(id: string): Promise<ActionItemRow | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.repo.itemsByIds([id]);
    return row ?? null;
  }

  /** The items with these ids (any order; ids of no item, or not ids, are left out): how other rooms read items. */
  async byIds(ids: readonly string[]): Promise<ActionItemRow[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.repo.itemsByIds(valid) : [];
  }

  async list(filter: ActionItemListFilter | null | undefined, first: number | null | undefined, after: string | null | undefined, now = new Date()): Promise<ActionItemPage> {
    const f = filter ?? {};
    const limit = pageSize(first);
    const errors: FieldError[] = [];
    for (const key of ['teamIds', 'assigneeIds'] as const) {
      const bad = f[key]?.find((id) => !isUuid(id));
      if (bad !== undefined) errors.push({ field: `filter.${key}`, reason: `"${bad}" is not an id` });
    }
    if (f.incidentId && !isUuid(f.incidentId)) errors.push({ field: 'filter.incidentId', reason: `"${f.incidentId}" is not an id` });
    assertValid(errors);
    const cursor = toCursor(decodeCursor(after, 2));
    const [rows, totalCount] = await Promise.all([this.repo.page(f, now, cursor, limit), this.repo.count(f, now)]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nodes = page.map(({ cursorDueAt: _key, ...row }) => row);
    return { nodes, totalCount, pageInfo: { endCursor: last ? encodeCursor([last.cursorDueAt, last.id]) : null, hasNextPage: rows.length > limit } };
  }

  async create(actor: SessionActor, incidentId: string, input: NewActionItem, now = new Date()): Promise<ActionItemRow> {
    assertValid(validateActionItemInput(input, 'create'));
    return this.ds.transaction(async (em) => {
      if (!isUuid(incidentId) || !(await this.repo.incidentExists(em, incidentId))) throw notFound('incident', incidentId);
      await this.assertTeam(em, input.ownerTeamId);
      if (!canEditActionItem(actor, input.ownerTeamId)) throw forbidden(editRefusal(actor));
      await this.assertLinks(em, incidentId, input);
      if (input.addressesRunbookId && !(isUuid(input.addressesRunbookId) && (await this.repo.runbookExists(em, input.addressesRunbookId)))) {
        throw unknownId('runbook', input.addressesRunbookId, 'input.addressesRunbookId');
      }
      const policies = await this.policies.current(em);
      const write: ActionItemWrite = {
        title: input.title.trim(),
        description: input.description ?? null,
        kind: input.kind,
        priority: input.priority,
        status: 'OPEN',
        ownerTeamId: input.ownerTeamId,
        assigneeId: input.assigneeId ?? null,
        dueAt: input.dueAt ?? actionItemDueAt(input.priority, now, policies),
        snoozedUntil: null,
        snoozeReason: null,
        completedAt: null,
        completionNote: null,
        verification: null,
        wontDoReason: null,
        externalUrl: input.externalUrl ?? null,
        addressesFactorId: input.addressesFactorId ?? null,
        addressesSafeguardId: input.addressesSafeguardId ?? null,
        addressesRunbookId: input.addressesRunbookId ?? null,
        reach: input.reach ?? null,
        impact: input.impact ?? null,
        confidence: input.confidence ?? null,
        effortDays: input.effortDays ?? null,
        committed: input.committed ?? true,
      };
      const item = await this.repo.insert(em, incidentId, actor.id, write);
      await this.audit.record(em, { actorId: actor.id, action: 'action-item.create', entityType: 'ActionItem', entityId: item.id, after: item });
      return item;
    });
  }

  async update(actor: SessionActor, id: string, changes: ActionItemChanges, args: StatusChangeArgs = {}, now = new Date()): Promise<ActionItemRow> {
    assertValid(validateActionItemInput(changes, 'update'));
    return this.ds.transaction(async (em) => {
      const before = await this.lockEditable(em, actor, id);
      const write: ActionItemWrite = { ...writeOf(before) };
      for (const [key, value] of Object.entries(changes) as [keyof ActionItemChanges, unknown][]) {
        if (value !== undefined) Object.assign(write, { [key]: value });
      }
      write.title = write.title.trim();
      if (write.ownerTeamId !== before.ownerTeamId) {
        await this.assertTeam(em, write.ownerTeamId);
        if (!canEditActionItem(actor, write.ownerTeamId)) throw forbidden('You may only hand an action item to a team whose items you may edit.');
      }
      await this.assertLinks(em, before.incidentId, {
        assigneeId: changes.assigneeId !== undefined && changes.assigneeId !== before.assigneeId ? changes.assigneeId : null,
        addressesFactorId: changes.addressesFactorId,
        addressesSafeguardId: changes.addressesSafeguardId,
      });
      if (changes.status && changes.status !== before.status) {
        const idea = ideaCannotBeDone(before, changes.status);
        if (idea) throw badInput('input.status', idea);
        assertValid(
          validateStatusChange(
            { from: before.status, to: changes.status, priority: write.priority, completionNote: args.note, verification: args.verification, reason: args.reason },
            { status: 'input.status', completionNote: 'note', verification: 'verification', reason: 'reason' },
          ),
        );
        Object.assign(write, statusFields(before, changes.status, args, now));
      }
      const after = await this.repo.update(em, id, write);
      await this.audit.record(em, { actorId: actor.id, action: 'action-item.update', entityType: 'ActionItem', entityId: id, before, after });
      return after;
    });
  }

  async complete(actor: SessionActor, id: string, note: string, verification: string | null | undefined, viaDelivery: string | null = null, now = new Date()): Promise<ActionItemRow> {
    assertViaDelivery(viaDelivery);
    return this.ds.transaction(async (em) => {
      const before = await this.lockEditable(em, actor, id);
      if (before.status === 'DONE') throw badInput('id', 'the item is already DONE; reopen it first to complete it again');
      const idea = ideaCannotBeDone(before, 'DONE');
      if (idea) throw badInput('id', idea);
      assertValid(
        validateStatusChange(
          { from: before.status, to: 'DONE', priority: before.priority, completionNote: note, verification },
          { status: 'id', completionNote: 'note', verification: 'verification', reason: 'reason' },
        ),
      );
      const after = await this.repo.update(em, id, { ...writeOf(before), ...statusFields(before, 'DONE', { note, verification }, now) });
      await this.audit.record(em, { actorId: actor.id, action: 'action-item.complete', entityType: 'ActionItem', entityId: id, before, after: withVia(after, viaDelivery) });
      return after;
    });
  }

  /**
   * Commits an idea (PRODUCT.md 5): an owner team, a priority and a due date (from the
   * priority policy when omitted), after which it is chased and counted like any item. The
   * caller must be able to edit the idea's team's items and the new team's.
   */
  async commit(actor: SessionActor, id: string, c: { ownerTeamId: string; priority: Priority; dueAt?: Date | null }, now = new Date()): Promise<ActionItemRow> {
    return this.ds.transaction(async (em) => {
      const before = await this.lockEditable(em, actor, id);
      assertValid(validateCommit(before, c));
      if (!isUuid(c.ownerTeamId) || !(await this.repo.team(em, c.ownerTeamId))) throw unknownId('team', c.ownerTeamId, 'ownerTeamId');
      if (!canEditActionItem(actor, c.ownerTeamId)) throw forbidden('You may only commit an item to a team whose items you may edit.');
      const dueAt = c.dueAt ?? actionItemDueAt(c.priority, now, await this.policies.current(em));
      const after = await this.repo.update(em, id, { ...writeOf(before), committed: true, ownerTeamId: c.ownerTeamId, priority: c.priority, dueAt });
      await this.audit.record(em, {
        actorId: actor.id, action: 'action-item.commit', entityType: 'ActionItem', entityId: id,
        before: { committed: false, ownerTeamId: before.ownerTeamId, priority: before.priority, dueAt: before.dueAt },
        after: { committed: true, ownerTeamId: after.ownerTeamId, priority: after.priority, dueAt: after.dueAt },
      });
      return after;
    });
  }

  /** Drops an idea with a reason: it is closed as WONT_DO and stays visible with it. */
  async dropIdea(actor: SessionActor, id: string, reason: string, now = new Date()): Promise<ActionItemRow> {
    return this.ds.transaction(async (em) => {
      const before = await this.lockEditable(em, actor, id);
      assertValid(validateDropIdea(before, reason));
      const after = await this.repo.update(em, id, { ...writeOf(before), ...statusFields(before, 'WONT_DO', { reason }, now) });
      await this.audit.record(em, {
        actorId: actor.id, action: 'action-item.drop-idea', entityType: 'ActionItem', entityId: id,
        before: { status: before.status }, after: { status: after.status, wontDoReason: after.wontDoReason },
      });
      return after;
    });
  }

  /**
   * Locks the item for the rest of the caller's transaction, so another room's write that
   * moves or closes it applies after concurrent edits, not between them. Null if there is none.
   */
  lockForUpdate(em: EntityManager, id: string): Promise<ActionItemRow | null> {
    return isUuid(id) ? this.repo.itemForUpdate(em, id) : Promise.resolve(null);
  }

  /** The manager of the item's owning team (null: none), read in the caller's transaction. */
  async owningTeamManager(em: EntityManager, item: Pick<ActionItemRow, 'ownerTeamId'>): Promise<string | null> {
    return (await this.repo.team(em, item.ownerTeamId))?.managerId ?? null;
  }

  /**
   * Completes an item the caller has locked, inside its transaction, with the same rules as
   * completeActionItem (a note; a P0/P1 item also needs a verification, so callers leave
   * those open) and the same fields (completedAt, the snooze ended): a runbook revision that
   * resolves the items asking for it, an issue closed in a tracker.
   */
  async completeLocked(em: EntityManager, before: ActionItemRow, change: LockedCompletion, now = new Date()): Promise<ActionItemRow> {
    assertValid(
      validateStatusChange(
        { from: before.status, to: 'DONE', priority: before.priority, completionNote: change.note, verification: null },
        change.fields,
      ),
    );
    return this.writeStatus(em, before, 'DONE', { note: change.note }, change, now);
  }

  /**
   * Reopens a DONE or WONT_DO item the caller has locked, inside its transaction, as
   * updateActionItem(status: OPEN) would: completedAt and the closing note, verification and
   * reason are cleared (the audit entry keeps them). An issue reopened in a tracker.
   */
  async reopenLocked(em: EntityManager, before: ActionItemRow, change: LockedStatusChange, now = new Date()): Promise<ActionItemRow> {
    assertValid(validateStatusChange({ from: before.status, to: 'OPEN', priority: before.priority }));
    return this.writeStatus(em, before, 'OPEN', {}, change, now);
  }

  /**
   * A person leaves (deactivated, or taken off a team): their open items (of that team) are
   * unassigned in the caller's transaction, each audited with the reason, so the chaser takes
   * them to the owning team's manager. Identity's OpenItemsPort.
   */
  async unassignLeaverItems(em: EntityManager, leaver: LeaverItems): Promise<string[]> {
    const ids = await this.repo.unassignOpenItemsOf(em, leaver.userId, leaver.teamId);
    for (const id of ids) {
      await this.audit.record(em, {
        actorId: leaver.actorId, action: 'action-item.unassign', entityType: 'ActionItem', entityId: id,
        before: { assigneeId: leaver.userId }, after: { assigneeId: null, reason: leaver.reason },
      });
    }
    return ids;
  }

  /**
   * Takes `url` (an issue a tracker made for the item) as the item's external link, unless it
   * already has one or the URL is not one a person could set. The caller's own audit entry
   * names the URL. Returns whether it was taken.
   */
  async adoptExternalUrl(em: EntityManager, id: string, url: string): Promise<boolean> {
    const valid = httpUrlOrNull(url);
    return valid !== null && this.repo.setExternalUrlIfUnset(em, id, valid);
  }

  private async writeStatus(em: EntityManager, before: ActionItemRow, to: ActionStatus, args: StatusChangeArgs, change: LockedStatusChange, now: Date): Promise<ActionItemRow> {
    const after = await this.repo.update(em, before.id, { ...writeOf(before), ...statusFields(before, to, args, now) });
    await this.audit.record(em, { actorId: change.actorId, action: change.action, entityType: 'ActionItem', entityId: before.id, before, after: { ...after, ...change.extra } });
    return after;
  }

  /** Moves the deadline with a reason kept in the deadline history; the chase ladder restarts for the new date. */
  async changeDueDate(actor: SessionActor, id: string, dueAt: Date, reason: string, viaDelivery: string | null = null): Promise<ActionItemRow> {
    assertViaDelivery(viaDelivery);
    return this.ds.transaction(async (em) => {
      const before = await this.lockEditable(em, actor, id);
      assertValid(validateDueDateChange({ status: before.status, dueAt, reason }));
      if (dueAt.getTime() === before.dueAt.getTime()) throw badInput('dueAt', 'is already the due date of this item');
      return this.moveDueDate(em, actor.id, before, dueAt, reason, 'action-item.change-due-date', viaDelivery);
    });
  }

  /**
   * Writes a new due date inside the caller's transaction, on an item it has locked: the
   * change and its reason go into the deadline history and the audit log. Shared with an
   * approved extension request, whose reason becomes the history's.
   */
  async moveDueDate(em: EntityManager, actorId: string, before: ActionItemRow, dueAt: Date, reason: string, action: string, viaDelivery: string | null = null): Promise<ActionItemRow> {
    const change = await this.repo.insertDueChange(em, { actionItemId: before.id, previousDueAt: before.dueAt, newDueAt: dueAt, reason: reason.trim(), changedBy: actorId });
    const after = await this.repo.update(em, before.id, { ...writeOf(before), dueAt });
    await this.audit.record(em, {
      actorId, action, entityType: 'ActionItem', entityId: before.id,
      before: { dueAt: before.dueAt }, after: withVia({ dueAt: after.dueAt, reason: change.reason }, viaDelivery),
    });
    return after;
  }

  /**
   * "I'll take it": assigns an unassigned open item to the caller, a member or the manager
   * of the owning team or an ADMIN. An item whose assignee was deactivated counts as
   * unassigned (PRODUCT.md 1); one someone active holds is theirs until reassigned.
   */
  async claim(actor: SessionActor, id: string, viaDelivery: string | null = null): Promise<ActionItemRow> {
    assertViaDelivery(viaDelivery);
    return this.ds.transaction(async (em) => {
      const before = isUuid(id) ? await this.repo.itemForUpdate(em, id) : null;
      if (!before) throw notFound('action item', id);
      const team = await this.repo.team(em, before.ownerTeamId);
      if (!canClaimActionItem(actor, { ownerTeamId: before.ownerTeamId, teamManagerId: team?.managerId ?? null })) {
        throw forbidden(actor.role === 'VIEWER' ? editRefusal(actor) : "Only the owning team's members and manager, and ADMINs, may take this team's items.");
      }
      if (isClosedStatus(before.status)) throw badInput('id', `the item is ${before.status}; only open items are taken on`);
      if (before.assigneeId === actor.id) return before;
      if (before.assigneeId && (await this.repo.userActive(em, before.assigneeId))) {
        throw conflict('Someone on the team has already taken this item; the team manager can reassign it.', { field: 'id' });
      }
      const after = await this.repo.update(em, id, { ...writeOf(before), assigneeId: actor.id });
      await this.audit.record(em, {
        actorId: actor.id, action: 'action-item.claim', entityType: 'ActionItem', entityId: id,
        before: { assigneeId: before.assigneeId }, after: withVia({ assigneeId: after.assigneeId }, viaDelivery),
      });
      return after;
    });
  }

  /** Pauses the reminders until `until` (PRODUCT.md 4 quiet rules). */
  async snooze(actor: SessionActor, id: string, until: Date, reason: string, viaDelivery: string | null = null, now = new Date()): Promise<ActionItemRow> {
    assertViaDelivery(viaDelivery);
    return this.ds.transaction(async (em) => {
      const before = await this.lockEditable(em, actor, id);
      const team = await this.repo.team(em, before.ownerTeamId);
      const check = validateSnooze(
        { priority: before.priority, status: before.status, until, reason, actorRole: actor.role, actorIsManagerOfOwningTeam: team?.managerId === actor.id },
        now,
      );
      if (check.forbidden) throw forbidden(check.forbidden);
      assertValid(check.errors);
      const after = await this.repo.update(em, id, { ...writeOf(before), snoozedUntil: until, snoozeReason: reason.trim() });
      await this.audit.record(em, {
        actorId: actor.id, action: 'action-item.snooze', entityType: 'ActionItem', entityId: id,
        before: { snoozedUntil: before.snoozedUntil, snoozeReason: before.snoozeReason }, after: withVia({ snoozedUntil: after.snoozedUntil, snoozeReason: after.snoozeReason }, viaDelivery),
      });
      return after;
    });
  }

  private async lockEditable(em: EntityManager, actor: SessionActor, id: string): Promise<ActionItemRow> {
    const item = isUuid(id) ? await this.repo.itemForUpdate(em, id) : null;
    if (!item) throw notFound('action item', id);
    if (!canEditActionItem(actor, item.ownerTeamId)) throw forbidden(editRefusal(actor));
    return item;
  }

  private async assertTeam(em: EntityManager, teamId: string): Promise<void> {
    if (!isUuid(teamId) || !(await this.repo.team(em, teamId))) throw unknownId('team', teamId, 'input.ownerTeamId');
  }

  /** The assignee must be an active user; the factor or safeguard addressed must be of the same incident. */
  private async assertLinks(
    em: EntityManager,
    incidentId: string,
    links: { assigneeId?: string | null; addressesFactorId?: string | null; addressesSafeguardId?: string | null },
  ): Promise<void> {
    const { assigneeId, addressesFactorId: factorId, addressesSafeguardId: safeguardId } = links;
    if (assigneeId) {
      const active = isUuid(assigneeId) ? await this.repo.userActive(em, assigneeId) : null;
      if (active === null) throw unknownId('user', assigneeId, 'input.assigneeId');
      if (!active) throw badInput('input.assigneeId', 'this user is deactivated; assign the item to an active user or leave it to the team');
    }
    if (factorId) {
      const [factor] = isUuid(factorId) ? await this.repo.factorsByIds([factorId], em) : [];
      if (!factor) throw unknownId('contributing factor', factorId, 'input.addressesFactorId');
      if (factor.incidentId !== incidentId) throw badInput('input.addressesFactorId', 'this contributing factor belongs to another incident');
    }
    if (safeguardId) {
      const [safeguard] = isUuid(safeguardId) ? await this.repo.safeguardsByIds([safeguardId], em) : [];
      if (!safeguard) throw unknownId('failed safeguard', safeguardId, 'input.addressesSafeguardId');
      if (safeguard.incidentId !== incidentId) throw badInput('input.addressesSafeguardId', 'this failed safeguard belongs to another incident');
    }
  }
}

/** A nudge link's delivery id, passed back by the web app when the answer came from a reminder. */
export function assertViaDelivery(viaDelivery: string | null | undefined): void {
  if (viaDelivery && !isUuid(viaDelivery)) throw badInput('viaDelivery', `"${viaDelivery}" is not a delivery id; it comes from the reminder's link`);
}

/**
 * The audit entry of an answer names the nudge delivery whose link led to it, so a response
 * can be traced to the reminder that caused it.
 */
export function withVia<T extends object>(after: T, viaDelivery: string | null | undefined): T | (T & { viaDelivery: string }) {
  return viaDelivery ? { ...after, viaDelivery } : after;
}

function editRefusal(actor: SessionActor): string {
  return actor.role === 'VIEWER'
    ? 'Viewers read only; action items are edited by commanders and by the managers and members of the owning team.'
    : "Only commanders, administrators and the owning team's manager and members may edit this team's action items.";
}

function writeOf(row: ActionItemRow): ActionItemWrite {
  const { id: _id, incidentId: _incident, createdById: _by, createdAt: _created, updatedAt: _updated, ...write } = row;
  return write;
}

/**
 * Fields that follow a status change: completedAt per the domain; closing records its note,
 * verification or reason and ends any snooze; reopening clears them (the audit log keeps them).
 */
function statusFields(before: ActionItemRow, to: ActionStatus, args: StatusChangeArgs, now: Date): Partial<ActionItemWrite> {
  const fields: Partial<ActionItemWrite> = { status: to, completedAt: completedAtAfter(before.status, to, before.completedAt, now) };
  if (to === 'DONE') Object.assign(fields, { completionNote: trimmed(args.note), verification: trimmed(args.verification), wontDoReason: null });
  if (to === 'WONT_DO') Object.assign(fields, { wontDoReason: trimmed(args.reason), completionNote: null, verification: null });
  if (isClosedStatus(to)) Object.assign(fields, { snoozedUntil: null, snoozeReason: null });
  if (isOpenStatus(to) && isClosedStatus(before.status)) Object.assign(fields, { completionNote: null, verification: null, wontDoReason: null });
  return fields;
}

function toCursor(keys: (string | number)[] | null): ActionItemCursor | null {
  if (!keys) return null;
  const [dueAt, id] = keys;
  if (typeof dueAt !== 'string' || !CURSOR_TIME.test(dueAt) || typeof id !== 'string' || !isUuid(id)) {
    throw badInput('after', 'is not a cursor from this list: pass pageInfo.endCursor of the previous page');
  }
  return { dueAt, id };
}
