import { ActionStatus, Priority, PRIORITIES } from '../enums/contract.enums';
import { isOpenStatus } from '../action-items/status.rule';
import { isOverdue } from '../action-items/overdue.rule';
import { isValidDate, MS_PER_DAY } from '../time/time.util';
import { DAY_HISTOGRAM_BOUNDS, distributionStats, DistributionStats } from './percentiles.metric';
import { OVERDUE_AGE_DAYS, overdueAgeDays } from './report-metrics.metric';

export interface HealthItem {
  readonly status: ActionStatus;
  readonly dueAt: Date;
  readonly completedAt?: Date | null;
}

export interface ActionItemHealth {
  readonly open: number;
  readonly overdue: number;
  readonly done: number;
  readonly doneOnTime: number;
  /** doneOnTime ÷ done; null when nothing is done (no rate to show, rather than 0 %). */
  readonly doneOnTimeRate: number | null;
  /** Ages past dueAt, in fractional days, of the overdue items. */
  readonly overdueAgeDays: DistributionStats;
}

/**
 * PRODUCT.md 5 action-item health as of `now`. `open` counts OPEN, IN_PROGRESS and
 * BLOCKED; `done` counts DONE only (WONT_DO is a decision, not a delivery); on time means
 * completedAt ≤ dueAt, where dueAt is the date in force at completion (closed items'
 * deadlines are frozen, see validateDueDateChange). A DONE item without completedAt
 * (legacy data) counts as done but not on time. Overdue ages are fractional days so the
 * median of items one and two days late reads 1.5 rather than a rounded whole day.
 */
export function actionItemHealth(items: readonly HealthItem[], now: Date): ActionItemHealth {
  let open = 0;
  let done = 0;
  let doneOnTime = 0;
  const ages: number[] = [];
  for (const item of items) {
    if (isOpenStatus(item.status)) {
      open++;
      if (isOverdue(item, now)) ages.push(overdueAgeDays(item.dueAt.getTime(), now.getTime()));
    } else if (item.status === 'DONE') {
      done++;
      if (isValidDate(item.completedAt) && item.completedAt.getTime() <= item.dueAt.getTime()) doneOnTime++;
    }
  }
  return {
    open,
    overdue: ages.length,
    done,
    doneOnTime,
    doneOnTimeRate: done === 0 ? null : doneOnTime / done,
    overdueAgeDays: distributionStats(ages, OVERDUE_AGE_DAYS.bounds),
  };
}

export interface ClosableItem {
  readonly status: ActionStatus;
  readonly priority: Priority;
  readonly createdAt: Date;
  readonly completedAt?: Date | null;
}

/** PRODUCT.md 5 time-to-close by priority: days from creation to completion of DONE items. */
export function timeToCloseByPriority(items: readonly ClosableItem[]): Record<Priority, DistributionStats> {
  const days = new Map<Priority, number[]>(PRIORITIES.map((p) => [p, []]));
  for (const item of items) {
    if (item.status !== 'DONE' || !isValidDate(item.completedAt)) continue;
    days.get(item.priority)?.push((item.completedAt.getTime() - item.createdAt.getTime()) / MS_PER_DAY);
  }
  const stats = (p: Priority): DistributionStats => distributionStats(days.get(p) ?? [], DAY_HISTOGRAM_BOUNDS);
  return { P0: stats('P0'), P1: stats('P1'), P2: stats('P2'), P3: stats('P3') };
}
