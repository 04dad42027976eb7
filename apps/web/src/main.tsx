// Wiring only: the client, the session and the routes. Pages live in libs/web/feature-*.
import { lazy, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApolloProvider } from '@apollo/client/react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { createApolloClient, SessionProvider } from '@hindsight/web-data-access';
import { SignInPage } from '@hindsight/web-feature-auth';
import { AppShell, DesignPage, NotFoundPage, RequireSession, RoleRoute } from '@hindsight/web-feature-shell';
// Already lazy per page (the postmortem editor is its own chunk): see the library's index.
import { DeclareIncidentPage, IncidentPage, IncidentsPage, PostmortemPage } from '@hindsight/web-feature-incidents';

// Feature pages load on demand, so signing in downloads only the shell.
const HomePage = lazy(() => import('@hindsight/web-feature-home').then((m) => ({ default: m.HomePage })));
const ActionItemsPage = lazy(() => import('@hindsight/web-feature-action-items').then((m) => ({ default: m.ActionItemsPage })));
const ActionItemPage = lazy(() => import('@hindsight/web-feature-action-items').then((m) => ({ default: m.ActionItemPage })));
const ServicesPage = lazy(() => import('@hindsight/web-feature-catalog').then((m) => ({ default: m.ServicesPage })));
const TeamsPage = lazy(() => import('@hindsight/web-feature-catalog').then((m) => ({ default: m.TeamsPage })));
const ReliabilityPage = lazy(() => import('@hindsight/web-feature-reliability').then((m) => ({ default: m.ReliabilityPage })));
const ReliabilityReviewPage = lazy(() => import('@hindsight/web-feature-reliability').then((m) => ({ default: m.ReliabilityReviewPage })));
const RunbooksPage = lazy(() => import('@hindsight/web-feature-runbooks').then((m) => ({ default: m.RunbooksPage })));
const RunbookPage = lazy(() => import('@hindsight/web-feature-runbooks').then((m) => ({ default: m.RunbookPage })));
const SettingsPage = lazy(() => import('@hindsight/web-feature-settings').then((m) => ({ default: m.SettingsPage })));
const ChangePasswordPage = lazy(() => import('@hindsight/web-feature-settings').then((m) => ({ default: m.ChangePasswordPage })));
const MySessionsPage = lazy(() => import('@hindsight/web-feature-settings').then((m) => ({ default: m.MySessionsPage })));
const ApiTokensPage = lazy(() => import('@hindsight/web-feature-settings').then((m) => ({ default: m.ApiTokensPage })));
const SlackLinkPage = lazy(() => import('@hindsight/web-feature-settings').then((m) => ({ default: m.SlackLinkPage })));

const client = createApolloClient({
  onSessionExpired: () => {
    window.localStorage.removeItem('hindsight.token');
    window.location.assign('/signin');
  },
});

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
