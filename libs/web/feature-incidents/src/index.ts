import { lazy } from 'react';

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
