/// <reference types="jest" />
import { autoInterval, incidentsLink, parseReviewParams, presetRange, reviewLink, toReliabilityFilter, toReviewParams, type ReviewState } from './review-filter';

// A Wednesday in the middle of Q4.
const NOW = new Date('2026-11-18T15:30:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const state = (over: Partial<ReviewState> = {}): ReviewState => ({ preset: '26w', fromDay: null, toDay: null, interval: null, teamId: null, serviceId: null, segment: null, severities: [], ...over });

describe('presetRange', () => {
  it('starts rolling weeks on a Monday and ends them today, never in the future', () => {
    const r = presetRange(state({ preset: '4w' }), NOW);
    expect(iso(r.from)).toBe('2026-10-26T00:00:00.000Z');
    expect(iso(r.to)).toBe('2026-11-19T00:00:00.000Z');
    expect((r.to - r.from) / 86_400_000).toBe(24);
    const year = presetRange(state({ preset: '52w' }), NOW);
    expect((year.to - year.from) / 86_400_000).toBe(360);
    for (const preset of ['4w', '13w', '26w', '52w', 'qtd', 'pq', 'all'] as const) {
      expect(presetRange(state({ preset }), NOW).to).toBeLessThanOrEqual(Date.parse('2026-11-19T00:00:00Z'));
    }
  });

  it('takes calendar quarters: to date through today, the previous one whole (also across a year)', () => {
    const qtd = presetRange(state({ preset: 'qtd' }), NOW);
    expect([iso(qtd.from), iso(qtd.to)]).toEqual(['2026-10-01T00:00:00.000Z', '2026-11-19T00:00:00.000Z']);
    const pq = presetRange(state({ preset: 'pq' }), NOW);
    expect([iso(pq.from), iso(pq.to)]).toEqual(['2026-07-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z']);
    const january = presetRange(state({ preset: 'pq' }), new Date('2027-01-10T00:00:00Z'));
    expect([iso(january.from), iso(january.to)]).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('asks for all time from the first of a month thirty years back, through today', () => {
    const r = presetRange(state({ preset: 'all' }), NOW);
    expect([iso(r.from), iso(r.to)]).toEqual(['1996-12-01T00:00:00.000Z', '2026-11-19T00:00:00.000Z']);
  });

  it('includes the last day of a custom range and falls back to the default when it is broken', () => {
    const r = presetRange(state({ preset: 'custom', fromDay: '2019-03-01', toDay: '2019-03-31' }), NOW);
    expect([iso(r.from), iso(r.to)]).toEqual(['2019-03-01T00:00:00.000Z', '2019-04-01T00:00:00.000Z']);
    expect(presetRange(state({ preset: 'custom', fromDay: '2019-03-31', toDay: '2019-03-01' }), NOW)).toEqual(presetRange(state(), NOW));
    expect(presetRange(state({ preset: 'custom', fromDay: '2019-02-30', toDay: '2019-03-01' }), NOW)).toEqual(presetRange(state(), NOW));
  });
});

describe('interval', () => {
  it('is weekly up to a year and monthly beyond, unless chosen by hand', () => {
    expect(autoInterval(0, 364 * 86_400_000)).toBe('WEEK');
    expect(autoInterval(0, 400 * 86_400_000)).toBe('MONTH');
    expect(toReliabilityFilter(state({ preset: '52w' }), NOW).interval).toBe('WEEK');
    expect(toReliabilityFilter(state({ preset: 'custom', fromDay: '2018-01-01', toDay: '2025-12-31' }), NOW).interval).toBe('MONTH');
    expect(toReliabilityFilter(state({ preset: 'all' }), NOW).interval).toBe('MONTH');
    expect(toReliabilityFilter(state({ preset: '4w', interval: 'MONTH' }), NOW).interval).toBe('MONTH');
    // Weekly points stop at ten years on the server: longer ranges stay monthly.
    expect(toReliabilityFilter(state({ preset: 'all', interval: 'WEEK' }), NOW).interval).toBe('MONTH');
    expect(toReliabilityFilter(state({ preset: 'custom', fromDay: '2000-01-01', toDay: '2025-12-31', interval: 'WEEK' }), NOW).interval).toBe('MONTH');
    expect(toReliabilityFilter(state({ preset: 'custom', fromDay: '2020-01-01', toDay: '2025-12-31', interval: 'WEEK' }), NOW).interval).toBe('WEEK');
  });
});

describe('URL ⇄ state', () => {
  it('round-trips every filter and writes only what differs from the defaults', () => {
    const s = state({ preset: 'custom', fromDay: '2020-01-01', toDay: '2021-06-30', interval: 'MONTH', teamId: 't1', serviceId: 's1', segment: 'enterprise', severities: ['SEV1', 'SEV2'] });
    const params = toReviewParams(s);
    expect(params.toString()).toBe('period=custom&from=2020-01-01&to=2021-06-30&interval=MONTH&team=t1&service=s1&segment=enterprise&severities=SEV1%2CSEV2');
    expect(parseReviewParams(params)).toEqual(s);
    expect(toReviewParams(state()).toString()).toBe('');
    expect(parseReviewParams(new URLSearchParams())).toEqual(state());
  });

  it('ignores what it does not know and reads the review link (from/to days, teamId) as a custom range', () => {
    expect(parseReviewParams(new URLSearchParams('period=nonsense&interval=DAY&severities=SEV9,sev2'))).toEqual(state({ severities: ['SEV2'] }));
    expect(parseReviewParams(new URLSearchParams('from=2026-01-01&to=2026-03-31&interval=WEEK&teamId=t&serviceId=s'))).toEqual(
      state({ preset: 'custom', fromDay: '2026-01-01', toDay: '2026-03-31', interval: 'WEEK', teamId: 't', serviceId: 's' }),
    );
  });

  it('links the review to the resolved days, which reopen as the same filter', () => {
    const s = state({ preset: '13w', teamId: 't1', segment: 'enterprise' });
    const link = reviewLink(s, NOW);
    expect(link).toBe('/reliability/review?from=2026-08-24&to=2026-11-18&interval=WEEK&teamId=t1&segment=enterprise');
    const reopened = parseReviewParams(new URLSearchParams(link.split('?')[1]));
    expect(toReliabilityFilter(reopened, NOW)).toEqual(toReliabilityFilter(s, NOW));
  });

  it('links a period to the incidents that started in it, with the same team and service', () => {
    expect(incidentsLink('2026-11-02T00:00:00.000Z', 'WEEK', { teamId: 't1' })).toBe('/incidents?from=2026-11-02&to=2026-11-08&team=t1');
    expect(incidentsLink('2026-02-01T00:00:00.000Z', 'MONTH', { serviceId: 's1' }, { search: 'x' })).toBe('/incidents?from=2026-02-01&to=2026-02-28&service=s1&search=x');
  });
});
