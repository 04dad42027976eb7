export { ActionItemsPage } from './action-items.page';
export { ActionItemPage } from './action-item.page';
export { ActionItemsTable } from './action-items-table';
export { ClaimButton, ExtensionDecision, MoreTimeForm, ANSWER_REFETCH } from './nudge-answers';
export { ActionItemRow, ExtensionRequestRow } from './action-items.operations';
export { dueText, urgencyOf, PRIORITY_TONE } from './action-item.view';
export { ActionPriorityPicker, ActionStatusPicker, ActionTeamPicker, mayEditItem, useReasonPrompt } from './action-item-pickers';
