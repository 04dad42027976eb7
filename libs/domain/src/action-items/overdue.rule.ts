import { ActionStatus } from '../enums/contract.enums';
import { MS_PER_DAY } from '../time/time.util';
import { isOpenStatus } from './status.rule';

export interface DueItem {
  readonly status: ActionStatus;
  readonly dueAt: Date;
  /** false: an idea, never overdue (PRODUCT.md 5); absent: a commitment. */
  readonly committed?: boolean;
}

/**
 * An open item (OPEN, IN_PROGRESS, BLOCKED) whose dueAt has passed; at exactly dueAt it is
 * due, not yet overdue. A snooze pauses reminders, not the truth: a snoozed item past its
 * due date is still overdue. An idea (not committed) is never overdue.
 */
export function isOverdue(item: DueItem, now: Date): boolean {
  return item.committed !== false && isOpenStatus(item.status) && now.getTime() > item.dueAt.getTime();
}

/**
 * Whole days (24 h) past dueAt for an overdue item, else 0. An item 23 h late is overdue
 * with 0 days, matching the ladder, whose OVERDUE step comes at due + 1 day.
 */
export function daysOverdue(item: DueItem, now: Date): number {
  if (!isOverdue(item, now)) return 0;
  return Math.floor((now.getTime() - item.dueAt.getTime()) / MS_PER_DAY);
}
