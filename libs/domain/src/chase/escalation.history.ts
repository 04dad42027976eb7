import { ActionStatus, ChannelKind, LADDER_STEPS, LadderStep, PostmortemStatus } from '../enums/contract.enums';
import { LadderAudience, ladderRecipients, postmortemLadderRecipients } from './recipients.policy';
import { LadderDecision, ladderDecision, nextLadderTime, nextPostmortemLadderTime, postmortemLadderDecision, stepTime } from './ladder.policy';

/*
 * Escalation truth (issue 23): for an action item or a postmortem, every ladder step that came
 * due for its current due date, with who it reached — or that it reached nobody, and why — and
 * the next step with its date. The ledger (nudges) and the outbox (deliveries) say what
 * happened; the ladder (ladderDecision, nextLadderTime, the recipients table) says what comes
 * next and whom a step addresses, so nothing here restates a rule of its own.
 *
 * States:
 *   SENT        at least one recipient got it;
 *   SUPERSEDED  it came due together with a later step, and only the most advanced was sent;
 *   PENDING     due, and going out (the next chase run, or a delivery being retried);
 *   UNREACHED   nobody could be addressed (no assignee and no manager, no channel, no e-mail server);
 *   FAILED      every delivery was tried and failed;
 *   SKIPPED     the subject went quiet (closed, snoozed, a new due date) before it went out;
 *   SCHEDULED   the next step: not due yet; `reached` says whom it will reach as things stand.
 * Recipients are described by their part (the assignee, a team's manager, a channel), never
 * by a person's name: the record says whom the process reached, not who failed to act.
 */

export const ESCALATION_STATES = ['SENT', 'SUPERSEDED', 'PENDING', 'UNREACHED', 'FAILED', 'SKIPPED', 'SCHEDULED'] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];

/**
 * Whom one delivery went to: the subject's owner (assignee, commander), its team's manager, or
 * both at once (one e-mail when the owner manages the team), a person who was neither when asked (they changed since), a team's or the
 * leadership's channel, or a channel since deleted.
 */
export type DeliveryAudience = 'OWNER' | 'OWNER_MANAGER' | 'MANAGER' | 'PERSON' | 'TEAM_CHANNEL' | 'LEADERSHIP_CHANNEL' | 'DELETED_CHANNEL';

export interface EscalationDelivery {
  readonly step: LadderStep;
  readonly audience: DeliveryAudience;
  readonly kind: ChannelKind;
  /** The channel's name; null for a person. */
  readonly channelName: string | null;
  readonly status: 'PENDING' | 'SENT' | 'FAILED' | 'SKIPPED';
  readonly lastError: string | null;
  /** Failed at once because this server has no e-mail (SMTP) configured. */
  readonly noEmailServer: boolean;
}

export interface EscalationRecord {
  readonly step: LadderStep;
  readonly superseded: boolean;
}

export interface EscalationChannel {
  readonly kind: ChannelKind;
  readonly name: string;
}

/** How things stand now: whom the ladder can reach. */
export interface EscalationContext {
  /** The team the ladder reaches; null when none could be found (a postmortem's commander on no team, its services naming none). */
  readonly teamName: string | null;
  /** An active assignee (items) or commander (postmortems). */
  readonly hasOwner: boolean;
  /** The team has an active manager with an e-mail address. */
  readonly hasManager: boolean;
  /** The owner is that manager (one e-mail reaches both). */
  readonly ownerIsManager: boolean;
  readonly teamChannels: readonly EscalationChannel[];
  readonly leadershipChannels: readonly EscalationChannel[];
  /** SMTP_URL is set. */
  readonly emailConfigured: boolean;
}

export type EscalationSubject =
  | { readonly kind: 'ACTION_ITEM'; readonly dueAt: Date; readonly status: ActionStatus; readonly snoozedUntil: Date | null }
  | { readonly kind: 'POSTMORTEM'; readonly dueAt: Date | null; readonly status: PostmortemStatus };

export interface EscalationStepView {
  readonly step: LadderStep;
  /** When the step came (or comes) due; for SCHEDULED, when it will go out. */
  readonly dueAt: Date;
  readonly state: EscalationState;
  /** Whom it reached (SCHEDULED: whom it will reach), in words. */
  readonly reached: readonly string[];
  /** Why it reached nobody, or whom it could not reach; null when there is nothing to say. */
  readonly reason: string | null;
  /** What an administrator can do about it; to be shown to ADMINs only. */
  readonly adminHint: string | null;
  /** Where in the web app an administrator does it. */
  readonly adminPath: string | null;
}

const KIND_WORDS: Record<ChannelKind, string> = { EMAIL: 'mailing list', SLACK: 'Slack channel', WEBHOOK: 'webhook', TEAMS: 'Teams channel' };

