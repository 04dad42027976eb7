import { isValidDate } from '../time/time.util';

/**
 * One problem with one input field. `field` is the input path as the client sent it
 * (`input.title`, `reason`, `input.postmortemDueDays.SEV1`), so the API can put it in
 * `extensions.field` and a form can highlight the right box. `reason` says what to fix.
 */
export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

/** PRODUCT.md 6: titles ≤ 200 characters. */
export const TITLE_MAX_CHARS = 200;
/** PRODUCT.md 6: text fields ≤ 100 kB, counted as UTF-8 bytes because that is what is stored and sent. */
export const TEXT_MAX_BYTES = 102_400;
/** Longer URLs are rejected by common proxies and browsers; nobody links to one on purpose. */
export const URL_MAX_CHARS = 2048;
/** RFC 5321 path limit. */
export const EMAIL_MAX_CHARS = 254;
/** Short labels: segments, regions, names of teams and services. */
export const NAME_MAX_CHARS = 100;

interface Presence {
  /** When false (the default for optional fields), undefined and null pass unchecked. */
  readonly required?: boolean;
}

const missing = (value: unknown): boolean => value === undefined || value === null;

/** Null, undefined, or only whitespace. */
export function isBlank(value: unknown): boolean {
  return missing(value) || (typeof value === 'string' && value.trim() === '');
}

/**
 * Characters as a person counts them: Unicode code points, so an emoji or an accented
 * letter counts once instead of as two UTF-16 units.
 */
