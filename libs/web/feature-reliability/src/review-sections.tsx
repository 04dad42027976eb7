import { Suspense, useMemo, type ReactNode } from 'react';
import { Link } from 'react-router';
import { errorMessage, type ReportFiguresFragment, type Severity, type TrendInterval } from '@hindsight/web-data-access';
import { EmptyState, ErrorState, formatMinutes, formatMoney, labelOf, LoadingState, SEVERITY_VARS, themeColor, WhenNear } from '@hindsight/web-ui';
import { formatDelta, formatFigure, METRIC_LABEL, sparklinePath, type Formats, type HeadlineFigureLike, type Metric } from './headline';
import { incidentsLink } from './review-filter';
import { periodLabel } from './report-range';
import { BudgetBurn, TrendChart } from './lazy-charts';


/**
 * The review query as both review pages show it: its error, its loading, or that neither period
 * had an incident; otherwise `children` with the review, in the pages' stack.
 */
export function ReviewStates<T extends { current: { incidents: number }; previous: { incidents: number } }>({
  error,
  result,
  onRetry,
  loadingLabel,
  children,
}: {
  error: unknown;
  result: T | undefined;
  onRetry: () => void;
  loadingLabel: string;
  children: (result: T) => ReactNode;
}) {
  if (error && !result) return <ErrorState message={errorMessage(error)} onRetry={onRetry} />;
  if (!result) return <LoadingState label={loadingLabel} />;
  if (result.current.incidents === 0 && result.previous.incidents === 0) return <EmptyState title="No incidents started in this period or the one before, for these filters." />;
  return <div className="hs-stack">{children(result)}</div>;
}

export const FORMATS: Formats = { minutes: formatMinutes, money: formatMoney };

interface StatsLite {
  count: number;
  median?: number | null;
  p90?: number | null;
}

/** The parts of the API's ReliabilityReview the page shows (the generated query type fits it). */
export interface ReviewData {
  current: ReportFiguresFragment;
  previous: { from: string; to: string; incidents: number };
  headline: readonly (HeadlineFigureLike & { sparkline: readonly (number | null | undefined)[] })[];
  series: readonly {
    periodStart: string;
    incidents: number;
    bySeverity: readonly { severity: Severity; count: number }[];
    timeToDetectMinutes: StatsLite;
    timeToMitigateMinutes: StatsLite;
    timeToResolveMinutes: StatsLite;
    cost: number;
    overdueActionItems: number;
  }[];
  changes: readonly ReviewChange[];
  outlook: {
    method: string;
    level: number;
    history: readonly { monthStart: string; incidents: number }[];
    months: readonly { monthStart: string; expected: number; low: number; high: number }[];
  };
  budgetBurn: readonly {
    service: { id: string; name: string };
    slo: { id: string; dimension: string; objective: number; windowDays: number; segment?: string | null };
    budgetMinutes: number;
    points: readonly { periodStart: string; consumedMinutes: number; consumedFraction: number }[];
  }[];
}

export interface ReviewChange {
  periodStart: string;
  metric: Metric;
  direction: 'WORSE' | 'BETTER';
  value: number;
  baseline: number;
  measure: string;
  method: string;
  incidents: readonly { id: string; reference: string; title: string }[];
  services: readonly { service: { id: string; name: string }; count: number }[];
  factorCategories: readonly { category: string; count: number }[];
}

export interface ScopeFilter {
  teamId?: string | null;
  serviceId?: string | null;
  segment?: string | null;
}

const severityColor = (s: Severity): string => themeColor(SEVERITY_VARS[s]);
const SEVERITIES: Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];
const per = (interval: TrendInterval) => (interval === 'WEEK' ? 'week' : 'month');
export const periodAxis = (interval: TrendInterval) => (interval === 'WEEK' ? 'Week starting' : 'Month');
/** A factor category inside a sentence: "configuration change". */
export const categoryText = (category: string) => labelOf('FactorCategory', category).toLowerCase();
const count = (v: number) => String(Math.round(v * 100) / 100);
/** Axis steps for durations in minutes: whole minutes, hours and days, never "50 min" apart. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];
const MINUTE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 4320, 7200, 10080, 20160, 43200];

/** For "all time": charts start at the first period with an incident, not ten empty years earlier. */
export function firstActivePeriod(review: ReviewData, trimLeading: boolean): number {
  if (!trimLeading) return 0;
  const i = review.series.findIndex((p) => p.incidents > 0);
  return i < 0 ? 0 : i;
}

