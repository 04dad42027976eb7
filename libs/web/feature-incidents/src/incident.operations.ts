import { graphql } from '@hindsight/web-data-access';

/** A hypothesis as the incident page lists it and its add and decide mutations return it. */
export const HypothesisFields = graphql(`
  fragment HypothesisFields on Hypothesis {
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
`);

export const ContributingFactorFields = graphql(`
  fragment ContributingFactorFields on ContributingFactor {
    id
    category
    description
    isTrigger
  }
`);

export const FailedSafeguardFields = graphql(`
  fragment FailedSafeguardFields on FailedSafeguard {
    id
    kind
    expectedBehavior
    whyItFailed
  }
`);

/** What an edit of the incident can change: the page reads it, and the update returns it so the cache is current. */
export const IncidentEditableFields = graphql(`
  fragment IncidentEditableFields on Incident {
    id
    title
    severity
    status
    kind
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
    isRepeat
    segments
    regions
    impactedDimensions
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
`);

/** The incident's analysis: what its page shows and its postmortem writes from. */
export const IncidentAnalysisFields = graphql(`
  fragment IncidentAnalysisFields on Incident {
    id
    timeline {
      ...TimelineEventFields
    }
    hypotheses {
      ...HypothesisFields
    }
    contributingFactors {
      ...ContributingFactorFields
    }
    failedSafeguards {
      ...FailedSafeguardFields
    }
    actionItems {
      ...ActionItemSummary
    }
  }
`);

export const IncidentDetail = graphql(`
  query IncidentDetail($reference: String!) {
    incident(reference: $reference) {
      ...IncidentEditableFields
      reference
      slackChannel
      slackImportWaiting
      createdAt
      ...IncidentAnalysisFields
    }
  }
`);

export const UpdateIncident = graphql(`
  mutation UpdateIncident($id: ID!, $input: UpdateIncidentInput!) {
    updateIncident(id: $id, input: $input) {
      ...IncidentEditableFields
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
      ...HypothesisFields
    }
  }
`);

export const DecideHypothesis = graphql(`
  mutation DecideHypothesis($id: ID!, $status: HypothesisStatus!, $evidence: String!) {
    decideHypothesis(id: $id, status: $status, evidence: $evidence) {
      ...HypothesisFields
    }
  }
`);

export const AddContributingFactor = graphql(`
  mutation AddContributingFactor($incidentId: ID!, $input: ContributingFactorInput!) {
    addContributingFactor(incidentId: $incidentId, input: $input) {
      ...ContributingFactorFields
    }
  }
`);

export const AddFailedSafeguard = graphql(`
  mutation AddFailedSafeguard($incidentId: ID!, $input: FailedSafeguardInput!) {
    addFailedSafeguard(incidentId: $incidentId, input: $input) {
      ...FailedSafeguardFields
    }
  }
`);

export const CreateIncidentActionItem = graphql(`
  mutation CreateIncidentActionItem($incidentId: ID!, $input: CreateActionItemInput!) {
    createActionItem(incidentId: $incidentId, input: $input) {
      ...ActionItemSummary
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
      ...ContributingFactorFields
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
      ...FailedSafeguardFields
    }
  }
`);

export const DeleteFailedSafeguard = graphql(`
  mutation DeleteFailedSafeguard($id: ID!) {
    deleteFailedSafeguard(id: $id)
  }
`);
