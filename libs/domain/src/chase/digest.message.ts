import { LadderStep, SEVERITIES, Severity } from '../enums/contract.enums';
import { addDays, formatUtc, formatUtcDate, MS_PER_DAY } from '../time/time.util';
import type { NudgeMessage } from './nudge.message';

/**
 * Weekly digests (PRODUCT.md 4): a team digest (open, due soon, overdue, done this week)
 * and a leadership digest (trends plus the items at the LEADERSHIP step, grouped by team).
 * Contents are plain JSON (dates as ISO strings) because they are stored once per week and
 * sent as they were when the week closed. Like nudges they speak of items, teams and
 * deadlines; no person is named or ranked.
 */

export interface DigestPeriod {
  /** Monday 00:00 UTC of the week reported on. */
  readonly from: Date;
  /** The following Monday 00:00 UTC (exclusive). */
  readonly to: Date;
}

/** The last complete week (Monday to Monday, UTC) before `now`. */
export function digestPeriod(now: Date): DigestPeriod {
  const midnight = Math.floor(now.getTime() / MS_PER_DAY) * MS_PER_DAY;
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  const to = new Date(midnight - sinceMonday * MS_PER_DAY);
  return { from: addDays(to, -7), to };
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The month whose reliability review a leadership digest links to: the last complete calendar month (UTC) before `periodEnd`. */
export function digestReviewMonth(periodEnd: Date): DigestPeriod {
  const to = new Date(Date.UTC(periodEnd.getUTCFullYear(), periodEnd.getUTCMonth(), 1));
  return { from: new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 1, 1)), to };
}

/** The web app's review page for [from, to) (issue 15), dates as ISO dates: `<publicUrl>/reliability/review?from=2024-05-01&to=2024-06-01`. */
export function reliabilityReviewUrl(publicUrl: string, range: DigestPeriod): string {
  const query = new URLSearchParams({ from: formatUtcDate(range.from), to: formatUtcDate(range.to) });
  return `${publicUrl.replace(/\/+$/, '')}/reliability/review?${query.toString()}`;
}

/** The review link of a leadership digest whose week ends at `periodEnd`. */
export function digestReviewLink(publicUrl: string, periodEnd: Date): { readonly month: string; readonly url: string } {
  const month = digestReviewMonth(periodEnd);
  return { month: `${MONTH_NAMES[month.from.getUTCMonth()]} ${month.from.getUTCFullYear()}`, url: reliabilityReviewUrl(publicUrl, month) };
}

export interface DigestItem {
  readonly title: string;
  readonly incidentReference: string;
  readonly dueAt: string;
  readonly url: string;
}

export interface TeamDigestContent {
  readonly kind: 'TEAM';
  readonly team: string;
  readonly weekStart: string;
  readonly open: number;
  /** Open and due within the next 3 days. */
  readonly dueSoon: number;
  readonly overdue: number;
  readonly doneThisWeek: number;
  /** The longest-overdue items first; a few, the link shows the rest. */
  readonly overdueItems: readonly DigestItem[];
  /** How the team answered reminders in the four weeks to the digest's end, by ladder step (absent in digests stored before). */
  readonly responses?: readonly DigestResponses[];
  /** The team's runbooks whose review is due (issue 13), longest-due first, a few; absent in digests stored before. */
  readonly staleRunbooks?: { readonly count: number; readonly listed: readonly DigestRunbook[] };
  readonly url: string;
}

export interface DigestRunbook {
  readonly title: string;
  readonly service: string;
  readonly reviewDueAt: string;
  readonly url: string;
}

function runbookLine(r: DigestRunbook): string {
  return `  - "${r.title.replace(/\s+/g, ' ').trim()}" (${r.service}), review due ${formatUtc(new Date(r.reviewDueAt))}: ${r.url}`;
}

export interface DigestResponses {
  readonly step: LadderStep;
  readonly nudges: number;
  readonly answeredWithinTwoDays: number;
  readonly medianHoursToAnswer: number | null;
}

const STEP_NAME: Record<LadderStep, string> = { DUE_SOON: 'Due soon', DUE: 'Due', OVERDUE: 'Overdue', ESCALATED: 'Escalated', LEADERSHIP: 'Leadership' };

function responseLine(r: DigestResponses): string {
  const share = r.nudges ? ` (${Math.round((100 * r.answeredWithinTwoDays) / r.nudges)} %)` : '';
  const median = r.medianHoursToAnswer === null ? 'no answer yet' : `median ${r.medianHoursToAnswer.toFixed(1)} h to an answer`;
  return `  - ${STEP_NAME[r.step]}: ${r.answeredWithinTwoDays} of ${plural(r.nudges, 'reminder')} answered within 2 days${share}, ${median}`;
}

