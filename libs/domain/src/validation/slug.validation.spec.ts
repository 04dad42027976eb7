import { isSlug, SLUG_MAX_CHARS, slugify, uniqueSlug } from './slug.validation';

describe('slugify', () => {
  it.each([
    ['Payments', 'payments'],
    ['Payments & Billing (EU)', 'payments-billing-eu'],
    ['  Data   Platform  ', 'data-platform'],
    ['Équipe Données', 'equipe-donnees'],
    ['Straße Ørsted Æble', 'strasse-orsted-aeble'],
    ['ML/Feature-Store', 'ml-feature-store'],
    ['SRE 24x7', 'sre-24x7'],
    ['---', ''],
    ['🔥🔥', ''],
  ])('%j → %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('caps the length without leaving a trailing dash', () => {
    const s = slugify(`${'a'.repeat(62)} b`);
    expect(s.length).toBeLessThanOrEqual(SLUG_MAX_CHARS);
    expect(s.endsWith('-')).toBe(false);
    expect(slugify('x'.repeat(100))).toHaveLength(SLUG_MAX_CHARS);
  });

  it('produces valid slugs', () => {
    for (const name of ['Payments & Billing', 'Équipe', 'a  b', 'A-B-C']) expect(isSlug(slugify(name))).toBe(true);
    expect(isSlug('Bad Slug')).toBe(false);
    expect(isSlug('trailing-')).toBe(false);
    expect(isSlug('')).toBe(false);
  });
});

describe('uniqueSlug', () => {
  it('appends -2, -3 … on collision', () => {
    expect(uniqueSlug('Payments', [])).toBe('payments');
    expect(uniqueSlug('Payments', ['payments'])).toBe('payments-2');
    expect(uniqueSlug('Payments', new Set(['payments', 'payments-2']))).toBe('payments-3');
  });

  it('falls back when the name has no usable characters', () => {
    expect(uniqueSlug('🔥', [])).toBe('team');
    expect(uniqueSlug('🔥', ['team'])).toBe('team-2');
  });

  it('keeps within the length limit when suffixing', () => {
    const name = 'y'.repeat(80);
    const s = uniqueSlug(name, [slugify(name)]);
    expect(s).toHaveLength(SLUG_MAX_CHARS);
    expect(s.endsWith('-2')).toBe(true);
  });
});
