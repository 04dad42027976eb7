import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type IORedis from 'ioredis';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { createRedis } from '@hindsight/server-queue';

export const REDIS = Symbol('REDIS');

/** The API's Redis connection: a producer that fails fast, so requests never wait on Redis. */
@Global()
@Module({
  providers: [{ provide: REDIS, inject: [CONFIG], useFactory: (config: ResolvedConfig) => createRedis(config.redisUrl, 'producer') }],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: IORedis) {}
  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
