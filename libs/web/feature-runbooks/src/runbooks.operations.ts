import { graphql } from '@hindsight/web-data-access';

export const RunbookFields = graphql(`
  fragment RunbookFields on Runbook {
    id
    title
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

export const RunbookPageQuery = graphql(`
  query RunbookPage($id: ID!) {
    runbook(id: $id) {
      ...RunbookFields
      revisions {
        version
        note
        editedAt
        editedBy {
          id
          name
        }
      }
      feedback {
        id
        verdict
        note
        createdAt
        author {
          id
          name
        }
        incident {
          id
          reference
          title
        }
      }
      actionItems {
        id
        title
        status
        priority
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
      # What a save also changes on the page: a new revision, and the action items it resolves.
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
      runbookFeedback {
        id
        verdict
        note
        createdAt
        runbook {
          id
        }
        author {
          id
          name
        }
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
      id
      verdict
      note
      createdAt
      runbook {
        id
        title
        service {
          id
          name
        }
      }
      author {
        id
        name
      }
    }
  }
`);

export const CreateRunbookActionItem = graphql(`
  mutation CreateRunbookActionItem($incidentId: ID!, $input: CreateActionItemInput!) {
    createActionItem(incidentId: $incidentId, input: $input) {
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
      addressesRunbook {
        id
      }
    }
  }
`);

export const RunbooksListQuery = graphql(`
  query RunbooksList($search: String, $serviceId: ID, $stale: Boolean) {
    runbooks(search: $search, serviceId: $serviceId, stale: $stale) {
      id
      title
      version
      updatedAt
      reviewDueAt
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
