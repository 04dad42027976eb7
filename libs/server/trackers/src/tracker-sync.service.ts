import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { decideInbound, desiredTrackerState, formatReference, httpUrlOrNull, markdownText, TrackerObservation, trackerDueDate, upstreamCompletionNote } from '@hindsight/domain';
import { ActionItemsService } from '@hindsight/server-action-items';
import { AuditService } from '@hindsight/server-audit';
import { SECRET_BOX, SecretBox, type WebhookHeaders } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import { OutboundGuard } from '@hindsight/server-outbound';
import { adapterFor } from './adapters/tracker-adapters';
import { CreatedIssue, RemoteIssue, TRACKER_BATCH, TrackerAdapter } from './adapters/tracker.adapter';
import { TrackerHttpError } from './tracker-http.client';
import { ConnectionRow, LinkRow, SyncItemRow, TrackersRepository } from './trackers.repository';
import { verifyTrackerWebhook, webhookDeliveryId } from './webhook-signature.rule';

export type PushOutcome = 'created' | 'found' | 'synced' | 'unchanged' | 'gone' | 'deleted-upstream';
export type WebhookOutcome = 'applied' | 'unchanged' | 'stale' | 'duplicate' | 'ignored' | 'unknown-issue';

/** A push that a busy tracker asked us to retry later: waits without using an attempt. */
export class TrackerRetryLater extends Error {
  constructor(readonly delayMs: number, message: string) {
    super(message);
  }
}

/**
 * Both directions of tracker sync, shared by the worker (pushes, reconciliation) and the API
 * (webhooks). Every change to an item that the tracker caused runs with the tracker-origin
 * mark, so it is never pushed back; every push reads the issue first, so a retried or
 * duplicated push changes nothing the tracker already shows.
 */
