import IORedis from 'ioredis';

/**
 * Removes every Redis key a test's queues wrote under its own prefix, so test files sharing the
 * machine's Redis leave nothing behind for each other.
 */
export async function dropQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new IORedis(redisUrl);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
export * from './redis-servers';
