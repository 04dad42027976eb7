// The reliability review's calendar and selection, shared by review.spec.ts (the room) and
// insights.api.spec.ts (the same world written as a client would).

/** `iso` moved on by `plusMinutes`. */
export const at = (iso: string, plusMinutes = 0): string => new Date(new Date(iso).getTime() + plusMinutes * 60_000).toISOString();
/** The Monday `k` weeks after Mon 2024-02-05. */
export const week = (k: number): string => new Date(Date.UTC(2024, 1, 5) + k * 7 * 86_400_000).toISOString();
/** The four weeks of March 2024 from Monday the 4th; the previous range is the four weeks before. */
export const REVIEW_RANGE = { from: week(4), to: week(8), interval: 'WEEK' };

const STATS = 'count median p90 max';
/**
 * The review's figures as both sides select them; each adds its drivers, outlook and burn,
 * which the API's loaders turn from ids into objects.
 */
export const REVIEW_FIGURES = `
  current { from to incidents points { periodStart incidents } timeToResolveMinutes { ${STATS} } }
  previous { from to incidents points { periodStart incidents } }
  headline { metric value previous change relativeChange better sparkline }
  series { periodStart incidents bySeverity { severity count } timeToDetectMinutes { ${STATS} } timeToMitigateMinutes { ${STATS} } timeToResolveMinutes { ${STATS} }
           cost overdueActionItems overdueP0P1ActionItems repeatIncidents budgetsExhausted }`;