export function charCount(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/**
 * UTF-8 length computed by hand rather than with TextEncoder/Buffer, so the library stays
 * free of platform APIs (the web app uses it too). A lone surrogate counts 3 bytes, as the
 * U+FFFD that an encoder would write for it.
 */
export function utf8ByteLength(value: string): number {
  let bytes = 0;
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** A value that must be present and, when a string, not blank. */
export function checkRequired(field: string, value: unknown): FieldError | null {
  if (missing(value)) return { field, reason: 'is required' };
  if (typeof value === 'string' && value.trim() === '') return { field, reason: 'must not be blank' };
  return null;
}

function presence(field: string, value: unknown, opts: Presence): FieldError | null | 'skip' {
  if (opts.required) return checkRequired(field, value);
  return missing(value) ? 'skip' : null;
}

/** A title: required by default, not blank, at most 200 characters. */
export function checkTitle(field: string, value: unknown, opts: Presence = { required: true }): FieldError | null {
  const p = presence(field, value, opts);
  if (p === 'skip') return null;
  if (p) return p;
  if (typeof value !== 'string') return { field, reason: 'must be text' };
  if (value.trim() === '') return { field, reason: 'must not be blank' };
  const n = charCount(value);
  if (n > TITLE_MAX_CHARS) return { field, reason: `must be at most ${TITLE_MAX_CHARS} characters (got ${n})` };
  return null;
}

/** A short name or label: not blank, at most `max` characters (100 by default). */
export function checkName(field: string, value: unknown, opts: Presence & { readonly max?: number } = { required: true }): FieldError | null {
  const p = presence(field, value, opts);
  if (p === 'skip') return null;
  if (p) return p;
  if (typeof value !== 'string') return { field, reason: 'must be text' };
  if (value.trim() === '') return { field, reason: 'must not be blank' };
  const max = opts.max ?? NAME_MAX_CHARS;
  const n = charCount(value);
  if (n > max) return { field, reason: `must be at most ${max} characters (got ${n})` };
  return null;
}

/**
 * A free-text field (summary, description, markdown section): optional by default, at most
 * 100 kB of UTF-8. An empty string is allowed for optional text: it is how a section is cleared.
 */
export function checkText(field: string, value: unknown, opts: Presence & { readonly maxBytes?: number } = {}): FieldError | null {
  const p = presence(field, value, opts);
  if (p === 'skip') return null;
  if (p) return p;
  if (typeof value !== 'string') return { field, reason: 'must be text' };
  const max = opts.maxBytes ?? TEXT_MAX_BYTES;
  const bytes = utf8ByteLength(value);
  if (bytes > max) return { field, reason: `must be at most ${max / 1024} kB (${max} bytes of UTF-8; got ${bytes})` };
  return null;
}

// Whitespace, control characters (C0, DEL, C1), invisible format characters (zero-width,
// bidi overrides) and lone surrogates: a URL parser drops or encodes them silently, so the
// link a reader sees would not be the one they follow, and a line break ends a Markdown link.
const INVISIBLE_OR_BREAKING = /[\s\p{Cc}\p{Cf}\p{Z}\p{Cs}]/u;

/**
 * Why a value is not a link we store for other people to click, or null when it is: an
 * absolute http:// or https:// URL as the WHATWG URL standard (browsers) parses it, with a
 * host, at most 2048 characters, without spaces or control characters, without a user name or
 * password (`https://trusted.example@elsewhere.example` reads as one host and goes to the
 * other) and without backslashes (browsers read `\` as `/`, other parsers do not).
 */
export function httpUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be text: an absolute http:// or https:// URL';
  if (value.length > URL_MAX_CHARS) return `must be at most ${URL_MAX_CHARS} characters (got ${value.length})`;
  const bad = INVISIBLE_OR_BREAKING.exec(value);
  if (bad) return `must be an http:// or https:// URL with no spaces, line breaks or control characters (found U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} at position ${bad.index + 1})`;
  if (value.includes('\\')) return 'must not contain a backslash (\\): write / instead';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http:// or https:// URL, e.g. https://grafana.example.com/d/abc';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must start with http:// or https:// (got ${JSON.stringify(url.protocol)})`;
  if (url.hostname === '') return 'must name a host, e.g. https://grafana.example.com/…';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password before the host (user:password@)';
  return null;
}

/** A link people will click, checked by httpUrlProblem. Optional unless `required`. */
export function checkHttpUrl(field: string, value: unknown, opts: Presence = {}): FieldError | null {
  const p = presence(field, value, opts);
  if (p === 'skip') return null;
  if (p) return p;
  const reason = httpUrlProblem(value);
  return reason === null ? null : { field, reason };
}

/** The value when it passes checkHttpUrl, else null: for links from systems we cannot answer with an error (a tracker's issue URL). */
export function httpUrlOrNull(value: unknown): string | null {
  return typeof value === 'string' && httpUrlProblem(value) === null ? value : null;
}

// Deliberately simple: one @, no whitespace, a dot in the domain. Deliverability is proven
// by sending, not by a regex; this only catches typos such as a missing @ or a pasted name.
const EMAIL = /^[^\s@]+@[^\s@.][^\s@]*\.[^\s@.]+$/;

export function checkEmail(field: string, value: unknown, opts: Presence = { required: true }): FieldError | null {
  const p = presence(field, value, opts);
  if (p === 'skip') return null;
  if (p) return p;
  if (typeof value !== 'string' || !EMAIL.test(value) || value.includes('..')) {
    return { field, reason: 'must be an email address like name@example.com' };
  }
  if (value.length > EMAIL_MAX_CHARS) return { field, reason: `must be at most ${EMAIL_MAX_CHARS} characters (got ${value.length})` };
  return null;
}

export interface NumberRange extends Presence {
  readonly min?: number;
  readonly max?: number;
  /** min itself is not allowed (e.g. effort must be > 0). */
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  readonly integer?: boolean;
}

function describeRange(r: NumberRange): string {
  const lo = r.min === undefined ? null : r.minExclusive ? `greater than ${r.min}` : `at least ${r.min}`;
  const hi = r.max === undefined ? null : r.maxExclusive ? `less than ${r.max}` : `at most ${r.max}`;
  if (lo && hi && !r.minExclusive && !r.maxExclusive) return `between ${r.min} and ${r.max}`;
  return [lo, hi].filter((s): s is string => s !== null).join(' and ');
}

/** A finite number, optionally whole, within the range. */
export function checkNumber(field: string, value: unknown, range: NumberRange = {}): FieldError | null {
  const p = presence(field, value, range);
  if (p === 'skip') return null;
  if (p) return p;
  if (typeof value !== 'number' || !Number.isFinite(value)) return { field, reason: 'must be a finite number' };
  if (range.integer && !Number.isInteger(value)) return { field, reason: `must be a whole number (got ${value})` };
  const tooLow = range.min !== undefined && (range.minExclusive ? value <= range.min : value < range.min);
  const tooHigh = range.max !== undefined && (range.maxExclusive ? value >= range.max : value > range.max);
  if (tooLow || tooHigh) return { field, reason: `must be ${describeRange(range)} (got ${value})` };
  return null;
}

/** One of the allowed literals (an enum of the contract). */
export function checkEnum(field: string, allowed: readonly string[], value: unknown, opts: Presence = { required: true }): FieldError | null {
  const p = presence(field, value, opts);
  if (p === 'skip') return null;
  if (p) return p;
  if (typeof value === 'string' && allowed.includes(value)) return null;
  return { field, reason: `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})` };
}

/** A Date holding a real instant. */
export function checkDate(field: string, value: unknown, opts: Presence = { required: true }): FieldError | null {
  const p = presence(field, value, opts);
  if (p === 'skip') return null;
  if (p) return p;
  return isValidDate(value) ? null : { field, reason: 'must be a valid date-time (ISO 8601, e.g. 2024-05-14T09:30:00Z)' };
}

// Array.isArray does not narrow readonly arrays, hence the explicit guard.
const isErrorList = (c: FieldError | readonly FieldError[]): c is readonly FieldError[] => Array.isArray(c);

/** Flattens the results of several checks into the list the API reports. */
export function collectErrors(...checks: ReadonlyArray<FieldError | null | undefined | readonly FieldError[]>): FieldError[] {
  const out: FieldError[] = [];
  for (const c of checks) {
    if (!c) continue;
    if (isErrorList(c)) out.push(...c);
    else out.push(c);
  }
  return out;
}
