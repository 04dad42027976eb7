import { PageHeader, EmptyState } from '@hindsight/web-ui';

/** A section of the navigation whose page this version does not have yet. */
export function PlannedPage({ title }: { title: string }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title={`${title} is not available in this version of Hindsight yet.`} />
    </>
  );
}
