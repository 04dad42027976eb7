import './charts.css';
import { ChartFrame } from './frame';
import { countScale, layoutLabels, rowCount } from './layout';
import { textWidth, useLayoutWidth } from './use-width';

export interface HistogramProps {
  bins: readonly { upperBound: number; count: number }[];
  median: number | null | undefined;
  p90: number | null | undefined;
  title: string;
  formatBound: (value: number) => string;
  /** The value axis' title (what a bar counts). */
  yLabel?: string;
  /** The bins' axis title (what is measured, with its unit). */
  xLabel?: string;
  height?: number;
}

// The value ticks' column, the bins' labels and the axis title below the plot, a row of annotations.
const LEFT = 44;
const BOTTOM = 42;
const ROW = 16;

/**
 * A distribution with its median and p90 drawn on it: never a bare mean (PRODUCT.md 5). Both
 * axes are titled, counts are on the left; the median and p90 labels sit above the plot in
 * rows laid out so that neither covers the other.
 */
export function Histogram({ bins, median, p90, title, formatBound, yLabel = 'Incidents', xLabel = 'Time to resolve', height = 220 }: HistogramProps) {
  const [ref, layoutWidth] = useLayoutWidth<HTMLElement>();
  const n = Math.max(1, bins.length);
  const plotW = Math.max(120, layoutWidth - LEFT);
  const scale = countScale(Math.max(0, ...bins.map((b) => b.count)));
  // Markers sit inside the bin holding the value (bins are log-spaced, so position by bin).
  const binIndex = (v: number) => {
    const i = bins.findIndex((b) => v <= b.upperBound);
    return i < 0 ? bins.length - 1 : i;
  };
  const markerFrac = (v: number) => {
    const i = binIndex(v);
    const lower = i === 0 ? 0 : (bins[i - 1]?.upperBound ?? 0);
    const upper = bins[i]?.upperBound ?? lower;
    const frac = Number.isFinite(upper) && upper < Number.MAX_VALUE / 2 && upper > lower ? Math.min(1, Math.max(0, (v - lower) / (upper - lower))) : 0.5;
    return (i + frac) / n;
  };
  const label = (b: { upperBound: number }, i: number) => (b.upperBound >= Number.MAX_VALUE / 2 ? `>${formatBound(bins[i - 1]?.upperBound ?? 0)}` : `≤${formatBound(b.upperBound)}`);
  const labels = bins.map(label);
  // Every k-th bin is labelled, k as small as the widest label allows at the layout width.
  const widest = Math.max(0, ...labels.map((l) => textWidth(l)));
  const stride = Math.max(1, Math.ceil((widest + 6) / (plotW / n)));

  const marks = [
    ...(median !== null && median !== undefined ? [{ key: 'median', text: `median ${formatBound(median)}`, frac: markerFrac(median), tone: 'var(--hs-ok)' }] : []),
    ...(p90 !== null && p90 !== undefined ? [{ key: 'p90', text: `p90 ${formatBound(p90)}`, frac: markerFrac(p90), tone: 'var(--hs-danger)' }] : []),
  ];
  const placed = layoutLabels(
    marks.map((m) => ({ x: m.frac * plotW, width: textWidth(m.text) + 4 })),
    plotW,
  );
  const top = Math.max(1, rowCount(placed)) * ROW + 6;
  const plotH = Math.max(60, height - top - BOTTOM);
  const total = top + plotH + BOTTOM;
  const y = (count: number) => top + plotH - (count / scale.max) * plotH;

  return (
    <figure ref={ref} className="hs-chart-figure" data-chart="histogram">
      <ChartFrame title={title} yLabel={yLabel} left={LEFT} height={total} ticks={scale.ticks.map((t) => ({ key: t, y: y(t), text: String(t) }))}>
        {scale.ticks.map((t) => (
          <line key={t} className={t === 0 ? 'hs-chart__axis' : 'hs-chart__grid'} x1={0} x2="100%" y1={y(t)} y2={y(t)} />
        ))}
        <line className="hs-chart__axis" x1={0.5} x2={0.5} y1={top} y2={top + plotH} />
        {bins.map((b, i) => {
          const h = (b.count / scale.max) * plotH;
          return (
            <g key={i}>
              <rect x={`${((i + 0.06) / n) * 100}%`} y={top + plotH - h} width={`${(0.88 / n) * 100}%`} height={h} className="hs-chart__bar">
                <title>{`${labels[i]}: ${b.count}`}</title>
              </rect>
              {i % stride === 0 && (
                <text className="hs-chart__tick" x={`${((i + 0.5) / n) * 100}%`} y={top + plotH + 15} textAnchor="middle">
                  {labels[i]}
                </text>
              )}
            </g>
          );
        })}
        {marks.map((m, i) => {
          const p = placed[i] ?? { left: 0, row: 0 };
          const x = `${m.frac * 100}%`;
          const baseline = top - 6 - p.row * ROW;
          return (
            <g key={m.key}>
              <line className="hs-chart__marker" x1={x} x2={x} y1={top - 2} y2={top + plotH} style={{ stroke: m.tone }} />
              <text className="hs-chart__annotation" data-annotation={m.key} x={`${(p.left / plotW) * 100}%`} dx={3} y={baseline} style={{ fill: m.tone }}>
                {m.text}
              </text>
            </g>
          );
        })}
        <text className="hs-chart__axis-title" data-axis="x" x="50%" y={top + plotH + 34} textAnchor="middle">
          {xLabel}
        </text>
      </ChartFrame>
    </figure>
  );
}
