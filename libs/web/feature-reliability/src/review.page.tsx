import './reliability.css';
import { useEffect, useMemo } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import type { TrendInterval } from '@hindsight/web-data-access';
import { Button, formatDate, WhenNear } from '@hindsight/web-ui';
import { CostSavings, ErrorBudgets } from './budgets-and-savings';
import { KeyFigures, ReportDetails } from './report-sections';
import { HeadlineTiles, Outlook, ReviewStates, TrendCharts, WhatChanged, firstActivePeriod } from './review-sections';
import { DoraSection } from './dora-section';
import { toReliabilityFilter, toReviewParams } from './review-filter';
import { rangeInWords } from './report-range';
import { ReliabilityReviewQuery, SegmentComparisonQuery } from './reliability.operations';
import { LearningFigures } from './learning-figures';
import { useReliabilityOptions, useReviewState } from './reliability.page';
import { usePrefetchSections } from './prefetch-sections';

/**
 * The review to bring to a meeting: the same figures as Reliability for a fixed range, laid
 * out as a document that prints cleanly to PDF on A4 or Letter (no navigation). In print five
 * chapters each start a page (the summary; the trends; error budgets; the outlook and the
 * details; what the incidents teach); inside a chapter sections follow on, never leaving a
 * heading at the foot of a page or splitting a table row, a tile or a chart.
 */
export function ReliabilityReviewPage() {
  const [state] = useReviewState();
  const filter = useMemo(() => toReliabilityFilter(state), [state]);
  const interval = filter.interval as TrendInterval;
  const { teams, services } = useReliabilityOptions();
  const review = useQuery(ReliabilityReviewQuery, { variables: { filter } });
  const compared = useQuery(SegmentComparisonQuery, { variables: { filter: { ...filter, segment: null }, segment: state.segment ?? '' }, skip: !state.segment });
  const range = rangeInWords(filter.from, filter.to);

  useEffect(() => {
    // The title names the saved PDF.
    const before = document.title;
    document.title = `Reliability review ${range}`;
    return () => {
      document.title = before;
    };
  }, [range]);

  const result = review.data?.reliabilityReview;
  usePrefetchSections(!!result, { filter, teamId: state.teamId, serviceId: state.serviceId, segment: state.segment }, { nudges: false, runbooks: false });
  const scope = [
    state.teamId ? `team ${teams.find((t) => t.id === state.teamId)?.name ?? '…'}` : 'all teams',
    state.serviceId ? `service ${services.find((s) => s.id === state.serviceId)?.name ?? '…'}` : 'all services',
    state.segment ? `segment ${state.segment}` : 'every customer segment',
    state.severities.length ? state.severities.join(', ') : 'every severity',
  ].join(' · ');

  return (
    <article className="hs-review hs-wide">
      <nav className="hs-row hs-no-print" aria-label="Review">
        <Link to={`/reliability?${toReviewParams({ ...state, preset: 'custom', fromDay: filter.from.slice(0, 10), toDay: new Date(Date.parse(filter.to) - 86_400_000).toISOString().slice(0, 10) })}`}>Back to Reliability</Link>
        <Button onClick={() => window.print()}>Print or save as PDF</Button>
      </nav>
      <header className="hs-review__head">
        <h1>Reliability review</h1>
        <p className="hs-review__range">
          {range}, {interval === 'WEEK' ? 'weekly' : 'monthly'}
          {result ? `; compared with ${rangeInWords(result.previous.from, result.previous.to)}` : ''}
        </p>
        <p className="hs-muted">
          {scope}. Prepared {formatDate(new Date().toISOString())}. Durations as median and p90 (never an average); by team and service, never by person.
        </p>
      </header>
      <ReviewStates error={review.error} result={result} onRetry={() => void review.refetch()} loadingLabel="Preparing the review…">
        {(result) => (
          <>
            <HeadlineTiles review={result} label="Key figures" start={firstActivePeriod(result, state.preset === 'all')} />
            <DoraSection review={result} />
            {/* Below the first screen, each part is built when scrolled near; printing builds them all at once. */}
            <WhenNear minHeight={400}>
              <WhatChanged changes={result.changes} interval={interval} filter={state} />
            </WhenNear>
            <TrendCharts review={result} interval={interval} start={firstActivePeriod(result, state.preset === 'all')} />
            <WhenNear minHeight={400}>
              <ErrorBudgets serviceId={state.serviceId} segment={state.segment} />
            </WhenNear>
            <WhenNear minHeight={500}>
              <Outlook outlook={result.outlook} />
            </WhenNear>
            <WhenNear minHeight={700}>
              <ReportDetails report={result.current} />
            </WhenNear>
            <WhenNear minHeight={800}>
              <LearningFigures filter={filter} />
            </WhenNear>
            <WhenNear minHeight={400}>
              <CostSavings from={filter.from} to={filter.to} teamId={state.teamId} serviceId={state.serviceId} />
            </WhenNear>
            {state.segment && compared.data && (
              <section className="hs-stack hs-print-section" aria-labelledby="segment-view">
                <h2 id="segment-view">{state.segment} next to everyone</h2>
                <div className="hs-grid-2">
                  <KeyFigures report={compared.data.segmentComparison.segmentReport} label={`Segment: ${state.segment}`} />
                  <KeyFigures report={compared.data.segmentComparison.everyone} label="Everyone" />
                </div>
              </section>
            )}
          </>
        )}
      </ReviewStates>
    </article>
  );
}
