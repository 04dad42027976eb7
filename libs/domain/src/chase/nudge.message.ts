import { LadderStep } from '../enums/contract.enums';
import { formatUtc, MS_PER_DAY, MS_PER_HOUR } from '../time/time.util';
import { SNOOZE_MAX_DAYS } from '../action-items/snooze.rule';
import type { NudgeAction } from './nudge-actions.policy';

/** What a nudge is about; the same values as `subject.kind` in the webhook body. */
export type NudgeSubjectKind = 'ACTION_ITEM' | 'POSTMORTEM' | 'RUNBOOK';

export interface NudgeMessageInput {
  readonly step: LadderStep;
  readonly subjectKind: NudgeSubjectKind;
  /** The action item's title, the incident's title for a postmortem, the runbook's title. */
  readonly title: string;
  /** INC-<n>; for a runbook, the name of its service. */
  readonly incidentReference: string;
  /** The owning team (action item) or the commander's team (postmortem). */
  readonly teamName: string;
  readonly dueAt: Date;
  /** Where to act on it in Hindsight. */
  readonly url: string;
  /** Name of the person addressed, for the greeting only; omit for channels. */
  readonly recipientName?: string | null;
  /** A P0/P1 item whose tracker issue was closed (its key): the reminder asks for the verification instead. */
  readonly closedUpstreamIssue?: string | null;
}

export interface NudgeMessage {
  /** One line, safe as an email Subject header. */
  readonly subject: string;
  /** Plain text for email bodies and chat posts. */
  readonly text: string;
}

const SUBJECT_TITLE_MAX = 120;

/** Collapses whitespace and control characters (a title with a newline must not inject headers). */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
}

