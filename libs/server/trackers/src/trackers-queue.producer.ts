import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { GraphQLError } from 'graphql';
import { withEnqueueSpan } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { createRedis, QueueName, TrackerJob, TrackerPayloads, type RedisConnection } from '@hindsight/server-queue';

const ENQUEUE_TIMEOUT_MS = 3000;

/** The API's side of the trackers queue: syncTrackerNow adds a reconciliation job. */
@Injectable()
export class TrackersQueueProducer implements OnModuleDestroy {
  private redis: RedisConnection | null = null;
  private queue: Queue | null = null;

  constructor(@Inject(CONFIG) private readonly config: ResolvedConfig) {}

  private get trackersQueue(): Queue {
    if (!this.queue) {
      this.redis = createRedis(this.config.redis, 'producer');
      this.redis.on('error', () => undefined);
      this.queue = new Queue(QueueName.Trackers, { connection: this.redis, prefix: this.config.queuePrefix });
      this.queue.on('error', () => undefined);
    }
    return this.queue;
  }

  async enqueueReconcile(connectionId: string, actorId: string): Promise<void> {
    const data: TrackerPayloads[typeof TrackerJob.Reconcile] = { connectionId, requestedBy: 'syncTrackerNow', actorId };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        withEnqueueSpan(QueueName.Trackers, (trace) =>
          this.trackersQueue.add(TrackerJob.Reconcile, { ...data, trace }, { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 100, removeOnFail: 100 }),
        ),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ENQUEUE_TIMEOUT_MS))),
      ]);
    } catch (e) {
      throw new GraphQLError(
        `The trackers queue (Redis) is unavailable, so no sync was started now (${(e as Error).message}). ` +
          `Nothing is lost: the workers reconcile every ${this.config.chaseIntervalSeconds} seconds once Redis is back.`,
        { extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } },
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
