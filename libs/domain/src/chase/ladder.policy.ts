import { ActionStatus, LADDER_STEPS, LadderStep, PostmortemStatus } from '../enums/contract.enums';
import { addDays, isValidDate, MS_PER_DAY } from '../time/time.util';
import { isClosedStatus } from '../action-items/status.rule';
import type { NudgeSubjectKind } from './nudge.message';

/*
 * The reminder ladder (PRODUCT.md 4). Each step has a fixed time relative to the due date;
 * a step is "reached" from that instant on (inclusive). For one subject and one due date
 * each step is recorded at most once — either sent or superseded — and the record in
 * Postgres is the source of truth: callers pass the steps recorded for the current dueAt,
 * and a changed dueAt starts from an empty record, which is how a new date restarts the
 * ladder.
 */

/** Days from the due date at which each step is reached. */
export const LADDER_OFFSET_DAYS: Readonly<Record<LadderStep, number>> = Object.freeze({
  DUE_SOON: -3,
  DUE: 0,
  OVERDUE: 1,
  ESCALATED: 7,
  LEADERSHIP: 21,
});

/** How long before the due date the first step comes (3 days). */
export const LADDER_LEAD_MS = -LADDER_OFFSET_DAYS.DUE_SOON * MS_PER_DAY;

export function stepTime(step: LadderStep, dueAt: Date): Date {
  return addDays(dueAt, LADDER_OFFSET_DAYS[step]);
}

export interface StepThreshold {
  readonly step: LadderStep;
  readonly at: Date;
}

/** Every step and the instant it is reached, in ladder order. */
export function stepThresholds(dueAt: Date): StepThreshold[] {
  return LADDER_STEPS.map((step) => ({ step, at: stepTime(step, dueAt) }));
}

/** The first instant anything can happen for this due date (dueAt − 3 days). */
export function earliestStepTime(dueAt: Date): Date {
  return stepTime('DUE_SOON', dueAt);
}

/**
 * The SQL bound for a sweep: an item can need a nudge only if `now ≥ dueAt − 3 days`,
 * i.e. `due_at <= latestDueAtNeedingAction(now)`. Anything due later can be skipped
 * without loading it.
 */
export function latestDueAtNeedingAction(now: Date): Date {
  return new Date(now.getTime() + LADDER_LEAD_MS);
}

export interface ReachedStepBound {
  readonly step: LadderStep;
  /** Items with `dueAt <= latestDueAt` have reached this step at `now`. */
  readonly latestDueAt: Date;
}

/**
 * The inverse of the step times, for SQL: at `now`, the most advanced step reached by an
 * item is the first entry (most advanced first) whose `latestDueAt` is not before its
 * dueAt. A sweep uses it to skip, inside the query, items whose reached step is already
 * recorded — the decision itself stays with ladderDecision.
 */
export function reachedStepBounds(now: Date): ReachedStepBound[] {
  return [...LADDER_STEPS].reverse().map((step) => ({ step, latestDueAt: addDays(now, -LADDER_OFFSET_DAYS[step]) }));
}

/** Steps reached at `now`, in ladder order (empty before dueAt − 3 days). */
export function stepsReached(dueAt: Date, now: Date): LadderStep[] {
  if (!isValidDate(dueAt)) return [];
  return LADDER_STEPS.filter((s) => stepTime(s, dueAt).getTime() <= now.getTime());
}

/** The most advanced step reached at `now`, or null. */
export function stepReached(dueAt: Date, now: Date): LadderStep | null {
  const reached = stepsReached(dueAt, now);
  return reached.length ? reached[reached.length - 1] : null;
}

/** Position in the ladder (DUE_SOON = 0 … LEADERSHIP = 4). */
export function ladderIndex(step: LadderStep): number {
  return LADDER_STEPS.indexOf(step);
}

export interface LadderDecision {
  /** The one step to send now, or null. */
  readonly send: LadderStep | null;
  /** Reached steps that will never be sent; record them as superseded. */
  readonly superseded: LadderStep[];
}

interface LadderState {
  readonly dueAt: Date | null | undefined;
  readonly snoozedUntil?: Date | null;
  /** Steps already recorded (sent or superseded) for this dueAt. */
  readonly alreadySent: readonly LadderStep[];
}

const highestIndex = (steps: readonly LadderStep[]): number => steps.reduce((max, s) => Math.max(max, ladderIndex(s)), -1);

const snoozed = (until: Date | null | undefined, now: Date): boolean => isValidDate(until) && until.getTime() > now.getTime();

/**
 * The core rule shared by action items and postmortems:
 * - nothing while quiet (closed / published), without a due date, or while snoozed
 *   (snoozedUntil > now; the ladder resumes at that instant);
 * - otherwise the most advanced reached step is sent, unless it — or a later step — is
 *   already recorded; a step less advanced than one already recorded is never sent, so a
 *   message never steps backwards;
 * - every other reached step without a record is returned as superseded, so that after
 *   the caller records the decision each reached step has exactly one record and nobody
 *   gets three messages at once after an outage, a snooze or a backfilled due date.
 */
