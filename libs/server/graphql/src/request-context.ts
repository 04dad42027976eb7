import DataLoader from 'dataloader';
import type { Actor } from '@hindsight/domain';

export interface SessionActor extends Actor {
  email: string;
  name: string;
  /** How the request authenticated: a sign-in token or an integration's API token. */
  via: 'session' | 'api-token';
  /** The sign-in session behind a `session` request (what `logout` ends). */
  sessionId?: string;
  /** An ADMIN reset this person's password: until they change it, only a few operations are allowed. */
  mustChangePassword?: boolean;
}

/**
 * DataLoaders live for one request: batching across a page's fields without caching data
 * across users or requests. Each feature registers its loaders by a key of its own.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(key: string, create: () => DataLoader<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = create() as unknown as DataLoader<unknown, unknown>;
      this.loaders.set(key, loader);
    }
    return loader as unknown as DataLoader<K, V>;
  }
}

export interface RequestContext {
  actor: SessionActor | null;
  /** Set when looking up the caller failed; the access guard then fails the operation. */
  actorError?: unknown;
  loaders: LoaderRegistry;
  clientIp: string;
  /** The client's User-Agent, recorded with a new sign-in session. */
  userAgent?: string;
  requestId: string;
}

/** Groups rows by key in the order DataLoader asked for them (missing keys get []). */
export function groupBy<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/** One row per key in the order DataLoader asked for them (missing keys get null). */
export function indexBy<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map<K, V>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((k) => map.get(k) ?? null);
}
