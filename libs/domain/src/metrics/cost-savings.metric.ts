import { isValidDate, MS_PER_DAY } from '../time/time.util';

/** How far before and after completion the cost-savings view looks by default. */
export const DEFAULT_SAVINGS_WINDOW_DAYS = 90;

/**
 * PRODUCT.md 5 cost savings: equal windows before and after an action item's completion.
 * The after window cannot reach past `now`, so both shrink to the time elapsed since
 * completion when that is shorter than `windowDays` — otherwise a fix done last week would
 * compare 90 days of history against 7 days of quiet and look like a triumph.
 * Before = [completedAt − length, completedAt), after = [completedAt, completedAt + length).
 */
export interface SavingsWindows {
  readonly lengthDays: number;
  readonly before: { readonly from: Date; readonly to: Date };
  readonly after: { readonly from: Date; readonly to: Date };
}

export function savingsWindows(completedAt: Date, windowDays: number, now: Date): SavingsWindows | null {
  if (!isValidDate(completedAt) || !(windowDays > 0)) return null;
  const lengthMs = Math.max(0, Math.min(windowDays * MS_PER_DAY, now.getTime() - completedAt.getTime()));
  const c = completedAt.getTime();
  return {
    lengthDays: lengthMs / MS_PER_DAY,
    before: { from: new Date(c - lengthMs), to: completedAt },
    after: { from: completedAt, to: new Date(c + lengthMs) },
  };
}
