import { lazy } from 'react';
import type { ApolloClient } from '@apollo/client';
import type { SessionUserFragment } from '@hindsight/web-data-access';

// Each page is its own chunk: the list loads with the app shell's first navigation, the
// incident page and the postmortem editor (Markdown, language rules) only when opened.
// The app starts the opened page's chunk at once (apps/web/src/main.tsx), beside the session
// look-up, rather than after it: `incidentChunks` are those loads.
export const incidentChunks = {
  list: () => import('./incidents.page'),
  declare: () => import('./declare-incident.page'),
  incident: () => import('./incident.page'),
  postmortem: () => import('./postmortem.page'),
};
export const IncidentsPage = lazy(() => incidentChunks.list().then((m) => ({ default: m.IncidentsPage })));
export const DeclareIncidentPage = lazy(() => incidentChunks.declare().then((m) => ({ default: m.DeclareIncidentPage })));
export const IncidentPage = lazy(() => incidentChunks.incident().then((m) => ({ default: m.IncidentPage })));
export const PostmortemPage = lazy(() => incidentChunks.postmortem().then((m) => ({ default: m.PostmortemPage })));

/**
 * The opened page's queries, started beside its chunk (apps/web/src/main.tsx): the page and its
 * panels take the answers (or join them in flight) instead of asking once their chunk has been
 * evaluated and rendered. See incident.early and postmortem.early.
 */
export const incidentQueries = {
  incident: (client: ApolloClient, reference: string, session: Promise<SessionUserFragment | null>) => import('./incident.early').then((m) => m.startIncidentPage(client, reference, session)),
  postmortem: (client: ApolloClient, reference: string) => import('./postmortem.early').then((m) => m.startPostmortemPage(client, reference)),
};
