import { ActionStatus, PRIORITIES } from '../enums/contract.enums';
import { checkDate, checkEnum, checkRequired, checkText, collectErrors, FieldError } from '../validation/fields.validation';
import { isOpenStatus } from './status.rule';

/**
 * Ideas and commitments (PRODUCT.md 5): a postmortem's proposed action is an idea until
 * someone commits it with an owner team, a priority and a due date. Ideas are never chased,
 * never overdue and never in action-item health; they can be committed or dropped with a reason.
 */
export interface IdeaState {
  readonly committed: boolean;
  readonly status: ActionStatus;
}

export interface CommitFields {
  readonly ownerTeamId?: unknown;
  readonly priority?: unknown;
  readonly dueAt?: unknown;
}

/** Whether `item` may be committed with these fields; errors name the mutation's arguments. */
export function validateCommit(item: IdeaState, fields: CommitFields): FieldError[] {
  if (item.committed) return [{ field: 'id', reason: 'this action item is already a commitment; change it with updateActionItem' }];
  if (!isOpenStatus(item.status)) return [{ field: 'id', reason: `this idea was dropped (${item.status}); propose it again to commit it` }];
  return collectErrors(
    checkRequired('ownerTeamId', fields.ownerTeamId),
    checkEnum('priority', PRIORITIES, fields.priority),
    checkDate('dueAt', fields.dueAt, { required: false }),
  );
}

/** Whether `item` may be dropped as an idea with `reason`. */
export function validateDropIdea(item: IdeaState, reason: unknown): FieldError[] {
  if (item.committed) return [{ field: 'id', reason: 'this action item is a commitment; close it as WONT_DO with a reason instead' }];
  if (!isOpenStatus(item.status)) return [{ field: 'id', reason: `this idea is already ${item.status}` }];
  return collectErrors(checkRequired('reason', reason) ?? checkText('reason', reason));
}

/** An idea is committed before it is done: closing one as DONE is refused with this reason, else null. */
export function ideaCannotBeDone(item: IdeaState, to: ActionStatus): string | null {
  return !item.committed && to === 'DONE' ? 'an idea is committed (owner team, priority, due date) before it is done: use commitActionItem first' : null;
}

