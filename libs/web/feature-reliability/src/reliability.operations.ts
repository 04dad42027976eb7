import { graphql } from '@hindsight/web-data-access';

export const ReportFigures = graphql(`
  fragment ReportFigures on ReliabilityReport {
    from
    to
    interval
    incidents
    repeatIncidents
    totalCost
    postmortemsPublishedOnTimeRate
    points {
      periodStart
      incidents
      cost
      bySeverity {
        severity
        count
      }
    }
    timeToDetectMinutes {
      count
      median
      p90
      max
    }
    timeToMitigateMinutes {
      count
      median
      p90
      max
    }
    timeToResolveMinutes {
      count
      median
      p90
      max
      histogram {
        upperBound
        count
      }
    }
    topFactorCategories {
      category
      count
    }
    dora {
      deployments
      deploymentsPerDay
      failedChanges
      changeFailureRate
      changeFailureRateLow
      changeFailureRateHigh
      changeFailureRateTooFewToTell
      recoveryMedianMinutes
      recoveryP90Minutes
      recoveryMinutes {
        count
        max
      }
    }
    actionItems {
      open
      overdue
      done
      doneOnTime
      doneOnTimeRate
      overdueAgeDays {
        count
        median
        p90
        max
      }
    }
  }
`);

export const ReliabilityOptions = graphql(`
  query ReliabilityOptions {
    teams {
      id
      name
    }
    services {
      id
      name
      slos {
        id
        segment
      }
    }
  }
`);

export const SegmentComparisonQuery = graphql(`
  query SegmentComparisonView($filter: ReliabilityFilter!, $segment: String!) {
    segmentComparison(filter: $filter, segment: $segment) {
      segment
      segmentReport {
        ...ReportFigures
      }
      everyone {
        ...ReportFigures
      }
    }
  }
`);

export const ErrorBudgetsQuery = graphql(`
  query ErrorBudgetsView($serviceId: ID, $segment: String) {
    errorBudgets(serviceId: $serviceId, segment: $segment) {
      budgetMinutes
      consumedMinutes
      remainingMinutes
      slo {
        ...SloFields
        service {
          id
          name
        }
      }
    }
  }
`);

export const CostSavingsQuery = graphql(`
  query CostSavingsView($filter: CostSavingsFilter!) {
    costSavings(filter: $filter) {
      incidentsBefore
      incidentsAfter
      costBefore
      costAfter
      savings
      items {
        category
        windowDays
        incidentsBefore
        incidentsAfter
        costBefore
        costAfter
        savings
        actionItem {
          id
          title
          ownerTeam {
            id
            name
          }
        }
      }
    }
  }
`);

export const ReliabilityReviewQuery = graphql(`
  query ReliabilityReviewView($filter: ReliabilityFilter!) {
    reliabilityReview(filter: $filter) {
      current {
        ...ReportFigures
      }
      previous {
        from
        to
        incidents
      }
      headline {
        metric
        value
        previous
        change
        relativeChange
        better
        sparkline
      }
      series {
        periodStart
        incidents
        bySeverity {
          severity
          count
        }
        timeToDetectMinutes {
          count
          median
          p90
        }
        timeToMitigateMinutes {
          count
          median
          p90
        }
        timeToResolveMinutes {
          count
          median
          p90
        }
        cost
        overdueActionItems
      }
      changes {
        periodStart
        metric
        direction
        value
        baseline
        measure
        method
        incidents {
          id
          reference
          title
        }
        services {
          service {
            id
            name
          }
          count
        }
        factorCategories {
          category
          count
        }
      }
      outlook {
        method
        level
        history {
          monthStart
          incidents
        }
        months {
          monthStart
          expected
          low
          high
        }
      }
      shippedOnEmptyBudget {
        incident {
          id
          reference
          title
        }
        service {
          id
          name
        }
        slo {
          ...SloFields
        }
        changeId
        version
        finishedAt
        remainingMinutes
      }
      budgetBurn {
        service {
          id
          name
        }
        slo {
          ...SloFields
        }
        budgetMinutes
        points {
          periodStart
          consumedMinutes
          consumedFraction
        }
      }
    }
  }
`);
