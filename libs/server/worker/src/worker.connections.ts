import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { StartupError } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig, type RedisSettings } from '@hindsight/server-config';
import { createRedis, describeRedis, type RedisConnection } from '@hindsight/server-queue';

export const WORKER_REDIS = Symbol('WORKER_REDIS');

const FIRST_CONNECT_MS = 5000;

/**
 * Once running, the worker rides out Redis restarts (the connection retries forever); but a
 * worker that cannot reach Redis at all when it starts is misconfigured, and says so at once.
 */
async function connectWorkerRedis(settings: RedisSettings): Promise<RedisConnection> {
  const redis = createRedis(settings, 'worker');
  let lastError: unknown = null;
  const onError = (e: unknown) => { lastError = e; };
  redis.on('error', onError);
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), FIRST_CONNECT_MS);
    redis.once('ready', () => { clearTimeout(timer); resolve(true); });
  });
  redis.off('error', onError);
  if (ready) return redis;
  redis.disconnect();
  const why = (lastError as { code?: string } | null)?.code ?? 'no answer';
  throw new StartupError(`cannot reach Redis at ${describeRedis(settings)} (${why}): start it, or set REDIS_URL to a running server.`, 'REDIS_URL');
}

/** The worker's Redis connection: retries forever, as BullMQ workers need. */
@Global()
@Module({
  providers: [{ provide: WORKER_REDIS, inject: [CONFIG], useFactory: (config: ResolvedConfig) => connectWorkerRedis(config.redis) }],
  exports: [WORKER_REDIS],
})
export class WorkerRedisModule implements OnApplicationShutdown {
  constructor(@Inject(WORKER_REDIS) private readonly redis: RedisConnection) {}
  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
