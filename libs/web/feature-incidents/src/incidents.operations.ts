import { graphql } from '@hindsight/web-data-access';

export const IncidentListRow = graphql(`
  fragment IncidentListRow on Incident {
    id
    reference
    title
    severity
    status
    startedAt
    resolvedAt
    timeToResolveMinutes
    isRepeat
    segments
    commander {
      id
      name
    }
    services {
      id
      name
    }
    postmortem {
      id
      status
      dueAt
    }
  }
`);

export const IncidentsList = graphql(`
  query IncidentsList($filter: IncidentFilter, $first: Int, $after: String) {
    incidents(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        ...IncidentListRow
      }
    }
  }
`);

/** The choices the filters and forms offer: services, teams and people. */
export const IncidentPickers = graphql(`
  query IncidentPickers {
    services {
      id
      name
      team {
        id
      }
    }
    teams {
      id
      name
    }
    users {
      id
      name
      email
      role
      active
    }
  }
`);

export const DeclareIncident = graphql(`
  mutation DeclareIncident($input: CreateIncidentInput!) {
    createIncident(input: $input) {
      ...IncidentListRow
    }
  }
`);
