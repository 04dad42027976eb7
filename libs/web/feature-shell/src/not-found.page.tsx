import { Link } from 'react-router';
import { EmptyState } from '@hindsight/web-ui';

export function NotFoundPage() {
  return (
    <EmptyState title="There is no page at this address.">
      <Link to="/">Go to the start page</Link>
    </EmptyState>
  );
}
