import './reliability.css';
import { useMemo, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { tokenStore, type TrendInterval } from '@hindsight/web-data-access';
import { Alert, Button, PageHeader, SelectField, TextField, WhenNear } from '@hindsight/web-ui';
import { CostSavings, ErrorBudgets } from './budgets-and-savings';
import { KeyFigures, ReportDetails } from './report-sections';
import { NudgeResponses } from './nudge-responses';
import { RunbookFigures } from './runbook-figures';
import { LearningFigures } from './learning-figures';
import { HeadlineTiles, Outlook, ReviewStates, TrendCharts, WhatChanged, firstActivePeriod } from './review-sections';
import { DoraSection } from './dora-section';
import { parseReviewParams, PRESETS, presetRange, reviewLink, toReliabilityFilter, toReviewParams, type PresetId, type ReviewState } from './review-filter';
import { rangeInWords } from './report-range';
import { ReliabilityOptions, ReliabilityReviewQuery, SegmentComparisonQuery } from './reliability.operations';
import { usePrefetchSections } from './prefetch-sections';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The filters, all in the URL: every view can be shared and bookmarked, and Back restores the one before. */
export function useReviewState(): [ReviewState, (change: Partial<ReviewState>) => void] {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseReviewParams(params), [params]);
  const set = (change: Partial<ReviewState>) => setParams(toReviewParams({ ...state, ...change }));
  return [state, set];
}

export function useReliabilityOptions() {
  const options = useQuery(ReliabilityOptions);
  const segments = [...new Set((options.data?.services ?? []).flatMap((s) => s.slos.map((slo) => slo.segment)).filter((s): s is string => !!s))].sort();
  return { teams: options.data?.teams ?? [], services: options.data?.services ?? [], segments };
}

