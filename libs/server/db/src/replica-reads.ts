import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { maskUrl } from '@hindsight/server-common';
import { createDataSource } from './data-source';
import { readScopes } from './read-scope';

export const REPLICA_LIMITS = {
  /** How often the replica's lag is measured (and a replica that failed is tried again). */
  monitorMs: 2_000,
  /** A report waits this long, at most, for the replica to replay what the primary had committed. */
  catchUpMs: 100,
  catchUpPollMs: 10,
  /** A replica that answers no faster than this is treated as gone (it is on another host). */
  connectTimeoutMs: 2_000,
} as const;

/** Why a read went where it went: the metric's `reason` label. */
export type ReadRoute = 'replica' | 'no-replica' | 'replica-down' | 'replica-lagging' | 'replica-behind' | 'replica-failed';

export interface ReplicaStatus {
  configured: boolean;
  /** The replica answered its last check. */
  up: boolean;
  /** Seconds of replay lag at the last check (0 when it had replayed everything); null when unknown. */
  lagSeconds: number | null;
  /** Bytes of WAL the replica had still to replay at the last check; null when unknown. */
  lagBytes: number | null;
}

/** `X/Y` (pg_lsn as text) as a number of bytes; exact up to 2^53, i.e. 8 PiB of WAL. */
export function lsnBytes(lsn: string): number {
  const [hi, lo] = lsn.split('/');
  return parseInt(hi, 16) * 0x1_0000_0000 + parseInt(lo, 16);
}

/**
 * Reads for reports, exports and the review from a streaming replica (DATABASE_READ_URL).
 * `run(fn)` decides once per call where fn's statements go:
 *  - read-your-writes: the replica only once it has replayed everything the primary had
 *    committed when the call began (its WAL position then), so whatever anybody — the person
 *    asking above all — wrote before is in the answer; it waits up to catchUpMs for that, and
 *    otherwise the primary answers;
 *  - lag: a monitor measures the replica's replay lag every monitorMs (a metric); past
 *    DATABASE_READ_MAX_LAG_SECONDS, or while the replica does not answer, the primary answers.
 * Without DATABASE_READ_URL, run(fn) is fn().
 */
export class ReplicaReads {
  private readonly log = new Logger('ReplicaReads');
  private readonly replica: DataSource | null;
  private status: ReplicaStatus;
  /** The WAL position the replica was last seen to have replayed (bytes). */
  private replayed = 0;
  private monitor: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  /** Counts reads by where they went and why. */
  readonly routed = new Map<ReadRoute, number>();
  /** Told of every routing decision (the API's metrics). */
  onRoute: ((route: ReadRoute) => void) | null = null;

  constructor(
    private readonly primary: DataSource,
    private readonly readUrl: string | null,
    private readonly maxLagSeconds: number,
    applicationName = 'hindsight-reads',
  ) {
    this.replica = readUrl ? createDataSource({ url: readUrl, applicationName, connectionTimeoutMs: REPLICA_LIMITS.connectTimeoutMs }) : null;
    this.status = { configured: this.replica !== null, up: false, lagSeconds: null, lagBytes: null };
  }

  get current(): ReplicaStatus {
    return { ...this.status };
  }

  /** Connects to the replica (if any) and starts measuring its lag; a replica that is down does not stop the start. */
  async start(): Promise<void> {
    if (!this.replica || this.monitor) return;
    await this.check();
    this.monitor = setInterval(() => void this.check(), REPLICA_LIMITS.monitorMs).unref();
  }

  async stop(): Promise<void> {
    if (this.monitor) clearInterval(this.monitor);
    this.monitor = null;
    await this.checking;
    if (this.replica?.isInitialized) await this.replica.destroy().catch(() => undefined);
  }

