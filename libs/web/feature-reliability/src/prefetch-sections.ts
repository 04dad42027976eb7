import { useEffect } from 'react';
import { useApolloClient } from '@apollo/client/react';
import type { ReliabilityFilter } from '@hindsight/web-data-access';
import { costSavingsVariables, errorBudgetsVariables } from './budgets-and-savings';
import { LearningFiguresQuery } from './learning-figures';
import { NudgeResponsesQuery, nudgeResponsesVariables } from './nudge-responses';
import { CostSavingsQuery, ErrorBudgetsQuery } from './reliability.operations';
import { RunbookFiguresQuery, runbookFiguresVariables } from './runbook-figures';
import { preloadCharts } from './lazy-charts';

export interface SectionScope {
  filter: ReliabilityFilter;
  teamId: string | null;
  serviceId: string | null;
  segment: string | null;
}

/**
 * The sections below the fold are built when scrolled near (WhenNear), but printing builds them
 * at once and paper cannot wait for the network: once the review itself is on screen, their
 * data is fetched into the cache, where each section finds it when it is built, and the charts'
 * chunk is fetched.
 */
export function usePrefetchSections(ready: boolean, scope: SectionScope, sections: { nudges: boolean; runbooks: boolean }): void {
  const client = useApolloClient();
  const { filter, teamId, serviceId, segment } = scope;
  const { from, to } = filter;
  useEffect(() => {
    if (!ready) return;
    preloadCharts();
    // A failure shows in the section itself when it is built (its own query retries).
    const ignore = () => undefined;
    void client.query({ query: ErrorBudgetsQuery, variables: errorBudgetsVariables(serviceId, segment) }).catch(ignore);
    void client.query({ query: CostSavingsQuery, variables: costSavingsVariables(from, to, teamId, serviceId) }).catch(ignore);
    void client.query({ query: LearningFiguresQuery, variables: { filter } }).catch(ignore);
    if (sections.nudges) void client.query({ query: NudgeResponsesQuery, variables: nudgeResponsesVariables(from, to, teamId) }).catch(ignore);
    if (sections.runbooks) void client.query({ query: RunbookFiguresQuery, variables: runbookFiguresVariables(from, to, teamId, serviceId) }).catch(ignore);
  }, [client, ready, filter, from, to, teamId, serviceId, segment, sections.nudges, sections.runbooks]);
}
