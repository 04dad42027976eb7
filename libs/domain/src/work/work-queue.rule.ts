import { ActionStatus, PostmortemStatus, Priority, PRIORITIES, Severity, SEVERITIES } from '../enums/contract.enums';
import { Actor, canEditActionItem, canEditIncidents } from '../identity/roles.policy';
import { canClaimActionItem, dueDateAnswer, extensionDecisionRefusal } from '../action-items/extension.rule';
import { isOverdue } from '../action-items/overdue.rule';
import { isClosedStatus } from '../action-items/status.rule';
import { isSnoozed } from '../action-items/snooze.rule';
import { NUDGE_ACTION_PARAM } from '../chase/nudge-actions.policy';
import { stepReached } from '../chase/ladder.policy';
import { addDays } from '../time/time.util';

/*
 * Home urgency (PRODUCT.md 5): one order for everything that needs a person. The groups, most
 * urgent first:
 *   OVERDUE_P0, OVERDUE_P1     open items past due, by priority;
 *   ESCALATED                  open items whose ladder reached ESCALATED (7 days late) or beyond;
 *   EXTENSION_REQUESTED        extension requests waiting for this person's decision;
 *   OVERDUE                    other overdue items (P2, P3);
 *   REVIEW_REQUESTED           postmortems whose review is asked of this person;
 *   POSTMORTEM_PAST_DUE        postmortems this person must get published, past their due date;
 *   DUE_SOON                   items due within 7 days;
 *   UNCLAIMED                  open team items nobody (active) has taken;
 *   OTHER                      the rest (postmortems not yet due, incidents being commanded);
 *   SNOOZED                    snoozed items, whatever their state: the snooze says "not now".
 * An item's group follows from its state, not from why it is in the person's lists: a P0
 * nobody has taken that is overdue is an overdue P0. An extension request about an item in a
 * more urgent group (an overdue P0) takes that group: the decision is what unblocks it.
 * Within a group: the oldest due date first (none last), then the higher priority (or
 * severity), then the longest waiting, then kind and id, so the order is total and stable.
 * Each thing appears once: an item that is mine, escalated to me and unclaimed is one entry,
 * and an item with a request waiting for me is that request.
 */

export const WORK_URGENCIES = [
  'OVERDUE_P0',
  'OVERDUE_P1',
  'ESCALATED',
  'EXTENSION_REQUESTED',
  'OVERDUE',
  'REVIEW_REQUESTED',
  'POSTMORTEM_PAST_DUE',
  'DUE_SOON',
  'UNCLAIMED',
  'OTHER',
  'SNOOZED',
] as const;
export type WorkUrgency = (typeof WORK_URGENCIES)[number];

