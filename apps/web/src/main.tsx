// Wiring only: the client, the session and the routes. Pages live in libs/web/feature-*.
import { lazy, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApolloProvider } from '@apollo/client/react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { createApolloClient, prefetchSession, SessionProvider, tokenStore } from '@hindsight/web-data-access';
import { SignInPage } from '@hindsight/web-feature-auth';
import { AppShell, DesignPage, NotFoundPage, RequireSession, RoleRoute } from '@hindsight/web-feature-shell';
// Already lazy per page (the postmortem editor is its own chunk): see the library's index.
import { DeclareIncidentPage, IncidentPage, IncidentsPage, incidentChunks, incidentQueries, PostmortemPage } from '@hindsight/web-feature-incidents';
import { ActionItemPage, actionItemChunks, actionItemQueries, ActionItemsPage } from '@hindsight/web-feature-action-items';
import { RunbookPage, runbookChunks, runbookQueries, RunbooksPage } from '@hindsight/web-feature-runbooks';

// Feature pages load on demand, so signing in downloads only the shell.
const chunks = {
  home: () => import('@hindsight/web-feature-home'),
  catalog: () => import('@hindsight/web-feature-catalog'),
  reliability: () => import('@hindsight/web-feature-reliability'),
  settings: () => import('@hindsight/web-feature-settings'),
};
const HomePage = lazy(() => chunks.home().then((m) => ({ default: m.HomePage })));
const ServicesPage = lazy(() => chunks.catalog().then((m) => ({ default: m.ServicesPage })));
const TeamsPage = lazy(() => chunks.catalog().then((m) => ({ default: m.TeamsPage })));
const ReliabilityPage = lazy(() => chunks.reliability().then((m) => ({ default: m.ReliabilityPage })));
const ReliabilityReviewPage = lazy(() => chunks.reliability().then((m) => ({ default: m.ReliabilityReviewPage })));
const SettingsPage = lazy(() => chunks.settings().then((m) => ({ default: m.SettingsPage })));
const ChangePasswordPage = lazy(() => chunks.settings().then((m) => ({ default: m.ChangePasswordPage })));
const MySessionsPage = lazy(() => chunks.settings().then((m) => ({ default: m.MySessionsPage })));
const ApiTokensPage = lazy(() => chunks.settings().then((m) => ({ default: m.ApiTokensPage })));
const SlackLinkPage = lazy(() => chunks.settings().then((m) => ({ default: m.SlackLinkPage })));

const client = createApolloClient();
// Who is signed in, asked now, before React's first render; the settings and action items
// pages' early queries wait for it.
const session = prefetchSession(client);

/**
 * The opened page's chunk, started now, beside the session look-up: otherwise it is only asked
 * for once the session is known and the route renders, a round trip later (bench:web saw
 * ~0.5 s of a throttled load go there). The heaviest pages' queries (incident, postmortem,
 * runbook, action items, reliability, an ADMIN's settings) start now too, rather than once their chunk is evaluated and
 * rendered (early.answers in web-data-access). Later navigations load theirs through React.lazy.
 */
const param = (path: RegExpExecArray): string => {
  try {
    return decodeURIComponent(path[1] ?? '');
  } catch {
    return path[1] ?? '';
  }
};
const OPENING: [RegExp, () => Promise<unknown>, ((path: RegExpExecArray) => Promise<unknown>)?][] = [
  [/^\/(home)?$/, chunks.home],
  [/^\/incidents\/?$/, incidentChunks.list],
  [/^\/incidents\/new$/, incidentChunks.declare],
  [/^\/incidents\/([^/]+)\/postmortem$/, incidentChunks.postmortem, (path) => incidentQueries.postmortem(client, param(path))],
  [/^\/incidents\/([^/]+)$/, incidentChunks.incident, (path) => incidentQueries.incident(client, param(path), session)],
  [/^\/action-items\/?$/, actionItemChunks.list, () => session.then((user) => (user ? actionItemQueries.list(client, window.location.search, user) : undefined))],
  [/^\/action-items\/[^/]+$/, actionItemChunks.item],
  [/^\/(services|teams)$/, chunks.catalog],
  [/^\/reliability(\/review)?$/, chunks.reliability, () => chunks.reliability().then((m) => m.startReliabilityPage(client, window.location.search))],
  [/^\/runbooks\/?$/, runbookChunks.list],
  [/^\/runbooks\/([^/]+)$/, runbookChunks.runbook, (path) => runbookQueries.runbook(client, param(path))],
  [/^\/settings$/, chunks.settings, () => session.then((user) => (user?.role === 'ADMIN' ? chunks.settings().then((m) => m.startAdminSettings(client)) : undefined))],
  [/^\/(account\/|slack\/link)/, chunks.settings],
];
if (tokenStore.get()) {
  for (const [pattern, chunk, query] of OPENING) {
    const path = pattern.exec(window.location.pathname);
    if (!path) continue;
    void chunk().catch(() => undefined);
    // An error (a page that does not exist, say) is the page's to show when its own query asks.
    void query?.(path).catch(() => undefined);
    break;
  }
}


createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <SessionProvider>
        <BrowserRouter>
          <Routes>
            <Route path="/signin" element={<SignInPage />} />
            <Route
              element={
                <RequireSession>
                  <AppShell />
                </RequireSession>
              }
            >
              <Route index element={<HomePage />} />
              <Route path="incidents" element={<IncidentsPage />} />
              <Route
                path="incidents/new"
                element={
                  <RoleRoute min="COMMANDER" title="Declare an incident">
                    <DeclareIncidentPage />
                  </RoleRoute>
                }
              />
              <Route path="incidents/:reference" element={<IncidentPage />} />
              <Route path="incidents/:reference/postmortem" element={<PostmortemPage />} />
              <Route path="action-items" element={<ActionItemsPage />} />
              <Route path="action-items/:id" element={<ActionItemPage />} />
              <Route path="services" element={<ServicesPage />} />
              <Route path="teams" element={<TeamsPage />} />
              <Route path="runbooks" element={<RunbooksPage />} />
              <Route path="runbooks/:id" element={<RunbookPage />} />
              <Route path="settings" element={<SettingsPage />} />
              <Route path="account/password" element={<ChangePasswordPage />} />
              <Route path="account/sessions" element={<MySessionsPage />} />
              <Route path="account/api-tokens" element={<ApiTokensPage />} />
              <Route path="slack/link" element={<SlackLinkPage />} />
              <Route path="reliability" element={<ReliabilityPage />} />
              <Route path="reliability/review" element={<ReliabilityReviewPage />} />
              <Route path="design" element={<DesignPage />} />
              <Route path="home" element={<Navigate to="/" replace />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </ApolloProvider>
  </StrictMode>,
);
