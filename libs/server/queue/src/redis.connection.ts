import { readFileSync } from 'node:fs';
import IORedis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import { maskUrl } from '@hindsight/server-common';
import type { RedisSettings } from '@hindsight/server-config';

/** A connection to Redis however it is deployed: one server, through Sentinel, or a Cluster. */
export type RedisConnection = IORedis | Cluster;

/** One server at REDIS_URL, as before Sentinel and Cluster existed (tests, tools). */
export const singleRedis = (url: string): RedisSettings => ({ url, sentinels: null, sentinelName: null, sentinelPassword: null, cluster: false, tlsCaFile: null });

/**
 * After a failover the old primary comes back as a replica, and a connection still open to it
 * answers writes with READONLY: reconnect (through the sentinels, to the new primary) and
 * send the command again. A Cluster answers MOVED instead, which ioredis follows by itself.
 */
const reconnectOnReadonly = (e: Error): 2 | false => (e.message.startsWith('READONLY') ? 2 : false);

/** Password, user, database and TLS from REDIS_URL, for the connections Sentinel or Cluster make. */
function serverOptions(settings: RedisSettings): RedisOptions {
  const u = new URL(settings.url);
  const options: RedisOptions = {};
  if (u.username) options.username = decodeURIComponent(u.username);
  if (u.password) options.password = decodeURIComponent(u.password);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !settings.cluster) options.db = Number(db);
  if (u.protocol === 'rediss:') options.tls = tlsOptions(settings);
  return options;
}

function tlsOptions(settings: RedisSettings): RedisOptions['tls'] {
  return settings.tlsCaFile ? { ca: readFileSync(settings.tlsCaFile) } : {};
}

/**
 * Workers block on Redis and must retry forever (BullMQ requires maxRetriesPerRequest null);
 * producers in the API must fail fast instead, so a request never hangs while Redis is away.
 */
export function createRedis(settings: RedisSettings, role: 'worker' | 'producer', extra: RedisOptions = {}): RedisConnection {
  const perRole: RedisOptions = role === 'worker' ? { maxRetriesPerRequest: null, enableReadyCheck: false } : { maxRetriesPerRequest: 1, enableOfflineQueue: false };
  const common: RedisOptions = {
    lazyConnect: false,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    reconnectOnError: reconnectOnReadonly,
  };
  if (settings.cluster) {
    const seed = new URL(settings.url);
    const options: ClusterOptions = {
      lazyConnect: false,
      enableOfflineQueue: role === 'worker',
      clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 5000),
      redisOptions: { ...serverOptions(settings), connectTimeout: 5000, maxRetriesPerRequest: perRole.maxRetriesPerRequest, ...extra },
    };
    if (role === 'worker') options.enableReadyCheck = false;
    return new Cluster([{ host: seed.hostname.replace(/^\[|\]$/g, ''), port: Number(seed.port || 6379) }], options);
  }
  if (settings.sentinels) {
    return new IORedis({
      ...common,
      ...perRole,
      ...serverOptions(settings),
      sentinels: settings.sentinels,
      name: settings.sentinelName ?? undefined,
      sentinelPassword: settings.sentinelPassword ?? undefined,
      // Sentinels are asked again on every reconnect, so a promoted replica is found at once.
      sentinelRetryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      ...extra,
    });
  }
  const tls = settings.url.startsWith('rediss://') ? { tls: tlsOptions(settings) } : {};
  return new IORedis(settings.url, { ...common, ...perRole, ...tls, ...extra });
}

/** Where the queues' Redis is, for a start-up message (passwords masked). */
export function describeRedis(settings: RedisSettings): string {
  const masked = maskUrl(settings.url);
  if (settings.sentinels) return `the primary "${settings.sentinelName}" of the sentinels ${settings.sentinels.map((s) => `${s.host}:${s.port}`).join(',')} (REDIS_SENTINELS)`;
  if (settings.cluster) return `the Redis Cluster of ${masked}`;
  return masked;
}
