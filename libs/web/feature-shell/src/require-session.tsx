import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '@hindsight/web-data-access';
import { LoadingState } from '@hindsight/web-ui';

/** Pages behind sign-in: wait for the session check, then send strangers to /signin. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) return <LoadingState label="Checking your session…" />;
  if (user === null) return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}
