import { ActionStatus, Priority } from '../enums/contract.enums';
import { FieldError, isBlank } from '../validation/fields.validation';

/** Statuses in which an item still has work left, is chased and can be overdue. */
export const OPEN_ACTION_STATUSES = ['OPEN', 'IN_PROGRESS', 'BLOCKED'] as const satisfies readonly ActionStatus[];
/** Closed statuses: no nudges, never overdue. */
export const CLOSED_ACTION_STATUSES = ['DONE', 'WONT_DO'] as const satisfies readonly ActionStatus[];

export function isOpenStatus(status: ActionStatus): boolean {
  return (OPEN_ACTION_STATUSES as readonly ActionStatus[]).includes(status);
}

export function isClosedStatus(status: ActionStatus): boolean {
  return !isOpenStatus(status);
}

/** P0/P1 fixes must prove themselves before they count as done (PRODUCT.md 2.4). */
export function needsVerification(priority: Priority): boolean {
  return priority === 'P0' || priority === 'P1';
}

export interface StatusChange {
  readonly from: ActionStatus;
  readonly to: ActionStatus;
  readonly priority: Priority;
  /** Required to reach DONE: what was done. */
  readonly completionNote?: string | null;
  /** Required to reach DONE at P0/P1: how we know it works. */
  readonly verification?: string | null;
  /** Required to reach WONT_DO: why the team will not do it. */
  readonly reason?: string | null;
}

/** Where the API takes each value, so errors point at the argument the client sent. */
export interface StatusChangeFields {
  readonly status: string;
  readonly completionNote: string;
  readonly verification: string;
  readonly reason: string;
}

/** Matches completeActionItem(id, note, verification) and updateActionItem(input.status). */
export const DEFAULT_STATUS_CHANGE_FIELDS: StatusChangeFields = { status: 'input.status', completionNote: 'note', verification: 'verification', reason: 'reason' };

/**
 * Status rules:
 * - Between the open statuses (OPEN, IN_PROGRESS, BLOCKED) anything goes; staying put is a no-op.
 * - → DONE needs a non-blank completion note; P0/P1 also a non-blank verification.
 * - → WONT_DO needs a non-blank reason (closing without doing is a decision to record).
 * - DONE and WONT_DO are closed. Reopening (→ an open status) is allowed without extra
 *   input, because a fix that turns out not to work must be able to come back; the audit
 *   log records who reopened it. A closed item cannot jump to the other closed status
 *   (DONE → WONT_DO would rewrite what happened): reopen it first.
 * A reopened item keeps its dueAt; if that lies in the past the ladder resumes at the step
 * reached (already-sent steps are not repeated) — moving the due date restarts it.
 */
export function validateStatusChange(change: StatusChange, fields: StatusChangeFields = DEFAULT_STATUS_CHANGE_FIELDS): FieldError[] {
  const { from, to } = change;
  if (from === to) return [];
  if (isClosedStatus(from) && isClosedStatus(to)) {
    return [{ field: fields.status, reason: `a ${from} item cannot become ${to} directly; reopen it (OPEN, IN_PROGRESS or BLOCKED) first` }];
  }
  const errors: FieldError[] = [];
  if (to === 'DONE') {
    if (isBlank(change.completionNote)) errors.push({ field: fields.completionNote, reason: 'a completion note is required to close an action item: say what was done' });
    if (needsVerification(change.priority) && isBlank(change.verification)) {
      errors.push({ field: fields.verification, reason: `${change.priority} items need a verification to close: how do we know the fix works?` });
    }
  }
  if (to === 'WONT_DO' && isBlank(change.reason)) {
    errors.push({ field: fields.reason, reason: 'a reason is required to close an action item as WONT_DO' });
  }
  return errors;
}

/**
 * completedAt after a status change: set to `now` on closing (DONE or WONT_DO — done-on-time
 * metrics only look at DONE), cleared on reopening, otherwise unchanged.
 */
export function completedAtAfter(from: ActionStatus, to: ActionStatus, previous: Date | null, now: Date): Date | null {
  if (from === to) return previous;
  if (isClosedStatus(to)) return now;
  if (isClosedStatus(from)) return null;
  return previous;
}
