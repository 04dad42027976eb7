import type { ReactNode } from 'react';

export interface FrameTick {
  key: string | number;
  /** Pixels from the top of the plot's SVG. */
  y: number;
  text: string;
}

/**
 * The frame of an SVG chart: the value axis' title above, its tick labels in a fixed-width
 * column on the left, and the plot (`children`, an SVG `height` pixels tall) filling the rest.
 * No viewBox anywhere: the plot places things across in percent, so it fills any width (a
 * screen, a printed page) while every text keeps the theme's chart size.
 */
export function ChartFrame({ title, yLabel, left, height, ticks, children }: { title: string; yLabel: string; left: number; height: number; ticks: readonly FrameTick[]; children: ReactNode }) {
  return (
    <div className="hs-chart-frame" role="img" aria-label={title}>
      <p className="hs-chart__axis-title" data-axis="y">
        {yLabel}
      </p>
      <div className="hs-chart-frame__body" style={{ gridTemplateColumns: `${left}px minmax(0, 1fr)` }}>
        <svg className="hs-chart" width={left} height={height} aria-hidden="true" focusable="false">
          {ticks.map((t) => (
            <text key={t.key} className="hs-chart__tick" x={left - 6} y={t.y} textAnchor="end" dominantBaseline="middle">
              {t.text}
            </text>
          ))}
        </svg>
        <svg className="hs-chart" width="100%" height={height} aria-hidden="true" focusable="false">
          {children}
        </svg>
      </div>
    </div>
  );
}
