import { lazy } from 'react';

// Each page is its own chunk: the list loads with the app shell's first navigation, the
// incident page and the postmortem editor (Markdown, language rules) only when opened.
export const IncidentsPage = lazy(() => import('./incidents.page').then((m) => ({ default: m.IncidentsPage })));
export const DeclareIncidentPage = lazy(() => import('./declare-incident.page').then((m) => ({ default: m.DeclareIncidentPage })));
export const IncidentPage = lazy(() => import('./incident.page').then((m) => ({ default: m.IncidentPage })));
export const PostmortemPage = lazy(() => import('./postmortem.page').then((m) => ({ default: m.PostmortemPage })));