const SMTP_HINT = 'Set SMTP_URL (and SMTP_FROM) and restart the worker.';
const CHANNELS_PATH = '/settings#channels-heading';
const TEAMS_PATH = '/teams';

interface Gap {
  readonly reason: string;
  readonly hint: string | null;
  readonly path: string | null;
}

function ownerWords(kind: EscalationSubject['kind']): string {
  return kind === 'ACTION_ITEM' ? 'the assignee' : 'the incident commander';
}

function teamWords(context: EscalationContext): string {
  return context.teamName ?? 'the team';
}

function channelWords(c: EscalationChannel, owner: string | null, deleted = false): string {
  return `${owner ? `${owner}'s ` : ''}${KIND_WORDS[c.kind]} “${c.name}”${deleted ? ' (since deleted)' : ''}`;
}

function describe(d: EscalationDelivery, subject: EscalationSubject['kind'], context: EscalationContext): string {
  const channel = { kind: d.kind, name: d.channelName ?? '' };
  switch (d.audience) {
    case 'OWNER':
      return `${ownerWords(subject)}, by e-mail`;
    case 'OWNER_MANAGER':
      return `${ownerWords(subject)}, who manages ${teamWords(context)}, by e-mail`;
    case 'MANAGER':
      return `the manager of ${teamWords(context)}, by e-mail`;
    case 'PERSON':
      return 'the person responsible at the time, by e-mail';
    case 'TEAM_CHANNEL':
      return channelWords(channel, teamWords(context));
    case 'LEADERSHIP_CHANNEL':
      return channelWords(channel, 'leadership');
    case 'DELETED_CHANNEL':
      return channelWords(channel, null, true);
    default: {
      const unknown: never = d.audience;
      throw new Error(`unknown delivery audience ${String(unknown)}`);
    }
  }
}

function recipientsOf(subject: EscalationSubject, step: LadderStep, hasOwner: boolean): LadderAudience[] {
  return subject.kind === 'ACTION_ITEM' ? ladderRecipients(step, { hasAssignee: hasOwner }) : postmortemLadderRecipients(step, { hasCommander: hasOwner });
}

const SATISFIED_BY: Record<LadderAudience, readonly DeliveryAudience[]> = {
  ASSIGNEE: ['OWNER', 'OWNER_MANAGER', 'PERSON'],
  COMMANDER: ['OWNER', 'OWNER_MANAGER', 'PERSON'],
  TEAM_MANAGER: ['MANAGER', 'OWNER_MANAGER', 'PERSON'],
  TEAM_CHANNELS: ['TEAM_CHANNEL', 'DELETED_CHANNEL'],
  LEADERSHIP_CHANNELS: ['LEADERSHIP_CHANNEL', 'DELETED_CHANNEL'],
};

/**
 * Why an audience the step addresses got nothing. Present tense when it is still so (the
 * administrator can fix it); past tense when it has been fixed since (`past`).
 */
/** A postmortem whose commander is on no team and whose services name none has nobody to escalate to. */
const NO_TEAM: Gap = {
  reason: 'no team is responsible for it: its commander is on no team and no affected service has one',
  hint: "Add the commander to a team, or the incident's affected services.",
  path: TEAMS_PATH,
};

function gapFor(audience: LadderAudience, subject: EscalationSubject['kind'], context: EscalationContext, past: boolean): Gap {
  const team = teamWords(context);
  if ((audience === 'TEAM_MANAGER' || audience === 'TEAM_CHANNELS') && context.teamName === null) return NO_TEAM;
  switch (audience) {
    case 'ASSIGNEE':
      return { reason: past ? 'nobody was assigned then' : 'nobody is assigned', hint: null, path: null };
    case 'COMMANDER':
      return { reason: past ? 'the incident had no commander then' : 'the incident has no commander', hint: null, path: null };
    case 'TEAM_MANAGER': {
      // Without an owner the manager stands in for them: both are missing.
      const nobody = context.hasOwner ? '' : subject === 'ACTION_ITEM' ? 'nobody is assigned and ' : 'the incident has no commander and ';
      return past
        ? { reason: `${nobody}${team} had no manager then`, hint: null, path: null }
        : { reason: `${nobody}${team} has no manager`, hint: `Name a manager for ${team} under Teams.`, path: TEAMS_PATH };
    }
    case 'TEAM_CHANNELS':
      return past
        ? { reason: `${team} had no notification channel then`, hint: null, path: null }
        : { reason: `${team} has no notification channel`, hint: `Add a channel for ${team} under Settings → Notification channels.`, path: CHANNELS_PATH };
    case 'LEADERSHIP_CHANNELS':
      return past
        ? { reason: 'no leadership channel was configured then', hint: null, path: null }
        : { reason: 'no leadership channel is configured', hint: 'Add a leadership channel (a channel without a team) under Settings → Notification channels.', path: CHANNELS_PATH };
    default: {
      const unknown: never = audience;
      throw new Error(`unknown ladder audience ${String(unknown)}`);
    }
  }
}

