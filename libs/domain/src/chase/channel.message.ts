import type { ExtensionStatus, LadderStep } from '../enums/contract.enums';
import { formatReference } from '../incidents/reference.format';
import { DigestContent, digestMessage, digestWebhookPayload } from './digest.message';
import { ExtensionEvent, extensionMessage, extensionQuietReason, extensionRequestWebhookPayload } from './extension.message';
import { nudgeQuietReason } from './ladder.policy';
import { NudgeMessage, nudgeMessage, NudgeSubjectFacts, NudgeSubjectKind, nudgeWebhookPayload } from './nudge.message';
import { NudgeAction, nudgeActions } from './nudge-actions.policy';

/**
 * What every notification channel renders: one message of one of four kinds, with the words
 * (subject and plain text, as for an email), the link back to Hindsight, the answers offered
 * and what it is about. Each channel turns it into its own format (an email, Slack blocks, a
 * Teams card, the signed WEBHOOK body); none of them decides what is said.
 */
export interface ChannelMessage extends NudgeMessage {
  /** The stable delivery id: every link carries it, receivers drop a second copy by it. */
  readonly deliveryId: string;
  readonly sentAt: Date;
  /** An email address, or the channel's name. */
  readonly recipient: string;
  /** Where "Open in Hindsight" goes. */
  readonly url: string;
  /** The answers offered as links and buttons, in order; none for digests and tests. */
  readonly actions: readonly NudgeAction[];
  readonly about: ChannelMessageAbout;
}

/** What the message is about, as the structured WEBHOOK body spells it. */
export type ChannelMessageAbout =
  | { readonly kind: 'nudge'; readonly step: LadderStep; readonly subject: NudgeSubjectFacts }
  | { readonly kind: 'digest'; readonly content: DigestContent }
  | { readonly kind: 'extension_request'; readonly subject: ExtensionSubjectFacts; readonly request: ExtensionRequestFacts; readonly event: ExtensionEvent }
  | { readonly kind: 'test'; readonly channel: string };

export interface ExtensionSubjectFacts {
  readonly id: string;
  readonly title: string;
  readonly dueAt: Date;
  readonly incidentReference: string;
  readonly team: string;
}

export interface ExtensionRequestFacts {
  readonly id: string;
  readonly until: Date;
  readonly reason: string;
  readonly requestedBy: string;
}

/** A message about an extension request: the request as it is now and the item it is about. */
export interface ExtensionDeliveryFacts {
  readonly requestId: string;
  readonly event: ExtensionEvent;
  readonly actionItemId: string;
  /** The item's due date now. */
  readonly dueAt: Date;
  readonly previousDueAt: Date;
  readonly until: Date;
  readonly reason: string;
  readonly status: ExtensionStatus;
  readonly note: string | null;
  readonly requesterName: string;
  /** The action item still exists. */
  readonly itemFound: boolean;
}

/** What an outbox row says about its message, with its subject as it is now (the delivery read). */
export interface DeliveryFacts {
  readonly id: string;
  readonly recipient: string;
  readonly recipientName: string | null;
  readonly subjectKind: NudgeSubjectKind | null;
  readonly subjectId: string | null;
  readonly step: LadderStep | null;
  /** The due date the nudge was recorded for. */
  readonly dueAt: Date | null;
  readonly teamName: string | null;
  readonly title: string | null;
  readonly incidentNumber: number | null;
  /** A runbook's service (RUNBOOK nudges). */
  readonly serviceName: string | null;
  /** Nobody active is assigned to the action item (its nudge offers "I'll take it"). */
  readonly unassigned: boolean;
  /** The key of the item's tracker issue when it was closed upstream and the item (P0/P1) awaits its verification. */
  readonly closedUpstreamIssue: string | null;
  /** A nudge's subject as it is now: it still exists, its status, its snooze. */
  readonly subjectFound: boolean;
  readonly subjectStatus: string | null;
  readonly subjectSnoozedUntil: Date | null;
  /** The subject's due date is still the one the nudge was recorded for. */
  readonly sameDueDate: boolean;
  readonly digestId: string | null;
  /** The digest as stored when its week closed (DigestContent). */
  readonly digestContent: unknown;
  readonly extension: ExtensionDeliveryFacts | null;
}

/** Why the row's message is no longer worth sending (the subject went quiet, the request was decided), or null. */
export function deliveryQuietReason(d: DeliveryFacts, now: Date): string | null {
  if (d.extension) return extensionQuietReason(d.extension);
  if (d.subjectKind === null) return null;
  return nudgeQuietReason({ subjectKind: d.subjectKind, found: d.subjectFound, status: d.subjectStatus, snoozedUntil: d.subjectSnoozedUntil, sameDueDate: d.sameDueDate }, now);
}

/**
 * The message one outbox row carries: a digest, a message about an extension request, or a
 * reminder of one ladder step. Null when the row has none of them (a broken row: nothing can
 * be sent for it).
 */