/** Leadership's view: how reliability moved and why, by team and service (never by person), a segment next to everyone. */
export function ReliabilityPage() {
  const [state, set] = useReviewState();
  const filter = useMemo(() => toReliabilityFilter(state), [state]);
  const { teams, services, segments } = useReliabilityOptions();
  const review = useQuery(ReliabilityReviewQuery, { variables: { filter } });
  const compared = useQuery(SegmentComparisonQuery, { variables: { filter: { ...filter, segment: null }, segment: state.segment ?? '' }, skip: !state.segment });
  const [exportError, setExportError] = useState<string | null>(null);
  const interval = filter.interval as TrendInterval;
  const { teamId, serviceId, segment } = state;

  const download = async (format: 'csv' | 'json') => {
    setExportError(null);
    const query = new URLSearchParams({ from: filter.from, to: filter.to, interval, ...(teamId ? { teamId } : {}), ...(serviceId ? { serviceId } : {}), ...(segment ? { segment } : {}) });
    try {
      const res = await fetch(`/api/reports/reliability.${format}?${query}`, { headers: { authorization: `Bearer ${tokenStore.get() ?? ''}` } });
      if (!res.ok) throw new Error(`The export failed (${res.status}). Try again, or narrow the filters.`);
      const url = URL.createObjectURL(await res.blob());
      const a = Object.assign(document.createElement('a'), { href: url, download: `reliability-${filter.from.slice(0, 10)}-${filter.to.slice(0, 10)}.${format}` });
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setExportError(e instanceof Error ? e.message : 'The export failed.');
    }
  };

  const choosePreset = (preset: PresetId) => {
    if (preset !== 'custom') return set({ preset, fromDay: null, toDay: null });
    // A custom range starts as the range on screen, ready to adjust.
    const { from, to } = presetRange(state);
    set({ preset, fromDay: day(from), toDay: day(to - 86_400_000) });
  };

  const data = review.data ?? review.previousData;
  const result = data?.reliabilityReview;
  const start = result ? firstActivePeriod(result, state.preset === 'all') : 0;
  const segmentReport = compared.data?.segmentComparison;
  usePrefetchSections(!!result, { filter, teamId, serviceId, segment }, { nudges: true, runbooks: true });

  return (
    <div className="hs-wide">
      <PageHeader
        title="Reliability"
        description="How reliability moved against the previous period, what changed and where it is heading, by team and service; never a ranking of people."
        actions={
          <div className="hs-row">
            <Link className="hs-button" to={reviewLink(state)}>
              Open the review
            </Link>
            <Button variant="secondary" onClick={() => void download('csv')}>
              Export CSV
            </Button>
            <Button variant="secondary" onClick={() => void download('json')}>
              Export JSON
            </Button>
          </div>
        }
      />
      {exportError && <Alert>{exportError}</Alert>}
      <form className="hs-row hs-report-filters" aria-label="Report filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Period" value={state.preset} onChange={(e) => choosePreset(e.target.value as PresetId)} options={PRESETS} />
        {state.preset === 'custom' && (
          <>
            {/* Uncontrolled, re-keyed by the URL: the router applies search-param changes in a transition. */}
            <TextField key={`from-${state.fromDay}`} label="From" type="date" defaultValue={state.fromDay ?? ''} max={state.toDay ?? undefined} onChange={(e) => e.target.value && set({ fromDay: e.target.value })} />
            <TextField key={`to-${state.toDay}`} label="To (included)" type="date" defaultValue={state.toDay ?? ''} min={state.fromDay ?? undefined} onChange={(e) => e.target.value && set({ toDay: e.target.value })} />
          </>
        )}
        <SelectField
          label="Interval"
          value={state.interval === interval ? state.interval : ''}
          placeholder={`Automatic (${interval === 'WEEK' ? 'weekly' : 'monthly'})`}
          onChange={(e) => set({ interval: (e.target.value || null) as TrendInterval | null })}
          options={[
            { value: 'WEEK', label: 'Weekly' },
            { value: 'MONTH', label: 'Monthly' },
          ]}
        />
        <SelectField label="Team" value={teamId ?? ''} placeholder="All teams" onChange={(e) => set({ teamId: e.target.value || null })} options={teams.map((t) => ({ value: t.id, label: t.name }))} />
        <SelectField label="Service" value={serviceId ?? ''} placeholder="All services" onChange={(e) => set({ serviceId: e.target.value || null })} options={services.map((s) => ({ value: s.id, label: s.name }))} />
        <SelectField label="Customer segment" value={segment ?? ''} placeholder="Everyone" onChange={(e) => set({ segment: e.target.value || null })} options={segments.map((s) => ({ value: s, label: s }))} hint="Puts the segment next to everyone." />
      </form>
      <p className="hs-muted" data-testid="report-range">
        {rangeInWords(filter.from, filter.to)}, {interval === 'WEEK' ? 'weekly' : 'monthly'}
        {result ? `; compared with ${rangeInWords(result.previous.from, result.previous.to)}` : ''}
        {review.loading && result ? ' · updating…' : ''}
      </p>
      <ReviewStates error={review.error} result={result} onRetry={() => void review.refetch()} loadingLabel="Computing the report…">
        {(result) => (
          <>
            <HeadlineTiles review={result} label={segment ? `Key figures for ${segment}` : 'Key figures'} start={start} />
            {segment && segmentReport && (
              <section className="hs-stack" aria-labelledby="segment-view">
                <h2 id="segment-view">{segment} next to everyone</h2>
                <div className="hs-grid-2">
                  <KeyFigures report={segmentReport.segmentReport} label={`Segment: ${segment}`} />
                  <KeyFigures report={segmentReport.everyone} label="Everyone" />
                </div>
              </section>
            )}
            <DoraSection review={result} />
            {/* Below the first screen, each part is built when scrolled near (or printed). */}
            <WhenNear minHeight={400}>
              <WhatChanged changes={result.changes} interval={interval} filter={state} />
            </WhenNear>
            <TrendCharts review={result} interval={interval} start={start} />
            <WhenNear minHeight={500}>
              <Outlook outlook={result.outlook} />
            </WhenNear>
            <WhenNear minHeight={700}>
              <ReportDetails report={result.current} />
            </WhenNear>
            <WhenNear minHeight={400}>
              <ErrorBudgets serviceId={serviceId} segment={segment} />
            </WhenNear>
            <WhenNear minHeight={400}>
              <CostSavings from={filter.from} to={filter.to} teamId={teamId} serviceId={serviceId} />
            </WhenNear>
            <WhenNear minHeight={400}>
              <NudgeResponses from={filter.from} to={filter.to} teamId={teamId} />
            </WhenNear>
            <WhenNear minHeight={400}>
              <RunbookFigures from={filter.from} to={filter.to} teamId={teamId} serviceId={serviceId} />
            </WhenNear>
            <WhenNear minHeight={800}>
              <LearningFigures filter={filter} />
            </WhenNear>
          </>
        )}
      </ReviewStates>
    </div>
  );
}