export interface LeadershipDigestContent {
  readonly kind: 'LEADERSHIP';
  readonly weekStart: string;
  readonly incidents: { readonly thisWeek: number; readonly previousWeek: number; readonly bySeverity: Readonly<Record<Severity, number>> };
  readonly actionItems: { readonly opened: number; readonly done: number; readonly overdue: number };
  readonly postmortemsOverdue: number;
  /** Items at the LEADERSHIP step, by team (teams by name). */
  readonly leadershipItems: readonly { readonly team: string; readonly items: readonly DigestItem[] }[];
  /** Runbooks whose review is due, by team (teams by name); absent in digests stored before. */
  readonly staleRunbooks?: readonly { readonly team: string; readonly count: number }[];
  readonly url: string;
  /** The reliability review of the last complete month (digestReviewLink); absent in digests stored before. */
  readonly review?: { readonly month: string; readonly url: string };
}

export type DigestContent = TeamDigestContent | LeadershipDigestContent;

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

function itemLine(item: DigestItem): string {
  return `  - "${item.title.replace(/\s+/g, ' ').trim()}" (${item.incidentReference}), due ${formatUtc(new Date(item.dueAt))}: ${item.url}`;
}

function trend(now: number, before: number): string {
  if (now === before) return 'the same as the week before';
  return now > before ? `up from ${before} the week before` : `down from ${before} the week before`;
}

export function digestMessage(content: DigestContent): NudgeMessage {
  const week = `week of ${formatUtcDate(new Date(content.weekStart))}`;
  if (content.kind === 'TEAM') {
    const lines = [
      `Weekly digest for the ${content.team} team, ${week}.`,
      '',
      `Open action items: ${content.open}`,
      `Due in the next 3 days: ${content.dueSoon}`,
      `Overdue: ${content.overdue}`,
      `Done this week: ${content.doneThisWeek}`,
    ];
    if (content.overdueItems.length > 0) lines.push('', 'Overdue items, longest first:', ...content.overdueItems.map(itemLine));
    if (content.responses?.length) lines.push('', 'How the team answered reminders, last 4 weeks:', ...content.responses.map(responseLine));
    if (content.staleRunbooks?.count) {
      lines.push('', `Runbooks due for review: ${content.staleRunbooks.count} (still true? mark them reviewed; not? save what changed):`, ...content.staleRunbooks.listed.map(runbookLine));
    }
    lines.push('', `The team's list in Hindsight: ${content.url}`);
    return { subject: `[Hindsight] ${content.team} weekly digest (${week}): ${plural(content.overdue, 'overdue item')}`, text: lines.join('\n') };
  }
  const sev = SEVERITIES.map((s) => `${s} ${content.incidents.bySeverity[s]}`).join(', ');
  const lines = [
    `Leadership digest, ${week}.`,
    '',
    `Incidents: ${content.incidents.thisWeek} (${sev}), ${trend(content.incidents.thisWeek, content.incidents.previousWeek)}.`,
    `Action items: ${content.actionItems.opened} opened, ${content.actionItems.done} done, ${content.actionItems.overdue} overdue.`,
    `Postmortems past their due date: ${content.postmortemsOverdue}.`,
  ];
  const count = content.leadershipItems.reduce((n, g) => n + g.items.length, 0);
  if (count === 0) lines.push('', 'No action item has reached the leadership step.');
  else {
    lines.push('', 'Action items 21 days or more overdue, by team:');
    for (const group of content.leadershipItems) lines.push(`${group.team} (${group.items.length}):`, ...group.items.map(itemLine));
  }
  const stale = content.staleRunbooks?.filter((t) => t.count > 0) ?? [];
  if (stale.length) lines.push('', `Runbooks due for review, by team: ${stale.map((t) => `${t.team} ${t.count}`).join(', ')}.`);
  lines.push('', `Reliability trends in Hindsight: ${content.url}`);
  if (content.review) lines.push(`Reliability review of ${content.review.month} (what changed, the outlook; prints to PDF): ${content.review.url}`);
  return { subject: `[Hindsight] Leadership digest (${week}): ${plural(content.incidents.thisWeek, 'incident')}, ${plural(count, 'item')} at the leadership step`, text: lines.join('\n') };
}

export interface DigestWebhookPayload {
  readonly type: 'digest';
  readonly deliveryId: string;
  readonly sentAt: string;
  readonly recipient: string;
  readonly digest: DigestContent;
}

/** The WEBHOOK body of a digest: the contract's envelope with "type":"digest". */
export function digestWebhookPayload(input: { deliveryId: string; sentAt: Date; recipient: string; content: DigestContent }): DigestWebhookPayload {
  return { type: 'digest', deliveryId: input.deliveryId, sentAt: input.sentAt.toISOString(), recipient: input.recipient, digest: input.content };
}
