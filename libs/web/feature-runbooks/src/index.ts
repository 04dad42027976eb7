import { lazy } from 'react';
import type { ApolloClient } from '@apollo/client';
import { startQuery } from '@hindsight/web-data-access';

// Each page is its own chunk, apart from the incident page's panel, so the incident page does
// not carry the runbook editor (bench:web). The app starts the opened page's chunk beside the
// session look-up (apps/web/src/main.tsx): `runbookChunks` are those loads.
export const runbookChunks = {
  list: () => import('./runbooks.page'),
  runbook: () => import('./runbook.page'),
};
export const RunbooksPage = lazy(() => runbookChunks.list().then((m) => ({ default: m.RunbooksPage })));
export const RunbookPage = lazy(() => runbookChunks.runbook().then((m) => ({ default: m.RunbookPage })));
/** The runbook page's query, started beside its chunk (as `incidentQueries`, feature-incidents). */
export const runbookQueries = {
  runbook: (client: ApolloClient, id: string) => import('./runbooks.operations').then(({ RunbookPageQuery }) => startQuery(client, RunbookPageQuery, { id })),
};
export { IncidentRunbooksPanel } from './incident-runbooks.panel';
export { IncidentRunbooksQuery } from './runbooks.operations';
