import type { ApolloClient } from '@apollo/client';
import { startQuery } from '@hindsight/web-data-access';
import { TrackerConnectionsQuery } from '@hindsight/web-feature-trackers';
import { ModelDraftsReport } from './model-drafts.section';
import { ApiTokensQuery, ChannelsQuery, PoliciesQuery, SessionLifetimesQuery, SlackSettingsQuery, UsersQuery } from './settings.operations';

/**
 * An ADMIN's /settings asks eight sections' queries; asked as the app starts (apps/web/src/main.tsx),
 * they are answered by the time the page renders rather than a round trip after it.
 */
export function startAdminSettings(client: ApolloClient): void {
  void startQuery(client, PoliciesQuery, {});
  void startQuery(client, UsersQuery, {});
  void startQuery(client, SessionLifetimesQuery, {});
  void startQuery(client, ChannelsQuery, {});
  void startQuery(client, SlackSettingsQuery, {});
  void startQuery(client, TrackerConnectionsQuery, {});
  void startQuery(client, ApiTokensQuery, {});
  void startQuery(client, ModelDraftsReport, {});
}
