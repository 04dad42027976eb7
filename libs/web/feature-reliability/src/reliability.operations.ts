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

export const ReliabilityReportQuery = graphql(`
  query ReliabilityReportView($filter: ReliabilityFilter!) {
    reliabilityReport(filter: $filter) {
      ...ReportFigures
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
        id
        dimension
        objective
        windowDays
        segment
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