  /** Runs fn with its statements on the replica when it may answer (see the class), else on the primary. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A report inside a review: the outer call has decided.
    if (readScopes.getStore()?.primary === this.primary) return fn();
    const route = await this.route();
    this.count(route);
    if (route !== 'replica' || !this.replica) return fn();
    const replica = this.replica;
    return readScopes.run({ primary: this.primary, replica, replicaFailed: (e) => {
      // A statement failed on the replica and is answered by the primary.
      this.markDown(e);
      this.count('replica-failed');
    } }, fn);
  }

  private async route(): Promise<ReadRoute> {
    if (!this.replica) return 'no-replica';
    if (!this.status.up || !this.replica.isInitialized) return 'replica-down';
    if (this.status.lagSeconds !== null && this.status.lagSeconds > this.maxLagSeconds) return 'replica-lagging';
    const [{ lsn }] = await this.primary.query<{ lsn: string }[]>(`SELECT pg_current_wal_lsn()::text AS lsn`);
    const target = lsnBytes(lsn);
    const deadline = Date.now() + REPLICA_LIMITS.catchUpMs;
    for (;;) {
      if (this.replayed >= target) return 'replica';
      try {
        const [row] = await this.replica.query<{ lsn: string | null }[]>(`SELECT pg_last_wal_replay_lsn()::text AS lsn`);
        if (row.lsn === null) {
          // Not a standby (promoted, or DATABASE_READ_URL names a primary): it holds no older data than the primary.
          return 'replica';
        }
        this.replayed = Math.max(this.replayed, lsnBytes(row.lsn));
      } catch (e) {
        this.markDown(e);
        return 'replica-failed';
      }
      if (this.replayed >= target) return 'replica';
      if (Date.now() >= deadline) return 'replica-behind';
      await new Promise((r) => setTimeout(r, REPLICA_LIMITS.catchUpPollMs));
    }
  }

  private markDown(e: unknown): void {
    if (this.status.up) this.log.warn(`the read replica failed (${(e as Error).message}); reports read the primary until it answers again`);
    this.status = { ...this.status, up: false };
  }

  private count(route: ReadRoute): void {
    this.routed.set(route, (this.routed.get(route) ?? 0) + 1);
    this.onRoute?.(route);
  }

  private check(): Promise<void> {
    this.checking ??= this.measure().finally(() => (this.checking = null));
    return this.checking;
  }

  /** Replay lag: 0 when the replica has replayed the primary's WAL position, else the age of its last replayed commit. */
  private async measure(): Promise<void> {
    const replica = this.replica;
    if (!replica || !this.readUrl) return;
    try {
      if (!replica.isInitialized) await replica.initialize();
      const [{ lsn: primaryLsn }] = await this.primary.query<{ lsn: string }[]>(`SELECT pg_current_wal_lsn()::text AS lsn`);
      const [row] = await replica.query<{ lsn: string | null; age: number | null }[]>(
        `SELECT pg_last_wal_replay_lsn()::text AS lsn, extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS age`,
      );
      const behind = row.lsn === null ? 0 : Math.max(0, lsnBytes(primaryLsn) - lsnBytes(row.lsn));
      if (row.lsn !== null) this.replayed = Math.max(this.replayed, lsnBytes(row.lsn));
      const lagSeconds = behind === 0 ? 0 : Math.max(0, row.age ?? 0);
      if (!this.status.up) this.log.log(`the read replica at ${maskUrl(this.readUrl)} answers; lag ${lagSeconds.toFixed(1)} s`);
      else if (lagSeconds > this.maxLagSeconds && (this.status.lagSeconds ?? 0) <= this.maxLagSeconds) {
        this.log.warn(`the read replica lags ${lagSeconds.toFixed(1)} s (over DATABASE_READ_MAX_LAG_SECONDS=${this.maxLagSeconds}); reports read the primary`);
      }
      this.status = { configured: true, up: true, lagSeconds, lagBytes: behind };
    } catch (e) {
      if (this.status.up || this.status.lagSeconds === null) this.log.warn(`the read replica at ${maskUrl(this.readUrl)} does not answer (${(e as Error).message}); reports read the primary`);
      this.status = { configured: true, up: false, lagSeconds: null, lagBytes: null };
    }
  }
}

/**
 * Marks a method whose reads may come from the replica (a report, an export, the review): it
 * runs through the `reads: ReplicaReads` of its instance. Only for methods that write nothing.
 */
export function FromReplica(): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: { reads?: ReplicaReads }, ...args: unknown[]): Promise<unknown> {
      return this.reads ? this.reads.run(() => original.apply(this, args)) : original.apply(this, args);
    };
    return descriptor;
  };
}
