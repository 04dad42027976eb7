import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import type IORedis from 'ioredis';
import { DeliveryBusy, DeliveryError, DeliveryService } from '@hindsight/server-chase';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { DeliveryJob, DeliveryPayloads, QueueName } from '@hindsight/server-queue';
import { DELIVERY_ATTEMPTS, OutboxRelay } from './outbox.relay';
import { WORKER_REDIS } from './worker.connections';
import { WorkerMetrics } from './worker.metrics';

type DeliveryJobOf<N extends DeliveryJob> = Job<DeliveryPayloads[N], unknown, N>;

/** Deliveries in flight per worker process: they mostly wait on receivers (and on the batched statements). DELIVERY_CONCURRENCY tunes it. */
export const DELIVERY_CONCURRENCY = Number(process.env['DELIVERY_CONCURRENCY'] ?? 256) || 256;

/**
 * One job per outbox delivery. Retries use BullMQ's exponential backoff; every failed
 * attempt is written on the delivery row (attempts, last error) and the last one marks it
 * FAILED, which the API shows on the nudge. A job whose worker died is picked up again
 * after its lock expires (stalled), and resends with the same delivery id.
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('DeliveryProcessor');
  private worker: Worker | null = null;
  /** The worker's blocking connection; BullMQ does not close a connection it was given. */
  private workerConnection: IORedis | null = null;

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: IORedis,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly deliveries: DeliveryService,
    private readonly relay: OutboxRelay,
    private readonly metrics: WorkerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker(QueueName.Deliveries, (job, token) => this.process(job as DeliveryJobOf<DeliveryJob>, token), {
      connection: (this.workerConnection = this.redis.duplicate()),
      prefix: this.config.queuePrefix,
      concurrency: DELIVERY_CONCURRENCY,
      // A killed worker's jobs come back after ~15 s; sending twice is safe (same delivery id).
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 10,
    });
    this.worker.on('error', (err) => this.log.error(`worker error: ${err.message}`));
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

  depth(): Promise<Record<string, number>> {
    return this.relay.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    this.workerConnection?.disconnect();
  }
}
