import { graphql } from '@hindsight/web-data-access';

/** What the web shows of a timeline event: the incident page's timeline, an event added, a Slack message kept. */
export const TimelineEventFields = graphql(`
  fragment TimelineEventFields on TimelineEvent {
    id
    occurredAt
    kind
    description
    evidenceUrl
    source
    author {
      id
      name
    }
  }
`);

export const IncidentActionItem = graphql(`
  fragment IncidentActionItem on ActionItem {
    id
    title
    kind
    priority
    status
    dueAt
    isOverdue
    daysOverdue
    ownerTeam {
      id
      name
    }
    assignee {
      id
      name
    }
    previousAssignee {
      id
      name
    }
  }
`);

export const IncidentDetail = graphql(`
  query IncidentDetail($reference: String!) {
    incident(reference: $reference) {
      id
      reference
      title
      severity
      status
      kind
      summary
      slackChannel
      slackImportWaiting
      startedAt
      detectedAt
      acknowledgedAt
      mitigatedAt
      resolvedAt
      timeToDetectMinutes
      timeToAcknowledgeMinutes
      timeToMitigateMinutes
      timeToResolveMinutes
      cost
      isRepeat
      segments
      regions
      impactedDimensions
      responderHours
      slaCredits
      createdAt
      updatedAt
      commander {
        id
        name
      }
      services {
        id
        name
        team {
          id
          name
        }
      }
      timeline {
        ...TimelineEventFields
      }
      hypotheses {
        id
        statement
        status
        evidence
        createdAt
        decidedAt
        decidedBy {
          id
          name
        }
      }
      contributingFactors {
        id
        category
        description
        isTrigger
      }
      failedSafeguards {
        id
        kind
        expectedBehavior
        whyItFailed
      }
      actionItems {
        ...IncidentActionItem
      }
      postmortem {
        id
        status
        dueAt
        version
      }
    }
  }
`);

export const UpdateIncident = graphql(`
  mutation UpdateIncident($id: ID!, $input: UpdateIncidentInput!) {
    updateIncident(id: $id, input: $input) {
      id
      title
      severity
      status
      summary
      startedAt
      detectedAt
      acknowledgedAt
      mitigatedAt
      resolvedAt
      timeToDetectMinutes
      timeToAcknowledgeMinutes
      timeToMitigateMinutes
      timeToResolveMinutes
      cost
      segments
      regions
      kind
      isRepeat
      responderHours
      slaCredits
      updatedAt
      commander {
        id
        name
      }
      services {
        id
        name
        team {
          id
          name
        }
      }
      postmortem {
        id
        status
        dueAt
        version
      }
    }
  }
`);

export const AddTimelineEvent = graphql(`
  mutation AddTimelineEvent($incidentId: ID!, $input: TimelineEventInput!) {
    addTimelineEvent(incidentId: $incidentId, input: $input) {
      ...TimelineEventFields
    }
  }
`);

export const AddHypothesis = graphql(`
  mutation AddHypothesis($incidentId: ID!, $statement: String!) {
    addHypothesis(incidentId: $incidentId, statement: $statement) {
      id
      statement
      status
      evidence
      createdAt
      decidedAt
      decidedBy {
        id
        name
      }
    }
  }
`);

export const DecideHypothesis = graphql(`
  mutation DecideHypothesis($id: ID!, $status: HypothesisStatus!, $evidence: String!) {
    decideHypothesis(id: $id, status: $status, evidence: $evidence) {
      id
      status
      evidence
      decidedAt
      decidedBy {
        id
        name
      }
    }
  }
`);

export const AddContributingFactor = graphql(`
  mutation AddContributingFactor($incidentId: ID!, $input: ContributingFactorInput!) {
    addContributingFactor(incidentId: $incidentId, input: $input) {
      id
      category
      description
      isTrigger
    }
  }
`);

export const AddFailedSafeguard = graphql(`
  mutation AddFailedSafeguard($incidentId: ID!, $input: FailedSafeguardInput!) {
    addFailedSafeguard(incidentId: $incidentId, input: $input) {
      id
      kind
      expectedBehavior
      whyItFailed
    }
  }
`);

export const CreateIncidentActionItem = graphql(`
  mutation CreateIncidentActionItem($incidentId: ID!, $input: CreateActionItemInput!) {
    createActionItem(incidentId: $incidentId, input: $input) {
      ...IncidentActionItem
    }
  }
`);

export const SetFactorTrigger = graphql(`
  mutation SetFactorTrigger($id: ID!, $isTrigger: Boolean!) {
    updateContributingFactor(id: $id, input: { isTrigger: $isTrigger }) {
      id
      isTrigger
    }
  }
`);

export const UpdateTimelineEvent = graphql(`
  mutation UpdateTimelineEvent($id: ID!, $input: UpdateTimelineEventInput!) {
    updateTimelineEvent(id: $id, input: $input) {
      ...TimelineEventFields
    }
  }
`);

export const DeleteTimelineEvent = graphql(`
  mutation DeleteTimelineEvent($id: ID!) {
    deleteTimelineEvent(id: $id)
  }
`);

export const UpdateContributingFactor = graphql(`
  mutation UpdateContributingFactor($id: ID!, $input: UpdateContributingFactorInput!) {
    updateContributingFactor(id: $id, input: $input) {
      id
      category
      description
      isTrigger
    }
  }
`);

export const DeleteContributingFactor = graphql(`
  mutation DeleteContributingFactor($id: ID!) {
    deleteContributingFactor(id: $id)
  }
`);

export const UpdateFailedSafeguard = graphql(`
  mutation UpdateFailedSafeguard($id: ID!, $input: UpdateFailedSafeguardInput!) {
    updateFailedSafeguard(id: $id, input: $input) {
      id
      kind
      expectedBehavior
      whyItFailed
    }
  }
`);

export const DeleteFailedSafeguard = graphql(`
  mutation DeleteFailedSafeguard($id: ID!) {
    deleteFailedSafeguard(id: $id)
  }
`);
