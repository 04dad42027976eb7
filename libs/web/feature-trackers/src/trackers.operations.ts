import { graphql } from '@hindsight/web-data-access';

export const TrackerConnectionFields = graphql(`
  fragment TrackerConnectionFields on TrackerConnection {
    id
    kind
    name
    baseUrl
    project
    email
    webhookUrl
    hasWebhookSecret
    autoCreate
    lastSyncedAt
    lastError
    team {
      id
      name
    }
  }
`);

export const TrackerConnectionsQuery = graphql(`
  query TrackerConnectionsSettings {
    trackerConnections {
      ...TrackerConnectionFields
    }
    teams {
      id
      name
    }
  }
`);

export const CreateTrackerConnection = graphql(`
  mutation CreateTrackerConnection($input: TrackerConnectionInput!) {
    createTrackerConnection(input: $input) {
      ...TrackerConnectionFields
    }
  }
`);

export const UpdateTrackerConnection = graphql(`
  mutation UpdateTrackerConnection($id: ID!, $input: TrackerConnectionUpdateInput!) {
    updateTrackerConnection(id: $id, input: $input) {
      ...TrackerConnectionFields
    }
  }
`);

export const TestTrackerConnection = graphql(`
  mutation TestTrackerConnection($id: ID!) {
    testTrackerConnection(id: $id) {
      ok
      message
    }
  }
`);

export const SyncTrackerNow = graphql(`
  mutation SyncTrackerNow($id: ID!) {
    syncTrackerNow(connectionId: $id)
  }
`);

export const DeleteTrackerConnection = graphql(`
  mutation DeleteTrackerConnection($id: ID!) {
    deleteTrackerConnection(id: $id)
  }
`);

export const TrackerLinkFields = graphql(`
  fragment TrackerLinkFields on TrackerLink {
    externalKey
    url
    state
    creating
    syncedAt
    lastError
    awaitingVerification
    closedUpstreamBy
    closedUpstreamAt
    proposedDueDate
    deletedUpstream
    deletedUpstreamAt
    connection {
      id
      name
      kind
    }
  }
`);

export const ActionItemTrackerQuery = graphql(`
  query ActionItemTracker($id: ID!) {
    actionItem(id: $id) {
      id
      ownerTeam {
        id
      }
      trackerLink {
        ...TrackerLinkFields
      }
    }
    trackerConnections {
      id
      name
      kind
      project
      team {
        id
      }
    }
  }
`);

export const LinkActionItem = graphql(`
  mutation LinkActionItemToTracker($actionItemId: ID!, $connectionId: ID!, $externalKey: String) {
    linkActionItemToTracker(actionItemId: $actionItemId, connectionId: $connectionId, externalKey: $externalKey) {
      id
      externalUrl
      trackerLink {
        ...TrackerLinkFields
      }
    }
  }
`);

export const UnlinkActionItem = graphql(`
  mutation UnlinkActionItemFromTracker($actionItemId: ID!) {
    unlinkActionItemFromTracker(actionItemId: $actionItemId) {
      id
      trackerLink {
        ...TrackerLinkFields
      }
    }
  }
`);

export const IncidentTrackerConnections = graphql(`
  query IncidentTrackerConnections {
    trackerConnections {
      id
      name
      kind
      project
    }
  }
`);

export const CreateIssuesForIncident = graphql(`
  mutation CreateTrackerIssuesForIncident($incidentId: ID!, $connectionId: ID!) {
    createTrackerIssuesForIncident(incidentId: $incidentId, connectionId: $connectionId)
  }
`);
