import { DISTRIBUTION_QUANTILES, interpolatePercentile, percentileRanks, sortedRange } from '@hindsight/domain';
import { RANK_BUCKETS } from '@hindsight/server-insights-sql';
import type { RankTarget } from './report.sql';

/** A distribution of the covered cells as statement 1 returns it: the count of its values below each rank threshold, summed (the last entry: all of them). */
export interface BucketedDistribution {
  key: string;
  /** Epoch ms of the period start; null: the whole range. */
  period: number | null;
  ranks: readonly number[];
}

/**
 * Exact percentiles from rank buckets: for each distribution, the ranks its quantiles need
 * (percentileRanks) and the bucket each lies in; statement 2 returns those buckets' values
 * (`targets`), the positions needed are selected from them (sortedRange), and the one
 * interpolation reads them.
 */
export class RankBuckets {
  readonly targets: RankTarget[] = [];
  /** `<distribution>:<rank>` → the target holding it and its position in the target's bucket. */
  private readonly place = new Map<string, { target: number; offset: number }>();
  private readonly found = new Map<number, number[]>();

  constructor(private readonly dists: readonly BucketedDistribution[]) {
    for (const [d, dist] of dists.entries()) {
      const n = dist.ranks[RANK_BUCKETS - 1];
      const ranks = n === 0 ? [] : [...new Set(Object.values(DISTRIBUTION_QUANTILES).flatMap((q) => percentileRanks(n, q)))];
      const where = ranks.map((rank) => {
        const bucket = dist.ranks.findIndex((c) => c > rank);
        return { rank, bucket, offset: rank - (bucket > 0 ? dist.ranks[bucket - 1] : 0) };
      });
      for (const bucket of new Set(where.map((w) => w.bucket))) {
        const mine = where.filter((w) => w.bucket === bucket);
        const offsets = mine.map((w) => w.offset);
        const target = this.targets.push({ key: dist.key, period: dist.period, bucket: bucket + 1, first: Math.min(...offsets), last: Math.max(...offsets) }) - 1;
        for (const w of mine) this.place.set(`${d}:${w.rank}`, { target, offset: w.offset });
      }
    }
  }

  /** Statement 2's answer for one target: its bucket's values, in any order. */
  receive(target: number, values: Float64Array): void {
    const t = this.targets[target];
    this.found.set(target, sortedRange(values, t.first, t.last));
  }

  /** The median and p90 of distribution `d` (the index in the constructor's list). */
  quantiles(d: number): { median: number | null; p90: number | null } {
    const n = this.dists[d].ranks[RANK_BUCKETS - 1];
    const at = (rank: number): number => {
      const where = this.place.get(`${d}:${rank}`);
      const value = where && this.found.get(where.target)?.[where.offset - this.targets[where.target].first];
      if (value === undefined) throw new Error(`the report's rank ${rank} of ${this.dists[d].key} is missing from its bucket`);
      return value;
    };
    return { median: interpolatePercentile(n, DISTRIBUTION_QUANTILES.median, at), p90: interpolatePercentile(n, DISTRIBUTION_QUANTILES.p90, at) };
  }
}
