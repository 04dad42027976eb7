import type { ApolloClient } from '@apollo/client';
import { startQuery, type SessionUserFragment } from '@hindsight/web-data-access';
import { actionItemsFilter, actionItemsView, PAGE_SIZE } from './action-items.filter';
import { ActionItemsList } from './action-items.operations';

/**
 * /action-items asks its first page as the app starts (apps/web/src/app.tsx), once it knows who
 * is signed in (the default view is their teams'), with the filter the page derives from the
 * same URL, so the page finds the answer rather than asking once its chunk has rendered.
 */
export function startActionItemsList(client: ApolloClient, search: string, user: SessionUserFragment): void {
  const params = new URLSearchParams(search);
  void startQuery(client, ActionItemsList, { filter: actionItemsFilter(actionItemsView(params, user), user), first: PAGE_SIZE, after: null });
}
