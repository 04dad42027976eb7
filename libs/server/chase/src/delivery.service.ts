import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { randomUUID } from 'node:crypto';
import { ChannelKind, ChannelMessage, deliveryMessage, deliveryQuietReason, testMessage } from '@hindsight/domain';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { ChannelSecrets } from './channel-secrets.service';
import { ChannelAddress, DeliveryError } from './channels/channel.adapter';
import { ChannelRegistry } from './channels/channel.registry';
import { ChaseRepository, DeliveryWork } from './chase.repository';

/** Another job holds the delivery's send lease; try again once it ends. */
export class DeliveryBusy extends Error {
  constructor(readonly retryInMs: number) {
    super(`the delivery is being sent by another job; trying again in ${retryInMs} ms`);
    this.name = 'DeliveryBusy';
  }
}

export type DeliveryOutcome = 'sent' | 'already-done' | 'skipped' | 'missing';

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  kind: ChannelKind | null;
}

/** Longer than any one send can take (the HTTP timeout, the SMTP timeouts: see the channel adapters). */
export const SEND_LEASE_MS = 30_000;

/**
 * Concurrent jobs arrive one by one from Redis and share one statement per batch. A batch goes
 * out at once while fewer than `maxInFlight` of its kind are running, else it keeps filling
 * until one returns: no fixed wait when idle, and under load a few large statements (and
 * commits) instead of many small ones queueing for the pool.
 */
class StatementGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly maxInFlight: number) {}

  readonly schedule = (run: () => void): void => {
    if (this.running < this.maxInFlight) {
      this.running++;
      setImmediate(run);
    } else this.waiting.push(run);
  };

  async around<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) setImmediate(next);
      else this.running--;
    }
  }

  options() {
    return { cache: false, maxBatchSize: 1000, batchScheduleFn: this.schedule } as const;
  }
}

/**
 * Sends one outbox delivery, idempotently: the row is re-read first (a delivery already
 * SENT, FAILED or SKIPPED is left alone, so a duplicate job or a retry after a crash does
 * nothing), and marked SENT in Postgres only after the receiver accepted it. Reads and
 * marks of concurrent jobs are batched into one statement per tick.
 */
@Injectable()
export class DeliveryService {
  /** Reads and leases in one statement: one round trip (and one batching tick) less per delivery. */
  private readonly readGate = new StatementGate(2);
  private readonly reader = new DataLoader<string, (DeliveryWork & { claimed: boolean }) | null>(
    (ids) => this.readGate.around(async () => {
      const rows = await this.repo.loadAndClaim(ids, SEND_LEASE_MS);
      const byId = new Map(rows.map((r) => [r.id, r]));
      // Two jobs of one delivery in one batch: only the first gets the lease.
      const given = new Set<string>();
      return ids.map((id) => {
        const row = byId.get(id);
        if (!row) return null;
        const claimed = row.claimed && !given.has(id);
        given.add(id);
        return { ...row, claimed };
      });
    }),
    this.readGate.options(),
  );
  private readonly markGate = new StatementGate(2);
  private readonly marker = new DataLoader<string, boolean>(
    (ids) => this.markGate.around(async () => {
      const updated = await this.repo.markSent(ids);
      return ids.map((id) => updated.has(id));
    }),
    this.markGate.options(),
  );

  constructor(
    private readonly repo: ChaseRepository,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly secrets: ChannelSecrets,
    private readonly channels: ChannelRegistry,
  ) {}

  async send(deliveryId: string, now: Date = new Date()): Promise<DeliveryResult> {
    return this.sendLoaded(await this.reader.load(deliveryId), now);
  }

