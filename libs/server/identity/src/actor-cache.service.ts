import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import type { SessionActor } from '@hindsight/server-graphql';
import { AuthService } from './auth.service';

/** The channel the identity triggers notify (migration IdentityChangeNotifications1796062824339). */
export const IDENTITY_CHANNEL = 'hindsight_identity';

export const ACTOR_CACHE_LIMITS = {
  /** Callers kept per process; the oldest entry makes room for a new one. */
  maxEntries: 10_000,
  /**
   * How long an entry is trusted without a notification. Changes are honoured at once through
   * NOTIFY; this bounds what no write announces (a session reaching its idle lifetime by time
   * alone) and keeps the session's "last used" write going (AuthService touches it on a miss).
   */
  ttlMs: 5_000,
  /**
   * Without a connection to listen on (DATABASE_URL through a transaction pooler and no
   * DATABASE_LISTEN_URL) nothing announces changes, so an entry is trusted this long only:
   * a revoked session or token, a deactivation or a role change applies within a second on
   * every API process instead of at once.
   */
  unlistenedTtlMs: 1_000,
  /** The listening connection is checked this often (a half-open TCP connection says nothing). */
  heartbeatMs: 15_000,
  reconnectMinMs: 100,
  reconnectMaxMs: 5_000,
} as const;

interface Entry {
  actor: SessionActor;
  until: number;
}

/**
 * The caller behind an Authorization header, remembered per process so a request does not
 * pay for a JWT check and a database round trip every time. Correctness rests on Postgres:
 * triggers on users, sessions, api_tokens, team_members, teams and settings NOTIFY
 * `hindsight_identity` when a change commits, and a dedicated connection LISTENs and drops
 * the person's entries. While that connection is down (not yet up, dropped, reconnecting),
 * nothing is cached or served from the cache: every request looks the caller up, so a missed
 * notification can never keep a revoked session or token alive. Entries never outlive the
 * sign-in token's or the API token's expiry. With no connection to listen on (DATABASE_URL through
 * a transaction pooler and no DATABASE_LISTEN_URL) entries live unlistenedTtlMs, without notifications.
 */
@Injectable()
export class ActorCache implements OnApplicationShutdown {
  private readonly log = new Logger(ActorCache.name);
  private readonly entries = new Map<string, Entry>();
  /** The headers cached per user, so a notification drops a person's entries without a scan. */
  private readonly byUser = new Map<string, Set<string>>();
  private client: Client | null = null;
  private listening = false;
  /** Bumped by every invalidation: a look-up that raced one does not store its (maybe stale) answer. */
  private generation = 0;
  private stopped = true;
  private retryMs: number = ACTOR_CACHE_LIMITS.reconnectMinMs;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** The barrier query on the wire, and the one queued behind it (see caughtUp). */
  private barrier: Promise<boolean> | null = null;
  private nextBarrier: Promise<boolean> | null = null;
  /** The last query sent on the listening connection: the next one waits for it (see send). */
  private lastSent: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /** Starts listening (the API does; other processes never cache); resolves after the first attempt either way. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.unlistened) {
      this.log.log(`no DATABASE_LISTEN_URL with DATABASE_POOL_MODE=transaction: callers are cached for ${ACTOR_CACHE_LIMITS.unlistenedTtlMs} ms without change notifications`);
      return;
    }
    await this.connect();
  }

  /** True while notifications arrive, i.e. while the cache is in use. */
  get isListening(): boolean {
    return this.listening;
  }

  get size(): number {
    return this.entries.size;
  }

  /** True when no listening connection is configured, so entries live unlistenedTtlMs without a barrier. */
  private get unlistened(): boolean {
    return this.config.databaseListenUrl === null;
  }

  async actorFromHeader(header: string | undefined): Promise<SessionActor | null> {
    if (!header) return null;
    if (this.unlistened && !this.stopped) return this.fromShortLivedCache(header);
    const hit = this.listening ? this.entries.get(header) : undefined;
    if (hit) {
      if (hit.until > Date.now()) {
        // A notification is sent when its change commits but read by our listener a moment
        // later; after the barrier, every change committed before this request is applied.
        if ((await this.caughtUp()) && this.entries.get(header) === hit) return hit.actor;
      } else {
        this.forget(header);
      }
    }
    const generation = this.generation;
    const actor = await this.auth.actorFromHeader(header);
    if (actor && this.listening && generation === this.generation) this.store(header, actor);
    return actor;
  }

  private async fromShortLivedCache(header: string): Promise<SessionActor | null> {
    const hit = this.entries.get(header);
    if (hit && hit.until > Date.now()) return hit.actor;
    if (hit) this.forget(header);
    const actor = await this.auth.actorFromHeader(header);
    if (actor) this.store(header, actor, ACTOR_CACHE_LIMITS.unlistenedTtlMs);
    return actor;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    const client = this.client;
    this.dropAll();
    if (client) await client.end().catch(() => undefined);
  }

