import { graphql } from './generated';

/**
 * Selections more than one feature asks for. A feature may not import another, so the
 * fragment lives here; each keeps `id` on every object so the cache normalises what any
 * page reads or a mutation returns into the one entry the other pages show.
 */

/** A timeline event as the web shows it: the incident page, an event added, a change linked. */
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

/** An action item in a list: the incident page, the postmortem, a runbook's item, the items list. */
export const ActionItemSummary = graphql(`
  fragment ActionItemSummary on ActionItem {
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

/** What a responder said of a runbook on an incident: the runbook page, the incident's panel, the postmortem. */
export const RunbookFeedbackFields = graphql(`
  fragment RunbookFeedbackFields on RunbookFeedback {
    id
    verdict
    note
    createdAt
    author {
      id
      name
    }
    runbook {
      id
      title
      service {
        id
        name
      }
    }
  }
`);

/** An SLO as the catalog lists it and the budget views name it. */
export const SloFields = graphql(`
  fragment SloFields on Slo {
    id
    dimension
    objective
    windowDays
    segment
  }
`);
