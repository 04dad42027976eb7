import { useQuery } from '@apollo/client/react';
import { NavLink } from 'react-router';
import { graphql } from '@hindsight/web-data-access';

export const MyWorkCount = graphql(`
  query MyWorkCount {
    myWork {
      overdue {
        id
      }
      dueSoon {
        id
      }
      unassignedInMyTeams {
        id
      }
      escalatedInMyTeams {
        id
      }
      extensionRequests {
        id
      }
      postmortemsToWrite {
        id
      }
      reviewsRequested {
        id
      }
      openIncidents {
        id
      }
    }
  }
`);

/**
 * "Needs you" with a count of what waits on the person, in the navigation. Each thing is
 * counted once: an overdue item of mine that is also escalated in my team is one answer.
 */
export function NeedsMeLink() {
  const { data } = useQuery(MyWorkCount, { fetchPolicy: 'cache-and-network' });
  const w = data?.myWork;
  const keys = new Set<string>();
  if (w) {
    for (const row of [...w.overdue, ...w.dueSoon, ...w.unassignedInMyTeams, ...w.escalatedInMyTeams]) keys.add(`item:${row.id}`);
    for (const row of w.extensionRequests) keys.add(`request:${row.id}`);
    for (const row of w.postmortemsToWrite) keys.add(`write:${row.id}`);
    for (const row of w.reviewsRequested) keys.add(`review:${row.id}`);
    for (const row of w.openIncidents) keys.add(`incident:${row.id}`);
  }
  const count = keys.size;
  return (
    <NavLink to="/" end>
      Needs you
      {count > 0 && (
        <>
          {' '}
          <span className="hs-badge hs-badge--count" data-testid="needs-me-count">
            {count}
          </span>
        </>
      )}
    </NavLink>
  );
}