function decide(state: LadderState, quiet: boolean, now: Date): LadderDecision {
  if (quiet || !isValidDate(state.dueAt) || snoozed(state.snoozedUntil, now)) return { send: null, superseded: [] };
  const reached = stepsReached(state.dueAt, now);
  if (reached.length === 0) return { send: null, superseded: [] };
  const recorded = new Set(state.alreadySent);
  const top = reached[reached.length - 1];
  const send = ladderIndex(top) > highestIndex(state.alreadySent) ? top : null;
  return { send, superseded: reached.filter((s) => s !== send && !recorded.has(s)) };
}

export interface ActionItemLadderState extends LadderState {
  readonly dueAt: Date;
  readonly status: ActionStatus;
}

/** Whether a subject has gone quiet for good by its status: an action item closed, a postmortem published; a runbook never does. */
const GOES_QUIET: Readonly<Record<NudgeSubjectKind, (status: string | null) => boolean>> = {
  ACTION_ITEM: (status) => status !== null && isClosedStatus(status as ActionStatus),
  POSTMORTEM: (status) => status === 'PUBLISHED',
  RUNBOOK: () => false,
};

/** The ladder for an action item: silent for DONE and WONT_DO. */
export function ladderDecision(item: ActionItemLadderState, now: Date): LadderDecision {
  return decide(item, GOES_QUIET.ACTION_ITEM(item.status), now);
}

export interface PostmortemLadderState extends LadderState {
  /** null when the severity needs no postmortem or the incident is not resolved. */
  readonly dueAt: Date | null;
  readonly status: PostmortemStatus;
}

/** The same ladder against the postmortem due date, until the postmortem is PUBLISHED. */
export function postmortemLadderDecision(postmortem: PostmortemLadderState, now: Date): LadderDecision {
  return decide(postmortem, GOES_QUIET.POSTMORTEM(postmortem.status), now);
}

export interface RunbookLadderState extends LadderState {
  /** The runbook's reviewDueAt: a review or a new revision moves it, which restarts the ladder. */
  readonly dueAt: Date;
}

/** The same ladder against a runbook's review due date; it never goes quiet on its own, only a review or a revision moves the date. */
export function runbookLadderDecision(runbook: RunbookLadderState, now: Date): LadderDecision {
  return decide(runbook, GOES_QUIET.RUNBOOK(null), now);
}

function nextTime(state: LadderState, quiet: boolean, now: Date): Date | null {
  if (quiet || !isValidDate(state.dueAt)) return null;
  const after = highestIndex(state.alreadySent);
  const pending = LADDER_STEPS.filter((s) => ladderIndex(s) > after);
  if (pending.length === 0) return null;
  // The earliest instant a decision could send something: the next unrecorded step, or the
  // end of the snooze if that comes later; `now` when something is already waiting.
  let at = stepTime(pending[0], state.dueAt).getTime();
  if (isValidDate(state.snoozedUntil)) at = Math.max(at, state.snoozedUntil.getTime());
  return new Date(Math.max(at, now.getTime()));
}

/**
 * When this item next needs a decision (for scheduling a delayed job): `now` if a step is
 * waiting, a future instant otherwise, null when the ladder is finished or silent.
 */
export function nextLadderTime(item: ActionItemLadderState, now: Date): Date | null {
  return nextTime(item, GOES_QUIET.ACTION_ITEM(item.status), now);
}

export function nextPostmortemLadderTime(postmortem: PostmortemLadderState, now: Date): Date | null {
  return nextTime(postmortem, GOES_QUIET.POSTMORTEM(postmortem.status), now);
}

/** A recorded step's subject as it is when its message is about to go out. */
export interface PendingNudgeFacts {
  readonly subjectKind: NudgeSubjectKind;
  /** The subject still exists. */
  readonly found: boolean;
  /** Its status now (an action item's or a postmortem's; null for a runbook). */
  readonly status: string | null;
  readonly snoozedUntil: Date | null;
  /** Its due date (a runbook's review due date) is still the one the step was recorded for. */
  readonly sameDueDate: boolean;
}

const SUBJECT_WORDS: Readonly<Record<NudgeSubjectKind, string>> = { ACTION_ITEM: 'the action item', POSTMORTEM: 'the postmortem', RUNBOOK: 'the runbook' };

/**
 * Why a step the sweep recorded should no longer go out, or null: the ladder's own stay-quiet
 * rules (closed or published, snoozed, a new due date restarts the ladder) applied at send time.
 */
export function nudgeQuietReason(n: PendingNudgeFacts, now: Date): string | null {
  const what = SUBJECT_WORDS[n.subjectKind];
  if (!n.found) return `${what} was deleted`;
  if (GOES_QUIET[n.subjectKind](n.status)) {
    return n.subjectKind === 'POSTMORTEM' ? `${what} was published before the reminder went out` : `${what} was closed (${n.status}) before the reminder went out`;
  }
  if (!n.sameDueDate) {
    switch (n.subjectKind) {
      case 'ACTION_ITEM':
        return "the action item's due date changed, which restarted its reminders";
      case 'POSTMORTEM':
        return "the postmortem's due date changed";
      case 'RUNBOOK':
        return 'the runbook was reviewed or revised before the reminder went out';
      default: {
        const unknown: never = n.subjectKind;
        throw new Error(`unknown nudge subject ${String(unknown)}`);
      }
    }
  }
  if (snoozed(n.snoozedUntil, now)) return `${what} was snoozed before the reminder went out`;
  return null;
}
