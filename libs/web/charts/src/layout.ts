/*
 * Pure layout for the charts: which series get a small multiple, where a value axis ends and
 * which ticks it shows, and where annotations go so that none covers another. No DOM here:
 * the components measure, these decide (and the unit tests check them).
 */

export interface Ranked<T> {
  /** The worst `n`, worst first: each gets its own small multiple. */
  shown: T[];
  /** The rest, worst first: listed in the table below the multiples. */
  rest: T[];
}

/**
 * The worst `n` items by `score` (higher is worse), worst first, and the rest in the same
 * order. Ties keep the input order, so the choice is stable between renders.
 */
export function pickWorst<T>(items: readonly T[], n: number, score: (item: T) => number): Ranked<T> {
  const ranked = items
    .map((item, i) => ({ item, i, s: score(item) }))
    .sort((a, b) => (Number.isNaN(b.s) ? -1 : Number.isNaN(a.s) ? 1 : b.s - a.s) || a.i - b.i)
    .map((r) => r.item);
  const keep = Math.max(0, Math.floor(n));
  return { shown: ranked.slice(0, keep), rest: ranked.slice(keep) };
}

/** The smallest "nice" number (1, 2, 2.5, 5 × 10^k) at or above `value`. */
export function niceCeil(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value - 1e-9 * power) return step * power;
  return 10 * power;
}

export interface CappedScale {
  /** The top of the value axis. */
  max: number;
  /** Whether some value lies above `max` (then the chart says it is capped). */
  capped: boolean;
  /** Tick values from 0 to `max`, at most `maxTicks`, always including `reference` when it fits. */
  ticks: number[];
}

/**
 * A value axis from 0 that shows `reference` (e.g. 100 % of a budget) and the data up to `cap`,
 * never more: one runaway value must not squash every other line to the floor. Values above
 * the cap are drawn at the top edge and labelled with their real value by the chart.
 */
export function cappedScale(values: readonly (number | null | undefined)[], opts: { reference?: number; cap: number; maxTicks?: number }): CappedScale {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const peak = Math.max(0, ...finite);
  const wanted = Math.max(peak, opts.reference ?? 0);
  // The cap is taken as it is (e.g. 300 %): rounding it up would give the runaway value room again.
  const max = Math.min(niceCeil(wanted), opts.cap);
  const capped = peak > max;
  const maxTicks = Math.max(2, opts.maxTicks ?? 4);
  let step = niceCeil(max / (maxTicks - 1));
  while (max / step + 1 > maxTicks) step = niceCeil(step * 1.01);
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  const ref = opts.reference;
  if (ref !== undefined && ref > 0 && ref <= max && !ticks.some((t) => Math.abs(t - ref) < 1e-9)) {
    // Keep the reference tick; drop the neighbour that would crowd it.
    const near = ticks.reduce((best, t, i) => (t !== 0 && Math.abs(t - ref) < Math.abs((ticks[best] ?? Infinity) - ref) ? i : best), -1);
    if (near >= 0 && Math.abs((ticks[near] ?? 0) - ref) < step / 2) ticks.splice(near, 1);
    ticks.push(ref);
    ticks.sort((a, b) => a - b);
  }
  return { max, capped, ticks };
}

/** A whole-number axis for counts: 0 to a nice top, ticks on whole numbers only. */
export function countScale(max: number, maxTicks = 5): { max: number; ticks: number[] } {
  const top = Math.max(1, Math.ceil(max));
  let step = Math.max(1, niceCeil(top / (maxTicks - 1)));
  if (!Number.isInteger(step)) step = Math.ceil(step);
  const end = Math.ceil(top / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= end; v += step) ticks.push(v);
  return { max: end, ticks };
}

export interface LabelRequest {
  /** Where the label points (its anchor), in pixels from the left of the plot. */
  x: number;
  /** The label's width in pixels. */
  width: number;
}

export interface PlacedLabel {
  /** The label's left edge in pixels. */
  left: number;
  /** Its row, 0 the nearest to the plot. */
  row: number;
}

/**
 * Lays annotation labels out so that none overlaps another: each starts at its anchor (moved
 * left only as far as needed to stay inside `[0, width]`), in the first row where it keeps
 * `gap` pixels from the labels already there. Returned in the input's order.
 */
export function layoutLabels(labels: readonly LabelRequest[], width: number, gap = 6): PlacedLabel[] {
  const order = labels.map((l, i) => ({ ...l, i })).sort((a, b) => a.x - b.x || a.i - b.i);
  const rows: { left: number; right: number }[][] = [];
  const placed: PlacedLabel[] = new Array(labels.length);
  for (const l of order) {
    const left = Math.max(0, Math.min(l.x, width - l.width));
    const right = left + l.width;
    let row = rows.findIndex((boxes) => boxes.every((b) => right + gap <= b.left || left >= b.right + gap));
    if (row < 0) {
      rows.push([]);
      row = rows.length - 1;
    }
    rows[row]?.push({ left, right });
    placed[l.i] = { left, row };
  }
  return placed;
}

/** The number of rows a layout uses. */
export const rowCount = (placed: readonly PlacedLabel[]): number => placed.reduce((n, p) => Math.max(n, p.row + 1), 0);

/** Whether two boxes intersect (touching edges do not). */
export function intersects(a: { left: number; top: number; right: number; bottom: number }, b: { left: number; top: number; right: number; bottom: number }): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
