import type { ApolloClient } from '@apollo/client';
import { startQuery } from '@hindsight/web-data-access';
import { PostmortemChecklistQuery } from './learning.panels';
import { PostmortemEditorData } from './postmortem.operations';

/**
 * The postmortem page's queries, asked as the app starts (as incident.early does for the
 * incident page): its own, then the review checklist every reader gets.
 */
export async function startPostmortemPage(client: ApolloClient, reference: string): Promise<void> {
  const data = await startQuery(client, PostmortemEditorData, { reference });
  const id = data?.incident?.id;
  if (id) void startQuery(client, PostmortemChecklistQuery, { id });
}
