/*
 * The one date and time formatter of the web app: the reader's locale, one style for dates
 * ("7 Dec 2026" / "Dec 7, 2026" as the locale writes it), one for instants, and relative words
 * where they help ("in 3 days", "52 days overdue"). Pages never call toLocale* themselves.
 */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateOnlyUtc = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const monthUtc = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const dayMonthUtc = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const DAY_MS = 86_400_000;

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : '—';
}

/** A calendar day kept in UTC (report periods, YYYY-MM-DD days): the same date for every reader. */
export function formatDay(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  return dateOnlyUtc.format(new Date(iso));
}

/** A day where the year is clear from context (a chart's week axis): "7 Dec" / "Dec 7" as the locale writes it. */
export function formatDayShort(iso: string | number): string {
  return dayMonthUtc.format(new Date(iso));
}

/** A month of a report ("Dec 2026"). */
export function formatMonth(iso: string | number): string {
  return monthUtc.format(new Date(iso));
}

/** Whole local calendar days from `now` to `iso` (negative in the past). */
export function daysFrom(iso: string, now: Date = new Date()): number {
  const d = new Date(iso);
  const a = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  const b = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((a - b) / DAY_MS);
}

/** "today", "tomorrow", "in 3 days", "2 weeks ago", in the reader's language. */
export function formatRelative(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '—';
  const days = daysFrom(iso, now);
  if (Math.abs(days) < 14) return relative.format(days, 'day');
  if (Math.abs(days) < 60) return relative.format(Math.trunc(days / 7), 'week');
  if (Math.abs(days) < 730) return relative.format(Math.trunc(days / 30.44), 'month');
  return relative.format(Math.trunc(days / 365.25), 'year');
}

/** A due date in words: "due today", "due in 3 days", "1 day overdue", "52 days overdue"; "done" when closed. */
export function formatDue(iso: string | null | undefined, now: Date = new Date(), closed = false): string {
  if (!iso) return 'no due date';
  if (closed) return `due ${formatDate(iso)}`;
  const days = daysFrom(iso, now);
  if (days === 0) return new Date(iso).getTime() < now.getTime() ? 'overdue today' : 'due today';
  if (days < 0) return `${-days} ${-days === 1 ? 'day' : 'days'} overdue`;
  return `due ${relative.format(days, 'day')}`;
}

/** Minutes as "45 min", "3 h 20 min", "2 d 4 h": durations people read at a glance. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '—';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return `${d} d${h ? ` ${h} h` : ''}`;
}

export function formatMoney(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(amount);
}

/** An ISO instant as the value of an <input type="date"> in the viewer's time zone. */
export function toDateInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The end of the chosen day (23:59 local) as ISO: a deadline "on" a date means through that day. */
export function fromDateInputEndOfDay(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 23, 59, 0, 0).toISOString();
}

/** An ISO instant as the value of an <input type="datetime-local">. */
export function toDateTimeInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${toDateInput(iso)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromDateTimeInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** An unassigned item names who had it (a deactivated person, one who left the team), so the team knows whose work it was. */
export function unassignedLabel(previous: { readonly name: string } | null | undefined): string {
  return previous ? `Unassigned (was ${previous.name})` : 'Unassigned';
}
