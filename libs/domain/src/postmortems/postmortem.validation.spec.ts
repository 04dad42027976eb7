import { isStaleVersion, POSTMORTEM_SECTIONS, validatePostmortemInput } from './postmortem.validation';

describe('validatePostmortemInput', () => {
  it('every section is optional and may be cleared', () => {
    expect(validatePostmortemInput({})).toEqual([]);
    expect(validatePostmortemInput({ summary: '', impact: null, lessons: '## Lessons' })).toEqual([]);
  });

  it('each section is capped at 100 kB', () => {
    const big = 'x'.repeat(102_401);
    const input = Object.fromEntries(POSTMORTEM_SECTIONS.map((s) => [s, big]));
    expect(validatePostmortemInput(input).map((e) => e.field)).toEqual(POSTMORTEM_SECTIONS.map((s) => `input.${s}`));
    expect(validatePostmortemInput({ summary: 'x'.repeat(102_400) })).toEqual([]);
  });
});

describe('isStaleVersion', () => {
  it('refuses an edit based on another version', () => {
    expect(isStaleVersion(3, 3)).toBe(false);
    expect(isStaleVersion(2, 3)).toBe(true);
    expect(isStaleVersion(4, 3)).toBe(true);
  });
});
