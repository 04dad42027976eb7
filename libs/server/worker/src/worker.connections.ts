import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type IORedis from 'ioredis';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { createRedis } from '@hindsight/server-queue';

export const WORKER_REDIS = Symbol('WORKER_REDIS');

/** The worker's Redis connection: retries forever, as BullMQ workers need. */
@Global()
@Module({
  providers: [{ provide: WORKER_REDIS, inject: [CONFIG], useFactory: (config: ResolvedConfig) => createRedis(config.redisUrl, 'worker') }],
  exports: [WORKER_REDIS],
})
export class WorkerRedisModule implements OnApplicationShutdown {
  constructor(@Inject(WORKER_REDIS) private readonly redis: IORedis) {}
  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
