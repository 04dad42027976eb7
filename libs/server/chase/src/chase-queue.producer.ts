import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { GraphQLError } from 'graphql';
import type IORedis from 'ioredis';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { ChaseJob, ChasePayloads, createRedis, QueueName } from '@hindsight/server-queue';

/** How long runChaseNow waits for Redis before answering that the queue is unavailable. */
export const ENQUEUE_TIMEOUT_MS = 3000;

/**
 * The API's side of the chase queue: it only adds sweep jobs. Its connection fails fast, so
 * a request never hangs on Redis; the answer then says the sweep still runs on schedule.
 */
@Injectable()
export class ChaseQueueProducer implements OnModuleDestroy {
  private redis: IORedis | null = null;
  private queue: Queue | null = null;

  constructor(@Inject(CONFIG) private readonly config: ResolvedConfig) {}

  private get chaseQueue(): Queue {
    if (!this.queue) {
      this.redis = createRedis(this.config.redisUrl, 'producer');
      // Without a listener ioredis reports connection errors as unhandled; the answer reports them.
      this.redis.on('error', () => undefined);
      this.queue = new Queue(QueueName.Chase, { connection: this.redis, prefix: this.config.queuePrefix });
      this.queue.on('error', () => undefined);
    }
    return this.queue;
  }

  async enqueueSweep(actorId: string): Promise<void> {
    const data: ChasePayloads[typeof ChaseJob.Sweep] = { requestedBy: 'runChaseNow', actorId };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.chaseQueue.add(ChaseJob.Sweep, data, { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 100, removeOnFail: 100 }),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ENQUEUE_TIMEOUT_MS))),
      ]);
    } catch (e) {
      throw new GraphQLError(
        `The chase queue (Redis) is unavailable, so no sweep was started now (${(e as Error).message}). ` +
          `Nothing is lost: the workers sweep on their schedule, every ${this.config.chaseIntervalSeconds} seconds, once Redis is back.`,
        { extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, scheduleSeconds: this.config.chaseIntervalSeconds } },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    this.redis?.disconnect();
  }
}
