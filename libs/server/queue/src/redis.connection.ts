import IORedis, { RedisOptions } from 'ioredis';

/**
 * Workers block on Redis and must retry forever (BullMQ requires maxRetriesPerRequest null);
 * producers in the API must fail fast instead, so a request never hangs while Redis is away.
 */
export function createRedis(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): IORedis {
  return new IORedis(url, {
    lazyConnect: false,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    ...(role === 'worker' ? { maxRetriesPerRequest: null, enableReadyCheck: false } : { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
    ...extra,
  });
}
