import { ActionStatus } from '../enums/contract.enums';
import { daysOverdue, isOverdue } from './overdue.rule';

const DAY = 86_400_000;
const dueAt = new Date('2024-05-10T12:00:00Z');
const at = (offsetMs: number): Date => new Date(dueAt.getTime() + offsetMs);
const item = (status: ActionStatus = 'OPEN') => ({ status, dueAt });

describe('isOverdue', () => {
  it('not at the due instant, overdue 1 ms after', () => {
    expect(isOverdue(item(), at(-1))).toBe(false);
    expect(isOverdue(item(), at(0))).toBe(false);
    expect(isOverdue(item(), at(1))).toBe(true);
  });

  it.each(['OPEN', 'IN_PROGRESS', 'BLOCKED'] as const)('%s items can be overdue', (status) => {
    expect(isOverdue(item(status), at(DAY))).toBe(true);
  });

  it.each(['DONE', 'WONT_DO'] as const)('%s items never are', (status) => {
    expect(isOverdue(item(status), at(100 * DAY))).toBe(false);
  });
});

describe('daysOverdue', () => {
  it.each([
    [-DAY, 0],
    [0, 0],
    [1, 0],
    [DAY - 1, 0],
    [DAY, 1],
    [DAY + 1, 1],
    [2 * DAY - 1, 1],
    [7 * DAY, 7],
    [21 * DAY + 3_600_000, 21],
  ])('%d ms past due → %d whole days', (offset, days) => {
    expect(daysOverdue(item(), at(offset))).toBe(days);
  });

  it('0 for closed items', () => {
    expect(daysOverdue(item('DONE'), at(30 * DAY))).toBe(0);
    expect(daysOverdue(item('WONT_DO'), at(30 * DAY))).toBe(0);
  });
});
