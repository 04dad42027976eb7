import { savingsWindows } from './cost-savings.metric';

const d = (s: string): Date => new Date(s);

describe('savingsWindows', () => {
  it('gives equal windows on either side of completion', () => {
    const w = savingsWindows(d('2024-03-01T00:00:00Z'), 30, d('2024-06-01T00:00:00Z'));
    expect(w).toEqual({
      lengthDays: 30,
      before: { from: d('2024-01-31T00:00:00Z'), to: d('2024-03-01T00:00:00Z') },
      after: { from: d('2024-03-01T00:00:00Z'), to: d('2024-03-31T00:00:00Z') },
    });
  });

  it('shrinks both windows to the time elapsed since completion', () => {
    const w = savingsWindows(d('2024-03-01T00:00:00Z'), 90, d('2024-03-11T12:00:00Z'));
    expect(w?.lengthDays).toBe(10.5);
    expect(w?.before.from).toEqual(d('2024-02-19T12:00:00Z'));
    expect(w?.after.to).toEqual(d('2024-03-11T12:00:00Z'));
  });

  it('is empty for a completion in the future and null without a usable input', () => {
    expect(savingsWindows(d('2024-04-01T00:00:00Z'), 30, d('2024-03-01T00:00:00Z'))?.lengthDays).toBe(0);
    expect(savingsWindows(new Date('x'), 30, d('2024-03-01T00:00:00Z'))).toBeNull();
    expect(savingsWindows(d('2024-03-01T00:00:00Z'), 0, d('2024-03-01T00:00:00Z'))).toBeNull();
  });
});
