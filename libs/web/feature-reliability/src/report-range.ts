import type { TrendInterval } from '@hindsight/web-data-access';
import { formatDay, formatDayShort, formatMonth } from '@hindsight/web-ui';

const DAY = 86_400_000;

/** A report period's label, from the app's one date formatter: "Dec 2026" for a month, "7 Dec" for a week. */
export function periodLabel(iso: string, interval: TrendInterval): string {
  return interval === 'MONTH' ? formatMonth(iso) : formatDayShort(iso);
}

/** A range in words for headings: "4 Aug 2026 – 30 Nov 2026" in the reader's locale (the `to` day included). */
export function rangeInWords(from: string, to: string): string {
  return `${formatDay(Date.parse(from))} – ${formatDay(Date.parse(to) - DAY)}`;
}
