import { compareCounts, poissonInterval, ThemeIncident, themes, THEME_MIN_SAMPLE } from './themes.metric';

const DAY = 86_400_000;
const from = new Date(Date.UTC(2026, 3, 1));
const to = new Date(Date.UTC(2026, 5, 1));
const prevFrom = new Date(Date.UTC(2026, 1, 1));
const inc = (id: string, start: Date, over: Partial<ThemeIncident> = {}): ThemeIncident => ({ id, startedAt: start, categories: [], safeguardKinds: [], named: [], ...over });

describe('themes', () => {
  it('exact Poisson intervals (Garwood; the published table)', () => {
    expect(poissonInterval(0)).toEqual({ low: 0, high: expect.closeTo(3.688879, 5) });
    const one = poissonInterval(1);
    expect(one.low).toBeCloseTo(0.025318, 5);
    expect(one.high).toBeCloseTo(5.571643, 5);
    const ten = poissonInterval(10);
    expect(ten.low).toBeCloseTo(4.795389, 5);
    expect(ten.high).toBeCloseTo(18.390356, 5);
  });

  it('compares with the previous period by the exact conditional test, and says TOO_FEW on small samples', () => {
    expect(compareCounts(3, 1)).toEqual({ change: 'TOO_FEW', pValue: null });
    expect(compareCounts(THEME_MIN_SAMPLE, 0).change).toBe('SAME'); // p = 2 × 0.5^5 = 0.0625
    expect(compareCounts(5, 0).pValue).toBeCloseTo(0.0625, 12);
    expect(compareCounts(20, 2).change).toBe('UP');
    expect(compareCounts(2, 20).change).toBe('DOWN');
    expect(compareCounts(10, 10).pValue).toBe(1);
  });

  it('counts categories, safeguards and named themes once per incident, exact against a reference on a generated history', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const cats = ['CAPACITY', 'CONFIG_CHANGE', 'NETWORK'] as const;
    const make = (prefix: string, start: Date, n: number) => Array.from({ length: n }, (_, k) => inc(`${prefix}${k}`, new Date(start.getTime() + Math.floor(rnd() * 60) * DAY), {
      categories: cats.filter(() => rnd() < 0.4),
      safeguardKinds: rnd() < 0.3 ? ['ALERTING', 'ALERTING'] : [],
      named: rnd() < 0.2 ? [{ id: 't1', name: 'Friday deploys' }] : [],
    }));
    const current = make('c', from, 40);
    const previous = make('p', prevFrom, 25);
    const out = themes({ from, to, interval: 'MONTH', incidents: current, previous });
    const has = (i: ThemeIncident, key: string) => [...i.categories.map((c) => `category:${c}`), ...i.safeguardKinds.map((s) => `safeguard:${s}`), ...i.named.map((t) => `theme:${t.id}`)].includes(key);
    expect(out.length).toBeGreaterThan(3);
    for (const t of out) {
      const mine = current.filter((i) => has(i, t.key));
      expect(t.count).toBe(mine.length);
      expect(t.previousCount).toBe(previous.filter((i) => has(i, t.key)).length);
      expect(new Set(t.incidentIds)).toEqual(new Set(mine.map((i) => i.id)));
      expect(t.points.reduce((a, p) => a + p.count, 0)).toBe(t.count);
      expect(t.points.map((p) => p.periodStart.toISOString())).toEqual(['2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z']);
      expect(t.countLow).toBeLessThanOrEqual(t.count);
      expect(t.countHigh).toBeGreaterThanOrEqual(t.count);
      expect(t).toMatchObject(compareCounts(t.count, t.previousCount));
    }
    expect(out.find((t) => t.key === 'theme:t1')?.label).toBe('Friday deploys');
    expect(out.find((t) => t.key === 'safeguard:ALERTING')?.label).toBe('failed safeguard: alerting');
    for (let k = 1; k < out.length; k++) expect(out[k - 1].count).toBeGreaterThanOrEqual(out[k].count);
  });
});
