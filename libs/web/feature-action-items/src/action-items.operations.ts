import { graphql } from '@hindsight/web-data-access';

export const ActionItemRow = graphql(`
  fragment ActionItemRow on ActionItem {
    id
    title
    kind
    priority
    status
    dueAt
    snoozedUntil
    isOverdue
    daysOverdue
    completedAt
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
    incident {
      id
      reference
      title
    }
  }
`);

export const ActionItemsList = graphql(`
  query ActionItemsList($filter: ActionItemFilter, $first: Int, $after: String) {
    actionItems(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        ...ActionItemRow
      }
    }
  }
`);

export const ActionItemDetail = graphql(`
  query ActionItemDetail($id: ID!) {
    actionItem(id: $id) {
      ...ActionItemRow
      description
      externalUrl
      completionNote
      verification
      wontDoReason
      snoozeReason
      riceScore
      reach
      impact
      confidence
      effortDays
      createdAt
      updatedAt
      ownerTeam {
        id
        name
        manager {
          id
          name
        }
        members {
          id
          name
        }
      }
      addressesFactor {
        id
        category
        description
      }
      addressesSafeguard {
        id
        kind
        expectedBehavior
      }
      escalation {
        step
        dueAt
        state
        reached
        reason
        adminHint
        adminPath
      }
      nudges {
        id
        step
        channel
        recipient
        dueAt
        sentAt
        status
        attempts
        lastError
      }
      dueDateChanges {
        previousDueAt
        newDueAt
        reason
        changedAt
        changedBy {
          id
          name
        }
      }
      extensionRequests {
        ...ExtensionRequestRow
      }
    }
  }
`);

export const ExtensionRequestRow = graphql(`
  fragment ExtensionRequestRow on DueDateExtensionRequest {
    id
    until
    previousDueAt
    reason
    status
    createdAt
    decidedAt
    note
    requestedBy {
      id
      name
    }
    decidedBy {
      id
      name
    }
  }
`);

export const ClaimActionItem = graphql(`
  mutation ClaimActionItem($id: ID!, $viaDelivery: ID) {
    claimActionItem(id: $id, viaDelivery: $viaDelivery) {
      ...ActionItemRow
    }
  }
`);

export const RequestDueDateExtension = graphql(`
  mutation RequestDueDateExtension($actionItemId: ID!, $until: DateTime!, $reason: String!, $viaDelivery: ID) {
    requestDueDateExtension(actionItemId: $actionItemId, until: $until, reason: $reason, viaDelivery: $viaDelivery) {
      ...ExtensionRequestRow
    }
  }
`);

export const DecideDueDateExtension = graphql(`
  mutation DecideDueDateExtension($id: ID!, $approve: Boolean!, $note: String) {
    decideDueDateExtension(id: $id, approve: $approve, note: $note) {
      ...ExtensionRequestRow
      actionItem {
        ...ActionItemRow
      }
    }
  }
`);

export const CompleteActionItem = graphql(`
  mutation CompleteActionItem($id: ID!, $note: String!, $verification: String, $viaDelivery: ID) {
    completeActionItem(id: $id, note: $note, verification: $verification, viaDelivery: $viaDelivery) {
      ...ActionItemRow
      completionNote
      verification
    }
  }
`);

export const ChangeActionItemDueDate = graphql(`
  mutation ChangeActionItemDueDate($id: ID!, $dueAt: DateTime!, $reason: String!, $viaDelivery: ID) {
    changeActionItemDueDate(id: $id, dueAt: $dueAt, reason: $reason, viaDelivery: $viaDelivery) {
      ...ActionItemRow
    }
  }
`);

export const SnoozeActionItem = graphql(`
  mutation SnoozeActionItem($id: ID!, $until: DateTime!, $reason: String!, $viaDelivery: ID) {
    snoozeActionItem(id: $id, until: $until, reason: $reason, viaDelivery: $viaDelivery) {
      ...ActionItemRow
      snoozeReason
    }
  }
`);

export const UpdateActionItem = graphql(`
  mutation UpdateActionItem($id: ID!, $input: UpdateActionItemInput!, $reason: String, $note: String, $verification: String) {
    updateActionItem(id: $id, input: $input, reason: $reason, note: $note, verification: $verification) {
      ...ActionItemRow
      wontDoReason
    }
  }
`);
