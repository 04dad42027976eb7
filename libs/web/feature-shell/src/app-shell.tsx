import { Suspense } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '@hindsight/web-data-access';
import { HeaderBar, labelOf, LoadingState, Menu, ToastProvider } from '@hindsight/web-ui';
import { SearchPalette } from '@hindsight/web-feature-search';
import { visibleNavItems } from './nav.items';
import { NeedsMeLink } from './needs-me.badge';

export function AppShell() {
  const { user, signOut } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  if (!user) return null;
  // After an ADMIN's password reset the API refuses everything but the account pages until the password is changed.
  if (user.mustChangePassword && !pathname.startsWith('/account/')) return <Navigate to="/account/password" replace />;

  const onSignOut = async () => {
    await signOut();
    navigate('/signin', { replace: true });
  };
  const items = visibleNavItems(user.role);

  return (
    <ToastProvider>
      <div className="hs-shell">
        <a className="hs-skip-link" href="#main">
          Skip to content
        </a>
        <HeaderBar
          locationKey={pathname}
          brand={
            <NavLink to="/" className="hs-bar__brand">
              Hindsight
            </NavLink>
          }
          nav={
            <ul>
              {user.role !== 'VIEWER' && !user.mustChangePassword && (
                <li>
                  <NeedsMeLink />
                </li>
              )}
              {items.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to}>{item.label}</NavLink>
                </li>
              ))}
            </ul>
          }
          end={
            <>
              <SearchPalette pages={items} />
              <Menu
                align="end"
                testId="account-menu"
                buttonClassName="hs-bar__account"
                label={
                  <span data-testid="signed-in-user">
                    <span className="hs-bar__who">{user.name}</span> <span className="hs-badge">{labelOf('Role', user.role)}</span>
                  </span>
                }
                items={[
                  { key: 'settings', label: 'Your settings', onSelect: () => navigate('/settings') },
                  { key: 'sessions', label: 'Your sessions', onSelect: () => navigate('/account/sessions') },
                  { key: 'tokens', label: 'API tokens', onSelect: () => navigate('/account/api-tokens') },
                  { key: 'password', label: 'Change password', onSelect: () => navigate('/account/password') },
                  { key: 'signout', label: 'Sign out', onSelect: () => void onSignOut() },
                ]}
              />
            </>
          }
        />
        <main id="main" className="hs-main" tabIndex={-1}>
          <Suspense fallback={<LoadingState />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </ToastProvider>
  );
}
