import type { TrendInterval } from '@hindsight/web-data-access';

export function periodLabel(iso: string, interval: TrendInterval): string {
  const d = new Date(iso);
  return interval === 'MONTH'
    ? d.toLocaleDateString(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}
