import { bucketByPeriod, nextPeriodStart, periodsBack, periodsBetween, periodStart } from './periods.metric';

const d = (iso: string): Date => new Date(iso);
const iso = (dates: Date[]): string[] => dates.map((x) => x.toISOString());

describe('periodStart', () => {
  it.each([
    ['2024-06-03T00:00:00.000Z', '2024-06-03T00:00:00.000Z'], // Monday midnight is its own start
    ['2024-06-02T23:59:59.999Z', '2024-05-27T00:00:00.000Z'], // Sunday belongs to the week before
    ['2024-06-05T13:45:00.000Z', '2024-06-03T00:00:00.000Z'], // Wednesday
    ['2024-06-09T23:59:59.999Z', '2024-06-03T00:00:00.000Z'], // Sunday, last ms of the week
    ['2025-01-01T10:00:00.000Z', '2024-12-30T00:00:00.000Z'], // across a year
    ['2024-03-31T01:30:00.000Z', '2024-03-25T00:00:00.000Z'], // DST weekend in Europe: no effect in UTC
  ])('WEEK of %s starts %s (Monday 00:00 UTC)', (at, start) => {
    expect(periodStart(d(at), 'WEEK').toISOString()).toBe(start);
  });

  it.each([
    ['2024-02-29T12:00:00.000Z', '2024-02-01T00:00:00.000Z'],
    ['2024-03-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['2024-02-29T23:59:59.999Z', '2024-02-01T00:00:00.000Z'],
    ['2024-12-31T23:59:59.999Z', '2024-12-01T00:00:00.000Z'],
  ])('MONTH of %s starts %s (the 1st 00:00 UTC)', (at, start) => {
    expect(periodStart(d(at), 'MONTH').toISOString()).toBe(start);
  });

  it('next period start', () => {
    expect(nextPeriodStart(d('2024-06-05T00:00:00Z'), 'WEEK').toISOString()).toBe('2024-06-10T00:00:00.000Z');
    expect(nextPeriodStart(d('2024-12-15T00:00:00Z'), 'MONTH').toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(nextPeriodStart(d('2024-01-31T00:00:00Z'), 'MONTH').toISOString()).toBe('2024-02-01T00:00:00.000Z');
  });
});

describe('periodsBetween', () => {
  it('weeks covering [from, to), including a partial first week, excluding a period starting at to', () => {
    expect(iso(periodsBetween(d('2024-06-05T00:00:00Z'), d('2024-07-01T00:00:00Z'), 'WEEK'))).toEqual([
      '2024-06-03T00:00:00.000Z',
      '2024-06-10T00:00:00.000Z',
      '2024-06-17T00:00:00.000Z',
      '2024-06-24T00:00:00.000Z',
    ]);
    expect(periodsBetween(d('2024-06-05T00:00:00Z'), d('2024-07-01T00:00:00.001Z'), 'WEEK')).toHaveLength(5);
  });

  it('months, across a year', () => {
    expect(iso(periodsBetween(d('2024-11-15T00:00:00Z'), d('2025-02-01T00:00:00Z'), 'MONTH'))).toEqual([
      '2024-11-01T00:00:00.000Z',
      '2024-12-01T00:00:00.000Z',
      '2025-01-01T00:00:00.000Z',
    ]);
  });

  it('empty when from ≥ to; one period for a 1 ms range', () => {
    expect(periodsBetween(d('2024-06-05T00:00:00Z'), d('2024-06-05T00:00:00Z'), 'WEEK')).toEqual([]);
    expect(periodsBetween(d('2024-06-05T00:00:00Z'), d('2024-06-01T00:00:00Z'), 'MONTH')).toEqual([]);
    expect(iso(periodsBetween(d('2024-06-05T00:00:00Z'), d('2024-06-05T00:00:00.001Z'), 'MONTH'))).toEqual(['2024-06-01T00:00:00.000Z']);
  });
});

describe('bucketByPeriod', () => {
  it('groups into every period, empty ones included, and leaves out items outside [from, to)', () => {
    const items = ['2024-06-04T10:00:00Z', '2024-06-05T10:00:00Z', '2024-06-20T10:00:00Z', '2024-06-02T10:00:00Z', '2024-06-24T00:00:00Z'].map((s) => ({ at: d(s) }));
    const buckets = bucketByPeriod(items, (i) => i.at, d('2024-06-03T00:00:00Z'), d('2024-06-24T00:00:00Z'), 'WEEK');
    expect(buckets.map((b) => [b.periodStart.toISOString(), b.items.length])).toEqual([
      ['2024-06-03T00:00:00.000Z', 2],
      ['2024-06-10T00:00:00.000Z', 0],
      ['2024-06-17T00:00:00.000Z', 1],
    ]);
  });

  it('an item before `from` in the first (partial) period is still outside the report', () => {
    const buckets = bucketByPeriod([{ at: d('2024-06-03T12:00:00Z') }], (i) => i.at, d('2024-06-05T00:00:00Z'), d('2024-06-10T00:00:00Z'), 'WEEK');
    expect(buckets.map((b) => b.items.length)).toEqual([0]);
  });
});

describe('periodsBack', () => {
  it('steps back whole weeks or calendar months from a period start', () => {
    expect(periodsBack(new Date('2024-03-04T00:00:00Z'), 'WEEK', 8)).toEqual(new Date('2024-01-08T00:00:00Z'));
    expect(periodsBack(new Date('2024-03-01T00:00:00Z'), 'MONTH', 8)).toEqual(new Date('2023-07-01T00:00:00Z'));
    expect(periodsBack(new Date('2024-03-01T00:00:00Z'), 'MONTH', 0)).toEqual(new Date('2024-03-01T00:00:00Z'));
  });
});
