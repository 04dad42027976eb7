import type { GraphqlLimits } from '@hindsight/server-config';
import { AppError } from '@hindsight/server-common';

interface Bucket {
  points: number;
  /** When `points` was last brought up to date, ms. */
  at: number;
}

/**
 * Cost points per caller per minute, as token buckets: a caller may spend a minute's budget
 * at once, and it refills evenly over the following minute. In process: each API process
 * keeps its own (behind a load balancer, a caller's budget is per process).
 *
 * At most `maxCallers` buckets are kept: when full, those already refilled (they remember
 * nothing) go first, then the least recently created. A caller whose bucket is dropped starts
 * again with a full one, so the map cannot grow with the number of client addresses.
 */
export class CostBudget {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxCallers = 100_000) {}

  /**
   * Takes `cost` points from the caller's budget of `perMinute` at `now` (ms since the epoch).
   * Returns 0 when they were taken, else the whole seconds to wait until they could be (nothing
   * is taken then).
   */
  take(caller: string, cost: number, perMinute: number, now: number): number {
    const perMs = perMinute / 60_000;
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      if (this.buckets.size >= this.maxCallers) this.evict(now, perMs, perMinute);
      bucket = { points: perMinute, at: now };
      this.buckets.set(caller, bucket);
    } else {
      bucket.points = Math.min(perMinute, bucket.points + Math.max(0, now - bucket.at) * perMs);
      bucket.at = now;
    }
    if (cost <= bucket.points) {
      bucket.points -= cost;
      return 0;
    }
    // (less a hair, so a float's last bit does not add a second)
    return Math.max(1, Math.ceil((Math.min(cost, perMinute) - bucket.points) / perMs / 1000 - 1e-9));
  }

  /** How many callers are remembered (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number, perMs: number, perMinute: number): void {
    for (const [caller, b] of this.buckets) if (b.points + (now - b.at) * perMs >= perMinute) this.buckets.delete(caller);
    const excess = this.buckets.size - Math.floor(this.maxCallers / 2);
    if (excess <= 0) return;
    let dropped = 0;
    for (const caller of this.buckets.keys()) {
      if (dropped++ >= excess) break;
      this.buckets.delete(caller);
    }
  }
}

/**
 * Whose budget a request spends: the signed-in person, else the client address. An IPv6
 * address counts by its /64 (one subscriber's network; they are handed out whole).
 */
export function callerKey(userId: string | null | undefined, clientIp: string): string {
  if (userId) return `user:${userId}`;
  const ip = clientIp.startsWith('::ffff:') ? clientIp.slice(7) : clientIp;
  if (!ip.includes(':')) return `address:${ip}`;
  return `address:${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('%', 1)[0]!.split('::', 2);
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const fill = ip.includes('::') ? Array(Math.max(0, 8 - left.length - right.length)).fill('0') : [];
  return [...left, ...fill, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * The one per-caller budget of an API process, shared by GraphQL (RequestGuard) and the REST
 * routes (`@RestCost`): a signed-in person (an API token counts as its owner) spends
 * `GRAPHQL_COST_PER_MINUTE` points a minute wherever they ask, a signed-out client address a
 * tenth. A REST route is priced like the GraphQL field that does the same work, so an export
 * cannot be used to get around the budget a report's field keeps to.
 */
export class CallerBudget {
  private readonly buckets: CostBudget | null;

  constructor(
    private readonly limits: Pick<GraphqlLimits, 'costPerMinute'>,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = limits.costPerMinute > 0 ? new CostBudget() : null;
  }

  /** Takes `points` from the caller's budget, or throws RATE_LIMITED (429) with the seconds to wait; `onWait` gets them first (a Retry-After header). */
  charge(caller: { actorId: string | null | undefined; clientIp: string }, points: number, onWait?: (seconds: number) => void): void {
    if (!this.buckets || points <= 0) return;
    const perMinute = caller.actorId ? this.limits.costPerMinute : Math.floor(this.limits.costPerMinute / 10);
    const wait = this.buckets.take(callerKey(caller.actorId, caller.clientIp), points, perMinute, this.now());
    if (wait === 0) return;
    onWait?.(wait);
    const who = caller.actorId ? 'You have' : 'This address has';
    throw new AppError(
      `${who} used this minute's query budget (${perMinute.toLocaleString('en-US')} points; this request costs ${points.toLocaleString('en-US')}). Try again in ${wait} seconds, or ask for less at once.`,
      'RATE_LIMITED',
      { retryAfterSeconds: wait, limit: perMinute, found: points },
      429,
    );
  }
}
