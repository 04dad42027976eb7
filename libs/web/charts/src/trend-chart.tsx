import 'uplot/dist/uPlot.min.css';
import './charts.css';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import uPlot from 'uplot';
import { Table, themeColor } from '@hindsight/web-ui';
import { layoutLabels, rowCount } from './layout';
import { PRINT_LAYOUT_WIDTH, textWidth } from './use-width';

export interface TrendSeries {
  key: string;
  label: string;
  color: string;
  /** One value per period (null: no figure for that period). */
  values: readonly (number | null)[];
  /** Dashed line (e.g. a forecast). */
  dashed?: boolean;
  /** Drawn and listed, but thin and without its own legend entry (e.g. the edges of a band). */
  edge?: boolean;
}

export interface TrendMarker {
  /** Index of the marked period. */
  index: number;
  /** Short text on the chart, e.g. "▲ worse". */
  label: string;
  color?: string;
}

export interface TrendChartProps {
  /** The chart's accessible name and the caption of its table. */
  title: string;
  /** One label per period ("Nov 2", "Jan 26"), for the axis, the tooltip and the table. */
  labels: readonly string[];
  series: readonly TrendSeries[];
  /** Bars stacked in series order (first at the bottom), or lines. */
  kind?: 'lines' | 'stacked';
  /** Shaded areas between two series, by key (e.g. the p50–p90 band, a prediction interval). */
  bands?: readonly { upper: string; lower: string; color: string; label: string }[];
  /** Periods to mark with a dashed rule (e.g. where a change was detected). */
  markers?: readonly TrendMarker[];
  /** How a value reads ("45 min", "$1,200", "12"). */
  format?: (value: number) => string;
  height?: number;
  /** Draw a horizontal reference line at this value (e.g. 100 % of an error budget). */
  reference?: { value: number; label: string };
  /** Steps the value axis may use (e.g. whole minutes, hours and days for durations). */
  yIncrs?: readonly number[];
  /** The value axis' title, with its unit ("Minutes", "Incidents", "US dollars"). */
  yLabel: string;
  /** The period axis' title ("Week starting", "Month"). */
  xLabel: string;
}

// Stable defaults: a new [] per render would rebuild the chart on every render.
const NO_BANDS: NonNullable<TrendChartProps['bands']> = [];
const NO_MARKERS: NonNullable<TrendChartProps['markers']> = [];
/** The axes' font: the theme's chart text size (`--hs-chart-text`), read when the chart is drawn. */
const chartFont = () => `${themeColor('--hs-chart-text').replace(/^currentColor$/, '12px')} system-ui, -apple-system, "Segoe UI", sans-serif`;
const LANE_ROW = 18;
/** About a printed page's width in CSS pixels (A4 or Letter less the margins): canvases are redrawn at it for print. */
const PRINT_CANVAS_WIDTH = 700;
const INTEGER_STEPS = [1, 2, 3, 4, 6, 8, 12, 13, 26, 52, 104];

/** Where the plot area lies inside the canvas, in CSS pixels (for the annotation lane). */
interface Geometry {
  left: number;
  width: number;
  total: number;
}

interface Hover {
  index: number;
  left: number;
  top: number;
  /** Past the middle the tooltip opens to the left, so it never runs off the page. */
  flip: boolean;
}

/**
 * A trend over periods drawn with uPlot (canvas, ~50 kB): it fills its container's width and
 * redraws on resize. Hover or keyboard focus (arrow keys, Home, End) shows a period's exact
 * values; keyboard moves are announced to screen readers; "Show the figures" has the table.
 */
