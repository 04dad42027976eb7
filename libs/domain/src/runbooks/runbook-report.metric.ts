import { RUNBOOK_VERDICTS, type RunbookVerdict } from '../enums/contract.enums';

/** One affected service of one incident in the report, and whether it had a runbook when the incident started. */
export interface CoveragePair {
  readonly incidentId: string;
  readonly serviceId: string;
  readonly teamId: string;
  readonly hadRunbook: boolean;
}

export interface FeedbackFact {
  readonly verdict: RunbookVerdict;
  readonly serviceId: string;
  readonly teamId: string;
}

export interface StaleFact {
  readonly serviceId: string;
  readonly teamId: string;
}

export interface VerdictCount {
  readonly verdict: RunbookVerdict;
  readonly count: number;
}

export interface RunbookFigures {
  /** Incidents with at least one affected service (in this group). */
  readonly incidents: number;
  /** Of those, incidents whose every affected service (of this group) had a runbook when the incident started. */
  readonly coveredIncidents: number;
  /** coveredIncidents ÷ incidents; null when there is no incident to judge. */
  readonly coverage: number | null;
  /** Every verdict, in contract order, zeros included. */
  readonly feedback: readonly VerdictCount[];
  readonly staleRunbooks: number;
}

export interface RunbookReportFigures extends RunbookFigures {
  readonly byTeam: readonly (RunbookFigures & { readonly teamId: string })[];
  readonly byService: readonly (RunbookFigures & { readonly serviceId: string; readonly teamId: string })[];
}

function figures(pairs: readonly CoveragePair[], feedback: readonly FeedbackFact[], stale: number): RunbookFigures {
  const byIncident = new Map<string, boolean>();
  for (const p of pairs) byIncident.set(p.incidentId, (byIncident.get(p.incidentId) ?? true) && p.hadRunbook);
  const incidents = byIncident.size;
  const coveredIncidents = [...byIncident.values()].filter(Boolean).length;
  const counts = new Map<RunbookVerdict, number>();
  for (const f of feedback) counts.set(f.verdict, (counts.get(f.verdict) ?? 0) + 1);
  return {
    incidents,
    coveredIncidents,
    coverage: incidents === 0 ? null : coveredIncidents / incidents,
    feedback: RUNBOOK_VERDICTS.map((verdict) => ({ verdict, count: counts.get(verdict) ?? 0 })),
    staleRunbooks: stale,
  };
}

/**
 * The report's runbook figures (issue 13), overall, per owning team and per service.
 * Coverage asks "when this incident started, did every affected service have a runbook?":
 * an incident half-covered is not covered, because the responder of the other service had
 * nothing to open. Per team and per service only that group's services of the incident count.
 * Incidents without an affected service are left out (nothing could have covered them).
 */
export function runbookReport(pairs: readonly CoveragePair[], feedback: readonly FeedbackFact[], stale: readonly StaleFact[]): RunbookReportFigures {
  const teams = new Set([...pairs.map((p) => p.teamId), ...feedback.map((f) => f.teamId), ...stale.map((s) => s.teamId)]);
  const services = new Map<string, string>();
  for (const x of [...pairs, ...feedback, ...stale]) services.set(x.serviceId, x.teamId);
  return {
    ...figures(pairs, feedback, stale.length),
    byTeam: [...teams].map((teamId) => ({
      teamId,
      ...figures(pairs.filter((p) => p.teamId === teamId), feedback.filter((f) => f.teamId === teamId), stale.filter((s) => s.teamId === teamId).length),
    })),
    byService: [...services].map(([serviceId, teamId]) => ({
      serviceId,
      teamId,
      ...figures(pairs.filter((p) => p.serviceId === serviceId), feedback.filter((f) => f.serviceId === serviceId), stale.filter((s) => s.serviceId === serviceId).length),
    })),
  };
}
