import { charCount, checkNumber, collectErrors, FieldError } from '../validation/fields.validation';

/** What global search covers, in the order the palette groups them. */
export const SEARCH_KINDS = ['INCIDENT', 'POSTMORTEM', 'ACTION_ITEM', 'RUNBOOK', 'SERVICE'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Nobody types more into a search box; longer input is a paste gone wrong. */
export const SEARCH_QUERY_MAX_CHARS = 200;
export const SEARCH_FIRST_DEFAULT = 10;
export const SEARCH_FIRST_MAX = 50;
/** More words than this only narrow a search that is already empty. */
export const SEARCH_MAX_TERMS = 8;
/**
 * A word this long or longer also matches words it begins ("check" finds "checkout"), so the
 * palette finds things while the person is still typing; a shorter one must match whole,
 * because a one- or two-letter prefix matches half the database.
 */
export const SEARCH_PREFIX_MIN_CHARS = 3;

// Control characters are never part of what someone looks for; NUL is refused by PostgreSQL.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The query and page size of `search(query, first)`: some text (after trimming), at most 200
 * characters, no control characters; `first` 1–50 (10 when omitted).
 */
export function validateSearch(query: unknown, first: unknown): FieldError[] {
  const errors: (FieldError | null)[] = [];
  if (typeof query !== 'string' || query.trim() === '') errors.push({ field: 'query', reason: 'type something to search for' });
  else if (CONTROL.test(query)) errors.push({ field: 'query', reason: 'must not contain control characters such as NUL (\\u0000)' });
  else if (charCount(query) > SEARCH_QUERY_MAX_CHARS) errors.push({ field: 'query', reason: `must be at most ${SEARCH_QUERY_MAX_CHARS} characters (got ${charCount(query)})` });
  errors.push(checkNumber('first', first, { min: 1, max: SEARCH_FIRST_MAX, integer: true }));
  return collectErrors(...errors);
}

/** The words searched for: letters and digits, lower case, each once, at most eight. */
export function searchTerms(query: string): string[] {
  const words = query.toLowerCase().match(WORD) ?? [];
  return [...new Set(words)].slice(0, SEARCH_MAX_TERMS);
}

/**
 * The text of a PostgreSQL `to_tsquery('english', …)` for the query: every word must match
 * (AND), words of three or more characters as prefixes. The words hold only letters and
 * digits, so nothing in them is tsquery syntax; PostgreSQL stems them (and drops stop
 * words) as it stemmed the indexed text. Null when the query has no word at all.
 */
export function searchTsQuery(query: string): string | null {
  const terms = searchTerms(query);
  if (terms.length === 0) return null;
  return terms.map((t) => (charCount(t) >= SEARCH_PREFIX_MIN_CHARS ? `${t}:*` : t)).join(' & ');
}
