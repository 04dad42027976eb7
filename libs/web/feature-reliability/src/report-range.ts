import type { TrendInterval } from '@hindsight/web-data-access';

const DAY = 86_400_000;

/**
 * [from, to) aligned to whole periods in UTC (weeks start Monday 00:00, months on the 1st),
 * ending with the current period, so every bar is a full period and the last one is "now".
 */
export function reportRange(months: number, interval: TrendInterval, now = new Date()): { from: string; to: string } {
  if (interval === 'MONTH') {
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1 - months, 1));
    return { from: from.toISOString(), to: to.toISOString() };
  }
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  const weeks = Math.round((months * 30.44) / 7);
  return { from: new Date(monday - (weeks - 1) * 7 * DAY).toISOString(), to: new Date(monday + 7 * DAY).toISOString() };
}

export function periodLabel(iso: string, interval: TrendInterval): string {
  const d = new Date(iso);
  return interval === 'MONTH'
    ? d.toLocaleDateString(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}
