import { formatReference, parseReference } from './reference.format';

describe('incident references', () => {
  it('formats INC-<n>', () => {
    expect(formatReference(1)).toBe('INC-1');
    expect(formatReference(1234)).toBe('INC-1234');
  });

  it.each([
    ['INC-1', 1],
    ['INC-1234', 1234],
    ['inc-42', 42],
    ['  INC-7 ', 7],
  ])('parses %j', (ref, n) => {
    expect(parseReference(ref)).toBe(n);
  });

  it.each(['INC-0', 'INC-007', 'INC-', 'INC-12a', 'INC--1', 'INC-1.5', 'PRB-12', '12', '', 'INC-9999999999999999'])('refuses %j', (ref) => {
    expect(parseReference(ref)).toBeNull();
  });

  it('round-trips', () => {
    for (const n of [1, 99, 123456]) expect(parseReference(formatReference(n))).toBe(n);
  });
});
