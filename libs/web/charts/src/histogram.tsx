import './charts.css';

export interface HistogramProps {
  bins: readonly { upperBound: number; count: number }[];
  median: number | null | undefined;
  p90: number | null | undefined;
  title: string;
  formatBound: (value: number) => string;
  height?: number;
}

/** A distribution with its median and p90 drawn on it: never a bare mean (PRODUCT.md 5). */
export function Histogram({ bins, median, p90, title, formatBound, height = 170 }: HistogramProps) {
  const width = 480;
  const plotH = height - 34;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const barW = (width - 20) / Math.max(1, bins.length);
  // Markers sit inside the bin holding the value (bins are log-spaced, so position by bin).
  const binIndex = (v: number) => {
    const i = bins.findIndex((b) => v <= b.upperBound);
    return i < 0 ? bins.length - 1 : i;
  };
  const markerX = (v: number) => {
    const i = binIndex(v);
    const lower = i === 0 ? 0 : (bins[i - 1]?.upperBound ?? 0);
    const upper = bins[i]?.upperBound ?? lower;
    const frac = Number.isFinite(upper) && upper > lower ? Math.min(1, (v - lower) / (upper - lower)) : 0.5;
    return 10 + (i + frac) * barW;
  };
  const label = (b: { upperBound: number }, i: number) => (b.upperBound >= Number.MAX_VALUE / 2 ? `>${formatBound(bins[i - 1]?.upperBound ?? 0)}` : `≤${formatBound(b.upperBound)}`);
  return (
    <figure style={{ margin: 0 }}>
      <svg className="hs-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        <line className="hs-chart__axis" x1={10} y1={plotH} x2={width - 10} y2={plotH} />
        {bins.map((b, i) => {
          const h = (b.count / max) * (plotH - 12);
          return (
            <g key={i}>
              <rect x={10 + i * barW} y={plotH - h} width={Math.max(2, barW - 3)} height={h} style={{ fill: 'var(--hs-accent-soft)' }}>
                <title>{`${label(b, i)}: ${b.count}`}</title>
              </rect>
              {(bins.length <= 10 || i % 2 === 0) && (
                <text x={10 + i * barW} y={plotH + 14}>
                  {label(b, i)}
                </text>
              )}
            </g>
          );
        })}
        {median !== null && median !== undefined && (
          <g>
            <line className="hs-chart__marker" x1={markerX(median)} x2={markerX(median)} y1={4} y2={plotH} style={{ stroke: 'var(--hs-ok)' }} />
            <text x={markerX(median) + 3} y={12} style={{ fill: 'var(--hs-ok)' }}>
              median
            </text>
          </g>
        )}
        {p90 !== null && p90 !== undefined && (
          <g>
            <line className="hs-chart__marker" x1={markerX(p90)} x2={markerX(p90)} y1={4} y2={plotH} style={{ stroke: 'var(--hs-danger)' }} />
            <text x={markerX(p90) + 3} y={26} style={{ fill: 'var(--hs-danger)' }}>
              p90
            </text>
          </g>
        )}
      </svg>
    </figure>
  );
}
