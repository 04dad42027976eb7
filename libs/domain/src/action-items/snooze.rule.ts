import { ActionStatus, Priority } from '../enums/contract.enums';
import { Role } from '../identity/roles.policy';
import { checkDate, FieldError, isBlank } from '../validation/fields.validation';
import { isValidDate, MS_PER_DAY } from '../time/time.util';
import { isClosedStatus } from './status.rule';

/** PRODUCT.md 4: a snooze lasts at most 14 days. */
export const SNOOZE_MAX_DAYS = 14;

export interface SnoozeRequest {
  readonly priority: Priority;
  readonly status?: ActionStatus;
  readonly until: Date;
  readonly reason: string | null | undefined;
  readonly actorRole: Role;
  /** The actor is the manager of the item's owning team. */
  readonly actorIsManagerOfOwningTeam: boolean;
}

export interface SnoozeCheck {
  /** Problems with the input (BAD_USER_INPUT). */
  readonly errors: FieldError[];
  /** Set when the actor may not snooze this item (FORBIDDEN), with the reason to show. */
  readonly forbidden: string | null;
}

/**
 * PRODUCT.md 4 quiet rules: a snooze needs a reason, ends in the future and at most 14 days
 * (exactly 14 × 24 h is allowed) from now; P0/P1 items may only be snoozed by the owning
 * team's manager or an ADMIN (the "manager approval"). Closed items have nothing to pause.
 * Whether the actor may edit the item at all is canEditActionItem's concern.
 */
export function validateSnooze(request: SnoozeRequest, now: Date): SnoozeCheck {
  const errors: FieldError[] = [];
  if (request.status && isClosedStatus(request.status)) {
    errors.push({ field: 'id', reason: `the item is ${request.status}; closed items get no reminders to pause` });
  }
  if (isBlank(request.reason)) errors.push({ field: 'reason', reason: 'a reason is required to snooze an action item' });
  const dateError = checkDate('until', request.until);
  if (dateError) errors.push(dateError);
  else if (request.until.getTime() <= now.getTime()) errors.push({ field: 'until', reason: 'must be in the future' });
  else if (request.until.getTime() - now.getTime() > SNOOZE_MAX_DAYS * MS_PER_DAY) {
    errors.push({ field: 'until', reason: `must be at most ${SNOOZE_MAX_DAYS} days from now; change the due date (with a reason) for a longer delay` });
  }
  const privileged = request.priority === 'P0' || request.priority === 'P1';
  const approved = request.actorRole === 'ADMIN' || request.actorIsManagerOfOwningTeam;
  const forbidden = privileged && !approved ? `only the owning team's manager or an ADMIN may snooze a ${request.priority} action item` : null;
  return { errors, forbidden };
}

/** The ladder is paused while snoozedUntil lies in the future; it resumes at that instant. */
export function isSnoozed(snoozedUntil: Date | null | undefined, now: Date): boolean {
  return isValidDate(snoozedUntil) && snoozedUntil.getTime() > now.getTime();
}

export interface DueDateChange {
  readonly status: ActionStatus;
  readonly dueAt: Date;
  readonly reason: string | null | undefined;
}

/**
 * Moving a deadline needs a reason (it goes into the deadline history). A past date is
 * allowed — backfilled items exist, and the ladder then starts at the step reached. A
 * closed item's deadline is frozen: done-on-time is judged against the due date in force
 * at completion, which must not be rewritten afterwards.
 */
export function validateDueDateChange(change: DueDateChange): FieldError[] {
  const errors: FieldError[] = [];
  if (isClosedStatus(change.status)) errors.push({ field: 'id', reason: `the item is ${change.status}; reopen it before moving its due date` });
  const dateError = checkDate('dueAt', change.dueAt);
  if (dateError) errors.push(dateError);
  if (isBlank(change.reason)) errors.push({ field: 'reason', reason: 'a reason is required to change a due date' });
  return errors;
}
