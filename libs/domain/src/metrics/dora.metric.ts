import { MS_PER_DAY, MS_PER_MINUTE } from '../time/time.util';
import { BudgetIncident, countsAgainstSlo, errorBudget, ErrorBudget, SloIncidentScope, SloScope } from './error-budget.metric';
import { distributionOf, DistributionStats, MINUTE_HISTOGRAM_BOUNDS } from './percentiles.metric';
import { smallSampleRate } from './small-sample.metric';

/*
 * PRODUCT.md 5 "Changes and DORA" (issue 25; docs/dora.md): deployment frequency, change
 * failure rate and failed deployment recovery time over the production changes that finished
 * in [from, to).
 */

/** How an incident linked to a failed change ends for the recovery time: mitigation, else resolution. */
export interface RecoveringIncident {
  readonly mitigatedAt: Date | null;
  readonly resolvedAt: Date | null;
}

/** The instant an incident stopped hurting: `mitigatedAt`, else `resolvedAt`, else null (still on). */
export const incidentRecoveredAt = (i: RecoveringIncident): Date | null => i.mitigatedAt ?? i.resolvedAt ?? null;

/**
 * A failed change's recovery time in minutes: from its `finishedAt` to the recovery of the
 * incidents it is linked to — the last of them when it is linked to several (the change's
 * damage is undone when every incident it took part in is). Null while one of them has not
 * recovered (it is left out of the distribution, as an incident lacking a milestone is).
 * Never negative: an incident mitigated before the change finished (a change linked as
 * contributing after the fact) recovers in 0 minutes.
 */
export function failedChangeRecoveryMinutes(finishedAt: Date, recoveredAt: readonly (Date | null)[]): number | null {
  if (recoveredAt.length === 0 || recoveredAt.some((d) => d === null)) return null;
  const last = Math.max(...recoveredAt.map((d) => (d as Date).getTime()));
  return Math.max(0, (last - finishedAt.getTime()) / MS_PER_MINUTE);
}

/**
 * The days a deployment frequency divides by: those of [from, to) that have passed by `now`
 * (a range still running counts the days so far); 0 when none has.
 */
export function doraDays(from: Date, to: Date, now: Date): number {
  const end = Math.min(to.getTime(), now.getTime());
  return end > from.getTime() ? (end - from.getTime()) / MS_PER_DAY : 0;
}

export interface DoraInput {
  /** Production changes that finished in the range. */
  readonly deployments: number;
  /** Each failed change of them (linked to an incident as TRIGGERING or CONTRIBUTING): its recovery minutes, null while not recovered. */
  readonly failed: readonly (number | null)[];
  /** doraDays of the range. */
  readonly days: number;
}

export interface DoraFigures {
  readonly deployments: number;
  /** deployments ÷ days; 0 when no day has passed. */
  readonly deploymentsPerDay: number;
  readonly failedChanges: number;
  /** failedChanges ÷ deployments; null without deployments. */
  readonly changeFailureRate: number | null;
  /** The 95 % interval of the rate while deployments < SMALL_SAMPLE. */
  readonly changeFailureRateLow: number | null;
  readonly changeFailureRateHigh: number | null;
  /** deployments < TOO_FEW_TO_TELL. */
  readonly changeFailureRateTooFewToTell: boolean;
  /** Failed deployment recovery time: the failed changes that recovered. */
  readonly recoveryMinutes: DistributionStats;
  readonly days: number;
}

/** The DORA figures of a range (or one period) from its counts and its failed changes' recovery times. */
export function doraFigures(input: DoraInput): DoraFigures {
  const failedChanges = input.failed.length;
  const rate = smallSampleRate(failedChanges, input.deployments);
  const recovered = Float64Array.from(input.failed.filter((m): m is number => m !== null));
  return {
    deployments: input.deployments,
    deploymentsPerDay: input.days > 0 ? input.deployments / input.days : 0,
    failedChanges,
    changeFailureRate: rate.rate,
    changeFailureRateLow: rate.low,
    changeFailureRateHigh: rate.high,
    changeFailureRateTooFewToTell: rate.tooFewToTell,
    recoveryMinutes: distributionOf(recovered, MINUTE_HISTOGRAM_BOUNDS),
    days: input.days,
  };
}

/** A change as stored, with the incidents it is linked to (as TRIGGERING or CONTRIBUTING). */
export interface DoraChange {
  readonly finishedAt: Date;
  readonly production: boolean;
  readonly linkedIncidents: readonly RecoveringIncident[];
}

/** The definition from plain rows (the reference the API is compared with): the production changes finished in [from, to). */
export function doraReference(changes: readonly DoraChange[], from: Date, to: Date, now: Date): DoraFigures {
  const covered = changes.filter((c) => c.production && c.finishedAt >= from && c.finishedAt < to);
  const failed = covered.filter((c) => c.linkedIncidents.length > 0).map((c) => failedChangeRecoveryMinutes(c.finishedAt, c.linkedIncidents.map(incidentRecoveredAt)));
  return doraFigures({ deployments: covered.length, failed, days: doraDays(from, to, now) });
}

/** An SLO as the freeze rule reads it. */
export interface FreezeSlo extends SloScope {
  readonly objective: number;
  readonly windowDays: number;
}

/**
 * Change-freeze awareness (issue 25): a change "shipped on an empty budget" when, at its
 * `finishedAt`, the error budget of an SLO of its service was exhausted (remaining ≤ 0, PRODUCT.md
 * 5) — counting the incidents that count against that SLO, as they stood then. Returns that
 * budget, or null when there was budget left.
 */
export function emptyBudgetAt(slo: FreezeSlo, incidents: readonly (BudgetIncident & SloIncidentScope)[], at: Date): ErrorBudget | null {
  const budget = errorBudget({ objective: slo.objective, windowDays: slo.windowDays, at, incidents: incidents.filter((i) => countsAgainstSlo(i, slo)) });
  return budget.remainingMinutes <= 0 ? budget : null;
}