function Sparkline({ values }: { values: readonly (number | null | undefined)[] }) {
  const d = sparklinePath(values, 116, 26);
  return (
    <svg className="hs-tile__spark" viewBox="-2 -2 120 30" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <path d={d} />
    </svg>
  );
}

export function Delta({ figure }: { figure: HeadlineFigureLike }) {
  const d = formatDelta(figure, FORMATS);
  return (
    <span className={`hs-delta hs-delta--${d.verdict.replace(' ', '-')}`} title={d.sentence}>
      {d.arrow && <span aria-hidden="true">{d.arrow} </span>}
      {d.change}
      {(d.verdict === 'better' || d.verdict === 'worse') && <strong> {d.verdict}</strong>}
      <span className="hs-visually-hidden"> ({d.sentence})</span>
    </span>
  );
}

function Tile({ title, children, spark, verdict }: { title: string; children: React.ReactNode; spark?: readonly (number | null | undefined)[]; verdict?: string }) {
  return (
    <article className="hs-tile" data-verdict={verdict}>
      <h3>{title}</h3>
      {children}
      {spark && <Sparkline values={spark} />}
    </article>
  );
}

/** The headline: each figure, its change against the previous period of equal length, and its course. */
export function HeadlineTiles({ review, label, start }: { review: ReviewData; label: string; start: number }) {
  const fig = (m: Metric) => review.headline.find((h) => h.metric === m);
  const value = (m: Metric) => formatFigure(m, fig(m)?.value, FORMATS);
  const spark = (m: Metric) => fig(m)?.sparkline.slice(start);
  const verdict = (m: Metric) => {
    const f = fig(m);
    return f ? formatDelta(f, FORMATS).verdict : undefined;
  };
  const simple = (m: Metric, testId?: string) => {
    const f = fig(m);
    return (
      <Tile key={m} title={METRIC_LABEL[m]} spark={spark(m)} verdict={verdict(m)}>
        <p className="hs-tile__value" data-testid={testId}>
          {value(m)}
        </p>
        {f && <Delta figure={f} />}
      </Tile>
    );
  };
  const duration = (title: string, median: Metric, p90: Metric) => {
    const fm = fig(median);
    const fp = fig(p90);
    return (
      // The edge colour only when median and p90 agree: a better median with a worse tail is not "better".
      <Tile title={title} spark={spark(median)} verdict={verdict(median) === verdict(p90) ? verdict(median) : undefined}>
        <p className="hs-tile__pair">
          <span>median </span>
          <strong className="hs-tile__value">{value(median)}</strong>
        </p>
        {fm && <Delta figure={fm} />}
        <p className="hs-tile__pair">
          <span>p90 </span>
          <strong>{value(p90)}</strong>
        </p>
        {fp && <Delta figure={fp} />}
      </Tile>
    );
  };
  const incidents = fig('INCIDENTS');
  return (
    <section className="hs-tiles-section" aria-label={label}>
      <p className="hs-muted hs-small">Each figure against the previous period of equal length ({review.previous.incidents} incident{review.previous.incidents === 1 ? '' : 's'} then). Arrows show the direction; the words say whether that is better or worse.</p>
      <div className="hs-tiles">
        <Tile title="Incidents" spark={spark('INCIDENTS')} verdict={verdict('INCIDENTS')}>
          <p className="hs-tile__value" data-testid="figure-incidents">
            {value('INCIDENTS')}
          </p>
          {incidents && <Delta figure={incidents} />}
          <ul className="hs-tile__severities">
            {SEVERITIES.map((s) => {
              const f = fig(`INCIDENTS_${s}` as Metric);
              return (
                <li key={s}>
                  <span className="hs-legend__swatch" style={{ background: severityColor(s) }} aria-hidden="true" />
                  {s} {formatFigure('INCIDENTS', f?.value, FORMATS)}
                  {f && f.change ? (
                    <span className="hs-muted">
                      {' '}
                      ({f.change > 0 ? '+' : '−'}
                      {Math.abs(Math.round(f.change))})
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </Tile>
        {duration('Time to detect', 'TTD_MEDIAN', 'TTD_P90')}
        {duration('Time to mitigate', 'TTM_MEDIAN', 'TTM_P90')}
        {duration('Time to resolve', 'TTR_MEDIAN', 'TTR_P90')}
        {simple('REPEAT_INCIDENTS')}
        {simple('POSTMORTEMS_ON_TIME_RATE')}
        {simple('OVERDUE_P0_P1')}
        {simple('BUDGETS_EXHAUSTED')}
        {simple('COST')}
      </div>
    </section>
  );
}

const CHANGE_CHART: Partial<Record<Metric, string>> = { INCIDENTS: 'incidents', TTD_MEDIAN: 'detect', TTM_MEDIAN: 'mitigate', TTR_MEDIAN: 'resolve', COST: 'cost' };
const changeMark = (c: ReviewChange) => (c.direction === 'WORSE' ? '▲ worse' : '▼ better');

/** The trends, each the page's full width: durations as median and p90 with the band between, counts, cost, overdue items, budget burn. */
export function TrendCharts({ review, interval, start }: { review: ReviewData; interval: TrendInterval; start: number }) {
  const series = useMemo(() => review.series.slice(start), [review.series, start]);
  const labels = useMemo(() => series.map((p) => periodLabel(p.periodStart, interval)), [series, interval]);
  const markers = useMemo(() => {
    const byChart: Record<string, { index: number; label: string; color: string }[]> = {};
    for (const c of review.changes) {
      const chart = CHANGE_CHART[c.metric];
      const index = series.findIndex((p) => p.periodStart === c.periodStart);
      if (!chart || index < 0) continue;
      (byChart[chart] ??= []).push({ index, label: changeMark(c), color: themeColor(c.direction === 'WORSE' ? '--hs-danger' : '--hs-ok') });
    }
    return byChart;
  }, [review.changes, series]);
  const durations = useMemo(
    () =>
      (
        [
          ['detect', 'Time to detect', 'timeToDetectMinutes'],
          ['mitigate', 'Time to mitigate', 'timeToMitigateMinutes'],
          ['resolve', 'Time to resolve', 'timeToResolveMinutes'],
        ] as const
      ).map(([key, title, field]) => ({
        key,
        title,
        series: [
          { key: 'median', label: 'median', color: themeColor('--hs-series-1'), values: series.map((p) => p[field].median ?? null) },
          { key: 'p90', label: 'p90', color: themeColor('--hs-series-4'), values: series.map((p) => p[field].p90 ?? null) },
        ],
      })),
    [series],
  );
  const band = useMemo(() => [{ upper: 'p90', lower: 'median', color: themeColor('--hs-band-violet'), label: 'between median and p90' }], []);
  const bySeverity = useMemo(
    () => SEVERITIES.map((s) => ({ key: s, label: s, color: severityColor(s), values: series.map((p) => p.bySeverity.find((b) => b.severity === s)?.count ?? 0) })),
    [series],
  );
  const cost = useMemo(() => [{ key: 'cost', label: 'cost', color: themeColor('--hs-series-1'), values: series.map((p) => p.cost) }], [series]);
  const overdue = useMemo(() => [{ key: 'overdue', label: 'overdue action items', color: themeColor('--hs-danger'), values: series.map((p) => p.overdueActionItems) }], [series]);
  const xLabel = periodAxis(interval);
  const burn = useMemo(
    () =>
      review.budgetBurn.map((b) => ({
        key: b.slo.id,
        service: b.service.name,
        slo: `${labelOf('SloDimension', b.slo.dimension)} ${(b.slo.objective * 100).toFixed(2).replace(/\.?0+$/, '')} %`,
        segment: b.slo.segment ?? null,
        values: series.map((p) => {
          const point = b.points.find((q) => q.periodStart === p.periodStart);
          return point ? Math.round(point.consumedFraction * 1000) / 10 : null;
        }),
      })),
    [review.budgetBurn, series],
  );
  const unit = per(interval);

  // Each chart is built when scrolled near (or printed): only the first screen is built on load.
  return (
    <Suspense fallback={<LoadingState label="Drawing charts…" />}>
      <WhenNear minHeight={900}>
        <section className="hs-card hs-print-section" aria-labelledby="trend-durations">
          <h2 id="trend-durations">Detect, mitigate, resolve: median and p90 per {unit}</h2>
          <p className="hs-muted">Durations are long-tailed, so each line is a percentile: half the incidents took less than the median, nine in ten less than the p90. The shaded band lies between them.</p>
          <div className="hs-trend-stack">
            {durations.map((d) => (
              <div key={d.key}>
                <h3>{d.title}</h3>
                <TrendChart title={`${d.title}, median and p90 per ${unit}`} labels={labels} series={d.series} bands={band} markers={markers[d.key]} format={formatMinutes} yIncrs={MINUTE_STEPS} height={220} yLabel="Duration (minutes, hours, days)" xLabel={xLabel} />
              </div>
            ))}
          </div>
        </section>
      </WhenNear>
      <WhenNear minHeight={420}>
        <section className="hs-card" aria-labelledby="trend-incidents">
          <h2 id="trend-incidents">Incidents per {unit}, by severity</h2>
          <TrendChart title={`Incidents per ${unit} by severity`} labels={labels} series={bySeverity} kind="stacked" markers={markers['incidents']} format={count} yIncrs={COUNT_STEPS} yLabel={`Incidents per ${unit}`} xLabel={xLabel} />
        </section>
      </WhenNear>
      <WhenNear minHeight={440}>
        <section className="hs-card" aria-labelledby="trend-cost">
          <h2 id="trend-cost">Cost per {unit}</h2>
          <p className="hs-muted">Outage minutes × revenue per minute × impact, plus responder time and SLA credits. Total {formatMoney(review.current.totalCost)}.</p>
          <TrendChart title={`Incident cost per ${unit}`} labels={labels} series={cost} kind="stacked" markers={markers['cost']} format={formatMoney} yLabel={`Cost per ${unit}`} xLabel={xLabel} />
        </section>
      </WhenNear>
      <WhenNear minHeight={360}>
        <section className="hs-card" aria-labelledby="trend-overdue">
          <h2 id="trend-overdue">Overdue action items</h2>
          <p className="hs-muted">Action items open and past their due date at the end of each {unit}.</p>
          <TrendChart title={`Overdue action items at the end of each ${unit}`} labels={labels} series={overdue} format={count} yIncrs={COUNT_STEPS} height={200} yLabel="Overdue action items" xLabel={xLabel} />
        </section>
      </WhenNear>
      <WhenNear minHeight={800}>
        <section className="hs-card hs-print-section" aria-labelledby="trend-burn">
          <h2 id="trend-burn">Error-budget burn per service</h2>
          {burn.length === 0 ? (
            <p className="hs-muted">No SLOs for the services in scope. Administrators add SLOs on the Services page.</p>
          ) : (
            <BudgetBurn series={burn} labels={labels} unit={unit} xLabel={xLabel} />
          )}
        </section>
      </WhenNear>
    </Suspense>
  );
}

/** Periods where a distribution moved beyond normal variation, with what drove each, linked. */
export function WhatChanged({ changes, interval, filter }: { changes: readonly ReviewChange[]; interval: TrendInterval; filter: ScopeFilter }) {
  return (
    <section className="hs-card" aria-labelledby="what-changed">
      <h2 id="what-changed">What changed</h2>
      {changes.length === 0 ? (
        <p>No period moved beyond normal variation: the differences between periods are within what chance explains.</p>
      ) : (
        <>
          <p className="hs-muted">Each period is tested against the periods before it; only shifts too large to be chance are listed.</p>
          <ul className="hs-changes">
            {changes.map((c) => {
              const period = `${interval === 'WEEK' ? 'Week of ' : ''}${periodLabel(c.periodStart, interval)}`;
              return (
                <li key={`${c.periodStart}-${c.metric}`} className={`hs-change hs-change--${c.direction.toLowerCase()}`}>
                  <h3>
                    {period}: {METRIC_LABEL[c.metric].toLowerCase()} <span aria-hidden="true">{c.direction === 'WORSE' ? '▲' : '▼'}</span> {c.direction === 'WORSE' ? 'worse' : 'better'}
                  </h3>
                  <p>
                    {formatFigure(c.metric, c.value, FORMATS)} against a baseline of {formatFigure(c.metric, c.baseline, FORMATS)}. Measured: {c.measure}.
                  </p>
                  <p className="hs-muted hs-small">Method: {c.method}.</p>
                  <dl className="hs-dl">
                    {c.incidents.length > 0 && (
                      <>
                        <dt>Incidents</dt>
                        <dd>
                          <ul className="hs-inline-list">
                            {c.incidents.map((i) => (
                              <li key={i.id}>
                                <Link to={`/incidents/${i.reference}`}>
                                  {i.reference} {i.title}
                                </Link>
                              </li>
                            ))}
                          </ul>
                        </dd>
                      </>
                    )}
                    {c.services.length > 0 && (
                      <>
                        <dt>Services</dt>
                        <dd>
                          <ul className="hs-inline-list">
                            {c.services.map((s) => (
                              <li key={s.service.id}>
                                <Link to={incidentsLink(c.periodStart, interval, { ...filter, serviceId: s.service.id })}>
                                  {s.service.name} ({s.count})
                                </Link>
                              </li>
                            ))}
                          </ul>
                        </dd>
                      </>
                    )}
                    {c.factorCategories.length > 0 && (
                      <>
                        <dt>Factor categories</dt>
                        <dd>
                          <ul className="hs-inline-list">
                            {c.factorCategories.map((f) => (
                              <li key={f.category}>
                                {/* The incidents list has no factor filter: the link opens that period's incidents. */}
                                <Link to={incidentsLink(c.periodStart, interval, filter)}>
                                  {categoryText(f.category)} ({f.count})
                                </Link>
                              </li>
                            ))}
                          </ul>
                        </dd>
                      </>
                    )}
                  </dl>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

/** Incidents per month ahead, always with the interval it is uncertain within, and the method named on the chart. */
export function Outlook({ outlook }: { outlook: ReviewData['outlook'] }) {
  const monthLabel = (iso: string) => periodLabel(iso, 'MONTH');
  const history = useMemo(() => outlook.history.slice(-12), [outlook.history]);
  const labels = useMemo(() => [...history.map((h) => monthLabel(h.monthStart)), ...outlook.months.map((m) => monthLabel(m.monthStart))], [history, outlook.months]);
  const series = useMemo(() => {
    const pad = (n: number) => new Array<number | null>(n).fill(null);
    const lastHistory = history.at(-1)?.incidents ?? null;
    return [
      { key: 'history', label: 'incidents', color: themeColor('--hs-text'), values: [...history.map((h) => h.incidents), ...pad(outlook.months.length)] },
      { key: 'expected', label: 'expected', color: themeColor('--hs-series-1'), dashed: true, values: [...pad(Math.max(0, history.length - 1)), ...(history.length ? [lastHistory] : []), ...outlook.months.map((m) => m.expected)] },
      { key: 'high', label: 'high', color: themeColor('--hs-series-faint'), edge: true, values: [...pad(history.length), ...outlook.months.map((m) => m.high)] },
      { key: 'low', label: 'low', color: themeColor('--hs-series-faint'), edge: true, values: [...pad(history.length), ...outlook.months.map((m) => m.low)] },
    ];
  }, [history, outlook.months]);
  const level = `${Math.round(outlook.level * 100)} %`;
  const bands = useMemo(() => [{ upper: 'high', lower: 'low', color: themeColor('--hs-band-accent'), label: `${level} prediction interval` }], [level]);
  const round = (v: number) => String(Math.round(v * 10) / 10);
  return (
    <section className="hs-card hs-print-section" aria-labelledby="outlook">
      <h2 id="outlook">Outlook: incidents per month</h2>
      {outlook.months.length === 0 ? (
        <p className="hs-muted">No incident history in scope yet, so there is nothing to forecast from.</p>
      ) : (
        <>
          <p data-testid="outlook-method">
            <strong>Method:</strong> {outlook.method}. The shaded band is the {level} prediction interval: the next months&apos; counts should fall inside it {level} of the time.
          </p>
          <ul className="hs-inline-list">
            {outlook.months.map((m) => (
              <li key={m.monthStart}>
                <strong>{monthLabel(m.monthStart)}</strong>: about {round(m.expected)} ({round(m.low)}–{round(m.high)})
              </li>
            ))}
          </ul>
          <Suspense fallback={<LoadingState label="Drawing the outlook…" />}>
            <TrendChart title={`Incidents per month and the next ${outlook.months.length} months forecast (${outlook.method}), with the ${level} prediction interval`} labels={labels} series={series} bands={bands} format={round} height={240} yLabel="Incidents per month" xLabel="Month" />
          </Suspense>
        </>
      )}
    </section>
  );
}
