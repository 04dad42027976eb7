import { useMemo, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { errorMessage, tokenStore, type ReliabilityFilter, type TrendInterval } from '@hindsight/web-data-access';
import { Alert, Button, EmptyState, ErrorState, LoadingState, PageHeader, SelectField } from '@hindsight/web-ui';
import { CostSavings, ErrorBudgets } from './budgets-and-savings';
import { KeyFigures, ReportCharts } from './report-sections';
import { NudgeResponses } from './nudge-responses';
import { RunbookFigures } from './runbook-figures';
import { reportRange } from './report-range';
import { ReliabilityOptions, ReliabilityReportQuery, SegmentComparisonQuery } from './reliability.operations';

const RANGES = [
  { value: '3', label: 'Last 3 months' },
  { value: '6', label: 'Last 6 months' },
  { value: '12', label: 'Last 12 months' },
  { value: '24', label: 'Last 24 months' },
];

/** Leadership's view: trends by team and service (never by person), a segment next to everyone. */
export function ReliabilityPage() {
  const [params, setParams] = useSearchParams();
  const months = Number(params.get('months') ?? '6');
  const interval = (params.get('interval') ?? (months > 6 ? 'MONTH' : 'WEEK')) as TrendInterval;
  const teamId = params.get('team') || null;
  const serviceId = params.get('service') || null;
  const segment = params.get('segment') || null;
  const { from, to } = useMemo(() => reportRange(months, interval), [months, interval]);
  const filter: ReliabilityFilter = { from, to, interval, teamId, serviceId };

  const options = useQuery(ReliabilityOptions);
  const whole = useQuery(ReliabilityReportQuery, { variables: { filter }, skip: !!segment });
  const compared = useQuery(SegmentComparisonQuery, { variables: { filter, segment: segment ?? '' }, skip: !segment });
  const [exportError, setExportError] = useState<string | null>(null);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const segments = [...new Set((options.data?.services ?? []).flatMap((s) => s.slos.map((slo) => slo.segment)).filter((s): s is string => !!s))].sort();

  const download = async (format: 'csv' | 'json') => {
    setExportError(null);
    const query = new URLSearchParams({ from, to, interval, ...(teamId ? { teamId } : {}), ...(serviceId ? { serviceId } : {}), ...(segment ? { segment } : {}) });
    try {
      const res = await fetch(`/api/reports/reliability.${format}?${query}`, { headers: { authorization: `Bearer ${tokenStore.get() ?? ''}` } });
      if (!res.ok) throw new Error(`The export failed (${res.status}). Try again, or narrow the filters.`);
      const url = URL.createObjectURL(await res.blob());
      const a = Object.assign(document.createElement('a'), { href: url, download: `reliability-${from.slice(0, 10)}-${to.slice(0, 10)}.${format}` });
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setExportError(e instanceof Error ? e.message : 'The export failed.');
    }
  };

  const error = segment ? compared.error : whole.error;
  const report = segment ? compared.data?.segmentComparison.everyone : whole.data?.reliabilityReport;
  const segmentReport = compared.data?.segmentComparison.segmentReport;

  return (
    <>
      <PageHeader
        title="Reliability"
        description="Trends by team and service, as distributions; never a ranking of people."
        actions={
          <div className="hs-row">
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
      <form className="hs-row" aria-label="Report filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Period" value={String(months)} onChange={(e) => set('months', e.target.value)} options={RANGES} />
        <SelectField label="Interval" value={interval} onChange={(e) => set('interval', e.target.value)} options={[{ value: 'WEEK', label: 'Weekly' }, { value: 'MONTH', label: 'Monthly' }]} />
        <SelectField label="Team" value={teamId ?? ''} placeholder="All teams" onChange={(e) => set('team', e.target.value)} options={(options.data?.teams ?? []).map((t) => ({ value: t.id, label: t.name }))} />
        <SelectField label="Service" value={serviceId ?? ''} placeholder="All services" onChange={(e) => set('service', e.target.value)} options={(options.data?.services ?? []).map((s) => ({ value: s.id, label: s.name }))} />
        <SelectField label="Customer segment" value={segment ?? ''} placeholder="Everyone" onChange={(e) => set('segment', e.target.value)} options={segments.map((s) => ({ value: s, label: s }))} hint="Puts the segment next to everyone." />
      </form>
      {error && !report ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void (segment ? compared.refetch() : whole.refetch())} />
      ) : !report ? (
        <LoadingState label="Computing the report…" />
      ) : report.incidents === 0 ? (
        <EmptyState title="No incidents started in this period for these filters." />
      ) : (
        <div className="hs-stack">
          {segment && segmentReport ? (
            <div className="hs-grid-2">
              <KeyFigures report={segmentReport} label={`Segment: ${segment}`} />
              <KeyFigures report={report} label="Everyone" />
            </div>
          ) : (
            <KeyFigures report={report} />
          )}
          {segment && segmentReport && (
            <>
              <h2>{segment}</h2>
              <ReportCharts report={segmentReport} />
              <h2>Everyone</h2>
            </>
          )}
          <ReportCharts report={report} />
          <ErrorBudgets serviceId={serviceId} segment={segment} />
          <CostSavings from={from} to={to} teamId={teamId} serviceId={serviceId} />
          <NudgeResponses from={from} to={to} teamId={teamId} />
          <RunbookFigures from={from} to={to} teamId={teamId} serviceId={serviceId} />
        </div>
      )}
    </>
  );
}