  /**
   * The first attempt of many deliveries: one read-and-lease for all, the sends side by side,
   * each marked sent as its receiver answers (the marks, like the reads, share statements with
   * other deliveries in flight). Never throws for one delivery: each id maps to its result, or
   * to the error of its attempt (a DeliveryError, or DeliveryBusy when another job holds its
   * lease). Throws only when the batch could not be read.
   */
  async sendMany(ids: readonly string[], now: Date = new Date()): Promise<Map<string, DeliveryResult | DeliveryError | DeliveryBusy>> {
    const unique = [...new Set(ids)];
    // Through the loaders: concurrent batches share their statements (and commits) too.
    const rows = await this.reader.loadMany(unique);
    const byId = new Map<string, DeliveryWork & { claimed: boolean }>();
    for (const r of rows) {
      if (r instanceof Error) throw r;
      if (r) byId.set(r.id, r);
    }
    const results = new Map<string, DeliveryResult | DeliveryError | DeliveryBusy>();
    await Promise.all(
      unique.map(async (id) => {
        const d = byId.get(id) ?? null;
        try {
          results.set(id, await this.sendLoaded(d, now));
        } catch (e) {
          const err = e instanceof DeliveryBusy || e instanceof DeliveryError ? e : new DeliveryError((e as Error).message, false);
          if (err instanceof DeliveryError) err.kind ??= d ? d.kind : null;
          results.set(id, err);
        }
      }),
    );
    return results;
  }

  /** One delivery, read and (if free) leased: sent and marked SENT, or why not. */
  private async sendLoaded(d: (DeliveryWork & { claimed: boolean }) | null, now: Date): Promise<DeliveryResult> {
    if (!d) return { outcome: 'missing', kind: null };
    if (d.status !== 'PENDING') return { outcome: 'already-done', kind: d.kind };
    // Skipped whether or not this job got the lease, as before the read and the lease were one statement.
    const quiet = deliveryQuietReason(d, now);
    if (quiet) {
      await this.repo.markSkipped(d.id, quiet);
      return { outcome: 'skipped', kind: d.kind };
    }
    if (!d.claimed) {
      const remaining = await this.repo.leaseRemainingMs(d.id);
      // Sent meanwhile (lease released by markSent): nothing left to do.
      if (remaining === 0) return { outcome: 'already-done', kind: d.kind };
      throw new DeliveryBusy(remaining + 100);
    }
    try {
      await this.deliver(d, now);
    } catch (e) {
      const err = e instanceof DeliveryError ? e : new DeliveryError((e as Error).message, false);
      err.kind = d.kind;
      throw err;
    }
    await this.markSent(d);
    return { outcome: 'sent', kind: d.kind };
  }

  /**
   * The receiver has it: record that, retrying once (a dropped connection must not turn a
   * success into a resend). If Postgres stays away the job retries and resends with the
   * same delivery id, which receivers drop.
   */
  private async markSent(d: DeliveryWork): Promise<void> {
    try {
      await this.marker.load(d.id);
    } catch {
      await new Promise((r) => setTimeout(r, 500));
      try {
        await this.repo.markSent([d.id]);
      } catch (e) {
        const err = new DeliveryError(`sent, but recording it failed: ${(e as Error).message}`, false);
        err.kind = d.kind;
        throw err;
      }
    }
  }

  private async deliver(d: DeliveryWork, now: Date): Promise<void> {
    const message = deliveryMessage(d, this.config.publicUrl, now);
    if (!message) throw new DeliveryError('the delivery has neither a nudge nor a digest', true);
    await this.through(d.kind, message, { recipient: d.recipient, target: d.channelTarget, credential: this.secrets.open(d.channelSecret) });
  }

  /**
   * "Send a test" from Settings: one message now through the channel's own adapter (signed POST,
   * Slack or Teams post, email), outside the outbox. Resolves when the receiver accepted it;
   * rejects with a DeliveryError saying why otherwise.
   */
  async sendTest(channel: { kind: ChannelKind; name: string; target: string; secret: string | null }, now: Date = new Date()): Promise<void> {
    const message = testMessage({ deliveryId: randomUUID(), channelName: channel.name, recipient: channel.target, publicUrl: this.config.publicUrl, sentAt: now });
    await this.through(channel.kind, message, { recipient: channel.target, target: channel.target, credential: this.secrets.open(channel.secret) });
  }

  /** One message through its channel's adapter; a failure comes back classified by it (a Retry-After date read against the time it failed). */
  private async through(kind: ChannelKind, message: ChannelMessage, to: ChannelAddress): Promise<void> {
    const adapter = this.channels.of(kind);
    try {
      await adapter.send(adapter.render(message), to, message.deliveryId);
    } catch (e) {
      throw e instanceof DeliveryError ? e : adapter.classify(e, new Date());
    }
  }

  recordFailure(deliveryId: string, error: string, final: boolean): Promise<void> {
    return this.repo.recordFailure(deliveryId, error, final);
  }
}
