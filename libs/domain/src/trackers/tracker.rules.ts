import type { ActionStatus, Priority } from '../enums/contract.enums';
import { isClosedStatus, needsVerification } from '../action-items/status.rule';

export const TRACKER_KINDS = ['JIRA', 'GITHUB', 'GITLAB', 'LINEAR'] as const;
export type TrackerKind = (typeof TRACKER_KINDS)[number];
export const TRACKER_STATES = ['OPEN', 'CLOSED'] as const;
export type TrackerState = (typeof TRACKER_STATES)[number];

/** Kinds this installation can talk to (all of the contract's). */
export const SUPPORTED_TRACKER_KINDS = ['JIRA', 'GITHUB', 'GITLAB', 'LINEAR'] as const satisfies readonly TrackerKind[];

/** The label every issue we create carries, so teams can filter them in their tracker. */
export const TRACKER_LABEL = 'hindsight';

/**
 * Jira's default priority scheme has five names; P0 is the one thing that must jump the
 * queue, so it alone gets Highest. GitHub and GitLab have no priority field: a label says it.
 */
export function trackerPriority(kind: TrackerKind, priority: Priority): string {
  if (kind === 'JIRA') return ({ P0: 'Highest', P1: 'High', P2: 'Medium', P3: 'Low' } as const)[priority];
  if (kind === 'LINEAR') return ({ P0: 'Urgent', P1: 'High', P2: 'Medium', P3: 'Low' } as const)[priority];
  return `priority:${priority}`;
}

/** Hindsight owns due dates as instants; trackers keep calendar days (UTC, the day it is due). */
export function trackerDueDate(dueAt: Date): string {
  return dueAt.toISOString().slice(0, 10);
}

/** Issue keys as each tracker writes them: ABC-123 (Jira, Linear), 123 or #123 (GitHub, GitLab). */
export function normaliseExternalKey(kind: TrackerKind, raw: string): string | null {
  const key = raw.trim();
  if (kind === 'JIRA' || kind === 'LINEAR') return /^[A-Z][A-Z0-9_]*-\d+$/.test(key.toUpperCase()) ? key.toUpperCase() : null;
  const m = /^#?(\d{1,10})$/.exec(key);
  return m && Number(m[1]) > 0 ? String(Number(m[1])) : null;
}

/** What the tracker should show for an item: closed once the item is closed, or while a P0/P1 waits for its verification. */
export function desiredTrackerState(status: ActionStatus, awaitingVerification: boolean): TrackerState {
  return isClosedStatus(status) || awaitingVerification ? 'CLOSED' : 'OPEN';
}

/** An issue's state as a tracker reported it (webhook or reconciliation read). */
export interface TrackerObservation {
  state: TrackerState;
  /** The tracker's last-modified time of the issue: orders observations. */
  updatedAt: Date;
  /** Who closed or reopened it, when the tracker says. */
  actor: string | null;
  /** The tracker's due date (YYYY-MM-DD), undefined when the tracker has none (GitHub). */
  dueDate?: string | null;
}

export interface LinkedItemSnapshot {
  status: ActionStatus;
  priority: Priority;
  dueAt: Date;
  /** The tracker's state as we last recorded it. */
  linkState: TrackerState;
  /** The newest observation applied so far (null: none yet). */
  remoteUpdatedAt: Date | null;
  awaitingVerification: boolean;
  /** The due date we last pushed (YYYY-MM-DD). */
  pushedDueDate: string | null;
}

export type InboundDecision =
  | { kind: 'ignore'; why: 'stale' | 'unchanged' }
  | {
      kind: 'apply';
      linkState: TrackerState;
      item: 'complete' | 'await-verification' | 'reopen' | 'clear-verification' | null;
      /** An upstream due date that differs from ours: shown as a proposal, never applied. */
      proposedDueDate: string | null | undefined;
    };

/**
 * What an observed tracker state does to the item. Observations older than the newest one
 * applied are dropped, and so are those as old as it that show the state already recorded: a
 * replayed or out-of-order webhook cannot undo a newer state, and our own push echoed back
 * changes nothing. An observation as old as the newest one but with another state is taken:
 * GitHub's times have one-second resolution, so a close in the same second as our push carries
 * the push's time, and dropping it would leave the item open for good.
 * - closed upstream: P2/P3 items complete; P0/P1 stay open awaiting verification;
 * - reopened upstream: a DONE item reopens (WONT_DO stays: that was a decision, not a fix);
 *   a P0/P1 awaiting verification stops awaiting it;
 * - the due date is Hindsight's: an upstream change is only proposed.
 */
export function decideInbound(item: LinkedItemSnapshot, seen: TrackerObservation): InboundDecision {
  if (item.remoteUpdatedAt) {
    const newest = item.remoteUpdatedAt.getTime();
    const at = seen.updatedAt.getTime();
    if (at < newest || (at === newest && seen.state === item.linkState)) return { kind: 'ignore', why: 'stale' };
  }
  let change: 'complete' | 'await-verification' | 'reopen' | 'clear-verification' | null = null;
  if (seen.state === 'CLOSED' && !isClosedStatus(item.status) && !item.awaitingVerification) {
    change = needsVerification(item.priority) ? 'await-verification' : 'complete';
  }
  if (seen.state === 'OPEN' && item.linkState === 'CLOSED') {
    if (item.status === 'DONE') change = 'reopen';
    else if (item.awaitingVerification) change = 'clear-verification';
  }
  let proposedDueDate: string | null | undefined;
  if (seen.dueDate !== undefined && seen.dueDate !== null && seen.dueDate !== trackerDueDate(item.dueAt) && seen.dueDate !== item.pushedDueDate) {
    proposedDueDate = seen.dueDate;
  }
  if (change === null && seen.state === item.linkState && proposedDueDate === undefined) return { kind: 'ignore', why: 'unchanged' };
  return { kind: 'apply', linkState: seen.state, item: change, proposedDueDate };
}

/** The completion note of an item closed upstream: names the issue and who closed it. */
export function upstreamCompletionNote(issue: string, actor: string | null): string {
  return `Closed upstream in ${issue}${actor ? ` by ${actor}` : ''}.`;
}

/**
 * How long to wait before retrying a tracker that answered 429 or 503: its Retry-After
 * (seconds or an HTTP date), else exponential backoff from 2 s, capped at 10 minutes.
 */
export function retryDelayMs(retryAfter: string | null | undefined, attempt: number, now: Date): number {
  const cap = 600_000;
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(cap, Math.ceil(seconds * 1000));
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.min(cap, Math.max(0, at - now.getTime()));
  }
  return Math.min(cap, 2000 * 2 ** Math.max(0, attempt));
}
