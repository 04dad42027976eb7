import { lazy } from 'react';

// Each page is its own chunk, apart from the pieces the home and incident pages show, so those
// pages do not carry the action item pages (bench:web). The app starts the opened page's chunk
// beside the session look-up (apps/web/src/app.tsx): `actionItemChunks` are those loads.
export const actionItemChunks = {
  list: () => import('./action-items.page'),
  item: () => import('./action-item.page'),
};
export const ActionItemsPage = lazy(() => actionItemChunks.list().then((m) => ({ default: m.ActionItemsPage })));
export const ActionItemPage = lazy(() => actionItemChunks.item().then((m) => ({ default: m.ActionItemPage })));
export { ActionItemsTable } from './action-items-table';
export { ClaimButton, ExtensionDecision, MoreTimeForm, ANSWER_REFETCH } from './nudge-answers';
export { ActionItemRow, ExtensionRequestRow } from './action-items.operations';
export { dueText, urgencyOf, PRIORITY_TONE } from './action-item.view';
export { ActionDueDateProperty, ActionOwnerPicker, ActionPriorityPicker, ActionStatusPicker, ActionTeamPicker, mayEditItem, useReasonPrompt } from './action-item-pickers';
