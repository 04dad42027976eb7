import { types } from 'pg';

const digits = (s: string, from: number, count: number): number => {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
};

/**
 * A `timestamptz` as Postgres writes it with DateStyle ISO ("2026-11-30 18:31:21.123456+00",
 * "… +05:30"), read without regular expressions: pages read hundreds of these per request and
 * the pg default (postgres-date) spent about 2 % of the API's CPU on them. Returns null for
 * anything else (infinity, BC, years outside 1000–9999, seconds in the offset), which the
 * default parser then reads. Milliseconds are truncated, as the default does.
 */
export function parseTimestamptz(s: string): Date | null {
  const n = s.length;
  if (n < 22 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const year = digits(s, 0, 4);
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    const count = i - start;
    if (count === 0) return null;
    ms = digits(s, start, Math.min(count, 3)) * (count >= 3 ? 1 : count === 2 ? 10 : 100);
  }
  const sign = s.charCodeAt(i);
  if (sign !== 43 && sign !== 45) return null;
  let offset = digits(s, i + 1, 2) * 60;
  if (i + 3 === n) {
    // "+HH"
  } else if (i + 6 === n && s.charCodeAt(i + 3) === 58) {
    offset += digits(s, i + 4, 2);
  } else {
    return null;
  }
  const utc = Date.UTC(year, digits(s, 5, 2) - 1, digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2), ms);
  if (Number.isNaN(utc) || Number.isNaN(offset) || year < 1000) return null;
  return new Date(utc - (sign === 45 ? -offset : offset) * 60_000);
}

const TIMESTAMPTZ_OID = 1184;
let installed = false;

/** Makes every pg client of this process read `timestamptz` with parseTimestamptz (idempotent). */
export function installTimestamptzParser(): void {
  if (installed) return;
  installed = true;
  const fallback = types.getTypeParser(TIMESTAMPTZ_OID, 'text');
  types.setTypeParser(TIMESTAMPTZ_OID, (value: string) => parseTimestamptz(value) ?? fallback(value));
}