export function deliveryMessage(d: DeliveryFacts, publicUrl: string, now: Date): ChannelMessage | null {
  const envelope = { deliveryId: d.id, sentAt: now, recipient: d.recipient };
  if (d.digestId) {
    const content = d.digestContent as DigestContent;
    return { ...envelope, ...digestMessage(content), url: content.url, actions: [], about: { kind: 'digest', content } };
  }
  if (d.extension) return extensionDeliveryMessage(d, d.extension, publicUrl, now);
  if (!d.subjectKind || !d.subjectId || !d.step || !d.dueAt) return null;
  const { subjectKind, subjectId, step, dueAt } = d;
  // A runbook belongs to a service, not an incident: its messages name the service there.
  const incidentReference = subjectKind === 'RUNBOOK' ? (d.serviceName ?? 'a service') : d.incidentNumber === null ? 'an incident' : formatReference(d.incidentNumber);
  const actions = nudgeActions({
    publicUrl, subjectKind, subjectId, incidentReference: d.incidentNumber === null ? null : incidentReference, unassigned: d.unassigned, deliveryId: d.id,
  });
  const url = actions[0].url;
  const title = d.title ?? '(untitled)';
  const team = d.teamName ?? 'unassigned';
  return {
    ...envelope,
    ...nudgeMessage({ step, subjectKind, title, incidentReference, teamName: team, dueAt, url, recipientName: d.recipientName, closedUpstreamIssue: d.closedUpstreamIssue }, now),
    url,
    actions,
    about: { kind: 'nudge', step, subject: { kind: subjectKind, id: subjectId, title, dueAt, incidentReference, team } },
  };
}

/** Asked: to the manager and team channels, with a link to decide. Decided: to the requester. */
function extensionDeliveryMessage(d: DeliveryFacts, x: ExtensionDeliveryFacts, publicUrl: string, now: Date): ChannelMessage {
  const actions = nudgeActions({ publicUrl, subjectKind: 'ACTION_ITEM', subjectId: x.actionItemId, incidentReference: null, unassigned: false, deliveryId: d.id }).filter((a) => a.kind === 'OPEN');
  const url = actions[0].url;
  const title = d.title ?? '(untitled)';
  const incidentReference = d.incidentNumber === null ? 'an incident' : formatReference(d.incidentNumber);
  const team = d.teamName ?? 'unassigned';
  return {
    deliveryId: d.id,
    sentAt: now,
    recipient: d.recipient,
    ...extensionMessage({
      event: x.event, title, incidentReference, teamName: team, dueAt: x.previousDueAt, until: x.until, reason: x.reason, requesterName: x.requesterName,
      approved: x.status === 'APPROVED', note: x.note, url, recipientName: d.recipientName,
    }),
    url,
    actions,
    about: {
      kind: 'extension_request',
      subject: { id: x.actionItemId, title, dueAt: x.dueAt, incidentReference, team },
      request: { id: x.requestId, until: x.until, reason: x.reason, requestedBy: x.requesterName },
      event: x.event,
    },
  };
}

/** "Send a test" from Settings: one message to the channel now, outside the outbox. */
export function testMessage(input: { deliveryId: string; channelName: string; recipient: string; publicUrl: string; sentAt: Date }): ChannelMessage {
  return {
    deliveryId: input.deliveryId,
    sentAt: input.sentAt,
    recipient: input.recipient,
    subject: `Hindsight test message for ${input.channelName}`,
    text: `This is a test message from Hindsight to the channel "${input.channelName}". Reminders and digests will arrive here.\n\nOpen it in Hindsight: ${input.publicUrl}`,
    url: input.publicUrl,
    actions: [],
    about: { kind: 'test', channel: input.channelName },
  };
}

/** The JSON body a WEBHOOK channel posts (the contract's envelope, by `type`); the caller serialises it once and signs those bytes. */
export function webhookPayload(m: ChannelMessage): unknown {
  const a = m.about;
  switch (a.kind) {
    case 'nudge':
      return nudgeWebhookPayload({ step: a.step, deliveryId: m.deliveryId, sentAt: m.sentAt, recipient: m.recipient, subject: a.subject, actions: m.actions });
    case 'digest':
      return digestWebhookPayload({ deliveryId: m.deliveryId, sentAt: m.sentAt, recipient: m.recipient, content: a.content });
    case 'extension_request':
      return extensionRequestWebhookPayload({ deliveryId: m.deliveryId, sentAt: m.sentAt, recipient: m.recipient, subject: a.subject, request: a.request, actions: m.actions });
    case 'test':
      return { type: 'test', deliveryId: m.deliveryId, sentAt: m.sentAt.toISOString(), channel: a.channel, subject: m.subject, text: m.text };
    default: {
      const unknown: never = a;
      throw new Error(`unknown message kind ${String((unknown as { kind: unknown }).kind)}`);
    }
  }
}

/**
 * The body of a message for a chat channel: the greeting and the sign-off are for email, and
 * the "Open it in Hindsight" line is a button there, so the body alone reads better.
 */
export function chatBody(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^(Hi .*,|Hello,)$/.test(line) && !line.startsWith('—') && !line.startsWith('Open it in Hindsight:'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
