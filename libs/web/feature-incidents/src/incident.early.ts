import type { ApolloClient } from '@apollo/client';
import { startQuery, type SessionUserFragment } from '@hindsight/web-data-access';
import { actionItemQueries } from '@hindsight/web-feature-action-items';
import { IncidentChangesQuery } from '@hindsight/web-feature-changes';
import { IncidentRunbooksQuery } from '@hindsight/web-feature-runbooks';
import { IncidentDetail } from './incident.operations';
import { IncidentIdeasQuery, IncidentThemesQuery, SimilarIncidentsQuery } from './learning.panels';

/**
 * The incident page's queries, asked as the app starts (apps/web/src/main.tsx) rather than as
 * each part renders: the page's own, then — once it names the incident's id — those of the
 * panels every reader gets, with the variables those panels use (and the teams the action
 * items' pickers offer, when the reader will see pickers). Each component's query then
 * takes the answer (early.answers) instead of asking a round trip after the render before it.
 */
export async function startIncidentPage(client: ApolloClient, reference: string, session: Promise<SessionUserFragment | null>): Promise<void> {
  const data = await startQuery(client, IncidentDetail, { reference });
  const id = data?.incident?.id;
  if (!id) return;
  const user = await session;
  if (user) void actionItemQueries.pickerTeams(client, user, data.incident?.actionItems ?? []);
  void startQuery(client, IncidentChangesQuery, { id });
  void startQuery(client, IncidentRunbooksQuery, { id });
  void startQuery(client, IncidentIdeasQuery, { id });
  void startQuery(client, SimilarIncidentsQuery, { id });
  void startQuery(client, IncidentThemesQuery, { id });
}
