/// <reference types="jest" />
import { formatDelta, formatFigure, sparklinePath, type Formats } from './headline';

// The page passes the UI library's formatters; these keep the tests independent of its locale.
const fmt: Formats = { minutes: (m) => `${m} min`, money: (v) => `$${v.toLocaleString('en-US', { maximumFractionDigits: 0 })}` };

describe('formatDelta', () => {
  it('says how much, by how much relatively, and whether it is better, in words and an arrow', () => {
    const d = formatDelta({ metric: 'INCIDENTS', value: 12, previous: 8, change: 4, relativeChange: 0.5, better: false }, fmt);
    expect(d).toEqual({ arrow: '▲', change: '+4 (+50 %)', verdict: 'worse', sentence: 'Up 4 (+50 %) on the previous period (8): worse.' });
  });

  it('formats durations and money, and a fall that is an improvement', () => {
    const ttr = formatDelta({ metric: 'TTR_P90', value: 90, previous: 150, change: -60, relativeChange: -0.4, better: true }, fmt);
    expect([ttr.arrow, ttr.change, ttr.verdict]).toEqual(['▼', '−60 min (−40 %)', 'better']);
    expect(formatDelta({ metric: 'COST', value: 500, previous: 1500, change: -1000, relativeChange: -2 / 3, better: true }, fmt).change).toBe('−$1,000 (−67 %)');
  });

  it('moves a rate in percentage points', () => {
    const d = formatDelta({ metric: 'POSTMORTEMS_ON_TIME_RATE', value: 0.9, previous: 0.75, change: 0.15, relativeChange: 0.2, better: true }, fmt);
    expect([d.arrow, d.change, d.verdict]).toEqual(['▲', '+15 pts', 'better']);
  });

  it('handles zero before, no change, and no comparison', () => {
    expect(formatDelta({ metric: 'REPEAT_INCIDENTS', value: 2, previous: 0, change: 2, relativeChange: null, better: false }, fmt).change).toBe('+2 (from zero)');
    expect(formatDelta({ metric: 'INCIDENTS', value: 3, previous: 3, change: 0, relativeChange: 0, better: null }, fmt)).toMatchObject({ arrow: '▬', change: 'no change', verdict: 'unchanged' });
    const none = formatDelta({ metric: 'TTR_MEDIAN', value: 30, previous: null, change: null, relativeChange: null, better: null }, fmt);
    expect(none).toMatchObject({ arrow: '', verdict: 'not comparable', sentence: 'Not comparable: no figure for the previous period.' });
  });
});

describe('formatFigure', () => {
  it('reads each kind of metric', () => {
    expect(formatFigure('TTD_MEDIAN', 45, fmt)).toBe('45 min');
    expect(formatFigure('POSTMORTEMS_ON_TIME_RATE', 0.825, fmt)).toBe('83 %');
    expect(formatFigure('OVERDUE_P0_P1', 3, fmt)).toBe('3');
    expect(formatFigure('TTR_MEDIAN', null, fmt)).toBe('—');
  });
});

describe('sparklinePath', () => {
  it('scales to the box, breaks at gaps and draws a lone point as a dot', () => {
    expect(sparklinePath([0, 10, null, 5], 30, 10)).toBe('M0.0 10.0L10.0 0.0M30.0 5.0h0');
    expect(sparklinePath([4, 4], 10, 10)).toBe('M0.0 5.0L10.0 5.0');
    expect(sparklinePath([null, null], 10, 10)).toBe('');
  });
});

describe('DORA figures', () => {
  const plain = { minutes: (m: number) => `${m} min`, money: (v: number) => `$${v}` };
  it('reads deployments a day, the failure rate in points and recovery in minutes', () => {
    expect(formatFigure('DEPLOYMENTS_PER_DAY', 2.54, plain)).toBe('2.5 a day');
    expect(formatFigure('CHANGE_FAILURE_RATE', 0.125, plain)).toBe('13 %');
    expect(formatFigure('RECOVERY_MEDIAN', 90, plain)).toBe('90 min');
    expect(formatDelta({ metric: 'DEPLOYMENTS_PER_DAY', value: 3, previous: 2, change: 1, relativeChange: 0.5, better: true }, plain)).toMatchObject({ arrow: '▲', change: '+1.0 a day (+50 %)', verdict: 'better' });
    expect(formatDelta({ metric: 'CHANGE_FAILURE_RATE', value: 0.2, previous: 0.1, change: 0.1, relativeChange: 1, better: false }, plain)).toMatchObject({ change: '+10 pts', verdict: 'worse' });
  });
});
