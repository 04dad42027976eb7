import './charts.css';
import { ChartFrame } from './frame';
import type { CappedScale } from './layout';

export interface SmallMultiple {
  key: string;
  /** The panel's heading (e.g. "checkout-api · availability"). */
  title: string;
  /** A line under the heading (e.g. "412 % over the range; peak 250 % in the week of Nov 2"). */
  note?: string;
  /** One value per period (null: no figure). */
  values: readonly (number | null)[];
}

export interface SmallMultiplesProps {
  /** The group's accessible name. */
  title: string;
  /** One label per period; the first and the last are written under each panel. */
  labels: readonly string[];
  items: readonly SmallMultiple[];
  /** The value axis shared by every panel (from `cappedScale`), so the panels compare at a glance. */
  scale: CappedScale;
  format: (value: number) => string;
  /** The value axis' title, with its unit ("% of budget per week"). */
  yLabel: string;
  /** The period axis' title ("week starting"). */
  xLabel: string;
  /** A dashed line at this value (e.g. 100 % of the budget), with its words for the legend. */
  reference?: { value: number; label: string };
  height?: number;
}

const LEFT = 44;
const TOP = 8;
const BOTTOM = 38;

/**
 * One small bar chart per series, on one shared value axis, laid out in a grid: many series
 * stay readable where one chart of many lines would not. A value above the axis' top is drawn
 * to the top, in the danger tone, with a break across it; its real value is in the panel's note
 * and the bar's tooltip. Each panel is a `ChartFrame`: it fills any width, its text keeps the
 * theme's size.
 */
export function SmallMultiples({ title, labels, items, scale, format, yLabel, xLabel, reference, height = 170 }: SmallMultiplesProps) {
  const plotH = height - TOP - BOTTOM;
  const n = Math.max(1, labels.length);
  const y = (v: number) => TOP + plotH - (Math.min(v, scale.max) / scale.max) * plotH;
  const ticks = scale.ticks.map((t) => ({ key: t, y: y(t), text: format(t) }));
  return (
    <div className="hs-multiples" role="group" aria-label={title} data-testid="burn-multiples">
      {items.map((item) => (
        <figure key={item.key} className="hs-multiple hs-chart-figure" data-chart="small-multiple">
          <figcaption>
            <strong>{item.title}</strong>
            {item.note && <span className="hs-multiple__note">{item.note}</span>}
          </figcaption>
          <ChartFrame title={`${item.title}: ${yLabel}${item.note ? `; ${item.note}` : ''}`} yLabel={yLabel} left={LEFT} height={height} ticks={ticks}>
            {scale.ticks.map((t) => (
              <line key={t} className={t === 0 ? 'hs-chart__axis' : 'hs-chart__grid'} x1={0} x2="100%" y1={y(t)} y2={y(t)} />
            ))}
            <line className="hs-chart__axis" x1={0.5} x2={0.5} y1={TOP} y2={TOP + plotH} />
            {item.values.map((v, i) => {
              if (v === null || v === undefined || v <= 0) return null;
              const over = v > scale.max;
              const top = y(v);
              const x = `${((i + 0.12) / n) * 100}%`;
              const w = `${(0.76 / n) * 100}%`;
              return (
                <g key={i}>
                  <rect x={x} y={top} width={w} height={TOP + plotH - top} className={over ? 'hs-chart__bar hs-chart__bar--over' : 'hs-chart__bar hs-chart__bar--burn'} data-over={over || undefined}>
                    <title>{`${labels[i] ?? ''}: ${format(v)}${over ? ' (beyond the axis)' : ''}`}</title>
                  </rect>
                  {over && <rect x={x} y={TOP + 5} width={w} height={3} className="hs-chart__break" />}
                </g>
              );
            })}
            {reference && reference.value <= scale.max && <line className="hs-chart__reference" x1={0} x2="100%" y1={y(reference.value)} y2={y(reference.value)} />}
            <text className="hs-chart__tick" x={2} y={TOP + plotH + 14}>
              {labels[0] ?? ''}
            </text>
            {labels.length > 1 && (
              <text className="hs-chart__tick" x="100%" y={TOP + plotH + 14} textAnchor="end">
                {labels[labels.length - 1]}
              </text>
            )}
            <text className="hs-chart__axis-title" data-axis="x" x="50%" y={TOP + plotH + 32} textAnchor="middle">
              {xLabel}
            </text>
          </ChartFrame>
        </figure>
      ))}
    </div>
  );
}
