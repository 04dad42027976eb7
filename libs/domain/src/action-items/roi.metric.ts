import type { ActionStatus } from '../enums/contract.enums';
import { isValidDate, MS_PER_DAY } from '../time/time.util';

type Maybe = number | null | undefined;

const usable = (v: Maybe): v is number => typeof v === 'number' && Number.isFinite(v);

export interface RoiInput {
  readonly expectedIncidentsAvoidedPerYear: Maybe;
  /** averageIncidentCost of past incidents sharing the item's factor category and service. */
  readonly averageCostOfPastIncidents: Maybe;
  readonly effortDays: Maybe;
  /** Policies.personDayCost */
  readonly personDayCost: Maybe;
}

/**
 * PRODUCT.md 5: (expected incidents avoided per year × average cost of past incidents that
 * share its factor category and service) ÷ (effort in person-days × cost of a person-day).
 * A ratio: 4 means the item is expected to save four times its cost in a year. Null when an
 * input is missing, when there are no past incidents to price (average null), or when the
 * cost side is not positive — a division that would show ∞ or a negative return is noise.
 */
export function actionItemRoi(input: RoiInput): number | null {
  const { expectedIncidentsAvoidedPerYear: avoided, averageCostOfPastIncidents: avg, effortDays, personDayCost } = input;
  if (!usable(avoided) || !usable(avg) || !usable(effortDays) || !usable(personDayCost)) return null;
  if (avoided < 0 || avg < 0 || effortDays <= 0 || personDayCost <= 0) return null;
  return (avoided * avg) / (effortDays * personDayCost);
}

/** Mean cost of the given past incidents; null when there are none (nothing to price). */
export function averageIncidentCost(costs: readonly number[]): number | null {
  const known = costs.filter((c) => Number.isFinite(c));
  if (known.length === 0) return null;
  return known.reduce((a, b) => a + b, 0) / known.length;
}

/**
 * A yearly rate from a count observed over a look-back window, e.g. 3 incidents in the last
 * 180 days → ≈ 6.08 a year. A starting point for "expected incidents avoided" when the team
 * has not estimated it; null for a non-positive window.
 */
export function incidentsPerYear(count: number, windowDays: number): number | null {
  if (!Number.isFinite(count) || !Number.isFinite(windowDays) || windowDays <= 0 || count < 0) return null;
  return (count * 365) / windowDays;
}

/** How far back ROI looks for past incidents of the item's category and service. */
export const ROI_LOOKBACK_DAYS = 365;

/**
 * The look-back of an item's ROI: the ROI_LOOKBACK_DAYS up to its completion, or up to `now`
 * while it is open. Anchored at completion so that a finished fix keeps the ROI it was
 * judged by, instead of shrinking as the incidents it prevented fail to happen.
 */
export function roiLookback(completedAt: Date | null | undefined, now: Date): { from: Date; to: Date } {
  const to = isValidDate(completedAt) && completedAt.getTime() < now.getTime() ? completedAt : now;
  return { from: new Date(to.getTime() - ROI_LOOKBACK_DAYS * MS_PER_DAY), to };
}

/** What anchors an item's ROI look-back: its completion once DONE; an item open or dropped (WONT_DO) looks back from now. */
export function roiAnchor(item: { readonly status: ActionStatus; readonly completedAt: Date | null }): Date | null {
  return item.status === 'DONE' ? item.completedAt : null;
}
