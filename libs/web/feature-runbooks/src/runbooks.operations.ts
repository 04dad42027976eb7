import { graphql } from '@hindsight/web-data-access';

/** A runbook in a list: the runbooks page, the incident's panel. */
export const RunbookSummary = graphql(`
  fragment RunbookSummary on Runbook {
    id
    title
    isStale
    service {
      id
      name
    }
    team {
      id
      name
    }
  }
`);

export const RunbookFields = graphql(`
  fragment RunbookFields on Runbook {
    ...RunbookSummary
    detection
    mitigation
    verification
    escalation
    rollback
    pitfalls
    version
    updatedAt
    reviewIntervalDays
    lastReviewedAt
    reviewDueAt
  }
`);

/** What a save changes on the runbook page besides its fields: a new revision, and the action items it resolves. */
export const RunbookHistoryFields = graphql(`
  fragment RunbookHistoryFields on Runbook {
    id
    revisions {
      version
      note
      editedAt
      editedBy {
        id
        name
      }
    }
    actionItems {
      id
      title
      status
      priority
    }
  }
`);

export const RunbookPageQuery = graphql(`
  query RunbookPage($id: ID!) {
    runbook(id: $id) {
      ...RunbookFields
      ...RunbookHistoryFields
      feedback {
        ...RunbookFeedbackFields
        incident {
          id
          reference
          title
        }
      }
      nudges {
        id
        step
        recipient
        sentAt
        status
      }
    }
  }
`);

export const RunbookRevisionQuery = graphql(`
  query RunbookRevision($id: ID!, $version: Int!, $from: Int!) {
    runbook(id: $id) {
      id
      revision(version: $version) {
        version
        title
        detection
        mitigation
        verification
        escalation
        rollback
        pitfalls
      }
      diff(fromVersion: $from, toVersion: $version) {
        section
        heading
        lines {
          op
          text
        }
      }
    }
  }
`);

export const CreateRunbook = graphql(`
  mutation CreateRunbook($serviceId: ID!, $input: RunbookInput!) {
    createRunbook(serviceId: $serviceId, input: $input) {
      ...RunbookFields
    }
  }
`);

export const UpdateRunbook = graphql(`
  mutation UpdateRunbook($id: ID!, $expectedVersion: Int!, $input: RunbookInput!, $note: String, $resolves: [ID!]) {
    updateRunbook(id: $id, expectedVersion: $expectedVersion, input: $input, note: $note, resolvesActionItemIds: $resolves) {
      ...RunbookFields
      ...RunbookHistoryFields
    }
  }
`);

export const MarkRunbookReviewed = graphql(`
  mutation MarkRunbookReviewed($id: ID!) {
    markRunbookReviewed(id: $id) {
      ...RunbookFields
    }
  }
`);

export const IncidentRunbooksQuery = graphql(`
  query IncidentRunbooks($id: ID!) {
    incident(id: $id) {
      id
      runbooks {
        ...RunbookSummary
      }
      runbookFeedback {
        ...RunbookFeedbackFields
      }
      actionItems {
        id
        title
        status
        addressesRunbook {
          id
        }
      }
    }
  }
`);

export const RecordRunbookFeedback = graphql(`
  mutation RecordRunbookFeedback($incidentId: ID!, $runbookId: ID!, $verdict: RunbookVerdict!, $note: String) {
    recordRunbookFeedback(incidentId: $incidentId, runbookId: $runbookId, verdict: $verdict, note: $note) {
      ...RunbookFeedbackFields
    }
  }
`);

export const CreateRunbookActionItem = graphql(`
  mutation CreateRunbookActionItem($incidentId: ID!, $input: CreateActionItemInput!) {
    createActionItem(incidentId: $incidentId, input: $input) {
      ...ActionItemSummary
      addressesRunbook {
        id
      }
    }
  }
`);

export const RunbooksListQuery = graphql(`
  query RunbooksList($search: String, $serviceId: ID, $stale: Boolean) {
    runbooks(search: $search, serviceId: $serviceId, stale: $stale) {
      ...RunbookSummary
      version
      updatedAt
      reviewDueAt
    }
    services {
      id
      name
      team {
        id
        name
      }
    }
  }
`);
