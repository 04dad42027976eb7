import { TrendInterval } from '../enums/contract.enums';
import { MS_PER_DAY } from '../time/time.util';

/** Start of the UTC period holding `date`: Monday 00:00 UTC for WEEK (ISO weeks), the 1st 00:00 UTC for MONTH. */
export function periodStart(date: Date, interval: TrendInterval): Date {
  if (interval === 'MONTH') return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(midnight - daysSinceMonday * MS_PER_DAY);
}

/** Start of the period after the one holding `date`. */
export function nextPeriodStart(date: Date, interval: TrendInterval): Date {
  const start = periodStart(date, interval);
  if (interval === 'MONTH') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(start.getTime() + 7 * MS_PER_DAY);
}

/** The start of the period `count` periods before the one starting at `start` (a period start). */
export function periodsBack(start: Date, interval: TrendInterval, count: number): Date {
  if (interval === 'MONTH') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - count, 1));
  return new Date(start.getTime() - count * 7 * MS_PER_DAY);
}

/**
 * The starts of every period that overlaps [from, to), empty ones included, in order. The
 * first may start before `from` (a report from a Wednesday opens with that week's Monday);
 * none starts at or after `to`. Empty when from ≥ to.
 */
export function periodsBetween(from: Date, to: Date, interval: TrendInterval): Date[] {
  const starts: Date[] = [];
  if (from.getTime() >= to.getTime()) return starts;
  for (let s = periodStart(from, interval); s.getTime() < to.getTime(); s = nextPeriodStart(s, interval)) starts.push(s);
  return starts;
}

export interface PeriodBucket<T> {
  readonly periodStart: Date;
  readonly items: T[];
}

/**
 * Items grouped into the periods of [from, to) by the date `dateOf` picks (e.g. startedAt);
 * items outside [from, to) are left out. Every period is present, empty ones too.
 */
export function bucketByPeriod<T>(items: readonly T[], dateOf: (item: T) => Date, from: Date, to: Date, interval: TrendInterval): PeriodBucket<T>[] {
  const buckets = periodsBetween(from, to, interval).map((periodStart) => ({ periodStart, items: [] as T[] }));
  const index = new Map(buckets.map((b, i) => [b.periodStart.getTime(), i]));
  for (const item of items) {
    const d = dateOf(item);
    if (d.getTime() < from.getTime() || d.getTime() >= to.getTime()) continue;
    const i = index.get(periodStart(d, interval).getTime());
    if (i !== undefined) buckets[i].items.push(item);
  }
  return buckets;
}