export function TrendChart({ title, labels, series, kind = 'lines', bands = NO_BANDS, markers = NO_MARKERS, format = (v) => String(v), height = 260, reference, yIncrs, yLabel, xLabel }: TrendChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const [geometry, setGeometry] = useState<Geometry | null>(null);
  const [announce, setAnnounce] = useState('');
  const [figuresOpened, setFiguresOpened] = useState(false);
  const hintId = useId();
  const n = labels.length;

  // Stacked bars are drawn as cumulative totals, tallest first, so each one covers the part below.
  const drawn = useMemo(() => {
    if (kind !== 'stacked') return series.map((s) => ({ s, values: s.values }));
    const cumulative: { s: TrendSeries; values: (number | null)[] }[] = [];
    const running = new Array<number>(n).fill(0);
    for (const s of series) {
      s.values.forEach((v, i) => (running[i] = (running[i] ?? 0) + (v ?? 0)));
      cumulative.push({ s, values: [...running] });
    }
    return cumulative.reverse();
  }, [series, kind, n]);

  const describe = (index: number) => {
    const parts = series.map((s) => `${s.label} ${s.values[index] === null || s.values[index] === undefined ? 'no figure' : format(s.values[index] as number)}`);
    if (kind === 'stacked') parts.push(`total ${format(series.reduce((sum, s) => sum + (s.values[index] ?? 0), 0))}`);
    const marks = markers.filter((m) => m.index === index).map((m) => m.label);
    return `${labels[index] ?? ''}: ${parts.join(', ')}${marks.length ? ` (${marks.join('; ')})` : ''}`;
  };

  useEffect(() => {
    const el = holder.current;
    if (!el || n === 0) return;
    const keyIndex = new Map(drawn.map((d, i) => [d.s.key, i + 1]));
    const FONT = chartFont();
    const measureOf = (u: uPlot) => {
      const next = { left: u.bbox.left / uPlot.pxRatio, width: u.bbox.width / uPlot.pxRatio, total: u.width };
      setGeometry((g) => (g && Math.abs(g.left - next.left) < 0.5 && Math.abs(g.width - next.width) < 0.5 && g.total === next.total ? g : next));
    };
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 8 }, focus: { prox: -1 } },
      scales: { x: { time: false, range: [-0.5, n - 0.5] }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.08 : 1] } },
      axes: [
        {
          font: FONT,
          stroke: themeColor('--hs-muted'),
          grid: { show: false },
          incrs: INTEGER_STEPS,
          values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (labels[i] ?? '') : '')),
        },
        {
          font: FONT,
          stroke: themeColor('--hs-muted'),
          grid: { stroke: themeColor('--hs-grid') },
          incrs: yIncrs ? [...yIncrs] : undefined,
          values: (_u, splits) => splits.map((v) => format(v)),
          // Wide enough for the longest label ("2 h 30 min"), so none is cut off.
          size: (u, values) => {
            u.ctx.font = FONT;
            return Math.ceil(Math.max(24, ...(values ?? []).map((v) => u.ctx.measureText(v).width / uPlot.pxRatio))) + 22;
          },
        },
      ],
      series: [
        {},
        ...drawn.map(({ s }) => ({
          label: s.label,
          stroke: s.color,
          width: s.edge ? 1 : kind === 'stacked' ? 0 : 2.5,
          dash: s.dashed ? [6, 5] : undefined,
          fill: kind === 'stacked' ? s.color : undefined,
          paths: kind === 'stacked' ? uPlot.paths.bars?.({ size: [0.7, 64] }) : undefined,
          points: { show: kind !== 'stacked' && !s.edge && n <= 60, size: 5 },
          spanGaps: false,
        })),
      ],
      bands: bands.flatMap((b) => {
        const upper = keyIndex.get(b.upper);
        const lower = keyIndex.get(b.lower);
        return upper && lower ? [{ series: [upper, lower] as uPlot.Band.Bounds, fill: b.color }] : [];
      }),
      hooks: {
        setCursor: [
          (u) => {
            const idx = u.cursor.idx;
            if (idx === null || idx === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
              setHover(null);
              return;
            }
            const over = u.over.getBoundingClientRect();
            const box = el.getBoundingClientRect();
            const left = over.left - box.left + u.valToPos(idx, 'x');
            setHover({ index: idx, left, top: over.top - box.top + Math.max(0, u.cursor.top ?? 0), flip: left > box.width / 2 });
          },
        ],
        draw: [
          // The plot's place is final only once uPlot has sized its axes: the lane follows it.
          (u) => measureOf(u),
          (u) => {
            const ctx = u.ctx;
            const { left, top, width, height: h } = u.bbox;
            ctx.save();
            ctx.font = `${Math.round(parseFloat(FONT) * uPlot.pxRatio)}px system-ui, sans-serif`;
            if (reference) {
              const y = u.valToPos(reference.value, 'y', true);
              ctx.strokeStyle = themeColor('--hs-danger');
              ctx.setLineDash([4 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
              ctx.beginPath();
              ctx.moveTo(left, y);
              ctx.lineTo(left + width, y);
              ctx.stroke();
              ctx.fillStyle = themeColor('--hs-danger');
              ctx.fillText(reference.label, left + width - ctx.measureText(reference.label).width - 4, y - 4 * uPlot.pxRatio);
            }
            for (const m of markers) {
              const x = u.valToPos(m.index, 'x', true);
              ctx.strokeStyle = m.color ?? themeColor('--hs-text');
              ctx.lineWidth = 1.5 * uPlot.pxRatio;
              ctx.setLineDash([5 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, top + h);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    };
    const u = new uPlot(opts, [labels.map((_, i) => i), ...drawn.map((d) => d.values.map((v) => (v === null ? null : v)))] as uPlot.AlignedData, el);
    plot.current = u;
    const measure = () => measureOf(u);
    const print = window.matchMedia?.('print');
    const resize = new ResizeObserver(() => {
      if (print?.matches) return;
      const width = Math.max(280, el.clientWidth);
      if (Math.abs(width - u.width) > 1) {
        u.setSize({ width, height });
        measure();
      }
    });
    resize.observe(el);
    // Printing lays the page out at the paper's width without telling the ResizeObserver: the
    // canvas would be shrunk from the screen's width and its text with it. Before printing it is
    // redrawn at about a printed page's width, after printing at the screen's again.
    const toPaper = () => {
      if (u.width > PRINT_CANVAS_WIDTH) u.setSize({ width: PRINT_CANVAS_WIDTH, height });
      measure();
    };
    const toScreen = () => {
      const width = Math.max(280, el.clientWidth);
      if (Math.abs(width - u.width) > 1) u.setSize({ width, height });
      measure();
    };
    const onMedia = (e: MediaQueryListEvent) => (e.matches ? toPaper() : toScreen());
    window.addEventListener('beforeprint', toPaper);
    window.addEventListener('afterprint', toScreen);
    print?.addEventListener?.('change', onMedia);
    return () => {
      window.removeEventListener('beforeprint', toPaper);
      window.removeEventListener('afterprint', toScreen);
      print?.removeEventListener?.('change', onMedia);
      resize.disconnect();
      u.destroy();
      plot.current = null;
      setHover(null);
    };
    // format is usually an inline function: the chart is rebuilt when the data changes, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drawn, labels, n, height, bands, markers, reference, yIncrs]);

  const moveTo = (index: number) => {
    const u = plot.current;
    if (!u || n === 0) return;
    const i = Math.max(0, Math.min(n - 1, index));
    const top = u.valToPos(series.reduce((max, s) => Math.max(max, s.values[i] ?? 0), 0), 'y');
    u.setCursor({ left: u.valToPos(i, 'x'), top });
    setAnnounce(describe(i));
  };
  const onKey = (e: KeyboardEvent) => {
    const current = plot.current?.cursor.idx ?? hover?.index ?? n - 1;
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1 }[e.key];
    if (step !== undefined) moveTo(current + step);
    else if (e.key === 'Home') moveTo(0);
    else if (e.key === 'End') moveTo(n - 1);
    else return;
    e.preventDefault();
  };

  // The annotations' lane: laid out for the plot's width on screen or on paper, whichever is
  // narrower, and placed in percent, so no label covers another at either width.
  const lane = useMemo(() => {
    if (!geometry || markers.length === 0 || n === 0) return null;
    const layoutWidth = Math.min(geometry.width, PRINT_LAYOUT_WIDTH);
    const placed = layoutLabels(
      markers.map((m) => ({ x: ((m.index + 0.5) / n) * layoutWidth, width: textWidth(m.label) + 4 })),
      layoutWidth,
    );
    return { layoutWidth, placed, rows: rowCount(placed) };
  }, [geometry, markers, n]);

  const legend = [
    ...series.filter((s) => !s.edge).map((s) => ({ key: s.key, label: s.label, color: s.color, dashed: !!s.dashed, area: kind === 'stacked' })),
    ...bands.map((b) => ({ key: `band-${b.upper}`, label: b.label, color: b.color, dashed: false, area: true })),
  ];

  return (
    <figure className="hs-trend hs-chart-figure" data-chart="trend">
      <p className="hs-chart__axis-title" data-axis="y">
        {yLabel}
      </p>
      {lane && geometry && (
        <div className="hs-trend__lane" aria-hidden="true" style={{ marginLeft: `${(geometry.left / geometry.total) * 100}%`, width: `${(geometry.width / geometry.total) * 100}%`, height: lane.rows * LANE_ROW }}>
          {markers.map((m, i) => {
            const p = lane.placed[i];
            return p ? (
              <span key={`${m.index}-${m.label}`} className="hs-trend__mark hs-chart__annotation" style={{ left: `${(p.left / lane.layoutWidth) * 100}%`, bottom: p.row * LANE_ROW, color: m.color }}>
                {m.label}
              </span>
            ) : null;
          })}
        </div>
      )}
      <div className="hs-trend__plot">
        {/* A keyboard-explorable chart: arrow keys move through the points and the value is announced. */}
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
        <div
          ref={holder}
          className="hs-trend__canvas"
          role="img"
          aria-label={title}
          aria-roledescription="chart"
          aria-describedby={hintId}
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          tabIndex={0}
          onFocus={() => moveTo(hover?.index ?? n - 1)}
          onBlur={() => plot.current?.setCursor({ left: -10, top: -10 })}
          onKeyDown={onKey}
        />
        {hover && (
          <div className={`hs-trend__tooltip${hover.flip ? ' hs-trend__tooltip--left' : ''}`} data-testid="chart-tooltip" aria-hidden="true" style={{ left: hover.left, top: hover.top }}>
            <strong>{labels[hover.index]}</strong>
            {series.map((s) => (
              <span key={s.key}>
                <i className="hs-legend__swatch" style={{ background: s.color }} /> {s.label}: {s.values[hover.index] === null || s.values[hover.index] === undefined ? '—' : format(s.values[hover.index] as number)}
              </span>
            ))}
            {kind === 'stacked' && <span>Total: {format(series.reduce((sum, s) => sum + (s.values[hover.index] ?? 0), 0))}</span>}
            {markers
              .filter((m) => m.index === hover.index)
              .map((m) => (
                <em key={m.label}>{m.label}</em>
              ))}
          </div>
        )}
      </div>
      <p className="hs-chart__axis-title" data-axis="x">
        {xLabel}
      </p>
      <p id={hintId} className="hs-visually-hidden">
        Focus the chart and use the arrow keys, Home and End to read each period.
      </p>
      <p className="hs-visually-hidden" aria-live="polite" data-testid="chart-announcement">
        {announce}
      </p>
      <ul className="hs-legend" aria-hidden="true">
        {legend.map((l) => (
          <li key={l.key}>
            <span className={l.area ? 'hs-legend__swatch' : l.dashed ? 'hs-legend__line hs-legend__line--dashed' : 'hs-legend__line'} style={l.area ? { background: l.color } : { borderColor: l.color }} />
            {l.label}
          </li>
        ))}
        {markers.length > 0 && (
          <li>
            <span className="hs-legend__line hs-legend__line--dashed hs-legend__line--rule" /> a change beyond normal variation
          </li>
        )}
      </ul>
      {/* The table is built when first opened: closed, it would be most of the chart's elements for nothing (a closed details does not print either). */}
      <details className="hs-trend__figures" onToggle={(e) => e.currentTarget.open && setFiguresOpened(true)}>
        <summary>Show the figures</summary>
        {figuresOpened && (
        <Table
          caption={title}
          captionHidden
          figures
          cards={false}
          rows={labels.map((label, i) => ({ label, i }))}
          rowKey={(r) => `${r.label}-${r.i}`}
          columns={[
            { key: 'period', header: 'Period', rowHeader: true, render: (r) => r.label },
            ...series.map((s) => ({ key: s.key, header: s.label, align: 'end' as const, render: (r: { i: number }) => (s.values[r.i] === null || s.values[r.i] === undefined ? '—' : format(s.values[r.i] as number)) })),
            ...(markers.length > 0
              ? [
                  {
                    key: 'change',
                    header: 'Change',
                    render: (r: { i: number }) =>
                      markers
                        .filter((m) => m.index === r.i)
                        .map((m) => m.label)
                        .join('; '),
                  },
                ]
              : []),
          ]}
        />
        )}
      </details>
    </figure>
  );
}
