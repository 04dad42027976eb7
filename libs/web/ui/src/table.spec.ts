import { sortRows } from './table';

const rows = [
  { id: 'a', due: '2026-12-09', title: 'Rotate keys', n: 3 },
  { id: 'b', due: null, title: 'add alert', n: 10 },
  { id: 'c', due: '2026-11-01', title: 'Backfill', n: 2 },
];

describe('Table sorting', () => {
  it('sorts numbers as numbers and text without regard to case', () => {
    expect(sortRows(rows, { sortValue: (r) => r.n }, 'asc').map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(sortRows(rows, { sortValue: (r) => r.n }, 'desc').map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(sortRows(rows, { sortValue: (r) => r.title }, 'asc').map((r) => r.id)).toEqual(['b', 'c', 'a']);
  });

  it('puts missing values last in both directions and keeps ties in their order', () => {
    expect(sortRows(rows, { sortValue: (r) => r.due }, 'asc').map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(sortRows(rows, { sortValue: (r) => r.due }, 'desc').map((r) => r.id)).toEqual(['a', 'c', 'b']);
    expect(sortRows(rows, { sortValue: () => 1 }, 'desc').map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(sortRows(rows, undefined, 'asc')).toEqual(rows);
  });
});
