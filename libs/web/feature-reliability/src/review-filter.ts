import type { ReliabilityFilter, Severity, TrendInterval } from '@hindsight/web-data-access';

const DAY = 86_400_000;
const SEVERITY_VALUES: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

export type PresetId = '4w' | '13w' | '26w' | '52w' | 'qtd' | 'pq' | 'all' | 'custom';

export const PRESETS: readonly { value: PresetId; label: string }[] = [
  { value: '4w', label: 'Last 4 weeks' },
  { value: '13w', label: 'Last 13 weeks' },
  { value: '26w', label: 'Last 26 weeks' },
  { value: '52w', label: 'Last 52 weeks' },
  { value: 'qtd', label: 'Quarter to date' },
  { value: 'pq', label: 'Previous quarter' },
  { value: 'all', label: 'All time' },
  { value: 'custom', label: 'Custom range' },
];
export const DEFAULT_PRESET: PresetId = '26w';

/**
 * "All time": thirty years of months (imported history reaches back years; the server allows a
 * century monthly). The charts start at the first period with an incident.
 */
const ALL_TIME_MONTHS = 360;
/** The server's longest weekly report (MAX_REPORT_DAYS_BY_INTERVAL.WEEK): longer ranges are monthly. */
const MAX_WEEKLY_DAYS = 3653;

/** What the Reliability page's URL says: the period (a preset or a custom range of days) and the filters. */
export interface ReviewState {
  preset: PresetId;
  /** Custom range, days in UTC (YYYY-MM-DD), `to` included. */
  fromDay: string | null;
  toDay: string | null;
  /** Chosen by hand; otherwise the range picks one (see autoInterval). */
  interval: TrendInterval | null;
  teamId: string | null;
  serviceId: string | null;
  segment: string | null;
  severities: Severity[];
}

const isDay = (v: string | null): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
const dayToMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const msToDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfUtcDay = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
const mondayOf = (ms: number) => ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY;
const quarterStart = (year: number, quarter: number) => Date.UTC(year, quarter * 3, 1);

/** Weekly up to a year, monthly beyond: about 13–120 points, each a readable bar. */
export function autoInterval(fromMs: number, toMs: number): TrendInterval {
  return toMs - fromMs > 366 * DAY ? 'MONTH' : 'WEEK';
}

/**
 * [from, to) of a preset in UTC. Every period ends today, never in the future: rolling presets
 * start on a Monday and run through today (the last bar is "this week so far"); quarters are
 * calendar quarters (to date: through today); "all time" starts month-aligned thirty years back.
 * A custom range covers its `to` day.
 */
export function presetRange(state: Pick<ReviewState, 'preset' | 'fromDay' | 'toDay'>, now = new Date()): { from: number; to: number } {
  const today = startOfUtcDay(now);
  const weeks = { '4w': 4, '13w': 13, '26w': 26, '52w': 52 } as const;
  switch (state.preset) {
    case '4w':
    case '13w':
    case '26w':
    case '52w': {
      const monday = mondayOf(today);
      return { from: monday - (weeks[state.preset] - 1) * 7 * DAY, to: today + DAY };
    }
    case 'qtd': {
      const q = Math.floor(now.getUTCMonth() / 3);
      return { from: quarterStart(now.getUTCFullYear(), q), to: today + DAY };
    }
    case 'pq': {
      const q = Math.floor(now.getUTCMonth() / 3);
      return { from: quarterStart(now.getUTCFullYear(), q - 1), to: quarterStart(now.getUTCFullYear(), q) };
    }
    case 'all':
      return { from: Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1 - ALL_TIME_MONTHS, 1), to: today + DAY };
    case 'custom': {
      if (isDay(state.fromDay) && isDay(state.toDay) && dayToMs(state.toDay) >= dayToMs(state.fromDay)) {
        return { from: dayToMs(state.fromDay), to: dayToMs(state.toDay) + DAY };
      }
      return presetRange({ preset: DEFAULT_PRESET, fromDay: null, toDay: null }, now);
    }
  }
}

