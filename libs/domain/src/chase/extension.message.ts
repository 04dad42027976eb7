import { formatUtc } from '../time/time.util';
import type { NudgeMessage } from './nudge.message';
import type { NudgeAction } from './nudge-actions.policy';

/** REQUESTED goes to the owning team's manager and channels; DECIDED to the person who asked. */
export type ExtensionEvent = 'REQUESTED' | 'DECIDED';

export interface ExtensionMessageInput {
  readonly event: ExtensionEvent;
  readonly title: string;
  readonly incidentReference: string;
  readonly teamName: string;
  /** The due date the request would replace. */
  readonly dueAt: Date;
  readonly until: Date;
  readonly reason: string;
  readonly requesterName: string;
  /** DECIDED only. */
  readonly approved?: boolean;
  readonly note?: string | null;
  /** Where to decide (REQUESTED) or to see the item (DECIDED). */
  readonly url: string;
  readonly recipientName?: string | null;
}

const oneLine = (value: string): string => value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();

/**
 * The message about an extension request. It speaks of the item, its team and the dates;
 * the requester is named to the manager because they asked, and the reason is quoted as
 * written (it is what the manager decides on).
 */
export function extensionMessage(input: ExtensionMessageInput): NudgeMessage {
  const title = oneLine(input.title);
  const team = oneLine(input.teamName);
  const ref = oneLine(input.incidentReference);
  const greeting = input.recipientName ? `Hi ${oneLine(input.recipientName)},` : 'Hello,';
  if (input.event === 'REQUESTED') {
    return {
      subject: `[Hindsight] Extension requested: Action item "${title}" (${ref}, ${team})`,
      text: [
        greeting,
        '',
        `${oneLine(input.requesterName)} asks to move the due date of the action item "${title}" from ${ref}, owned by the ${team} team, ` +
          `from ${formatUtc(input.dueAt)} to ${formatUtc(input.until)}.`,
        '',
        `Reason: ${input.reason.trim()}`,
        '',
        "The owning team's manager or an ADMIN approves or declines it; approving moves the due date and restarts the reminders from the new date.",
        '',
        `Decide in Hindsight: ${oneLine(input.url)}`,
      ].join('\n'),
    };
  }
  const verdict = input.approved ? 'approved' : 'declined';
  const outcome = input.approved
    ? `The due date is now ${formatUtc(input.until)}, and the reminders start again from that date.`
    : `The due date stays ${formatUtc(input.dueAt)}.`;
  return {
    subject: `[Hindsight] Extension ${verdict}: Action item "${title}" (${ref}, ${team})`,
    text: [
      greeting,
      '',
      `Your request to move the due date of the action item "${title}" from ${ref} to ${formatUtc(input.until)} was ${verdict}. ${outcome}`,
      ...(input.note?.trim() ? ['', `Note: ${input.note.trim()}`] : []),
      '',
      `Open it in Hindsight: ${oneLine(input.url)}`,
    ].join('\n'),
  };
}

export interface ExtensionWebhookInput {
  readonly deliveryId: string;
  readonly sentAt: Date;
  readonly recipient: string;
  readonly subject: { readonly id: string; readonly title: string; readonly dueAt: Date; readonly incidentReference: string; readonly team: string };
  readonly request: { readonly id: string; readonly until: Date; readonly reason: string; readonly requestedBy: string };
  readonly actions: readonly NudgeAction[];
}

/** `{"type":"extension_request", …}`: the nudge's `subject`, plus the request. */
export function extensionRequestWebhookPayload(input: ExtensionWebhookInput) {
  const s = input.subject;
  return {
    type: 'extension_request' as const,
    deliveryId: input.deliveryId,
    sentAt: input.sentAt.toISOString(),
    recipient: input.recipient,
    subject: { kind: 'ACTION_ITEM' as const, id: s.id, title: s.title, dueAt: s.dueAt.toISOString(), incidentReference: s.incidentReference, team: s.team },
    request: { id: input.request.id, until: input.request.until.toISOString(), reason: input.request.reason, requestedBy: input.request.requestedBy },
    actions: input.actions.map((a) => ({ kind: a.kind, url: a.url })),
  };
}

/**
 * Why a message about an extension request should no longer go out, or null: its item is
 * gone, or the request it asks to decide was decided first (the decision has its own message).
 */
export function extensionQuietReason(x: { readonly event: ExtensionEvent; readonly status: string; readonly itemFound: boolean }): string | null {
  if (!x.itemFound) return 'the action item was deleted';
  if (x.event === 'REQUESTED' && x.status !== 'PENDING') return 'the request was decided before the message went out';
  return null;
}
