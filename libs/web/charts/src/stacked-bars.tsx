import './charts.css';

export interface StackedSeries {
  key: string;
  label: string;
  color: string;
}

export interface StackedBarsProps {
  /** One bar per category (e.g. a week), values per series key. */
  bars: { label: string; values: Record<string, number> }[];
  series: StackedSeries[];
  title: string;
  height?: number;
}

/**
 * Stacked bars in plain SVG (no chart library: a few hundred bytes instead of a few hundred
 * kB). The figures are also in a table for screen readers and for copying.
 */
export function StackedBars({ bars, series, title, height = 180 }: StackedBarsProps) {
  const width = Math.max(320, bars.length * 18 + 40);
  const max = Math.max(1, ...bars.map((b) => series.reduce((sum, s) => sum + (b.values[s.key] ?? 0), 0)));
  const plotH = height - 30;
  const barW = (width - 40) / Math.max(1, bars.length);
  const labelEvery = Math.ceil(bars.length / 8);
  return (
    <figure style={{ margin: 0 }}>
      <svg className="hs-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        <line className="hs-chart__axis" x1={30} y1={plotH} x2={width} y2={plotH} />
        <text x={0} y={10}>{max}</text>
        <text x={0} y={plotH}>0</text>
        {bars.map((bar, i) => {
          let y = plotH;
          return (
            <g key={bar.label}>
              {series.map((s) => {
                const v = bar.values[s.key] ?? 0;
                const h = (v / max) * (plotH - 10);
                y -= h;
                return v > 0 ? (
                  <rect key={s.key} x={34 + i * barW} y={y} width={Math.max(2, barW - 3)} height={h} fill={s.color}>
                    <title>{`${bar.label}: ${v} ${s.label}`}</title>
                  </rect>
                ) : null;
              })}
              {i % labelEvery === 0 && (
                <text x={34 + i * barW} y={height - 4}>
                  {bar.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="hs-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.key}>
            <span className="hs-legend__swatch" style={{ background: s.color }} />
            {s.label}
          </li>
        ))}
      </ul>
      <details>
        <summary>Show the figures</summary>
        <table className="hs-table">
          <caption className="hs-visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                {series.map((s) => (
                  <td key={s.key}>{bar.values[s.key] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
