import { useMemo } from 'react';
import { Table } from '@hindsight/web-ui';
import { cappedScale, pickWorst } from './layout';
import { SmallMultiples } from './small-multiples';

/** How many SLOs get their own burn panel by default; the rest are listed in the table below them. */
export const BURN_PANELS = 8;
/** The panels' value axis ends here (percent of a budget in one period); beyond it a bar is drawn to the top and marked. */
export const BURN_AXIS_CAP = 300;

const percent = (v: number) => `${v >= 100 ? Math.round(v).toLocaleString('en-US') : Math.round(v * 10) / 10} %`;
const HUNDRED = { value: 100, label: 'whole budget' };

export interface BurnSeries {
  key: string;
  service: string;
  /** The SLO in words ("Availability 99.9 %"). */
  slo: string;
  segment: string | null;
  /** Percent of the budget consumed in each period (null: no figure). */
  values: readonly (number | null)[];
}

export interface BudgetBurnProps {
  series: readonly BurnSeries[];
  /** One label per period. */
  labels: readonly string[];
  /** The period in words ("week", "month"). */
  unit: string;
  /** The period axis' title ("Week starting"). */
  xLabel: string;
  /** How many panels (default `BURN_PANELS`). */
  panels?: number;
}

/**
 * Error-budget burn as small multiples: one panel per SLO for the worst `panels` (by what the
 * range consumed; the higher single period breaks a tie), all on one axis that stops at
 * `BURN_AXIS_CAP`, and the others, worst first, in a table below. Says when the axis is capped.
 */
export function BudgetBurn({ series, labels, unit, xLabel, panels: wanted = BURN_PANELS }: BudgetBurnProps) {
  const burn = useMemo(() => {
    const all = series.map((b) => {
      const values = b.values;
      const total = values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
      const peak = values.reduce<number>((max, v) => Math.max(max, v ?? 0), 0);
      const peakIndex = values.findIndex((v) => v === peak);
      return {
        ...b,
        total,
        peak,
        peakLabel: peakIndex >= 0 && peak > 0 ? (labels[peakIndex] ?? '') : '',
        over: values.filter((v) => (v ?? 0) > 100).length,
      };
    });
    // The worst by what the range consumed; a higher single period breaks a tie.
    const { shown, rest } = pickWorst(all, wanted, (b) => b.total + b.peak / 1e6);
    const scale = cappedScale(
      shown.flatMap((b) => b.values),
      { reference: 100, cap: BURN_AXIS_CAP },
    );
    const panels = shown.map((b) => ({
      key: b.key,
      title: `${b.service} · ${b.slo}${b.segment ? ` · ${b.segment}` : ''}`,
      note: b.total > 0 ? `${percent(b.total)} over the range; peak ${percent(b.peak)} (${b.peakLabel})` : 'nothing consumed in the range',
      values: b.values,
    }));
    return { panels, rest, scale, count: all.length };
  }, [series, labels, wanted]);

  return (
    <>
        {burn.count === 0 ? (
          <p className="hs-muted">No SLOs for the services in scope. Administrators add SLOs on the Services page.</p>
        ) : (
          <>
            <p className="hs-muted" data-testid="burn-explainer">
              Share of each SLO&apos;s error budget consumed by the incidents of each {unit}, one panel per SLO for the {burn.panels.length === burn.count ? (burn.count === 1 ? 'only SLO' : `${burn.count} SLOs`) : `worst ${burn.panels.length} of ${burn.count}`} (most consumed over the range first
              {burn.rest.length > 0 ? '; the others are in the table below' : ''}). Every panel has the same axis; the dashed red line is the whole budget.
              {burn.scale.capped ? ` The axis stops at ${percent(burn.scale.max)}: a ${unit} beyond it is drawn to the top in red with a break, and its value is in the panel's note.` : ''}
            </p>
            <SmallMultiples
              title={`Error budget consumed per ${unit}, worst SLOs`}
              labels={labels}
              items={burn.panels}
              scale={burn.scale}
              format={(v) => `${Math.round(v)} %`}
              yLabel={`% of budget per ${unit}`}
              xLabel={xLabel}
              reference={HUNDRED}
            />
            {burn.rest.length > 0 && (
              <Table
                caption={`The other ${burn.rest.length} SLO${burn.rest.length === 1 ? '' : 's'}, most consumed first`}
                testId="burn-rest"
                cards={false}
                figures
                rows={burn.rest}
                rowKey={(b) => b.key}
                columns={[
                  { key: 'service', header: 'Service', rowHeader: true, render: (b) => b.service, sortValue: (b) => b.service },
                  { key: 'slo', header: 'SLO', render: (b) => b.slo },
                  { key: 'segment', header: 'Segment', render: (b) => b.segment ?? 'everyone', sortValue: (b) => b.segment ?? '' },
                  { key: 'total', header: 'Consumed over the range', align: 'end', render: (b) => percent(b.total), sortValue: (b) => b.total },
                  { key: 'peak', header: `Worst ${unit}`, align: 'end', render: (b) => (b.peak > 0 ? `${percent(b.peak)} (${b.peakLabel})` : '—'), sortValue: (b) => b.peak },
                  { key: 'over', header: `${unit[0]?.toUpperCase()}${unit.slice(1)}s over the whole budget`, align: 'end', render: (b) => String(b.over), sortValue: (b) => b.over },
                ]}
              />
            )}
          </>
        )}
    </>
  );
}
