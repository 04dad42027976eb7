/**
 * Time arithmetic for the domain rules. Every rule works in UTC milliseconds: a "day" is
 * exactly 24 hours, so due dates and ladder steps never shift with daylight-saving changes
 * and the same numbers come out of SQL (`interval '1 day'` on timestamptz in UTC) and here.
 * Nothing in this library reads the clock; callers pass `now`.
 */
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;
export const MINUTES_PER_DAY = 1440;

/** A Date that holds an actual instant (an unparseable string yields an Invalid Date). */
export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

export function addDays(date: Date, days: number): Date {
  return addMs(date, days * MS_PER_DAY);
}

/** Signed minutes from `from` to `to` (fractional; negative when `to` is earlier). */
export function minutesBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / MS_PER_MINUTE;
}

/** Signed days (fractional) from `from` to `to`. */
export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / MS_PER_DAY;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * `2024-05-14 09:30 UTC`. Written by hand rather than with toLocaleString so that a message
 * reads the same on every server, whatever its locale or ICU data.
 */
export function formatUtc(date: Date): string {
  return `${formatUtcDate(date)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** `2024-05-14` */
export function formatUtcDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** Rounds away binary floating-point noise (0.1 + 0.2) without hiding real precision. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