export const WORK_KINDS = ['ACTION_ITEM', 'EXTENSION_REQUEST', 'REVIEW', 'POSTMORTEM', 'INCIDENT'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

/** The answers an entry offers, in button order. */
export const WORK_ANSWER_KINDS = ['CLAIM', 'COMPLETE', 'EXTEND', 'APPROVE', 'DECLINE', 'WRITE', 'REVIEW', 'OPEN'] as const;
export type WorkAnswerKind = (typeof WORK_ANSWER_KINDS)[number];

/** "Due soon" on the home page looks a week ahead (the ladder's first reminder comes 3 days before). */
export const WORK_DUE_SOON_DAYS = 7;

/** Why an action item is in a person's lists; it may be there for several reasons. */
export type WorkItemPath = 'ASSIGNED' | 'ESCALATED_TO_ME' | 'UNCLAIMED';

export interface WorkItem {
  readonly id: string;
  readonly priority: Priority;
  readonly status: ActionStatus;
  readonly dueAt: Date;
  readonly snoozedUntil: Date | null;
  readonly createdAt: Date;
  readonly ownerTeamId: string;
  readonly teamManagerId: string | null;
  /** The active assignee; null when nobody, or a deactivated person, has it. */
  readonly assigneeId: string | null;
}

export interface WorkItemCandidate extends WorkItem {
  readonly paths: readonly WorkItemPath[];
}

export interface WorkRequestCandidate {
  readonly id: string;
  readonly requesterId: string;
  readonly createdAt: Date;
  readonly item: WorkItem;
}

export interface WorkPostmortemCandidate {
  readonly postmortemId: string;
  readonly incidentId: string;
  readonly incidentReference: string;
  readonly status: PostmortemStatus;
  readonly dueAt: Date | null;
  readonly commanderId: string | null;
  /** REVIEWER: my verdict is asked; COMMANDER: I command the incident and it is not published. */
  readonly role: 'REVIEWER' | 'COMMANDER';
  /** When my review was asked (REVIEWER), or when the postmortem was started. */
  readonly since: Date;
}

export interface WorkIncidentCandidate {
  readonly id: string;
  readonly reference: string;
  readonly severity: Severity;
  readonly startedAt: Date;
  readonly commanderId: string | null;
}

export interface WorkQueueInput {
  readonly actor: Actor;
  readonly items: readonly WorkItemCandidate[];
  readonly requests: readonly WorkRequestCandidate[];
  readonly postmortems: readonly WorkPostmortemCandidate[];
  readonly incidents: readonly WorkIncidentCandidate[];
}

export interface WorkAnswer {
  readonly kind: WorkAnswerKind;
  readonly label: string;
  /** The web app's path that gives the answer (opening it changes nothing until confirmed). */
  readonly path: string;
}

export interface WorkEntry {
  /** Stable and unique in the queue: the kind of thing and its id. */
  readonly key: string;
  readonly kind: WorkKind;
  readonly urgency: WorkUrgency;
  /** Why it is in this person's list, in a few words. */
  readonly reason: string;
  readonly dueAt: Date | null;
  readonly actionItemId: string | null;
  readonly extensionRequestId: string | null;
  readonly postmortemId: string | null;
  readonly incidentId: string | null;
  /** Whose it is: the assignee (items, requests), the commander (postmortems, incidents). */
  readonly ownerId: string | null;
  /** The owning team (items, requests). */
  readonly teamId: string | null;
  readonly answers: readonly WorkAnswer[];
}

interface Sortable extends WorkEntry {
  /** Priority (P0 = 0) or severity (SEV1 = 0); 4 when neither applies. */
  readonly rank: number;
  readonly since: Date;
}

const URGENCY_INDEX = new Map(WORK_URGENCIES.map((u, i) => [u, i]));
const KIND_INDEX = new Map(WORK_KINDS.map((k, i) => [k, i]));
const moreUrgent = (a: WorkUrgency, b: WorkUrgency): WorkUrgency => ((URGENCY_INDEX.get(a) ?? 0) <= (URGENCY_INDEX.get(b) ?? 0) ? a : b);

/** The group an item's state puts it in, before any snooze. */
function itemStateUrgency(item: WorkItem, now: Date): WorkUrgency {
  if (isClosedStatus(item.status)) return 'OTHER';
  if (isOverdue(item, now)) {
    if (item.priority === 'P0') return 'OVERDUE_P0';
    if (item.priority === 'P1') return 'OVERDUE_P1';
    const step = stepReached(item.dueAt, now);
    return step === 'ESCALATED' || step === 'LEADERSHIP' ? 'ESCALATED' : 'OVERDUE';
  }
  if (item.dueAt.getTime() <= addDays(now, WORK_DUE_SOON_DAYS).getTime()) return 'DUE_SOON';
  return item.assigneeId === null ? 'UNCLAIMED' : 'OTHER';
}

/** The group of an action item: its state's, or SNOOZED while a snooze lasts. */
export function itemUrgency(item: WorkItem, now: Date): WorkUrgency {
  return isSnoozed(item.snoozedUntil, now) ? 'SNOOZED' : itemStateUrgency(item, now);
}

function itemReason(item: WorkItemCandidate, now: Date): string {
  if (item.paths.includes('ASSIGNED')) {
    if (isOverdue(item, now)) return 'overdue';
    return item.dueAt.getTime() <= addDays(now, WORK_DUE_SOON_DAYS).getTime() ? 'due soon' : 'assigned to you';
  }
  if (item.paths.includes('ESCALATED_TO_ME')) return 'escalated to you';
  // The group comes from the item's state, so the reason names that state too: an unclaimed
  // P2 two hundred days late sits among the overdue, and says so.
  if (isOverdue(item, now)) return 'overdue, nobody has taken it';
  return item.dueAt.getTime() <= addDays(now, WORK_DUE_SOON_DAYS).getTime() ? 'due soon, nobody has taken it' : 'nobody has taken it';
}

const itemPath = (id: string, param?: string) => `/action-items/${encodeURIComponent(id)}${param ? `?action=${param}` : ''}`;

/** Only what this person may do to the item: claim it, close it, ask for or give more time. */
function itemAnswers(actor: Actor, item: WorkItem): WorkAnswer[] {
  const answers: WorkAnswer[] = [];
  if (item.assigneeId === null && canClaimActionItem(actor, item)) answers.push({ kind: 'CLAIM', label: 'Claim', path: itemPath(item.id, NUDGE_ACTION_PARAM.CLAIM) });
  if (canEditActionItem(actor, item.ownerTeamId)) answers.push({ kind: 'COMPLETE', label: 'Done', path: itemPath(item.id, NUDGE_ACTION_PARAM.COMPLETE) });
  if (dueDateAnswer(actor, item) !== null) answers.push({ kind: 'EXTEND', label: 'Need more time', path: itemPath(item.id, NUDGE_ACTION_PARAM.EXTEND) });
  return answers.length ? answers : [{ kind: 'OPEN', label: 'Open', path: itemPath(item.id) }];
}

const PRIORITY_RANK = new Map<string, number>(PRIORITIES.map((p, i) => [p, i]));
const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));

function itemEntry(actor: Actor, item: WorkItemCandidate, now: Date): Sortable {
  return {
    key: `item:${item.id}`, kind: 'ACTION_ITEM', urgency: itemUrgency(item, now), reason: itemReason(item, now), dueAt: item.dueAt,
    actionItemId: item.id, extensionRequestId: null, postmortemId: null, incidentId: null, ownerId: item.assigneeId, teamId: item.ownerTeamId,
    answers: itemAnswers(actor, item), rank: PRIORITY_RANK.get(item.priority) ?? 4, since: item.createdAt,
  };
}

