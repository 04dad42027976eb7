import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DelayedError, Job, MinimalJob, UnrecoverableError, Worker } from 'bullmq';
import { DeliveryBusy, DeliveryError, DeliveryService } from '@hindsight/server-chase';
import { withJobSpan } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { DeliveryBatchJob, DeliveryBatchPayloads, DeliveryJob, DeliveryPayloads, QueueName, type RedisConnection } from '@hindsight/server-queue';
import { DELIVERY_ATTEMPTS, DELIVERY_BACKOFF_MS, DeliveryRetry, OutboxRelay } from './outbox.relay';
import { WORKER_REDIS } from './worker.connections';
import { WorkerMetrics } from './worker.metrics';

type DeliveryJobOf<N extends DeliveryJob> = Job<DeliveryPayloads[N], unknown, N>;
type DeliveryBatchJobOf<N extends DeliveryBatchJob> = Job<DeliveryBatchPayloads[N], unknown, N>;

/** Single deliveries in flight per worker process: they mostly wait on receivers (and on the batched statements). DELIVERY_CONCURRENCY tunes it. */
export const DELIVERY_CONCURRENCY = Number(process.env['DELIVERY_CONCURRENCY'] ?? 256) || 256;
/** Batch jobs in flight per worker process (each sends up to DELIVERY_BATCH_SIZE side by side). DELIVERY_BATCH_CONCURRENCY tunes it. */
export const DELIVERY_BATCH_CONCURRENCY = Number(process.env['DELIVERY_BATCH_CONCURRENCY'] ?? 4) || 4;

/**
 * The delay before a delivery job's next attempt (its backoff strategy): what the receiver asked
 * for when it answered 429 or 503 with Retry-After, else exponential from the job's base delay
 * (1 s, 2 s, 4 s …).
 */
export function deliveryBackoffMs(attemptsMade: number, _type?: string, err?: Error, job?: MinimalJob): number {
  if (err instanceof DeliveryError && err.retryAfterMs !== null) return err.retryAfterMs;
  const backoff = job?.opts.backoff;
  const base = (typeof backoff === 'number' ? backoff : backoff?.delay) ?? DELIVERY_BACKOFF_MS;
  return Math.round(2 ** Math.max(0, attemptsMade - 1) * base);
}

