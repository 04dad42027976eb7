import type { ExtensionEvent } from '../chase/extension.message';
import { ActionStatus, Priority } from '../enums/contract.enums';
import { Actor, canEditActionItem } from '../identity/roles.policy';
import { checkDate, FieldError, isBlank, TEXT_MAX_BYTES, utf8ByteLength } from '../validation/fields.validation';
import { formatUtc } from '../time/time.util';
import { isClosedStatus } from './status.rule';

export interface ExtensionRequestInput {
  readonly status: ActionStatus;
  /** The due date in force; an extension asks for a later one. */
  readonly dueAt: Date;
  readonly until: Date;
  readonly reason: string | null | undefined;
}

/**
 * An extension request (PRODUCT.md 1) asks the owning team's manager for a later due date:
 * a date in the future and after the current due date, and a reason, which the manager
 * reads and which goes into the item's deadline history once approved. A closed item has
 * no deadline left to move.
 */
export function validateExtensionRequest(input: ExtensionRequestInput, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (isClosedStatus(input.status)) errors.push({ field: 'actionItemId', reason: `the item is ${input.status}; a closed item has no deadline to extend` });
  const dateError = checkDate('until', input.until);
  if (dateError) errors.push(dateError);
  else if (input.until.getTime() <= now.getTime()) errors.push({ field: 'until', reason: 'must be in the future' });
  else if (input.until.getTime() <= input.dueAt.getTime()) errors.push({ field: 'until', reason: `must be later than the current due date (${formatUtc(input.dueAt)})` });
  if (isBlank(input.reason)) errors.push({ field: 'reason', reason: 'say why more time is needed; the manager decides on it' });
  else if (utf8ByteLength(input.reason ?? '') > TEXT_MAX_BYTES) errors.push({ field: 'reason', reason: `must be at most ${TEXT_MAX_BYTES} bytes` });
  return errors;
}

export interface ExtensionDecision {
  readonly actor: Actor;
  readonly requesterId: string;
  /** The owning team's manager, null when the team has none. */
  readonly teamManagerId: string | null;
}

/**
 * PRODUCT.md 1: decided by the owning team's manager or an ADMIN, never by the person who
 * asked (an ADMIN or manager asking for themselves needs someone else's yes). Returns the
 * refusal to show (FORBIDDEN), or null when the actor may decide.
 */
export function extensionDecisionRefusal(d: ExtensionDecision): string | null {
  if (d.actor.id === d.requesterId) return "You asked for this extension, so someone else decides it: the owning team's manager or an ADMIN.";
  if (d.actor.role === 'ADMIN' || (d.teamManagerId !== null && d.actor.id === d.teamManagerId)) return null;
  return "Only the owning team's manager or an ADMIN decides extension requests.";
}

/** Who hears of an extension request event: people by e-mail, and the owning team's channels. */
export type ExtensionAudience = 'TEAM_MANAGER' | 'REQUESTER' | 'TEAM_CHANNELS';

/**
 * PRODUCT.md 1: a request goes to the owning team's manager (unless they asked themselves)
 * and to the team's channels; a decision goes to the person who asked (unless they decided
 * it, which extensionDecisionRefusal forbids anyway). Nobody hears of their own action.
 */
export function extensionAudience(event: ExtensionEvent, p: { actorId: string; requesterId: string; teamManagerId: string | null }): ExtensionAudience[] {
  if (event === 'REQUESTED') return p.teamManagerId !== null && p.teamManagerId !== p.actorId ? ['TEAM_MANAGER', 'TEAM_CHANNELS'] : ['TEAM_CHANNELS'];
  return p.requesterId !== p.actorId ? ['REQUESTER'] : [];
}

export interface DueDateAnswerSubject {
  readonly priority: Priority;
  readonly ownerTeamId: string;
  readonly teamManagerId: string | null;
}

/**
 * What "need more time" does for this person: CHANGE moves the due date at once; REQUEST
 * asks the team's manager. The owning team's manager and ADMINs move any deadline; for
 * P0/P1 items everyone else asks, as a P0/P1 snooze needs the manager (PRODUCT.md 4); P2/P3
 * deadlines are moved by whoever may edit the item. Null: the person may not edit it at all.
 */
export function dueDateAnswer(actor: Actor, item: DueDateAnswerSubject): 'CHANGE' | 'REQUEST' | null {
  if (!canEditActionItem(actor, item.ownerTeamId)) return null;
  if (actor.role === 'ADMIN' || actor.id === item.teamManagerId) return 'CHANGE';
  return item.priority === 'P0' || item.priority === 'P1' ? 'REQUEST' : 'CHANGE';
}

export interface ClaimSubject {
  readonly ownerTeamId: string;
  readonly teamManagerId: string | null;
}

/**
 * "I'll take it": the members and the manager of the owning team, and ADMINs, may assign an
 * unassigned item to themselves. Leadership (VIEWER) never edits, even as a team member.
 */
export function canClaimActionItem(actor: Actor, item: ClaimSubject): boolean {
  if (actor.role === 'VIEWER') return false;
  return actor.role === 'ADMIN' || actor.id === item.teamManagerId || actor.teamIds.includes(item.ownerTeamId);
}
