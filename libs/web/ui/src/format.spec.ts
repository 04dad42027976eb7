import { daysFrom, formatDue, formatRelative } from './format';

// Local noon, so the day arithmetic is the same in every time zone the suite runs in.
const NOW = new Date(2026, 11, 7, 12, 0, 0);
const day = (offset: number, hour = 12) => new Date(2026, 11, 7 + offset, hour, 0, 0).toISOString();

describe('relative dates', () => {
  it('counts whole calendar days, not 24-hour spans', () => {
    expect(daysFrom(day(0, 23), NOW)).toBe(0);
    expect(daysFrom(day(1, 0), NOW)).toBe(1);
    expect(daysFrom(day(-52), NOW)).toBe(-52);
  });

  it('says a due date the way people do', () => {
    expect(formatDue(day(3), NOW)).toBe('due in 3 days');
    expect(formatDue(day(1), NOW)).toBe('due tomorrow');
    expect(formatDue(day(0, 23), NOW)).toBe('due today');
    expect(formatDue(day(0, 9), NOW)).toBe('overdue today');
    expect(formatDue(day(-1), NOW)).toBe('1 day overdue');
    expect(formatDue(day(-52), NOW)).toBe('52 days overdue');
    expect(formatDue(null, NOW)).toBe('no due date');
    expect(formatDue(day(-52), NOW, true)).toMatch(/^due /);
  });

  it('uses larger units further away', () => {
    expect(formatRelative(day(3), NOW)).toBe('in 3 days');
    expect(formatRelative(day(-1), NOW)).toBe('yesterday');
    expect(formatRelative(day(-21), NOW)).toBe('3 weeks ago');
    expect(formatRelative(day(120), NOW)).toBe('in 3 months');
    expect(formatRelative(null, NOW)).toBe('—');
  });
});