function shorten(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * Where the deadline stands, measured at send time (a step sent late after an outage speaks
 * of the real delay): "is due in 3 days", "is due in 5 hours", "was due 2 hours ago",
 * "is 8 days overdue". Whole days past due are counted like daysOverdue.
 */
function deadlinePhrase(dueAt: Date, now: Date): string {
  const ms = dueAt.getTime() - now.getTime();
  const when = `(${formatUtc(dueAt)})`;
  if (ms >= MS_PER_DAY) return `is due in ${plural(Math.ceil(ms / MS_PER_DAY), 'day')} ${when}`;
  if (ms >= MS_PER_HOUR) return `is due in ${plural(Math.ceil(ms / MS_PER_HOUR), 'hour')} ${when}`;
  if (ms > 0) return `is due within the hour ${when}`;
  if (-ms < MS_PER_HOUR) return `is due now ${when}`;
  if (-ms < MS_PER_DAY) return `was due ${plural(Math.floor(-ms / MS_PER_HOUR), 'hour')} ago ${when}`;
  return `was due on ${formatUtc(dueAt)} and is ${plural(Math.floor(-ms / MS_PER_DAY), 'day')} overdue`;
}

function subjectLabel(step: LadderStep, dueAt: Date, now: Date): string {
  const overdueDays = Math.max(0, Math.floor((now.getTime() - dueAt.getTime()) / MS_PER_DAY));
  switch (step) {
    case 'DUE_SOON':
      return 'Due soon';
    case 'DUE':
      return 'Due today';
    case 'OVERDUE':
      return `Overdue ${plural(overdueDays, 'day')}`;
    case 'ESCALATED':
      return `Overdue ${plural(overdueDays, 'day')}, escalated to the team manager`;
    case 'LEADERSHIP':
      return `Overdue ${plural(overdueDays, 'day')}, in the leadership digest`;
    default: {
      const unknownStep: never = step;
      throw new Error(`unknown ladder step ${String(unknownStep)}`);
    }
  }
}

function stepNote(step: LadderStep, team: string): string | null {
  switch (step) {
    case 'ESCALATED':
      return `This reminder now also goes to the ${team} team's manager, so the team can decide together what happens next.`;
    case 'LEADERSHIP':
      return `It now appears in the weekly leadership digest under the ${team} team.`;
    default:
      return null;
  }
}

const NEXT_STEPS: Record<NudgeSubjectKind, string> = {
  ACTION_ITEM:
    'To move it forward: mark it done with a completion note (P0 and P1 items also need a verification), ' +
    `move the due date with a reason, snooze it for up to ${SNOOZE_MAX_DAYS} days with a reason, or close it as won't do with a reason.`,
  POSTMORTEM: 'To move it forward: complete the draft, request a review, and publish once the reviewers approve.',
  RUNBOOK:
    'To move it forward: read it through as the on-call engineer would at 3 a.m.; if it is still true, mark it reviewed, ' +
    'otherwise save a new revision with what changed. Either one restarts its review interval.',
};

const KIND_LABELS: Record<NudgeSubjectKind, string> = { ACTION_ITEM: 'Action item', POSTMORTEM: 'Postmortem', RUNBOOK: 'Runbook review' };

/**
 * The reminder for one ladder step. Blameless by design (PRODUCT.md 4): it speaks of the
 * item, its incident, its team and its deadline; the only person it names is the reader,
 * in the greeting. It never says who is late or compares people.
 */
export function nudgeMessage(input: NudgeMessageInput, now: Date): NudgeMessage {
  const title = oneLine(input.title);
  const team = oneLine(input.teamName);
  const ref = oneLine(input.incidentReference);
  const what =
    input.subjectKind === 'ACTION_ITEM'
      ? `The action item "${title}" from ${ref}, owned by the ${team} team,`
      : input.subjectKind === 'RUNBOOK'
        ? `The review of the runbook "${title}" (${ref} service, ${team} team)`
        : `The postmortem of ${ref} "${title}" (${team} team)`;
  const recipient = input.recipientName ? oneLine(input.recipientName) : '';
  const greeting = recipient ? `Hi ${recipient},` : 'Hello,';
  const note = stepNote(input.step, team);
  const kindLabel = KIND_LABELS[input.subjectKind];
  const subject = `[Hindsight] ${subjectLabel(input.step, input.dueAt, now)}: ${kindLabel} "${shorten(title, SUBJECT_TITLE_MAX)}" (${ref}, ${team})`;
  const lines = [
    greeting,
    '',
    `${what} ${deadlinePhrase(input.dueAt, now)}.${note ? ` ${note}` : ''}`,
    '',
    input.closedUpstreamIssue && input.subjectKind === 'ACTION_ITEM'
      ? `Its tracker issue ${oneLine(input.closedUpstreamIssue)} was closed, so the work looks done. What is left is the verification: ` +
        'mark it done with how you know the fix works (a test, a game day, a dashboard).'
      : NEXT_STEPS[input.subjectKind],
    '',
    `Open it in Hindsight: ${oneLine(input.url)}`,
    '',
    '— Hindsight reminds about work and deadlines, not about people. Every step of this reminder is also posted to the team channel.',
  ];
  return { subject, text: lines.join('\n') };
}

/** What a nudge is about, as every channel's message carries it. */
export interface NudgeSubjectFacts {
  readonly kind: NudgeSubjectKind;
  readonly id: string;
  readonly title: string;
  readonly dueAt: Date;
  /** INC-<n>; for a runbook, the name of its service. */
  readonly incidentReference: string;
  readonly team: string;
}

export interface NudgeWebhookInput {
  readonly step: LadderStep;
  readonly deliveryId: string;
  readonly sentAt: Date;
  readonly recipient: string;
  /** Its incidentReference is sent as `service` for a runbook. */
  readonly subject: NudgeSubjectFacts;
  /** The answers offered (nudgeActions); the body lists their kind and URL. */
  readonly actions: readonly NudgeAction[];
}

/** The JSON body of a WEBHOOK nudge, exactly as in the contract header comment. */
export interface NudgeWebhookPayload {
  readonly type: 'nudge';
  readonly step: LadderStep;
  readonly deliveryId: string;
  readonly sentAt: string;
  readonly recipient: string;
  readonly subject: {
    readonly kind: NudgeSubjectKind;
    readonly id: string;
    readonly title: string;
    readonly dueAt: string;
    /** null for a runbook, which belongs to a service rather than an incident. */
    readonly incidentReference: string | null;
    /** A runbook's service. */
    readonly service?: string;
    readonly team: string;
  };
  readonly actions: readonly { readonly kind: NudgeAction['kind']; readonly url: string }[];
}

/** Dates become ISO strings; the caller serialises once and signs those exact bytes. */
export function nudgeWebhookPayload(input: NudgeWebhookInput): NudgeWebhookPayload {
  const s = input.subject;
  return {
    type: 'nudge',
    step: input.step,
    deliveryId: input.deliveryId,
    sentAt: input.sentAt.toISOString(),
    recipient: input.recipient,
    subject:
      s.kind === 'RUNBOOK'
        ? { kind: s.kind, id: s.id, title: s.title, dueAt: s.dueAt.toISOString(), incidentReference: null, service: s.incidentReference, team: s.team }
        : { kind: s.kind, id: s.id, title: s.title, dueAt: s.dueAt.toISOString(), incidentReference: s.incidentReference, team: s.team },
    actions: input.actions.map((a) => ({ kind: a.kind, url: a.url })),
  };
}

/**
 * The plain-text email part: the message, then each answer as a link, for mail clients that
 * show no HTML.
 */
export function withActionLinks(text: string, actions: readonly NudgeAction[]): string {
  if (actions.length === 0) return text;
  const links = actions.map((a) => `${a.label}: ${a.url}`);
  return [text, '', 'Answer in one click (you confirm on the page):', ...links].join('\n');
}
