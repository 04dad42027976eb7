import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { createRedis, type RedisConnection } from '@hindsight/server-queue';

export const REDIS = Symbol('REDIS');

/** The API's Redis connection: a producer that fails fast, so requests never wait on Redis. */
@Global()
@Module({
  providers: [{ provide: REDIS, inject: [CONFIG], useFactory: (config: ResolvedConfig) => createRedis(config.redis, 'producer') }],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisConnection) {}
  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