/**
 * The outbox's first attempts come in batch jobs; retries and waits for a lease in single
 * jobs (job id = delivery id) with BullMQ's exponential backoff. Every failed attempt is
 * written on the delivery row (attempts, last error) and the last one marks it FAILED, which
 * the API shows on the nudge. A job whose worker died is picked up again after its lock
 * expires (stalled), and resends with the same delivery ids once their send lease has passed.
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('DeliveryProcessor');
  private worker: Worker | null = null;
  private batchWorker: Worker | null = null;
  /** The workers' blocking connections; BullMQ does not close a connection it was given. */
  private readonly workerConnections: RedisConnection[] = [];

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: RedisConnection,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly deliveries: DeliveryService,
    private readonly relay: OutboxRelay,
    private readonly metrics: WorkerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const options = (concurrency: number) => {
      const connection = this.redis.duplicate();
      this.workerConnections.push(connection);
      // A killed worker's jobs come back after ~15 s; sending twice is safe (same delivery id).
      return { connection, prefix: this.config.queuePrefix, concurrency, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 10, settings: { backoffStrategy: deliveryBackoffMs } };
    };
    this.worker = new Worker(QueueName.Deliveries, (job, token) => withJobSpan(QueueName.Deliveries, job.name, job.data, () => this.process(job as DeliveryJobOf<DeliveryJob>, token)), options(DELIVERY_CONCURRENCY));
    this.batchWorker = new Worker(QueueName.DeliveryBatches, (job) => withJobSpan(QueueName.DeliveryBatches, job.name, job.data, () => this.processBatch(job as DeliveryBatchJobOf<DeliveryBatchJob>)), options(DELIVERY_BATCH_CONCURRENCY));
    for (const w of [this.worker, this.batchWorker]) w.on('error', (err) => this.log.error(`worker error: ${err.message}`));
  }

  async processBatch(job: DeliveryBatchJobOf<DeliveryBatchJob>): Promise<string> {
    const name = job.name;
    switch (name) {
      case DeliveryBatchJob.Send:
        return this.sendBatch(job);
      default: {
        const unknown: never = name;
        throw new Error(`no handler for job ${String(unknown)} on ${QueueName.DeliveryBatches}`);
      }
    }
  }

  async process(job: DeliveryJobOf<DeliveryJob>, token?: string): Promise<string> {
    const name = job.name;
    switch (name) {
      case DeliveryJob.Send:
        return this.send(job, token);
      default: {
        const unknown: never = name;
        throw new Error(`no handler for job ${String(unknown)} on ${QueueName.Deliveries}`);
      }
    }
  }

  private async send(job: DeliveryJobOf<typeof DeliveryJob.Send>, token?: string): Promise<string> {
    const { deliveryId } = job.data;
    try {
      const { outcome, kind } = await this.deliveries.send(deliveryId);
      if (outcome === 'sent') this.metrics.deliveriesSent.inc({ kind: kind ?? 'unknown' });
      if (outcome === 'skipped') this.metrics.deliveriesSkipped.inc();
      return outcome;
    } catch (e) {
      if (e instanceof DeliveryBusy) {
        // Another job holds the send lease: wait for it without using up an attempt.
        await job.moveToDelayed(Date.now() + e.retryInMs, token);
        throw new DelayedError();
      }
      const err = e instanceof DeliveryError ? e : new DeliveryError((e as Error).message, false);
      const attempts = job.opts.attempts ?? DELIVERY_ATTEMPTS;
      const final = err.permanent || job.attemptsMade + 1 >= attempts;
      this.metrics.deliveriesFailed.inc({ kind: err.kind ?? 'unknown', final: String(final) });
      await this.deliveries.recordFailure(deliveryId, err.message, final);
      throw err.permanent ? new UnrecoverableError(err.message) : err;
    }
  }

  /**
   * A batch's first attempts. What it could not finish goes on as single jobs: a failure with
   * the attempts left (the first one is written on the row here), a delivery whose lease another
   * job holds once that lease ends. Throws (and BullMQ retries the batch) only when the batch
   * could not be read.
   */
  private async sendBatch(job: DeliveryBatchJobOf<typeof DeliveryBatchJob.Send>): Promise<string> {
    const results = await this.deliveries.sendMany(job.data.deliveryIds);
    const retries: DeliveryRetry[] = [];
    let sent = 0;
    for (const [deliveryId, result] of results) {
      if (result instanceof DeliveryBusy) {
        retries.push({ deliveryId, delayMs: result.retryInMs, attempts: DELIVERY_ATTEMPTS });
      } else if (result instanceof DeliveryError) {
        const final = result.permanent || DELIVERY_ATTEMPTS <= 1;
        this.metrics.deliveriesFailed.inc({ kind: result.kind ?? 'unknown', final: String(final) });
        try {
          await this.deliveries.recordFailure(deliveryId, result.message, final);
        } catch (e) {
          // The lease runs out by itself; the retry below tries again then.
          this.log.warn(`could not record a failed attempt of delivery ${deliveryId}: ${(e as Error).message}`);
        }
        if (!final) retries.push({ deliveryId, delayMs: result.retryAfterMs ?? DELIVERY_BACKOFF_MS, attempts: DELIVERY_ATTEMPTS - 1 });
      } else if (result.outcome === 'sent') {
        sent++;
        this.metrics.deliveriesSent.inc({ kind: result.kind ?? 'unknown' });
      } else if (result.outcome === 'skipped') this.metrics.deliveriesSkipped.inc();
    }
    await this.relay.retry(retries);
    return `${sent} of ${results.size} sent, ${retries.length} to retry`;
  }

  depth(): Promise<Record<string, number>> {
    return this.relay.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
  }

  batchDepth(): Promise<Record<string, number>> {
    return this.relay.batches.getJobCounts('waiting', 'active', 'delayed', 'failed');
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.worker?.close(), this.batchWorker?.close()]);
    for (const c of this.workerConnections) c.disconnect();
  }
}
