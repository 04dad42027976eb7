import { isValidDate } from '../time/time.util';

export interface TimedPostmortem {
  /** null when no postmortem is required (or the incident is not resolved). */
  readonly dueAt: Date | null;
  readonly publishedAt: Date | null;
}

/**
 * PRODUCT.md 5 "share of postmortems published within policy", as of `now`. Counted: the
 * postmortems that have a due date and are either published or already past due — one
 * still inside its deadline has not had its chance yet and would drag the rate down
 * unfairly. On time: publishedAt ≤ dueAt. Null when nothing is counted.
 */
export function postmortemsPublishedOnTimeRate(postmortems: readonly TimedPostmortem[], now: Date): number | null {
  let counted = 0;
  let onTime = 0;
  for (const pm of postmortems) {
    if (!isValidDate(pm.dueAt)) continue;
    const published = isValidDate(pm.publishedAt);
    if (!published && now.getTime() <= pm.dueAt.getTime()) continue;
    counted++;
    if (published && pm.publishedAt.getTime() <= pm.dueAt.getTime()) onTime++;
  }
  return counted === 0 ? null : onTime / counted;
}
