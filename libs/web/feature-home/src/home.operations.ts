import { graphql } from '@hindsight/web-data-access';

export const MyWork = graphql(`
  query MyWork {
    myWork {
      queue {
        id
        kind
        urgency
        reason
        dueAt
        answers {
          kind
          label
          path
        }
        owner {
          id
          name
        }
        team {
          id
          name
        }
        actionItem {
          ...ActionItemRow
          ownerTeam {
            id
            manager {
              id
            }
          }
        }
        extensionRequest {
          ...ExtensionRequestRow
        }
        postmortem {
          id
          status
        }
        incident {
          id
          reference
          title
          severity
        }
      }
    }
  }
`);

/** Leadership's week: incidents by severity per week, error budgets now and each of the last four weeks, overdue P0/P1 now. */
export const LeadershipWeek = graphql(`
  query LeadershipWeek($filter: ReliabilityFilter!, $w1: DateTime!, $w2: DateTime!, $w3: DateTime!, $w4: DateTime!) {
    reliabilityReport(filter: $filter) {
      points {
        periodStart
        incidents
        bySeverity {
          severity
          count
        }
      }
    }
    now: errorBudgets {
      remainingMinutes
    }
    w1: errorBudgets(at: $w1) {
      remainingMinutes
    }
    w2: errorBudgets(at: $w2) {
      remainingMinutes
    }
    w3: errorBudgets(at: $w3) {
      remainingMinutes
    }
    w4: errorBudgets(at: $w4) {
      remainingMinutes
    }
    overdueUrgent: actionItems(filter: { overdue: true, priorities: [P0, P1] }, first: 1) {
      totalCount
    }
  }
`);
