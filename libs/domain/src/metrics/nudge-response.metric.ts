import { LADDER_STEPS, LadderStep } from '../enums/contract.enums';
import { MS_PER_DAY, MS_PER_HOUR } from '../time/time.util';
import { percentileCont } from './percentiles.metric';

/** A nudge counts as answered in time when someone acted on the item within this many days. */
export const NUDGE_ANSWER_WINDOW_DAYS = 2;

/** One sent nudge (a ladder step of an action item) and the first answer to it. */
export interface NudgeAnswerRow {
  readonly teamId: string | null;
  readonly step: LadderStep;
  readonly sentAt: Date;
  /**
   * The first action on the item at or after sentAt by its assignee, a member or the manager
   * of its team (any audited change, a claim, an extension request); null: none yet.
   */
  readonly answeredAt: Date | null;
}

export interface NudgeResponseStats {
  readonly teamId: string | null;
  readonly step: LadderStep;
  /** Nudges whose 2-day window is over, or that were answered within it. */
  readonly nudges: number;
  readonly answeredWithinWindow: number;
  /** answeredWithinWindow ÷ nudges; null when nudges = 0. */
  readonly answeredShare: number | null;
  /** Median hours from nudge to answer over the nudges answered so far (any delay); null when none. */
  readonly medianHoursToAnswer: number | null;
}

/**
 * Response to nudges, per team and ladder step — never per person (PRODUCT.md 4, blameless):
 * the share answered within 2 days and the median time to an answer. A nudge younger than
 * the window and not yet answered is left out rather than counted as missed. Rows come out
 * by team (as given) and in ladder order.
 */
export function nudgeResponseStats(rows: readonly NudgeAnswerRow[], now: Date): NudgeResponseStats[] {
  const windowMs = NUDGE_ANSWER_WINDOW_DAYS * MS_PER_DAY;
  const groups = new Map<string, { teamId: string | null; step: LadderStep; nudges: number; inTime: number; delays: number[] }>();
  for (const r of rows) {
    const key = `${r.teamId ?? ''}/${r.step}`;
    const g = groups.get(key) ?? { teamId: r.teamId, step: r.step, nudges: 0, inTime: 0, delays: [] };
    groups.set(key, g);
    const delay = r.answeredAt ? Math.max(0, r.answeredAt.getTime() - r.sentAt.getTime()) : null;
    if (delay !== null) g.delays.push(delay / MS_PER_HOUR);
    const inTime = delay !== null && delay <= windowMs;
    if (inTime || now.getTime() - r.sentAt.getTime() >= windowMs) g.nudges++;
    if (inTime) g.inTime++;
  }
  const teamOrder = [...new Set([...groups.values()].map((g) => g.teamId))];
  return [...groups.values()]
    .sort((a, b) => teamOrder.indexOf(a.teamId) - teamOrder.indexOf(b.teamId) || LADDER_STEPS.indexOf(a.step) - LADDER_STEPS.indexOf(b.step))
    .map((g) => ({
      teamId: g.teamId,
      step: g.step,
      nudges: g.nudges,
      answeredWithinWindow: g.inTime,
      answeredShare: g.nudges ? g.inTime / g.nudges : null,
      medianHoursToAnswer: percentileCont([...g.delays].sort((x, y) => x - y), 0.5),
    }));
}
