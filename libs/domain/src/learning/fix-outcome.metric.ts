import { FactorCategory, SafeguardKind } from '../enums/contract.enums';
import { MS_PER_DAY } from '../time/time.util';

/**
 * A fix held (PRODUCT.md 5): after a DONE action item that addresses a factor (or a failed
 * safeguard) was completed, no incident with the same service and the same factor category
 * (or the same safeguard kind) started within FIX_HOLD_DAYS. Items done less than that ago
 * are "too early to tell" (held null) unless it already recurred. A team's figure is
 * held ÷ (held + recurred) with its sample size; below FIX_MIN_SAMPLE it is "too few to tell".
 */
export const FIX_HOLD_DAYS = 90; // the default of the fixHoldDays policy (DEFAULT_POLICIES), which an ADMIN may change
export const FIX_MIN_SAMPLE = 5;

export interface FixedItem {
  readonly id: string;
  readonly ownerTeamId: string;
  readonly completedAt: Date;
  /** The services of the item's incident. */
  readonly serviceIds: readonly string[];
  /** The category of the addressed factor, or null. */
  readonly category: FactorCategory | null;
  /** The kind of the addressed safeguard, or null. */
  readonly safeguardKind: SafeguardKind | null;
}

export interface LaterIncident {
  readonly id: string;
  readonly startedAt: Date;
  readonly serviceIds: readonly string[];
  readonly categories: readonly FactorCategory[];
  readonly safeguardKinds: readonly SafeguardKind[];
}

export interface FixOutcome {
  /** true held, false recurred, null too early to tell. */
  readonly held: boolean | null;
  readonly recurredAt: Date | null;
  readonly recurrenceId: string | null;
  /** Whole days from completion to the recurrence, or to now (at most the window) when it held or it is too early. */
  readonly daysHeld: number;
}

/** Whether `incident` is a recurrence of what `item` fixed: same service and factor category, or the same safeguard kind. */
export function recurs(item: FixedItem, incident: LaterIncident): boolean {
  const byFactor = item.category !== null && incident.categories.includes(item.category) && incident.serviceIds.some((s) => item.serviceIds.includes(s));
  const bySafeguard = item.safeguardKind !== null && incident.safeguardKinds.includes(item.safeguardKind);
  return byFactor || bySafeguard;
}

/** The outcome of one done item against the incidents that started after its completion (any order). */
export function fixOutcome(item: FixedItem, incidents: readonly LaterIncident[], now: Date, windowDays: number = FIX_HOLD_DAYS): FixOutcome {
  const done = item.completedAt.getTime();
  const end = done + windowDays * MS_PER_DAY;
  const first = incidents
    .filter((i) => i.startedAt.getTime() > done && i.startedAt.getTime() <= end && recurs(item, i))
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a.id < b.id ? -1 : 1))[0];
  if (first && first.startedAt.getTime() <= now.getTime()) {
    return { held: false, recurredAt: first.startedAt, recurrenceId: first.id, daysHeld: Math.floor((first.startedAt.getTime() - done) / MS_PER_DAY) };
  }
  const daysHeld = Math.max(0, Math.floor((Math.min(now.getTime(), end) - done) / MS_PER_DAY));
  return { held: now.getTime() >= end ? true : null, recurredAt: null, recurrenceId: null, daysHeld };
}

export interface TeamFixesHeld {
  readonly teamId: string;
  readonly held: number;
  readonly recurred: number;
  readonly tooEarly: number;
  /** held + recurred: the items the share is taken over. */
  readonly sampleSize: number;
  /** held ÷ sampleSize, null below FIX_MIN_SAMPLE ("too few to tell"). */
  readonly heldShare: number | null;
}

/** Per owning team, the outcomes of its done items (teams in first-seen order of `items`). */
export function fixesHeldByTeam(items: readonly FixedItem[], outcomes: readonly FixOutcome[], minSample: number = FIX_MIN_SAMPLE): TeamFixesHeld[] {
  const teams = new Map<string, { held: number; recurred: number; tooEarly: number }>();
  items.forEach((item, k) => {
    const t = teams.get(item.ownerTeamId) ?? { held: 0, recurred: 0, tooEarly: 0 };
    const o = outcomes[k];
    if (o.held === true) t.held++;
    else if (o.held === false) t.recurred++;
    else t.tooEarly++;
    teams.set(item.ownerTeamId, t);
  });
  return [...teams].map(([teamId, t]) => {
    const sampleSize = t.held + t.recurred;
    return { teamId, ...t, sampleSize, heldShare: sampleSize >= minSample && sampleSize > 0 ? t.held / sampleSize : null };
  });
}
