import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import { ChaseRepository } from '@hindsight/server-chase';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { DELIVERY_JOB_OPTIONS, DeliveryJob, DeliveryPayloads, QueueName } from '@hindsight/server-queue';
import { WORKER_REDIS } from './worker.connections';

/** Retries of one delivery: 1 s, 2 s, 4 s … 64 s apart (about two minutes in all). */
export const DELIVERY_ATTEMPTS = DELIVERY_JOB_OPTIONS.attempts;
export const DELIVERY_BACKOFF_MS = DELIVERY_JOB_OPTIONS.backoff.delay;
/** A pending delivery enqueued longer ago than this is enqueued again (a no-op if its job still exists). */
export const STALE_ENQUEUE_MS = 10 * 60_000;
const BULK = 1000;

/**
 * Moves committed outbox rows into the delivery queue. The job id is the delivery id, so
 * adding a delivery twice (a re-run of the recovery pass, two workers) keeps one job; the
 * job itself re-reads the row, so even a job re-created after completion sends nothing.
 */
@Injectable()
export class OutboxRelay implements OnModuleDestroy {
  private readonly log = new Logger('OutboxRelay');
  readonly queue: Queue<DeliveryPayloads[typeof DeliveryJob.Send]>;

  constructor(
    @Inject(WORKER_REDIS) redis: IORedis,
    @Inject(CONFIG) config: ResolvedConfig,
    private readonly repo: ChaseRepository,
  ) {
    this.queue = new Queue(QueueName.Deliveries, { connection: redis, prefix: config.queuePrefix });
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
      const batch = ids.slice(i, i + BULK);
      try {
        await this.queue.addBulk(
          batch.map((deliveryId) => ({
            name: DeliveryJob.Send,
            data: { deliveryId },
            opts: { jobId: deliveryId, ...DELIVERY_JOB_OPTIONS },
          })),
        );
        if (!handed) await this.repo.markEnqueued(batch);
        done += batch.length;
      } catch (e) {
        this.log.warn(`could not enqueue ${batch.length} deliveries (they stay in the outbox for the next recovery pass): ${(e as Error).message}`);
        // Unrecorded too (Postgres away as well): they are stale after STALE_ENQUEUE_MS, and a restart re-enqueues every pending delivery.
        if (handed) await this.repo.unmarkEnqueued(batch).catch(() => undefined);
      }
    }
    return done;
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
      const page = await this.repo.pendingDeliveryIds(all, staleBefore, after, 5000);
      if (page.length === 0) break;
      total += await this.enqueue(page.map((r) => r.id));
      after = page[page.length - 1].id;
    }
    if (total) this.log.log(`recovery pass re-enqueued ${total} pending deliveries`);
    return total;
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}
