import { ActionStatus, Priority } from '../enums/contract.enums';
import { actionItemHealth, timeToCloseByPriority } from './action-item-health.metric';

const DAY = 86_400_000;
const now = new Date('2024-06-30T00:00:00Z');
const ago = (days: number): Date => new Date(now.getTime() - days * DAY);
const it_ = (status: ActionStatus, dueAt: Date, completedAt: Date | null = null) => ({ status, dueAt, completedAt });

describe('actionItemHealth (PRODUCT.md 5)', () => {
  it('empty: zeros, null rate, empty stats', () => {
    const h = actionItemHealth([], now);
    expect(h).toMatchObject({ open: 0, overdue: 0, done: 0, doneOnTime: 0, doneOnTimeRate: null });
    expect(h.overdueAgeDays.count).toBe(0);
    expect(h.overdueAgeDays.median).toBeNull();
  });

  it('counts open, overdue, done and done on time', () => {
    const h = actionItemHealth(
      [
        it_('OPEN', ago(-5)), // open, not overdue
        it_('IN_PROGRESS', ago(1)), // overdue 1 day
        it_('BLOCKED', ago(2)), // overdue 2 days
        it_('OPEN', now), // due exactly now: not overdue
        it_('DONE', ago(10), ago(10)), // on time (equal)
        it_('DONE', ago(10), ago(9)), // late
        it_('DONE', ago(10), ago(20)), // early
        it_('WONT_DO', ago(10), ago(5)), // neither open nor done
      ],
      now,
    );
    expect(h).toMatchObject({ open: 4, overdue: 2, done: 3, doneOnTime: 2 });
    expect(h.doneOnTimeRate).toBeCloseTo(2 / 3, 12);
    expect(h.overdueAgeDays.count).toBe(2);
    expect(h.overdueAgeDays.median).toBe(1.5);
    expect(h.overdueAgeDays.max).toBe(2);
  });

  it('a DONE item without completedAt is done but not on time', () => {
    expect(actionItemHealth([it_('DONE', ago(1), null)], now)).toMatchObject({ done: 1, doneOnTime: 0, doneOnTimeRate: 0 });
  });

  it('completed 1 ms after the due date is late', () => {
    const due = ago(3);
    expect(actionItemHealth([it_('DONE', due, new Date(due.getTime() + 1))], now).doneOnTime).toBe(0);
  });
});

describe('timeToCloseByPriority', () => {
  it('distributes days from creation to completion of DONE items by priority', () => {
    const mk = (priority: Priority, createdDaysAgo: number, closedDaysAgo: number | null, status: ActionStatus = 'DONE') => ({
      status,
      priority,
      createdAt: ago(createdDaysAgo),
      completedAt: closedDaysAgo === null ? null : ago(closedDaysAgo),
    });
    const r = timeToCloseByPriority([mk('P0', 10, 8), mk('P0', 10, 6), mk('P1', 30, 0), mk('P2', 5, null), mk('P3', 5, 1, 'WONT_DO')]);
    expect(r.P0).toMatchObject({ count: 2, median: 3, max: 4 });
    expect(r.P1).toMatchObject({ count: 1, median: 30 });
    expect(r.P2.count).toBe(0);
    expect(r.P3.count).toBe(0);
  });
});
