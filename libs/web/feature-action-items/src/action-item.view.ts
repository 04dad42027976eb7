import type { ActionItemRowFragment, ActionStatus, Priority } from '@hindsight/web-data-access';
import type { BadgeTone } from '@hindsight/web-ui';

export const PRIORITY_TONE: Record<Priority, BadgeTone> = { P0: 'danger', P1: 'warning', P2: 'info', P3: 'neutral' };

export const OPEN_STATUSES: ActionStatus[] = ['OPEN', 'IN_PROGRESS', 'BLOCKED'];

const DUE_SOON_MS = 3 * 24 * 3600 * 1000;

export type Urgency = 'overdue' | 'due-soon' | 'snoozed' | 'closed' | 'on-track';

/** Mirrors the reminder ladder's first step (DUE_SOON, 3 days before): what the owner sees first. */
export function urgencyOf(item: Pick<ActionItemRowFragment, 'status' | 'isOverdue' | 'dueAt' | 'snoozedUntil'>, now = Date.now()): Urgency {
  if (!OPEN_STATUSES.includes(item.status)) return 'closed';
  if (item.snoozedUntil && new Date(item.snoozedUntil).getTime() > now) return 'snoozed';
  if (item.isOverdue) return 'overdue';
  if (new Date(item.dueAt).getTime() - now <= DUE_SOON_MS) return 'due-soon';
  return 'on-track';
}

export function dueText(item: Pick<ActionItemRowFragment, 'status' | 'isOverdue' | 'daysOverdue' | 'dueAt' | 'snoozedUntil'>, now = Date.now()): string {
  const urgency = urgencyOf(item, now);
  if (urgency === 'overdue') return item.daysOverdue === 1 ? '1 day overdue' : `${item.daysOverdue} days overdue`;
  if (urgency === 'due-soon') return 'due soon';
  if (urgency === 'snoozed') return 'snoozed';
  return '';
}
