import { ACTION_KINDS, ACTION_STATUSES, PRIORITIES } from '../enums/contract.enums';
import { checkDate, checkEnum, checkHttpUrl, checkRequired, checkText, checkTitle, collectErrors, FieldError } from '../validation/fields.validation';
import { RiceInputs, validateRiceInputs } from './rice.metric';

/** Action-item fields as they arrive in CreateActionItemInput / UpdateActionItemInput. */
export interface ActionItemFields extends RiceInputs {
  readonly title?: string | null;
  readonly description?: string | null;
  readonly kind?: string | null;
  readonly priority?: string | null;
  readonly status?: string | null;
  readonly ownerTeamId?: string | null;
  readonly dueAt?: Date | null;
  readonly externalUrl?: string | null;
}

/**
 * Field checks of an action-item create or update. `create` requires title, kind, priority
 * and the owning team (an item always has a team, PRODUCT.md 2.4); dueAt is optional and
 * defaults from the priority (actionItemDueAt). On update, null may clear only optional
 * fields; status rules themselves are validateStatusChange's.
 */
export function validateActionItemInput(input: ActionItemFields, mode: 'create' | 'update'): FieldError[] {
  const creating = mode === 'create';
  const notNull = (field: string, value: unknown): FieldError | null => (!creating && value === null ? { field, reason: 'cannot be cleared' } : null);
  return collectErrors(
    notNull('input.title', input.title) ?? checkTitle('input.title', input.title, { required: creating }),
    checkText('input.description', input.description),
    notNull('input.kind', input.kind) ?? checkEnum('input.kind', ACTION_KINDS, input.kind, { required: creating }),
    notNull('input.priority', input.priority) ?? checkEnum('input.priority', PRIORITIES, input.priority, { required: creating }),
    notNull('input.status', input.status) ?? checkEnum('input.status', ACTION_STATUSES, input.status, { required: false }),
    notNull('input.ownerTeamId', input.ownerTeamId) ?? (creating ? checkRequired('input.ownerTeamId', input.ownerTeamId) : null),
    checkDate('input.dueAt', input.dueAt, { required: false }),
    checkHttpUrl('input.externalUrl', input.externalUrl),
    validateRiceInputs(input),
  );
}
