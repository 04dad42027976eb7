import './app-shell.css';
import { Suspense } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '@hindsight/web-data-access';
import { Button, LoadingState } from '@hindsight/web-ui';
import { SearchPalette } from '@hindsight/web-feature-search';
import { visibleNavItems } from './nav.items';
import { NeedsMeLink } from './needs-me.badge';

const ROLE_LABEL = { VIEWER: 'Viewer', COMMANDER: 'Commander', MANAGER: 'Manager', ADMIN: 'Administrator' } as const;

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

  return (
    <div className="hs-shell">
      <a className="hs-skip-link" href="#main">
        Skip to content
      </a>
      <header className="hs-shell__bar">
        <NavLink to="/" className="hs-shell__brand">
          Hindsight
        </NavLink>
        <nav aria-label="Main" className="hs-shell__nav">
          <ul>
            {user.role !== 'VIEWER' && !user.mustChangePassword && (
              <li>
                <NeedsMeLink />
              </li>
            )}
            {visibleNavItems(user.role).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <SearchPalette pages={visibleNavItems(user.role)} />
        <div className="hs-shell__user">
          <span data-testid="signed-in-user">
            {user.name} <span className="hs-badge">{ROLE_LABEL[user.role]}</span>
          </span>
          <NavLink to="/account/sessions">Your sessions</NavLink>
          <NavLink to="/account/api-tokens">API tokens</NavLink>
          <NavLink to="/account/password">Change password</NavLink>
          <Button variant="secondary" onClick={onSignOut}>
            Sign out
          </Button>
        </div>
      </header>
      <main id="main" className="hs-shell__main" tabIndex={-1}>
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
