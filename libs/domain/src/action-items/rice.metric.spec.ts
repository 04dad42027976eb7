import { riceScore, validateRiceInputs } from './rice.metric';

describe('riceScore', () => {
  it('is reach × impact × confidence ÷ effort', () => {
    expect(riceScore(1000, 2, 0.8, 4)).toBe(400);
    expect(riceScore(500, 0.25, 1, 0.5)).toBe(250);
    expect(riceScore(0, 3, 1, 1)).toBe(0);
  });

  it('accepts the ends of the scales', () => {
    expect(riceScore(10, 0.25, 0, 1)).toBe(0);
    expect(riceScore(10, 3, 1, 1)).toBe(30);
  });

  it.each([
    [null, 1, 1, 1],
    [10, undefined, 1, 1],
    [10, 1, null, 1],
    [10, 1, 1, undefined],
  ])('null when an input is missing (%j, %j, %j, %j)', (r, i, c, e) => {
    expect(riceScore(r, i, c, e)).toBeNull();
  });

  it.each([
    ['impact below 0.25', 10, 0.24, 1, 1],
    ['impact above 3', 10, 3.01, 1, 1],
    ['confidence above 1', 10, 1, 1.01, 1],
    ['confidence below 0', 10, 1, -0.01, 1],
    ['zero effort', 10, 1, 1, 0],
    ['negative effort', 10, 1, 1, -1],
    ['negative reach', -1, 1, 1, 1],
    ['NaN', Number.NaN, 1, 1, 1],
    ['Infinity', Infinity, 1, 1, 1],
  ])('null for %s', (_label, r, i, c, e) => {
    expect(riceScore(r, i, c, e)).toBeNull();
  });
});

describe('validateRiceInputs', () => {
  it('accepts absent and in-range values', () => {
    expect(validateRiceInputs({})).toEqual([]);
    expect(validateRiceInputs({ reach: 100, impact: 0.25, confidence: 0, effortDays: 0.5 })).toEqual([]);
    expect(validateRiceInputs({ impact: 3, confidence: 1 })).toEqual([]);
  });

  it('reports each out-of-range value by field', () => {
    expect(validateRiceInputs({ reach: -1, impact: 4, confidence: 1.5, effortDays: 0 }).map((e) => e.field)).toEqual([
      'input.reach',
      'input.impact',
      'input.confidence',
      'input.effortDays',
    ]);
    expect(validateRiceInputs({ impact: 0.1 })[0].reason).toBe('must be between 0.25 and 3 (got 0.1)');
    expect(validateRiceInputs({ effortDays: 0 })[0].reason).toBe('must be greater than 0 (got 0)');
  });
});
