import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { hasAtLeast, type Role } from '@hindsight/domain';
import { useSession } from '@hindsight/web-data-access';
import { EmptyState, labelOf, PageHeader } from '@hindsight/web-ui';

/**
 * A page only some roles may use (by the domain's one ranking, the server's too): anyone below
 * `min` gets a page saying so, never the forms the server would refuse.
 */
export function RoleRoute({ min, title, children }: { min: Role; title: string; children: ReactNode }) {
  const { user } = useSession();
  if (!user) return null;
  if (!hasAtLeast(user.role, min)) return <NotAvailablePage title={title} role={user.role} min={min} />;
  return <>{children}</>;
}

export function NotAvailablePage({ title, role, min }: { title: string; role: Role; min: Role }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title="This page is not available to your role.">
        <p>
          You are signed in as a {labelOf('Role', role).toLowerCase()}; “{title}” is for {min === 'ADMIN' ? 'administrators' : `${labelOf('Role', min).toLowerCase()}s and above`}. Ask
          an administrator if you need it.
        </p>
        <p>
          <Link to="/">Go to the start page</Link>
        </p>
      </EmptyState>
    </>
  );
}
