import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { withJobSpan } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { QueueName, TRACKER_RECONCILE_SCHEDULER_ID, TrackerJob, TrackerPayloads, type RedisConnection } from '@hindsight/server-queue';
import { TrackerHttpError, TrackerRetryLater, TrackerSyncService } from '@hindsight/server-trackers';
import { WORKER_REDIS } from './worker.connections';

type TrackerJobOf<N extends TrackerJob> = Job<TrackerPayloads[N], unknown, N>;

/** Attempts of one push: 2 s, 4 s … about 4 minutes in all; 429s wait without using one. */
export const TRACKER_PUSH_ATTEMPTS = 8;
/** How often committed pushes are moved into the queue (the item change's trigger cannot reach Redis). */
export const TRACKER_RELAY_MS = Number(process.env['TRACKER_RELAY_INTERVAL_MS'] ?? 1000) || 1000;
const STALE_ENQUEUE_MS = 10 * 60_000;
const RECONCILE_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 100, removeOnFail: 100 } as const;

/**
 * The trackers queue: one job per outbox push (job id = push id, so relaying twice keeps one
 * job) and reconciliation runs (every CHASE_INTERVAL_SECONDS, at startup, on syncTrackerNow).
 * A push holds its link's row lock while it talks to the tracker; a worker killed mid-push
 * rolls back, and the stalled job's retry finds the issue by our marker instead of creating it.
 */
@Injectable()
export class TrackersProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('TrackersProcessor');
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  private workerConnection: RedisConnection | null = null;
  private relayTimer: NodeJS.Timeout | null = null;
  private relaying = false;

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: RedisConnection,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly sync: TrackerSyncService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue = new Queue(QueueName.Trackers, { connection: this.redis, prefix: this.config.queuePrefix });
    await this.queue.upsertJobScheduler(
      TRACKER_RECONCILE_SCHEDULER_ID,
      { every: this.config.chaseIntervalSeconds * 1000 },
      { name: TrackerJob.Reconcile, data: { connectionId: null, requestedBy: 'scheduler' }, opts: RECONCILE_OPTIONS },
    );
    this.worker = new Worker(QueueName.Trackers, (job, token) => withJobSpan(QueueName.Trackers, job.name, job.data, () => this.process(job as TrackerJobOf<TrackerJob>, token)), {
      connection: (this.workerConnection = this.redis.duplicate()),
      prefix: this.config.queuePrefix,
      concurrency: 8,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 10,
    });
    this.worker.on('error', (err) => this.log.error(`worker error: ${err.message}`));
    await this.queue.add(TrackerJob.Reconcile, { connectionId: null, requestedBy: 'startup' }, RECONCILE_OPTIONS);
    this.relayTimer = setInterval(() => void this.relay(), TRACKER_RELAY_MS);
  }

  /** Moves pending pushes into the queue; never throws (the next tick tries again). */
  async relay(): Promise<number> {
    if (this.relaying || !this.queue) return 0;
    this.relaying = true;
    try {
      const ids = await this.sync.pendingPushIds(new Date(Date.now() - STALE_ENQUEUE_MS), 500);
      if (ids.length === 0) return 0;
      await this.queue.addBulk(
        ids.map((pushId) => ({
          name: TrackerJob.Push,
          data: { pushId },
          opts: { jobId: pushId, attempts: TRACKER_PUSH_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } },
        })),
      );
      await this.sync.markPushesEnqueued(ids);
      return ids.length;
    } catch (e) {
      this.log.warn(`tracker relay: ${(e as Error).message} (the pushes stay in the outbox)`);
      return 0;
    } finally {
      this.relaying = false;
    }
  }

  async process(job: TrackerJobOf<TrackerJob>, token?: string): Promise<unknown> {
    const name = job.name;
    switch (name) {
      case TrackerJob.Push:
        return this.push(job as TrackerJobOf<typeof TrackerJob.Push>, token);
      case TrackerJob.Reconcile:
        return this.reconcile((job as TrackerJobOf<typeof TrackerJob.Reconcile>).data.connectionId);
      default: {
        const unknown: never = name;
        throw new Error(`no handler for job ${String(unknown)} on ${QueueName.Trackers}`);
      }
    }
  }

  private async push(job: TrackerJobOf<typeof TrackerJob.Push>, token?: string): Promise<string> {
    const { pushId } = job.data;
    try {
      return await this.sync.push(pushId);
    } catch (e) {
      if (e instanceof TrackerRetryLater) {
        // The tracker said when to come back (Retry-After): wait without using an attempt.
        await this.sync.recordPushFailure(pushId, e.message, false);
        await job.moveToDelayed(Date.now() + e.delayMs, token);
        throw new DelayedError();
      }
      const permanent = e instanceof TrackerHttpError && !e.retryable;
      const final = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? TRACKER_PUSH_ATTEMPTS);
      await this.sync.recordPushFailure(pushId, (e as Error).message, final);
      throw permanent ? new UnrecoverableError((e as Error).message) : e;
    }
  }

  private async reconcile(connectionId: string | null): Promise<{ read: number; applied: number; deleted: number }> {
    if (!connectionId) {
      await this.sync.prune();
    }
    const ids = connectionId ? [connectionId] : await this.sync.connectionIds();
    const total = { read: 0, applied: 0, deleted: 0 };
    for (const id of ids) {
      try {
        const r = await this.sync.reconcile(id);
        total.read += r.read;
        total.applied += r.applied;
        total.deleted += r.deleted;
      } catch (e) {
        // Recorded on the connection; the other connections still converge.
        if (connectionId) throw e;
      }
    }
    return total;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.relayTimer) clearInterval(this.relayTimer);
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
  }
}