/** The GraphQL filter the page asks for; a range too long for weekly points is monthly whatever was chosen. */
export function toReliabilityFilter(state: ReviewState, now = new Date()): ReliabilityFilter {
  const { from, to } = presetRange(state, now);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    interval: state.preset === 'all' || to - from > MAX_WEEKLY_DAYS * DAY ? 'MONTH' : (state.interval ?? autoInterval(from, to)),
    teamId: state.teamId,
    serviceId: state.serviceId,
    segment: state.segment,
    severities: state.severities.length ? state.severities : null,
  };
}

const PRESET_IDS = new Set<string>(PRESETS.map((p) => p.value));

/** The Reliability page's URL → its state. Unknown or broken values fall back to the defaults. */
export function parseReviewParams(params: URLSearchParams): ReviewState {
  const get = (k: string) => params.get(k)?.trim() || null;
  const fromDay = get('from');
  const toDay = get('to');
  const period = get('period');
  const preset: PresetId = period && PRESET_IDS.has(period) ? (period as PresetId) : isDay(fromDay) && isDay(toDay) ? 'custom' : DEFAULT_PRESET;
  const interval = get('interval');
  return {
    preset,
    fromDay: preset === 'custom' && isDay(fromDay) ? fromDay : null,
    toDay: preset === 'custom' && isDay(toDay) ? toDay : null,
    interval: interval === 'WEEK' || interval === 'MONTH' ? interval : null,
    teamId: get('team') ?? get('teamId'),
    serviceId: get('service') ?? get('serviceId'),
    segment: get('segment'),
    severities: (get('severities') ?? '')
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter((s): s is Severity => (SEVERITY_VALUES as string[]).includes(s)),
  };
}

/** The state → the Reliability page's URL: only what differs from the defaults, in a stable order. */
export function toReviewParams(state: ReviewState): URLSearchParams {
  const p = new URLSearchParams();
  if (state.preset !== DEFAULT_PRESET) p.set('period', state.preset);
  if (state.preset === 'custom' && state.fromDay && state.toDay) {
    p.set('from', state.fromDay);
    p.set('to', state.toDay);
  }
  if (state.interval) p.set('interval', state.interval);
  if (state.teamId) p.set('team', state.teamId);
  if (state.serviceId) p.set('service', state.serviceId);
  if (state.segment) p.set('segment', state.segment);
  if (state.severities.length) p.set('severities', state.severities.join(','));
  return p;
}

/**
 * The review report's URL for what the page shows: the resolved range as days (so the link
 * keeps meaning the same weeks when opened next month) and the filters by id.
 */
export function reviewLink(state: ReviewState, now = new Date()): string {
  const f = toReliabilityFilter(state, now);
  const p = new URLSearchParams({ from: f.from.slice(0, 10), to: msToDay(Date.parse(f.to) - DAY), interval: f.interval ?? 'WEEK' });
  if (f.teamId) p.set('teamId', String(f.teamId));
  if (f.serviceId) p.set('serviceId', String(f.serviceId));
  if (f.segment) p.set('segment', f.segment);
  if (f.severities?.length) p.set('severities', f.severities.join(','));
  return `/reliability/review?${p}`;
}

/** The incidents list for one period of a report (and its filters): where a "what changed" driver links. */
export function incidentsLink(periodStart: string, interval: TrendInterval, filter: Partial<Pick<ReliabilityFilter, 'teamId' | 'serviceId' | 'segment'>>, extra: Record<string, string> = {}): string {
  const start = Date.parse(periodStart);
  const d = new Date(start);
  const end = interval === 'MONTH' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : start + 7 * DAY;
  const p = new URLSearchParams({ from: msToDay(start), to: msToDay(end - DAY) });
  if (filter.teamId) p.set('team', String(filter.teamId));
  if (filter.serviceId) p.set('service', String(filter.serviceId));
  if (filter.segment) p.set('segment', filter.segment);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return `/incidents?${p}`;
}
