import { cappedScale, countScale, intersects, layoutLabels, niceCeil, pickWorst, rowCount } from './layout';

describe('pickWorst', () => {
  const items = [
    { name: 'a', burn: 10 },
    { name: 'b', burn: 400 },
    { name: 'c', burn: 50 },
    { name: 'd', burn: 50 },
    { name: 'e', burn: 0 },
  ];
  it('keeps the worst n, worst first, and the rest in the same order', () => {
    const { shown, rest } = pickWorst(items, 3, (i) => i.burn);
    expect(shown.map((i) => i.name)).toEqual(['b', 'c', 'd']);
    expect(rest.map((i) => i.name)).toEqual(['a', 'e']);
  });
  it('shows min(n, items) and never loses one', () => {
    for (const n of [0, 1, 5, 8, 30]) {
      const { shown, rest } = pickWorst(items, n, (i) => i.burn);
      expect(shown).toHaveLength(Math.min(n, items.length));
      expect(shown.length + rest.length).toBe(items.length);
      expect(new Set([...shown, ...rest]).size).toBe(items.length);
    }
  });
  it('breaks ties by input order and puts NaN scores last', () => {
    const { shown } = pickWorst([{ s: NaN }, { s: 1 }, { s: 1 }, { s: 2 }], 4, (i) => i.s);
    expect(shown.map((i) => i.s)).toEqual([2, 1, 1, NaN]);
  });
});

describe('scales', () => {
  it('rounds up to 1, 2, 2.5 or 5 × 10^k', () => {
    expect([0.7, 1, 1.1, 2.2, 3, 7, 101, 240, 26_000].map(niceCeil)).toEqual([1, 1, 2, 2.5, 5, 10, 200, 250, 50_000]);
    expect(niceCeil(0)).toBe(1);
  });
  it('caps a runaway value instead of squashing the rest, and keeps the reference tick', () => {
    const s = cappedScale([10, 40, 25_000, null], { reference: 100, cap: 300 });
    expect(s.max).toBe(300);
    expect(s.ticks).toEqual([0, 100, 200, 300]);
    expect(s.capped).toBe(true);
    expect(s.ticks).toContain(100);
    expect(s.ticks[0]).toBe(0);
    expect(s.ticks.at(-1)).toBeLessThanOrEqual(s.max);
  });
  it('reaches the reference even when every value is below it, and is not capped then', () => {
    const s = cappedScale([3, 12], { reference: 100, cap: 300 });
    expect(s.max).toBe(100);
    expect(s.capped).toBe(false);
    expect(s.ticks).toContain(100);
    expect(s.ticks.length).toBeLessThanOrEqual(5);
  });
  it('counts on whole numbers', () => {
    expect(countScale(0)).toEqual({ max: 1, ticks: [0, 1] });
    const s = countScale(13);
    expect(s.max).toBeGreaterThanOrEqual(13);
    expect(s.ticks.every(Number.isInteger)).toBe(true);
    expect(s.ticks.length).toBeLessThanOrEqual(6);
  });
});

describe('layoutLabels', () => {
  const boxes = (labels: { x: number; width: number }[], width: number, gap = 6) =>
    layoutLabels(labels, width, gap).map((p, i) => ({ left: p.left, right: p.left + (labels[i]?.width ?? 0), top: p.row * 16, bottom: p.row * 16 + 16 }));

  it('keeps labels that fit side by side on one row, at their anchors', () => {
    const placed = layoutLabels([{ x: 10, width: 50 }, { x: 100, width: 50 }], 400);
    expect(placed).toEqual([{ left: 10, row: 0 }, { left: 100, row: 0 }]);
  });
  it('moves a label that would overlap to the next row', () => {
    const placed = layoutLabels([{ x: 100, width: 60 }, { x: 120, width: 60 }, { x: 300, width: 60 }], 400);
    expect(placed.map((p) => p.row)).toEqual([0, 1, 0]);
    expect(rowCount(placed)).toBe(2);
  });
  it('keeps labels inside the plot', () => {
    const placed = layoutLabels([{ x: 390, width: 60 }], 400);
    expect(placed[0]?.left).toBe(340);
  });
  it('never lets two labels intersect, whatever the input', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let round = 0; round < 200; round++) {
      const labels = Array.from({ length: 1 + Math.floor(random() * 12) }, () => ({ x: random() * 500, width: 20 + random() * 80 }));
      const placed = boxes(labels, 500);
      for (let i = 0; i < placed.length; i++) {
        const a = placed[i];
        if (!a) continue;
        expect(a.left).toBeGreaterThanOrEqual(0);
        expect(a.right).toBeLessThanOrEqual(500);
        for (let j = i + 1; j < placed.length; j++) {
          const b = placed[j];
          if (b) expect(intersects(a, b)).toBe(false);
        }
      }
    }
  });
});
