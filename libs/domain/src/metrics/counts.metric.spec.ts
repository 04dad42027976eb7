import { severityCounts, topFactorCategories } from './counts.metric';

describe('severityCounts', () => {
  it('lists every severity, SEV1 first', () => {
    expect(severityCounts(['SEV2', 'SEV1', 'SEV2'])).toEqual([
      { severity: 'SEV1', count: 1 },
      { severity: 'SEV2', count: 2 },
      { severity: 'SEV3', count: 0 },
      { severity: 'SEV4', count: 0 },
    ]);
    expect(severityCounts([]).every((c) => c.count === 0)).toBe(true);
  });
});

describe('topFactorCategories', () => {
  it('most frequent first, ties by name, absent categories left out', () => {
    expect(topFactorCategories(['NETWORK', 'CAPACITY', 'NETWORK', 'BAD_DATA', 'CAPACITY', 'NETWORK'])).toEqual([
      { category: 'NETWORK', count: 3 },
      { category: 'CAPACITY', count: 2 },
      { category: 'BAD_DATA', count: 1 },
    ]);
    expect(topFactorCategories(['PROCESS', 'CAPACITY'])).toEqual([
      { category: 'CAPACITY', count: 1 },
      { category: 'PROCESS', count: 1 },
    ]);
    expect(topFactorCategories([])).toEqual([]);
  });

  it('keeps the top n', () => {
    expect(topFactorCategories(['NETWORK', 'CAPACITY', 'NETWORK'], 1)).toEqual([{ category: 'NETWORK', count: 2 }]);
  });
});