@Injectable()
export class TrackerSyncService {
  private readonly log = new Logger('TrackerSync');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly repo: TrackersRepository,
    private readonly items: ActionItemsService,
    private readonly audit: AuditService,
    private readonly outbound: OutboundGuard,
  ) {}

  adapter(c: ConnectionRow): TrackerAdapter {
    return adapterFor({ kind: c.kind, baseUrl: c.baseUrl, project: c.project, token: this.box.decrypt(c.tokenEnc), email: c.email }, this.outbound);
  }

  webhookUrl(connectionId: string): string {
    return `${this.config.publicUrl}/api/trackers/${connectionId}/webhook`;
  }

  itemUrl(itemId: string): string {
    return `${this.config.publicUrl}/action-items/${itemId}`;
  }

  /** The relay's work: pending pushes never enqueued, or enqueued before `staleBefore` (Redis may have lost them). */
  pendingPushIds(staleBefore: Date, limit: number): Promise<string[]> {
    return this.repo.pendingPushIds(staleBefore, limit);
  }

  markPushesEnqueued(ids: readonly string[]): Promise<void> {
    return this.repo.markPushesEnqueued(ids);
  }

  /** Every failed attempt is written down; the final one marks the push FAILED, its error left on the link. */
  recordPushFailure(pushId: string, error: string, final: boolean): Promise<void> {
    return this.repo.recordPushFailure(pushId, error, final);
  }

  /** Forgets webhook delivery ids and noted creations older than 30 days (any retry is long over). */
  async prune(): Promise<void> {
    await this.repo.pruneWebhookDeliveries();
    await this.repo.pruneCreatedIssues();
  }

  connectionIds(): Promise<string[]> {
    return this.repo.connectionIds();
  }

  /** Runs one outbox push. Throws TrackerHttpError (retry or not) or TrackerRetryLater. */
  async push(pushId: string): Promise<PushOutcome> {
    return this.ds.transaction(async (em) => {
      const push = await this.repo.pushForUpdate(em, pushId);
      if (!push || push.status !== 'PENDING') return 'gone';
      // The link's row lock is held across the tracker call: a second job for the same link
      // waits, and a worker killed mid-call rolls back, so the retry looks for our marker.
      const link = await this.repo.linkById(em, push.linkId, true);
      const item = link && (await this.repo.item(em, link.actionItemId));
      const connection = link && (await this.repo.connection(link.connectionId, em));
      if (!link || !item || !connection) {
        await this.repo.finishPush(em, pushId);
        return 'gone';
      }
      const adapter = this.adapter(connection);
      try {
        const outcome = push.kind === 'CREATE' ? await this.create(em, adapter, link, item) : await this.sync(em, adapter, link, item);
        await this.repo.finishPush(em, pushId);
        return outcome;
      } catch (e) {
        if (e instanceof TrackerHttpError && e.failure === 'rate-limited') throw new TrackerRetryLater(e.retryAfterMs ?? 5000, e.message);
        throw e;
      }
    });
  }

  private async create(em: EntityManager, adapter: TrackerAdapter, link: LinkRow, item: SyncItemRow): Promise<PushOutcome> {
    if (link.externalKey) return 'unchanged';
    // Issues an earlier attempt made (it crashed before recording them) are named to the
    // look-up, which then sees them even where the tracker's search index lags.
    const createdIds = await this.repo.createdIssueIds(em, link.id);
    // A day of slack for clock differences between us and the tracker.
    const existing = await adapter.findByMarker(link.createMarker, new Date(link.createdAt.getTime() - 86_400_000), createdIds);
    const issue =
      existing ??
      (await adapter.create(
        {
          title: item.title,
          description: this.description(item),
          dueDate: trackerDueDate(item.dueAt),
          priority: item.priority,
          marker: link.createMarker,
          assigneeEmail: item.assigneeEmail,
        },
        (created) => this.noteCreated(link, created),
      ));
    // The tracker's link is shown to everyone as the item's external link: kept only if it is one we would accept from a person.
    const url = httpUrlOrNull(issue.url);
    await this.repo.updateLink(em, link.id, {
      externalKey: issue.key, url, state: issue.state, remoteUpdatedAt: issue.updatedAt,
      pushedDueDate: adapter.hasDueDates ? trackerDueDate(item.dueAt) : null, syncedAt: new Date(), lastError: null,
    });
    await this.repo.forgetCreatedIssues(em, link.id);
    if (url) await this.items.adoptExternalUrl(em, item.id, url);
    await this.audit.record(em, { actorId: null, action: 'tracker.issue-created', entityType: 'ActionItem', entityId: item.id, after: { key: issue.key, url, found: !!existing } });
    // Closed (or re-dated) while the issue was being made: bring it up to date next.
    if (desiredTrackerState(item.status, false) !== issue.state) await this.repo.insertPush(em, link.id, 'SYNC');
    return existing ? 'found' : 'created';
  }

  /**
   * Best effort: without the note a retry still finds the issue once the tracker's search has
   * caught up; a full pool must not hold the push (which holds a connection itself).
   */
  private async noteCreated(link: LinkRow, created: CreatedIssue): Promise<void> {
    try {
      await this.repo.recordCreatedIssue(link.connectionId, link.id, created);
    } catch (e) {
      this.log.warn(`link ${link.id}: could not note the issue just created (${created.key}): ${(e as Error).message}`);
    }
  }

  private async sync(em: EntityManager, adapter: TrackerAdapter, link: LinkRow, item: SyncItemRow): Promise<PushOutcome> {
    if (!link.externalKey) return 'unchanged';
    if (link.deletedUpstreamAt) return 'deleted-upstream';
    let remote: RemoteIssue;
    try {
      remote = await adapter.get(link.externalKey);
    } catch (e) {
      if (!(e instanceof TrackerHttpError && e.failure === 'not-found')) throw e;
      // The issue is gone, not the project (that would fail the check, and the push with it).
      await adapter.check();
      await this.markDeletedUpstream(em, adapter, link, 'push');
      return 'deleted-upstream';
    }
    let changed = false;
    const desired = desiredTrackerState(item.status, link.awaitingVerification);
    if (remote.state !== desired) {
      remote = await adapter.setState(link.externalKey, desired, this.comment(item));
      changed = true;
    }
    const due = trackerDueDate(item.dueAt);
    let pushedDueDate = link.pushedDueDate;
    if (adapter.hasDueDates && due !== link.pushedDueDate) {
      await adapter.setDueDate(link.externalKey, due);
      remote = await adapter.get(link.externalKey);
      pushedDueDate = due;
      changed = true;
    }
    await this.repo.updateLink(em, link.id, {
      state: remote.state, remoteUpdatedAt: maxDate(link.remoteUpdatedAt, remote.updatedAt), pushedDueDate,
      proposedDueDate: link.proposedDueDate === due ? null : link.proposedDueDate, syncedAt: new Date(), lastError: null,
    });
    return changed ? 'synced' : 'unchanged';
  }

  private description(item: SyncItemRow): string {
    const incident = formatReference(item.incidentNumber);
    return [
      item.description ?? '',
      `Follow-up of ${incident} (${markdownText(item.incidentTitle)}), priority ${item.priority}, due ${trackerDueDate(item.dueAt)}.`,
      `Action item: ${this.itemUrl(item.id)}`,
      `Incident: ${this.config.publicUrl}/incidents/${incident}`,
    ].filter(Boolean).join('\n\n');
  }

  private comment(item: SyncItemRow): string {
    const link = this.itemUrl(item.id);
    if (item.status === 'DONE') return `Completed in Hindsight: ${item.completionNote ?? ''}${item.verification ? `\nVerified: ${item.verification}` : ''}\n${link}`;
    if (item.status === 'WONT_DO') return `Closed in Hindsight as won't do: ${item.wontDoReason ?? ''}\n${link}`;
    return `Reopened in Hindsight.\n${link}`;
  }

  /**
   * A webhook from the tracker: 'bad-signature' changes nothing; a replayed delivery id is
   * applied once; the rest goes through the same decision as reconciliation.
   */
  async receiveWebhook(connectionId: string, headers: WebhookHeaders, rawBody: Buffer, body: unknown): Promise<WebhookOutcome | 'bad-signature' | 'no-connection'> {
    const connection = await this.repo.connection(connectionId);
    if (!connection) return 'no-connection';
    const secret = connection.webhookSecretEnc ? this.box.decrypt(connection.webhookSecretEnc) : null;
    if (!verifyTrackerWebhook(connection.kind, headers, rawBody, secret)) return 'bad-signature';
    const adapter = this.adapter(connection);
    const seen = adapter.parseWebhook(body, headers);
    if (!seen) return 'ignored';
    return this.ds.transaction(async (em) => {
      if (!(await this.repo.firstDelivery(em, connection.id, webhookDeliveryId(connection.kind, headers, rawBody)))) return 'duplicate';
      const link = await this.repo.linkByKey(em, connection.id, seen.key);
      if (!link) return 'unknown-issue';
      if (seen.deleted) return (await this.markDeletedUpstream(em, adapter, link, 'webhook')) ? 'applied' : 'unchanged';
      return this.observe(em, adapter, link, seen, 'webhook');
    });
  }

  /** Applies one observation of the issue to its link and item, in the caller's transaction. */
  private async observe(em: EntityManager, adapter: TrackerAdapter, link: LinkRow, observed: TrackerObservation, source: 'webhook' | 'reconciliation'): Promise<WebhookOutcome> {
    // A time we cannot read must not poison the watermark: the observation counts as new.
    const seen = Number.isNaN(observed.updatedAt.getTime()) ? { ...observed, updatedAt: new Date() } : observed;
    const item = await this.items.lockForUpdate(em, link.actionItemId);
    if (!item || !link.externalKey) return 'ignored';
    const decision = decideInbound(
      { status: item.status, priority: item.priority, dueAt: item.dueAt, linkState: link.state, remoteUpdatedAt: link.remoteUpdatedAt, awaitingVerification: link.awaitingVerification, pushedDueDate: link.pushedDueDate },
      seen,
    );
    // A fresh observation shows the issue exists after all (a webhook for a link marked deleted).
    const exists = link.deletedUpstreamAt ? { deletedUpstreamAt: null } : {};
    if (decision.kind === 'ignore') {
      // An unchanged observation still moves the watermark: an older one arriving later is stale.
      if (decision.why === 'unchanged') await this.repo.updateLink(em, link.id, { remoteUpdatedAt: seen.updatedAt, syncedAt: new Date(), ...exists });
      return decision.why;
    }
    await this.repo.markTrackerOrigin(em);
    const issue = adapter.display(link.externalKey);
    const now = new Date();
    const fields: Parameters<TrackersRepository['updateLink']>[2] = { state: decision.linkState, remoteUpdatedAt: seen.updatedAt, syncedAt: now, ...exists };
    if (decision.proposedDueDate !== undefined) fields.proposedDueDate = decision.proposedDueDate;
    if (decision.linkState === 'CLOSED' && link.state !== 'CLOSED') Object.assign(fields, { closedUpstreamBy: seen.actor, closedUpstreamAt: now });
    const base = { actorId: null, entityType: 'ActionItem', entityId: item.id };
    switch (decision.item) {
      case 'complete':
        await this.items.completeLocked(em, item, { actorId: null, note: upstreamCompletionNote(issue, seen.actor), action: 'action-item.complete-upstream', extra: { via: source } });
        break;
      case 'await-verification':
        fields.awaitingVerification = true;
        await this.audit.record(em, { ...base, action: 'action-item.closed-upstream-verify', after: { issue, closedBy: seen.actor, via: source } });
        break;
      case 'reopen':
        fields.awaitingVerification = false;
        await this.items.reopenLocked(em, item, { actorId: null, action: 'action-item.reopen-upstream', extra: { issue, by: seen.actor, via: source } });
        break;
      case 'clear-verification':
        fields.awaitingVerification = false;
        await this.audit.record(em, { ...base, action: 'action-item.reopen-upstream', after: { issue, by: seen.actor, via: source } });
        break;
      case null:
        if (decision.proposedDueDate !== undefined) {
          await this.audit.record(em, { ...base, action: 'action-item.due-date-proposed-upstream', after: { issue, proposedDueDate: decision.proposedDueDate, via: source } });
        }
        break;
    }
    await this.repo.updateLink(em, link.id, fields);
    return 'applied';
  }

  /**
   * The tracker said the linked issue no longer exists: the link says so and is no longer read
   * back; the item stays as it is and is chased like any other. False if it was marked already.
   */
  private async markDeletedUpstream(em: EntityManager, adapter: TrackerAdapter, link: LinkRow, via: 'reconciliation' | 'push' | 'webhook'): Promise<boolean> {
    if (link.deletedUpstreamAt || !link.externalKey) return false;
    await this.repo.updateLink(em, link.id, { deletedUpstreamAt: new Date(), syncedAt: new Date() });
    await this.audit.record(em, {
      actorId: null, action: 'action-item.tracker-issue-deleted-upstream', entityType: 'ActionItem', entityId: link.actionItemId,
      after: { issue: adapter.display(link.externalKey), via },
    });
    return true;
  }

  /**
   * Reads every open linked issue of a connection in batches (the tracker's paging followed)
   * and applies what changed (a lost webhook converges here), and queues a push where the
   * tracker still differs from the item. An issue the tracker says is gone is marked deleted
   * upstream and the rest of its batch is read all the same. A 429 is waited out (Retry-After)
   * up to three times per batch; longer limits end the run, which the next interval resumes.
   */
  async reconcile(connectionId: string, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<{ read: number; applied: number; deleted: number }> {
    const connection = await this.repo.connection(connectionId);
    if (!connection) return { read: 0, applied: 0, deleted: 0 };
    let read = 0;
    let applied = 0;
    let deleted = 0;
    try {
      const adapter = this.adapter(connection);
      // Before any issue is called deleted, the project itself must answer: a token that lost
      // access to it would make every issue look deleted.
      let projectSeen = false;
      let after: string | null = null;
      for (;;) {
        const links = await this.repo.linksToReconcile(connectionId, after, TRACKER_BATCH);
        if (links.length === 0) break;
        after = links[links.length - 1].id;
        let waits = 0;
        const patiently = async <T>(call: () => Promise<T>): Promise<T> => {
          for (;;) {
            try {
              return await call();
            } catch (e) {
              if (!(e instanceof TrackerHttpError && e.failure === 'rate-limited' && waits < 3 && (e.retryAfterMs ?? 0) <= 60_000)) throw e;
              waits++;
              await sleep(e.retryAfterMs ?? 1000);
            }
          }
        };
        const keys = links.map((l) => l.externalKey as string);
        const batch = await patiently(() => adapter.getMany(keys));
        const byKey = new Map(batch.issues.map((r) => [r.key, r]));
        const gone = new Set(batch.gone);
        // Keys the answer left out without a word (a search index behind, a list that skips an
        // issue): each is read alone, and a 404 there means gone.
        for (const key of keys) {
          if (byKey.has(key) || gone.has(key)) continue;
          try {
            byKey.set(key, await patiently(() => adapter.get(key)));
          } catch (e) {
            if (!(e instanceof TrackerHttpError && e.failure === 'not-found')) throw e;
            gone.add(key);
          }
        }
        read += byKey.size;
        if (gone.size > 0 && !projectSeen) {
          await adapter.check();
          projectSeen = true;
        }
        for (const l of links) {
          const key = l.externalKey as string;
          const remote = byKey.get(key);
          if (!remote && !gone.has(key)) continue;
          const outcome = await this.ds.transaction(async (em) => {
            const link = await this.repo.linkById(em, l.id, true);
            if (!link || link.externalKey !== key) return 'ignored';
            if (!remote) return (await this.markDeletedUpstream(em, adapter, link, 'reconciliation')) ? 'deleted' : 'ignored';
            const result = await this.observe(em, adapter, link, { state: remote.state, updatedAt: remote.updatedAt, actor: remote.closedBy ?? null, dueDate: remote.dueDate }, 'reconciliation');
            const fresh = await this.repo.linkById(em, l.id);
            const item = await this.repo.item(em, l.actionItemId);
            if (fresh && item && desiredTrackerState(item.status, fresh.awaitingVerification) !== remote.state) await this.repo.insertPush(em, l.id, 'SYNC');
            return result;
          });
          if (outcome === 'applied') applied++;
          if (outcome === 'deleted') deleted++;
        }
      }
      await this.repo.recordConnectionSync(connectionId, null);
    } catch (e) {
      const message = e instanceof TrackerHttpError ? e.message : `reconciliation failed: ${(e as Error).message}`;
      this.log.warn(`connection ${connectionId}: ${message}`);
      await this.repo.recordConnectionSync(connectionId, message);
      throw e;
    }
    return { read, applied, deleted };
  }
}

function maxDate(a: Date | null, b: Date): Date {
  return a && a.getTime() > b.getTime() ? a : b;
}
