/** The metrics of the API's HeadlineMetric enum, and how each one reads. */
export type Metric =
  | 'INCIDENTS'
  | 'INCIDENTS_SEV1'
  | 'INCIDENTS_SEV2'
  | 'INCIDENTS_SEV3'
  | 'INCIDENTS_SEV4'
  | 'TTD_MEDIAN'
  | 'TTD_P90'
  | 'TTM_MEDIAN'
  | 'TTM_P90'
  | 'TTR_MEDIAN'
  | 'TTR_P90'
  | 'REPEAT_INCIDENTS'
  | 'POSTMORTEMS_ON_TIME_RATE'
  | 'OVERDUE_P0_P1'
  | 'BUDGETS_EXHAUSTED'
  | 'COST'
  | 'DEPLOYMENTS_PER_DAY'
  | 'CHANGE_FAILURE_RATE'
  | 'RECOVERY_MEDIAN'
  | 'RECOVERY_P90';

type Kind = 'count' | 'minutes' | 'rate' | 'money' | 'perDay';

export const METRIC_LABEL: Record<Metric, string> = {
  INCIDENTS: 'Incidents',
  INCIDENTS_SEV1: 'SEV1',
  INCIDENTS_SEV2: 'SEV2',
  INCIDENTS_SEV3: 'SEV3',
  INCIDENTS_SEV4: 'SEV4',
  TTD_MEDIAN: 'Median time to detect',
  TTD_P90: 'p90 time to detect',
  TTM_MEDIAN: 'Median time to mitigate',
  TTM_P90: 'p90 time to mitigate',
  TTR_MEDIAN: 'Median time to resolve',
  TTR_P90: 'p90 time to resolve',
  REPEAT_INCIDENTS: 'Repeat incidents',
  POSTMORTEMS_ON_TIME_RATE: 'Postmortems on time',
  OVERDUE_P0_P1: 'Overdue P0/P1 items',
  BUDGETS_EXHAUSTED: 'Error budgets exhausted',
  COST: 'Cost',
  DEPLOYMENTS_PER_DAY: 'Deployments a day',
  CHANGE_FAILURE_RATE: 'Change failure rate',
  RECOVERY_MEDIAN: 'Median recovery from a failed change',
  RECOVERY_P90: 'p90 recovery from a failed change',
};

/** How durations and money read (the UI library's formatters; passed in so this file stays pure). */
export interface Formats {
  minutes(value: number): string;
  money(value: number): string;
}

export function metricKind(metric: Metric): Kind {
  if (/^TT[DMR]_/.test(metric) || metric.startsWith('RECOVERY_')) return 'minutes';
  if (metric === 'POSTMORTEMS_ON_TIME_RATE' || metric === 'CHANGE_FAILURE_RATE') return 'rate';
  if (metric === 'DEPLOYMENTS_PER_DAY') return 'perDay';
  if (metric === 'COST') return 'money';
  return 'count';
}

/** A figure as people read it: "45 min", "82 %", "$12,400", "7". */
export function formatFigure(metric: Metric, value: number | null | undefined, fmt: Formats): string {
  if (value === null || value === undefined) return '—';
  switch (metricKind(metric)) {
    case 'minutes':
      return fmt.minutes(value);
    case 'rate':
      return `${Math.round(value * 100)} %`;
    case 'money':
      return fmt.money(value);
    case 'perDay':
      return `${value.toFixed(value < 10 ? 1 : 0)} a day`;
    case 'count':
      return String(Math.round(value));
  }
}

export interface HeadlineFigureLike {
  metric: Metric;
  value?: number | null;
  previous?: number | null;
  change?: number | null;
  relativeChange?: number | null;
  better?: boolean | null;
}

export type Verdict = 'better' | 'worse' | 'unchanged' | 'not comparable';

export interface DeltaText {
  /** ▲ up, ▼ down, ▬ flat, or nothing when there is no comparison. */
  arrow: '▲' | '▼' | '▬' | '';
  /** "+12 min (+25 %)", "−3 pts", "+2 (new)", "no change". */
  change: string;
  verdict: Verdict;
  /** One sentence for screen readers and the tooltip: the words carry the meaning, not the colour. */
  sentence: string;
}

const MINUS = '−';
const signed = (text: string, negative: boolean) => `${negative ? MINUS : '+'}${text}`;

/**
 * The change against the previous period in words. Better/worse comes from the API (it knows
 * which way is good for each metric); a rate changes in percentage points, not percent of a percent.
 */
export function formatDelta(fig: HeadlineFigureLike, fmt: Formats): DeltaText {
  const kind = metricKind(fig.metric);
  const prevText = formatFigure(fig.metric, fig.previous, fmt);
  if (fig.change === null || fig.change === undefined || fig.value === null || fig.value === undefined || fig.previous === null || fig.previous === undefined) {
    const why = fig.previous === null || fig.previous === undefined ? 'no figure for the previous period' : 'no figure for this period';
    return { arrow: '', change: 'not comparable', verdict: 'not comparable', sentence: `Not comparable: ${why}.` };
  }
  const change = fig.change;
  if (Math.abs(change) < 1e-9 || (kind === 'count' && Math.round(change) === 0)) {
    return { arrow: '▬', change: 'no change', verdict: 'unchanged', sentence: `No change from the previous period (${prevText}).` };
  }
  const negative = change < 0;
  let abs: string;
  switch (kind) {
    case 'minutes':
      abs = fmt.minutes(Math.abs(change));
      break;
    case 'rate':
      abs = `${Math.round(Math.abs(change) * 100)} pts`;
      break;
    case 'money':
      abs = fmt.money(Math.abs(change));
      break;
    case 'perDay':
      abs = `${Math.abs(change).toFixed(1)} a day`;
      break;
    case 'count':
      abs = String(Math.round(Math.abs(change)));
  }
  let text = signed(abs, negative);
  if (kind !== 'rate') {
    const rel = fig.relativeChange;
    text += rel === null || rel === undefined ? (fig.previous === 0 ? ' (from zero)' : '') : ` (${signed(`${Math.round(Math.abs(rel) * 100)} %`, rel < 0)})`;
  }
  const verdict: Verdict = fig.better === true ? 'better' : fig.better === false ? 'worse' : 'unchanged';
  const word = verdict === 'unchanged' ? 'changed' : verdict;
  return {
    arrow: negative ? '▼' : '▲',
    change: text,
    verdict,
    sentence: `${negative ? 'Down' : 'Up'} ${text.slice(1)} on the previous period (${prevText}): ${word}.`,
  };
}

/** The points of a sparkline as an SVG path in a w×h box; gaps (null) break the line, a lone point is a dot. */
export function sparklinePath(values: readonly (number | null | undefined)[], width: number, height: number): string {
  const defined = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (defined.length === 0) return '';
  const min = Math.min(...defined);
  const max = Math.max(...defined);
  const span = max - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  let path = '';
  // Points in the current unbroken run; a run of one is drawn as a dot (a zero-length line with round caps).
  let run = 0;
  const endRun = () => {
    if (run === 1) path += 'h0';
    run = 0;
  };
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      endRun();
      return;
    }
    const x = values.length > 1 ? i * step : width / 2;
    const y = max === min ? height / 2 : height - ((v - min) / span) * height;
    path += `${run > 0 ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
    run += 1;
  });
  endRun();
  return path;
}
