import { smallSampleRate, SMALL_SAMPLE, TOO_FEW_TO_TELL, wilsonInterval } from './small-sample.metric';

describe('wilsonInterval', () => {
  it('matches the textbook values (95 %)', () => {
    // 1 of 10: Wilson (0.0179, 0.4042) (Newcombe 1998, table I); 5 of 10: (0.2366, 0.7634); 9 of 20: (0.2582, 0.6579).
    const a = wilsonInterval(1, 10);
    expect(a.low).toBeCloseTo(0.017875, 5);
    expect(a.high).toBeCloseTo(0.40415, 5);
    const b = wilsonInterval(5, 10);
    expect(b.low).toBeCloseTo(0.236593, 5);
    expect(b.high).toBeCloseTo(0.763407, 5);
    expect(b.low + b.high).toBeCloseTo(1, 12);
    const c = wilsonInterval(9, 20);
    expect(c.low).toBeCloseTo(0.258, 3);
    expect(c.high).toBeCloseTo(0.658, 3);
  });

  it('is exactly 0 at no successes and 1 at all, and stays in [0, 1]', () => {
    expect(wilsonInterval(0, 3).low).toBe(0);
    expect(wilsonInterval(0, 3).high).toBeCloseTo(0.561497, 5);
    expect(wilsonInterval(3, 3).high).toBe(1);
    expect(wilsonInterval(3, 3).low).toBeCloseTo(0.438503, 5);
    for (let n = 1; n < 40; n++) {
      for (let k = 0; k <= n; k++) {
        const { low, high } = wilsonInterval(k, n);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(k / n);
        expect(high).toBeGreaterThanOrEqual(k / n);
      }
    }
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(1, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(4, 3)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 3)).toThrow(RangeError);
  });
});

describe('smallSampleRate', () => {
  it('has no rate without a count', () => {
    expect(smallSampleRate(0, 0)).toEqual({ rate: null, count: 0, low: null, high: null, tooFewToTell: true });
  });

  it(`says too few to tell below ${TOO_FEW_TO_TELL}, with the rate and interval still given`, () => {
    const r = smallSampleRate(1, TOO_FEW_TO_TELL - 1);
    expect(r.tooFewToTell).toBe(true);
    expect(r.rate).toBe(0.25);
    expect(r.low).toEqual(wilsonInterval(1, 4).low);
    expect(smallSampleRate(1, TOO_FEW_TO_TELL).tooFewToTell).toBe(false);
  });

  it(`gives the interval below ${SMALL_SAMPLE} and not from it on`, () => {
    const small = smallSampleRate(3, SMALL_SAMPLE - 1);
    expect(small).toEqual({ rate: 3 / 29, count: 29, ...wilsonInterval(3, 29), tooFewToTell: false });
    expect(smallSampleRate(3, SMALL_SAMPLE)).toEqual({ rate: 3 / 30, count: 30, low: null, high: null, tooFewToTell: false });
  });
});
