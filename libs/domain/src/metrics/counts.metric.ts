import { FactorCategory, Severity, SEVERITIES } from '../enums/contract.enums';

export interface SeverityCount {
  readonly severity: Severity;
  readonly count: number;
}

/** Count per severity, every severity present (SEV1 first) so charts keep their series. */
export function severityCounts(severities: readonly Severity[]): SeverityCount[] {
  return SEVERITIES.map((severity) => ({ severity, count: severities.filter((s) => s === severity).length }));
}

export interface CategoryCount {
  readonly category: FactorCategory;
  readonly count: number;
}

/**
 * Factor categories by how often they occur, most frequent first, ties by name so the
 * order is stable; categories that never occur are left out. `limit` keeps the top n.
 */
export function topFactorCategories(categories: readonly FactorCategory[], limit = Infinity): CategoryCount[] {
  const counts = new Map<FactorCategory, number>();
  for (const c of categories) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()]
    .map(([category, count]) => ({ category, count }))
    .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0))
    .slice(0, limit);
}