  /**
   * Resolves once the listener has received every notification committed before the call:
   * Postgres signals listening backends before it acknowledges the committing client, and a
   * listening backend sends what it was signalled before it answers its next query. So an
   * empty query on the listening connection, sent after this request arrived, is a barrier.
   * Requests share a barrier that is not yet on the wire (one query at a time, see send), so
   * under load one round trip serves many requests. False when the connection failed.
   */
  private caughtUp(): Promise<boolean> {
    const client = this.client;
    if (!client) return Promise.resolve(false);
    if (this.nextBarrier) return this.nextBarrier;
    const barrier = this.send(client, '');
    if (this.barrier) this.nextBarrier = barrier;
    else this.barrier = barrier;
    void barrier.then(() => {
      if (this.barrier !== barrier) return;
      this.barrier = this.nextBarrier;
      this.nextBarrier = null;
    });
    return barrier;
  }

  /**
   * Sends a query on the listening connection once the previous one has answered; true when it
   * answered while that connection is still the one listened on. pg queues a query sent
   * during another only with a deprecation warning, and pg 9 refuses it.
   */
  private send(client: Client, sql: string): Promise<boolean> {
    const sent = this.lastSent.then(() => client.query(sql)).then(
      () => this.client === client && this.listening,
      () => false,
    );
    this.lastSent = sent;
    return sent;
  }

  private store(header: string, actor: SessionActor, ttlMs: number = ACTOR_CACHE_LIMITS.ttlMs): void {
    if (this.entries.size >= ACTOR_CACHE_LIMITS.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.forget(oldest.value);
    }
    const expiresAt = actor.via === 'session' ? tokenExpiry(header) : (actor.apiToken?.expiresAt?.getTime() ?? Infinity);
    Object.freeze(actor.teamIds);
    this.forget(header);
    this.entries.set(header, { actor: Object.freeze(actor), until: Math.min(Date.now() + ttlMs, expiresAt) });
    const headers = this.byUser.get(actor.id);
    if (headers) headers.add(header);
    else this.byUser.set(actor.id, new Set([header]));
  }

  private forget(header: string): void {
    const entry = this.entries.get(header);
    if (!entry) return;
    this.entries.delete(header);
    const headers = this.byUser.get(entry.actor.id);
    headers?.delete(header);
    if (headers?.size === 0) this.byUser.delete(entry.actor.id);
  }

  private invalidate(payload: string | undefined): void {
    this.generation++;
    if (!payload || !payload.startsWith('u:')) {
      this.entries.clear();
      this.byUser.clear();
      return;
    }
    const userId = payload.slice(2);
    for (const header of this.byUser.get(userId) ?? []) this.entries.delete(header);
    this.byUser.delete(userId);
  }

  /** Stops serving from the cache and forgets everything (anything may change unheard now). */
  private dropAll(): void {
    this.listening = false;
    this.client = null;
    this.barrier = null;
    this.nextBarrier = null;
    this.generation++;
    this.entries.clear();
    this.byUser.clear();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseListenUrl ?? this.config.databaseUrl, application_name: 'hindsight-api-identity-listener', keepAlive: true, keepAliveInitialDelayMillis: 10_000, connectionTimeoutMillis: 5_000 });
    client.on('notification', (message) => {
      if (message.channel === IDENTITY_CHANNEL) this.invalidate(message.payload);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${IDENTITY_CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      if (!this.stopped) {
        this.log.warn(`identity change notifications unavailable (${(e as Error).message}); looking callers up on every request until reconnected`);
        this.reconnectLater();
      }
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    // Only what is read from now on is known to be announced: start from empty.
    this.dropAll();
    this.client = client;
    this.lastSent = Promise.resolve();
    this.listening = true;
    this.retryMs = ACTOR_CACHE_LIMITS.reconnectMinMs;
    this.heartbeat = setInterval(() => {
      void this.send(client, 'SELECT 1').then((ok) => ok || this.lost(client));
    }, ACTOR_CACHE_LIMITS.heartbeatMs).unref();
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.dropAll();
    this.clearTimers();
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.log.warn('identity change notifications lost; looking callers up on every request until reconnected');
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, ACTOR_CACHE_LIMITS.reconnectMaxMs);
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = null;
    this.heartbeat = null;
  }
}

/** The `exp` of a sign-in token that AuthService has just verified (ms since the epoch). */
function tokenExpiry(header: string): number {
  try {
    const payload = header.slice(header.lastIndexOf(' ') + 1).split('.')[1] ?? '';
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}
