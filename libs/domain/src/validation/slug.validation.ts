/** Slugs appear in URLs and channel names; 63 is the DNS label limit, short enough for both. */
export const SLUG_MAX_CHARS = 63;

// Letters that Unicode normalisation does not decompose into an ASCII base letter.
const TRANSLITERATIONS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/**
 * `Payments & Billing (EU)` → `payments-billing-eu`; accents are folded (`Équipe Données` →
 * `equipe-donnees`). Returns '' when nothing usable remains (a name of only emoji or
 * punctuation): the caller then asks for another name or uses `uniqueSlug`, which falls back.
 */
export function slugify(name: string): string {
  const folded = name
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (ch) => TRANSLITERATIONS[ch] ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  return folded
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX_CHARS)
    .replace(/-+$/, '');
}

/**
 * The slug of `name`, made unique against `taken` by appending `-2`, `-3`, … (trimming the
 * base so the result stays within the limit). An empty slug becomes `team`.
 */
export function uniqueSlug(name: string, taken: Iterable<string>, fallback = 'team'): string {
  const used = new Set(taken);
  const base = slugify(name) || fallback;
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, SLUG_MAX_CHARS - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isSlug(value: string): boolean {
  return value.length <= SLUG_MAX_CHARS && SLUG.test(value);
}
