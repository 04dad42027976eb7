import { Link } from 'react-router';
import { EmptyState, PageHeader } from '@hindsight/web-ui';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="There is no page at this address.">
        <Link to="/">Go to the start page</Link>
      </EmptyState>
    </>
  );
}
