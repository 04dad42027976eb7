import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DeliveryOutbox } from '@hindsight/server-chase';
import { withEnqueueSpan } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import {
  DELIVERY_BACKOFF_TYPE, DELIVERY_BATCH_JOB_OPTIONS, DELIVERY_BATCH_SIZE, DELIVERY_JOB_OPTIONS, DeliveryBatchJob, DeliveryBatchPayloads, DeliveryJob, DeliveryPayloads, QueueName, type RedisConnection,
} from '@hindsight/server-queue';
import { WORKER_REDIS } from './worker.connections';

/** Retries of one delivery: 1 s, 2 s, 4 s … 64 s apart (about two minutes in all). */
export const DELIVERY_ATTEMPTS = DELIVERY_JOB_OPTIONS.attempts;
export const DELIVERY_BACKOFF_MS = DELIVERY_JOB_OPTIONS.backoff.delay;
/** A pending delivery enqueued longer ago than this is enqueued again (a no-op if its job still exists). */
export const STALE_ENQUEUE_MS = 10 * 60_000;
const BULK = 1000;

/** A delivery to try again on its own: after `delayMs` (the backoff, or the receiver's Retry-After), with `attempts` left. */
export interface DeliveryRetry {
  deliveryId: string;
  delayMs: number;
  attempts: number;
}

/**
 * Moves committed outbox rows into the delivery queues: batches of DELIVERY_BATCH_SIZE for their
 * first attempt (one BullMQ job, one read-and-lease and one mark per batch instead of per
 * delivery), then single jobs (job id = delivery id) for retries. Adding a delivery twice (a
 * re-run of the recovery pass, two workers) is harmless: every job re-reads the row and takes
 * its send lease in Postgres, so a delivery already sent, or being sent, is not sent again.
 */
@Injectable()
export class OutboxRelay implements OnModuleDestroy {
  private readonly log = new Logger('OutboxRelay');
  readonly queue: Queue<DeliveryPayloads[typeof DeliveryJob.Send]>;
  readonly batches: Queue<DeliveryBatchPayloads[typeof DeliveryBatchJob.Send]>;

  constructor(
    @Inject(WORKER_REDIS) redis: RedisConnection,
    @Inject(CONFIG) config: ResolvedConfig,
    private readonly outbox: DeliveryOutbox,
  ) {
    this.queue = new Queue(QueueName.Deliveries, { connection: redis, prefix: config.queuePrefix });
    this.batches = new Queue(QueueName.DeliveryBatches, { connection: redis, prefix: config.queuePrefix });
  }

  /**
   * Enqueues and records that it did. Never throws: a delivery left unenqueued (Redis away)
   * stays PENDING with enqueued_at NULL, and the next recovery pass picks it up. `handed`:
   * the rows were written with enqueued_at set (the sweep's outbox), so only a failure is
   * written back.
   */
  async enqueue(ids: readonly string[], handed = false): Promise<number> {
    let done = 0;
    for (let i = 0; i < ids.length; i += BULK) {
      const slice = ids.slice(i, i + BULK);
      try {
        await withEnqueueSpan(QueueName.DeliveryBatches, (trace) => {
          const jobs = [];
          for (let j = 0; j < slice.length; j += DELIVERY_BATCH_SIZE) {
            jobs.push({ name: DeliveryBatchJob.Send, data: { deliveryIds: slice.slice(j, j + DELIVERY_BATCH_SIZE), trace }, opts: DELIVERY_BATCH_JOB_OPTIONS });
          }
          return this.batches.addBulk(jobs);
        });
        if (!handed) await this.outbox.markEnqueued(slice);
        done += slice.length;
      } catch (e) {
        this.log.warn(`could not enqueue ${slice.length} deliveries (they stay in the outbox for the next recovery pass): ${(e as Error).message}`);
        // Unrecorded too (Postgres away as well): they are stale after STALE_ENQUEUE_MS, and a restart re-enqueues every pending delivery.
        if (handed) await this.outbox.unmarkEnqueued(slice).catch(() => undefined);
      }
    }
    return done;
  }

  /**
   * Single jobs for deliveries a batch could not finish. If Redis refuses them, the rows go back
   * to "not enqueued" and the recovery pass after the next sweep sends them.
   */
  async retry(retries: readonly DeliveryRetry[]): Promise<void> {
    if (!retries.length) return;
    try {
      await withEnqueueSpan(QueueName.Deliveries, (trace) => this.queue.addBulk(
        retries.map(({ deliveryId, delayMs, attempts }) => ({
          name: DeliveryJob.Send,
          data: { deliveryId, trace },
          // The backoff doubles from where the batch's attempt left it: 1 s, then 2 s, 4 s …
          opts: { ...DELIVERY_JOB_OPTIONS, jobId: deliveryId, delay: delayMs, attempts, backoff: { type: DELIVERY_BACKOFF_TYPE, delay: DELIVERY_BACKOFF_MS * 2 } },
        })),
      ));
    } catch (e) {
      this.log.warn(`could not enqueue ${retries.length} delivery retries (the next recovery pass will): ${(e as Error).message}`);
      await this.outbox.unmarkEnqueued(retries.map((r) => r.deliveryId)).catch(() => undefined);
    }
  }

  /**
   * The recovery pass: pending deliveries never enqueued or enqueued long ago; with `all`,
   * every pending delivery (on startup and after Redis reconnects, as it may have lost data).
   */
  async recover(all: boolean): Promise<number> {
    const staleBefore = new Date(Date.now() - STALE_ENQUEUE_MS);
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const page = await this.outbox.pendingDeliveryIds(all, staleBefore, after, 5000);
      if (page.length === 0) break;
      total += await this.enqueue(page.map((r) => r.id));
      after = page[page.length - 1].id;
    }
    if (total) this.log.log(`recovery pass re-enqueued ${total} pending deliveries`);
    return total;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.queue.close(), this.batches.close()]);
  }
}