/**
 * Gaps worth saying on a step that reached someone: a person the step meant to reach, and
 * leadership. A team without channels is normal (people are e-mailed), so it is said only
 * when the step reached nobody.
 */
const NOTABLE_WHEN_REACHED: ReadonlySet<LadderAudience> = new Set(['ASSIGNEE', 'COMMANDER', 'TEAM_MANAGER', 'LEADERSHIP_CHANNELS']);

function summarise(all: readonly Gap[]): Pick<EscalationStepView, 'reason' | 'adminHint' | 'adminPath'> {
  const gaps = all.filter((g, i) => all.findIndex((o) => o.reason === g.reason) === i);
  if (gaps.length === 0) return { reason: null, adminHint: null, adminPath: null };
  const hints = [...new Set(gaps.map((g) => g.hint).filter((h): h is string => h !== null))];
  return { reason: gaps.map((g) => g.reason).join('; '), adminHint: hints.length ? hints.join(' ') : null, adminPath: gaps.find((g) => g.path)?.path ?? null };
}

const NO_EMAIL: Gap = { reason: 'e-mail is not set up on this server', hint: SMTP_HINT, path: null };

/** One recorded, not superseded step: what its deliveries say. */
function sentStep(subject: EscalationSubject, step: LadderStep, dueAt: Date, deliveries: readonly EscalationDelivery[], context: EscalationContext): EscalationStepView {
  const sent = deliveries.filter((d) => d.status === 'SENT');
  const pending = deliveries.filter((d) => d.status === 'PENDING');
  const noEmail = deliveries.filter((d) => d.status === 'FAILED' && d.noEmailServer);
  const failed = deliveries.filter((d) => d.status === 'FAILED' && !d.noEmailServer);
  const skipped = deliveries.filter((d) => d.status === 'SKIPPED');
  const reached = sent.map((d) => describe(d, subject.kind, context));
  // Audiences the step addressed that no delivery went to (as the ladder decides them for the owner the subject has now).
  const missing = recipientsOf(subject, step, context.hasOwner).filter((a) => !deliveries.some((d) => SATISFIED_BY[a].includes(d.audience)));
  const missingGaps = (notableOnly: boolean) =>
    missing.filter((a) => !notableOnly || NOTABLE_WHEN_REACHED.has(a)).map((a) => gapFor(a, subject.kind, context, isFixed(a, context)));
  const failureGaps: Gap[] = [
    ...(noEmail.length ? [{ ...NO_EMAIL, reason: `${noEmail.map((d) => describe(d, subject.kind, context).replace(/, by e-mail$/, '')).join(' and ')} could not be e-mailed: e-mail is not set up on this server` }] : []),
    ...failed.map((d) => ({ reason: `the delivery to ${describe(d, subject.kind, context)} failed`, hint: d.lastError, path: null })),
  ];
  const base = { step, dueAt, reached };
  if (sent.length) return { ...base, state: 'SENT', ...summarise([...failureGaps, ...missingGaps(true)]) };
  if (pending.length) return { ...base, state: 'PENDING', ...summarise([{ reason: 'being delivered', hint: null, path: null }, ...failureGaps]) };
  if (failed.length) return { ...base, state: 'FAILED', ...summarise([...failureGaps, ...missingGaps(true)]) };
  if (noEmail.length) return { ...base, state: 'UNREACHED', ...summarise([NO_EMAIL, ...missingGaps(false)]) };
  if (skipped.length) return { ...base, state: 'SKIPPED', reason: skipped[0].lastError ?? 'it went quiet before it went out', adminHint: null, adminPath: null };
  return { ...base, state: 'UNREACHED', ...summarise(missingGaps(false)) };
}

/** Whether the audience can be reached now (so a gap on a past step has been fixed since). */
function isFixed(audience: LadderAudience, context: EscalationContext): boolean {
  switch (audience) {
    case 'ASSIGNEE':
    case 'COMMANDER':
      return context.hasOwner;
    case 'TEAM_MANAGER':
      return context.hasManager;
    case 'TEAM_CHANNELS':
      return context.teamChannels.length > 0;
    case 'LEADERSHIP_CHANNELS':
      return context.leadershipChannels.length > 0;
    default: {
      const unknown: never = audience;
      throw new Error(`unknown ladder audience ${String(unknown)}`);
    }
  }
}

