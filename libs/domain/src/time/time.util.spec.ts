import { addDays, addMs, daysBetween, formatUtc, formatUtcDate, isValidDate, minutesBetween, MS_PER_DAY, roundTo } from './time.util';

describe('time arithmetic', () => {
  it('a day is exactly 24 hours, also across a DST change', () => {
    // Europe switched to summer time on 2024-03-31; UTC arithmetic must ignore it.
    expect(addDays(new Date('2024-03-30T12:00:00Z'), 1).toISOString()).toBe('2024-03-31T12:00:00.000Z');
    expect(addDays(new Date('2024-03-30T12:00:00Z'), -3).toISOString()).toBe('2024-03-27T12:00:00.000Z');
    expect(MS_PER_DAY).toBe(86_400_000);
  });

  it('adds milliseconds and measures minutes and days', () => {
    const a = new Date('2024-01-01T00:00:00Z');
    expect(addMs(a, 1).getTime() - a.getTime()).toBe(1);
    expect(minutesBetween(a, new Date('2024-01-01T01:30:00Z'))).toBe(90);
    expect(minutesBetween(new Date('2024-01-01T01:30:00Z'), a)).toBe(-90);
    expect(daysBetween(a, new Date('2024-01-02T12:00:00Z'))).toBe(1.5);
  });

  it('recognises invalid dates', () => {
    expect(isValidDate(new Date('2024-01-01'))).toBe(true);
    expect(isValidDate(new Date('nonsense'))).toBe(false);
    expect(isValidDate('2024-01-01')).toBe(false);
    expect(isValidDate(null)).toBe(false);
  });

  it('formats in UTC regardless of locale', () => {
    expect(formatUtc(new Date('2024-05-04T09:05:59Z'))).toBe('2024-05-04 09:05 UTC');
    expect(formatUtcDate(new Date('2024-12-31T23:59:59Z'))).toBe('2024-12-31');
  });

  it('rounds away float noise', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(roundTo(0.1 + 0.2, 6)).toBe(0.3);
  });
});