function requestEntry(actor: Actor, request: WorkRequestCandidate, now: Date): Sortable {
  const { item } = request;
  const path = itemPath(item.id);
  const mayDecide = extensionDecisionRefusal({ actor, requesterId: request.requesterId, teamManagerId: item.teamManagerId }) === null;
  return {
    key: `item:${item.id}`, kind: 'EXTENSION_REQUEST', urgency: moreUrgent('EXTENSION_REQUESTED', itemStateUrgency(item, now)), reason: 'extension asked', dueAt: item.dueAt,
    actionItemId: item.id, extensionRequestId: request.id, postmortemId: null, incidentId: null, ownerId: item.assigneeId, teamId: item.ownerTeamId,
    answers: mayDecide
      ? [{ kind: 'APPROVE', label: 'Approve', path }, { kind: 'DECLINE', label: 'Decline', path }]
      : [{ kind: 'OPEN', label: 'Open', path }],
    rank: PRIORITY_RANK.get(item.priority) ?? 4, since: request.createdAt,
  };
}

function postmortemEntry(actor: Actor, p: WorkPostmortemCandidate, now: Date): Sortable {
  const path = `/incidents/${encodeURIComponent(p.incidentReference)}/postmortem`;
  const pastDue = p.dueAt !== null && p.dueAt.getTime() < now.getTime();
  const base = {
    key: `postmortem:${p.postmortemId}`, dueAt: p.dueAt, actionItemId: null, extensionRequestId: null, postmortemId: p.postmortemId, incidentId: p.incidentId,
    ownerId: p.commanderId, teamId: null, rank: 4, since: p.since,
  };
  if (p.role === 'REVIEWER') {
    return { ...base, kind: 'REVIEW', urgency: 'REVIEW_REQUESTED', reason: 'review requested', answers: [{ kind: 'REVIEW', label: 'Review', path }] };
  }
  // In review, the commander's part is to follow the review and publish, not to write.
  const inReview = p.status === 'IN_REVIEW';
  const answer: WorkAnswer = inReview
    ? { kind: 'REVIEW', label: 'Review', path }
    : canEditIncidents(actor) ? { kind: 'WRITE', label: 'Write', path } : { kind: 'OPEN', label: 'Open', path };
  const reason = inReview ? (pastDue ? 'in review, past due' : 'in review') : pastDue ? 'postmortem past due' : 'postmortem to write';
  return { ...base, kind: 'POSTMORTEM', urgency: pastDue ? 'POSTMORTEM_PAST_DUE' : 'OTHER', reason, answers: [answer] };
}

function incidentEntry(incident: WorkIncidentCandidate): Sortable {
  return {
    key: `incident:${incident.id}`, kind: 'INCIDENT', urgency: 'OTHER', reason: 'incident you command', dueAt: null,
    actionItemId: null, extensionRequestId: null, postmortemId: null, incidentId: incident.id, ownerId: incident.commanderId, teamId: null,
    answers: [{ kind: 'OPEN', label: 'Open', path: `/incidents/${encodeURIComponent(incident.reference)}` }],
    rank: SEVERITY_RANK.get(incident.severity) ?? 4, since: incident.startedAt,
  };
}

/** The total order within and across groups (see the comment at the top). */
function compareWork(a: Sortable, b: Sortable): number {
  return (
    (URGENCY_INDEX.get(a.urgency) ?? 0) - (URGENCY_INDEX.get(b.urgency) ?? 0) ||
    (a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY) - (b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY) ||
    a.rank - b.rank ||
    a.since.getTime() - b.since.getTime() ||
    (KIND_INDEX.get(a.kind) ?? 0) - (KIND_INDEX.get(b.kind) ?? 0) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/**
 * Everything that needs this person, each thing once, most urgent first, with the reason it
 * is there, whose it is and the answers this person may give.
 */
export function workQueue(input: WorkQueueInput, now: Date): WorkEntry[] {
  const byKey = new Map<string, Sortable>();
  // Two routes to one thing keep the more urgent entry; a request replaces its item (below).
  const keep = (entry: Sortable) => {
    const current = byKey.get(entry.key);
    if (!current || compareWork(entry, current) < 0) byKey.set(entry.key, entry);
  };
  for (const item of input.items) keep(itemEntry(input.actor, item, now));
  for (const p of input.postmortems) keep(postmortemEntry(input.actor, p, now));
  for (const i of input.incidents) keep(incidentEntry(i));
  // Oldest request first: when an item somehow has two waiting, the older one is answered first.
  const requests = [...input.requests].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  const replaced = new Set<string>();
  for (const r of requests) {
    const entry = requestEntry(input.actor, r, now);
    if (replaced.has(entry.key)) continue;
    replaced.add(entry.key);
    byKey.set(entry.key, entry);
  }
  return [...byKey.values()].sort(compareWork).map(({ rank: _rank, since: _since, ...entry }) => entry);
}
