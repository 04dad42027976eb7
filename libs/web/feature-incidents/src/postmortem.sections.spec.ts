/// <reference types="jest" />
import { changedFields, PM_FIELDS, sameText, threeWay, type PmTexts } from './postmortem.sections';

const texts = (over: Partial<PmTexts> = {}): PmTexts => ({ ...(Object.fromEntries(PM_FIELDS.map((f) => [f, ''])) as PmTexts), ...over });

describe('sameText', () => {
  it('treats blank and empty as the same (the API stores a blank section as empty)', () => {
    expect(sameText('   ', '')).toBe(true);
    expect(sameText('\n', '')).toBe(true);
    expect(sameText('a', 'a ')).toBe(false);
  });
});

describe('changedFields', () => {
  it('lists only the sections whose text differs', () => {
    expect(changedFields(texts({ summary: 'a' }), texts({ summary: 'a', impact: 'b', lessons: '  ' }))).toEqual(['impact']);
  });
});

describe('threeWay', () => {
  const base = texts({ summary: 'S0', impact: 'I0', lessons: 'L0' });

  it('takes sections only they changed, keeps sections only I changed', () => {
    const mine = texts({ summary: 'S0', impact: 'I-mine', lessons: 'L0' });
    const theirs = texts({ summary: 'S-theirs', impact: 'I0', lessons: 'L0' });
    expect(threeWay(base, mine, theirs)).toEqual({ merged: texts({ summary: 'S-theirs', impact: 'I-mine', lessons: 'L0' }), conflicts: [] });
  });

  it('reports sections both changed differently, keeping my text in the draft until resolved', () => {
    const mine = texts({ summary: 'S-mine', impact: 'I0', lessons: 'L0' });
    const theirs = texts({ summary: 'S-theirs', impact: 'I0', lessons: 'L0' });
    const { merged, conflicts } = threeWay(base, mine, theirs);
    expect(conflicts).toEqual([{ field: 'summary', mine: 'S-mine', theirs: 'S-theirs' }]);
    expect(merged.summary).toBe('S-mine');
  });

  it('is no conflict when both made the same change', () => {
    const same = texts({ summary: 'S1', impact: 'I0', lessons: 'L0' });
    expect(threeWay(base, same, { ...same }).conflicts).toEqual([]);
  });

  it('counts clearing a section as a change on either side', () => {
    const mine = texts({ summary: 'S0', impact: 'I0', lessons: 'L-mine' });
    const theirs = texts({ summary: 'S0', impact: 'I0', lessons: '' });
    expect(threeWay(base, mine, theirs).conflicts).toEqual([{ field: 'lessons', mine: 'L-mine', theirs: '' }]);
  });
});
