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

/**
 * A link puts a CHANGE event on the incident's timeline (an unlink takes it off): the link
 * mutations return the timeline with the fields the incident page shows, so the page's cached
 * incident updates without reading it again.
 */
export const IncidentChangeTimeline = graphql(`
  fragment IncidentChangeTimeline on Incident {
    id
    timeline {
      ...TimelineEventFields
    }
  }
`);

export const LinkChange = graphql(`
  mutation LinkChange($incidentId: ID!, $changeId: ID!, $role: ChangeRole!) {
    linkChangeToIncident(incidentId: $incidentId, changeId: $changeId, role: $role) {
      ...IncidentChangeFields
      ...IncidentChangeTimeline
    }
  }
`);

export const UnlinkChange = graphql(`
  mutation UnlinkChange($incidentId: ID!, $changeId: ID!) {
    unlinkChangeFromIncident(incidentId: $incidentId, changeId: $changeId) {
      ...IncidentChangeFields
      ...IncidentChangeTimeline
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
