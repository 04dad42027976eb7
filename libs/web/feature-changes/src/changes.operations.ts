import { graphql } from '@hindsight/web-data-access';

export const IncidentChangeFields = graphql(`
  fragment IncidentChangeFields on Incident {
    id
    detectedAt
    startedAt
    changeWindowMinutes
    changesBeforeDetection {
      role
      change {
        id
        serviceName
        service {
          id
          name
        }
        environment
        version
        url
        status
        finishedAt
        source
      }
    }
  }
`);

export const IncidentChangesQuery = graphql(`
  query IncidentChanges($id: ID!) {
    incident(id: $id) {
      ...IncidentChangeFields
    }
  }
`);

export const LinkChange = graphql(`
  mutation LinkChange($incidentId: ID!, $changeId: ID!, $role: ChangeRole!) {
    linkChangeToIncident(incidentId: $incidentId, changeId: $changeId, role: $role) {
      ...IncidentChangeFields
    }
  }
`);

export const UnlinkChange = graphql(`
  mutation UnlinkChange($incidentId: ID!, $changeId: ID!) {
    unlinkChangeFromIncident(incidentId: $incidentId, changeId: $changeId) {
      ...IncidentChangeFields
    }
  }
`);

export const SetChangeWindow = graphql(`
  mutation SetChangeWindow($incidentId: ID!, $minutes: Int) {
    setIncidentChangeWindow(incidentId: $incidentId, minutes: $minutes) {
      ...IncidentChangeFields
    }
  }
`);