/** Whom a step would reach as things stand, and whom it could not. */
function forecast(subject: EscalationSubject, step: LadderStep, context: EscalationContext): { reached: string[]; gaps: Gap[] } {
  const reached: string[] = [];
  const gaps: { audience: LadderAudience | null; gap: Gap }[] = [];
  for (const audience of recipientsOf(subject, step, context.hasOwner)) {
    const manager = audience === 'TEAM_MANAGER';
    if (audience === 'ASSIGNEE' || audience === 'COMMANDER' || manager) {
      if (!(manager ? context.hasManager : context.hasOwner)) gaps.push({ audience, gap: gapFor(audience, subject.kind, context, false) });
      else if (!context.emailConfigured) gaps.push({ audience: null, gap: NO_EMAIL });
      else if (manager && context.ownerIsManager && context.hasOwner) continue;
      else reached.push(manager ? `the manager of ${teamWords(context)}, by e-mail` : `${ownerWords(subject.kind)}, by e-mail`);
      continue;
    }
    const leadership = audience === 'LEADERSHIP_CHANNELS';
    const channels = leadership ? context.leadershipChannels : context.teamChannels;
    if (channels.length === 0) gaps.push({ audience, gap: gapFor(audience, subject.kind, context, false) });
    for (const c of channels) reached.push(channelWords(c, leadership ? 'leadership' : teamWords(context)));
  }
  const said = reached.length ? gaps.filter((g) => g.audience === null || NOTABLE_WHEN_REACHED.has(g.audience)) : gaps;
  return { reached, gaps: [...new Set(said.map((g) => g.gap))] };
}

function decide(subject: EscalationSubject, alreadySent: readonly LadderStep[], now: Date): LadderDecision {
  return subject.kind === 'ACTION_ITEM'
    ? ladderDecision({ dueAt: subject.dueAt, status: subject.status, snoozedUntil: subject.snoozedUntil, alreadySent }, now)
    : postmortemLadderDecision({ dueAt: subject.dueAt, status: subject.status, alreadySent }, now);
}

function next(subject: EscalationSubject, alreadySent: readonly LadderStep[], now: Date): Date | null {
  return subject.kind === 'ACTION_ITEM'
    ? nextLadderTime({ dueAt: subject.dueAt, status: subject.status, snoozedUntil: subject.snoozedUntil, alreadySent }, now)
    : nextPostmortemLadderTime({ dueAt: subject.dueAt, status: subject.status, alreadySent }, now);
}

/**
 * The escalation of one subject for its current due date: the steps recorded in the ledger
 * (records and deliveries for that due date only), the ones due but not yet recorded, and the
 * next one. Empty without a due date.
 */
export function escalationHistory(
  subject: EscalationSubject,
  records: readonly EscalationRecord[],
  deliveries: readonly EscalationDelivery[],
  context: EscalationContext,
  now: Date,
): EscalationStepView[] {
  const dueAt = subject.dueAt;
  if (dueAt === null) return [];
  const views = new Map<LadderStep, EscalationStepView>();
  for (const r of records) {
    const at = stepTime(r.step, dueAt);
    views.set(
      r.step,
      r.superseded
        ? { step: r.step, dueAt: at, state: 'SUPERSEDED', reached: [], reason: 'came due together with a later step; only the most advanced one was sent', adminHint: null, adminPath: null }
        : sentStep(subject, r.step, at, deliveries.filter((d) => d.step === r.step), context),
    );
  }
  // Due but not yet in the ledger: what the next chase run will record. (The run records a
  // step to send together with the earlier ones it supersedes; with nothing to send it
  // records nothing.)
  const recorded = records.map((r) => r.step);
  const due = decide(subject, recorded, now);
  if (due.send) {
    for (const step of due.superseded) {
      views.set(step, { step, dueAt: stepTime(step, dueAt), state: 'SUPERSEDED', reached: [], reason: 'came due together with a later step; only the most advanced one will be sent', adminHint: null, adminPath: null });
    }
    const { reached, gaps } = forecast(subject, due.send, context);
    const s = summarise([{ reason: 'due now: it goes out with the next chase run', hint: null, path: null }, ...gaps]);
    views.set(due.send, { step: due.send, dueAt: stepTime(due.send, dueAt), state: 'PENDING', reached, ...s });
  }
  const afterNow = due.send ? [...recorded, ...due.superseded, due.send] : recorded;
  const at = next(subject, afterNow, now);
  if (at && at.getTime() > now.getTime()) {
    const step = decide(subject, afterNow, at).send;
    if (step) {
      const { reached, gaps } = forecast(subject, step, context);
      const s = reached.length ? summarise(gaps) : summarise([{ reason: 'will reach nobody', hint: null, path: null }, ...gaps]);
      views.set(step, { step, dueAt: at, state: 'SCHEDULED', reached, ...s });
    }
  }
  return LADDER_STEPS.flatMap((s) => (views.has(s) ? [views.get(s) as EscalationStepView] : []));
}
