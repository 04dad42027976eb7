import { lazy } from 'react';
import type { ApolloClient } from '@apollo/client';
import type { SessionUserFragment } from '@hindsight/web-data-access';
import type { PickableItem } from './action-item-pickers';

// Each page is its own chunk, apart from the pieces the home and incident pages show, so those
// pages do not carry the action item pages (bench:web). The app starts the opened page's chunk
// beside the session look-up (apps/web/src/main.tsx): `actionItemChunks` are those loads.
export const actionItemChunks = {
  list: () => import('./action-items.page'),
  item: () => import('./action-item.page'),
};
/** The list's first page, started beside its chunk (as `incidentQueries`, feature-incidents). */
export const actionItemQueries = {
  list: (client: ApolloClient, search: string, user: SessionUserFragment) => import('./action-items.early').then((m) => m.startActionItemsList(client, search, user)),
  /** The teams a page's action item rows offer in their pickers (the incident page's, say). */
  pickerTeams: (client: ApolloClient, user: SessionUserFragment, items: Pick<PickableItem, 'status' | 'ownerTeam'>[]) => import('./action-items.early').then((m) => m.startPickerTeams(client, user, items)),
};
export const ActionItemsPage = lazy(() => actionItemChunks.list().then((m) => ({ default: m.ActionItemsPage })));
export const ActionItemPage = lazy(() => actionItemChunks.item().then((m) => ({ default: m.ActionItemPage })));
export { ActionItemsTable } from './action-items-table';
export { ClaimButton, ExtensionDecision, MoreTimeForm, ANSWER_REFETCH } from './nudge-answers';
export { ActionItemRow, ExtensionRequestRow } from './action-items.operations';
export { dueText, urgencyOf, PRIORITY_TONE } from './action-item.view';
export { ActionDueDateProperty, ActionOwnerPicker, ActionPriorityPicker, ActionStatusPicker, ActionTeamPicker, mayEditItem, useReasonPrompt } from './action-item-pickers';
