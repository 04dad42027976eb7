import { graphql } from '@hindsight/web-data-access';

export const ActionItemRow = graphql(`
  fragment ActionItemRow on ActionItem {
    ...ActionItemSummary
    snoozedUntil
    completedAt
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

/**
 * What the server recomputes when one property of an item changes (the reminder steps, the
 * deadline history, the RICE score, the owning team's people): every mutation of the item page
 * returns it, so the cache is current without reading the item again.
 */
export const ActionItemLive = graphql(`
  fragment ActionItemLive on ActionItem {
    ...ActionItemRow
    wontDoReason
    snoozeReason
    completionNote
    verification
    riceScore
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
    escalation {
      step
      dueAt
      state
      reached
      reason
      adminHint
      adminPath
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
  }
`);

export const ActionItemDetail = graphql(`
  query ActionItemDetail($id: ID!) {
    actionItem(id: $id) {
      ...ActionItemLive
      description
      externalUrl
      reach
      impact
      confidence
      effortDays
      createdAt
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
      extensionRequests {
        ...ExtensionRequestRow
      }
    }
  }
`);

/**
 * The teams an item can be handed to (the Team picker), with their people: a list row's
 * Assignee picker offers the owning team's manager and members, and its due date is a picker
 * only for those dueDateAnswer lets move it (the manager's id decides for P0/P1). One request
 * for every row of a page.
 */
export const ActionItemTeams = graphql(`
  query ActionItemTeams {
    teams {
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
      ...ActionItemLive
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
        ...ActionItemLive
      }
    }
  }
`);

export const CompleteActionItem = graphql(`
  mutation CompleteActionItem($id: ID!, $note: String!, $verification: String, $viaDelivery: ID) {
    completeActionItem(id: $id, note: $note, verification: $verification, viaDelivery: $viaDelivery) {
      ...ActionItemLive
    }
  }
`);

export const ChangeActionItemDueDate = graphql(`
  mutation ChangeActionItemDueDate($id: ID!, $dueAt: DateTime!, $reason: String!, $viaDelivery: ID) {
    changeActionItemDueDate(id: $id, dueAt: $dueAt, reason: $reason, viaDelivery: $viaDelivery) {
      ...ActionItemLive
    }
  }
`);

export const SnoozeActionItem = graphql(`
  mutation SnoozeActionItem($id: ID!, $until: DateTime!, $reason: String!, $viaDelivery: ID) {
    snoozeActionItem(id: $id, until: $until, reason: $reason, viaDelivery: $viaDelivery) {
      ...ActionItemLive
    }
  }
`);

export const UpdateActionItem = graphql(`
  mutation UpdateActionItem($id: ID!, $input: UpdateActionItemInput!, $reason: String, $note: String, $verification: String) {
    updateActionItem(id: $id, input: $input, reason: $reason, note: $note, verification: $verification) {
      ...ActionItemLive
    }
  }
`);
