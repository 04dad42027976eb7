import type { ApolloClient } from '@apollo/client';
import { startQuery, type SessionUserFragment } from '@hindsight/web-data-access';
import { mayEditItem, type PickableItem } from './action-item-pickers';
import { OPEN_STATUSES } from './action-item.view';
import { actionItemsFilter, actionItemsView, PAGE_SIZE } from './action-items.filter';
import { ActionItemsList, ActionItemTeams } from './action-items.operations';

/**
 * /action-items asks its first page as the app starts (apps/web/src/main.tsx), once it knows who
 * is signed in (the default view is their teams'), with the filter the page derives from the
 * same URL, so the page finds the answer rather than asking once its chunk has rendered.
 */
export async function startActionItemsList(client: ApolloClient, search: string, user: SessionUserFragment): Promise<void> {
  const params = new URLSearchParams(search);
  const data = await startQuery(client, ActionItemsList, { filter: actionItemsFilter(actionItemsView(params, user), user), first: PAGE_SIZE, after: null });
  startPickerTeams(client, user, data?.actionItems.nodes ?? []);
}

/** The teams the rows' pickers offer, when some row will show a picker (an open item the person may edit). */
export function startPickerTeams(client: ApolloClient, user: SessionUserFragment, items: Pick<PickableItem, 'status' | 'ownerTeam'>[]): void {
  if (items.some((item) => OPEN_STATUSES.includes(item.status) && mayEditItem(user, item))) void startQuery(client, ActionItemTeams, {});
}
