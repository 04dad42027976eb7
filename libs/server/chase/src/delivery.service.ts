import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import DataLoader from 'dataloader';
import { createHmac, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createTransport, Transporter } from 'nodemailer';
import {
  ChannelKind,
  DigestContent,
  digestMessage,
  digestWebhookPayload,
  extensionMessage,
  extensionRequestWebhookPayload,
  formatReference,
  notificationEmailHtml,
  NudgeAction,
  nudgeActions,
  NudgeMessage,
  nudgeMessage,
  nudgeWebhookPayload,
  slackMessage,
  withActionLinks,
} from '@hindsight/domain';
import { injectTraceHeaders, SpanKind, withSpan } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { OutboundGuard, OutboundRefused, smtpSocketThrough } from '@hindsight/server-outbound';
import { ChannelSecrets } from './channel-secrets.service';
import { ChaseRepository, DeliveryWork } from './chase.repository';
import { NO_SMTP_ERROR } from './chase-sweep.service';

/** A failed attempt; `permanent` ones are not retried (a 4xx answer, a broken channel). */
export class DeliveryError extends Error {
  /** The channel kind, for metrics; set by send(). */
  kind: ChannelKind | null = null;
  constructor(message: string, readonly permanent: boolean) {
    super(message);
    this.name = 'DeliveryError';
  }
}

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

export const HTTP_TIMEOUT_MS = 10_000;
/** Longer than any one send can take (HTTP timeout, SMTP timeouts below). */
export const SEND_LEASE_MS = 30_000;

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the channel's secret (contract header). */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** nodemailer waits up to 10 minutes by default; bounded timeouts keep a send inside its lease. */
export function smtpUrlWithTimeouts(url: string): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries({ connectionTimeout: '10000', greetingTimeout: '10000', socketTimeout: '15000' })) {
    if (!u.searchParams.has(k)) u.searchParams.set(k, v);
  }
  return u.toString();
}

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

interface Rendered {
  message: () => NudgeMessage;
  url: string;
  /** The answers offered as links and buttons (none for digests). */
  actions: NudgeAction[];
  webhookBody: (sentAt: Date) => unknown;
}

/**
 * Sends one outbox delivery, idempotently: the row is re-read first (a delivery already
 * SENT, FAILED or SKIPPED is left alone, so a duplicate job or a retry after a crash does
 * nothing), and marked SENT in Postgres only after the receiver accepted it. Reads and
 * marks of concurrent jobs are batched into one statement per tick.
 */
@Injectable()
export class DeliveryService implements OnModuleDestroy {
  private mailer: Transporter | null = null;
  /** Reads and leases in one statement: one round trip (and one batching tick) less per delivery. */
  private readonly readGate = new StatementGate(2);
  private readonly reader = new DataLoader<string, (DeliveryWork & { claimed: boolean }) | null>(
    (ids) => this.readGate.around(async () => {
      const rows = await this.repo.loadAndClaim(ids, new Date(), SEND_LEASE_MS);
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
    /** Its keep-alive agents carry every POST: receivers inside the network are refused at connect. */
    private readonly outbound: OutboundGuard,
    private readonly secrets: ChannelSecrets,
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
    if (d.quietReason) {
      await this.repo.markSkipped(d.id, d.quietReason);
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
    const rendered = this.render(d, now);
    switch (d.kind) {
      case 'EMAIL':
        await this.sendEmail(d, rendered.message(), rendered.actions);
        break;
      case 'SLACK':
        await this.post(this.endpoint(d.kind, d.channelTarget, d.channelSecret), JSON.stringify(slackMessage(rendered.message(), rendered.url, rendered.actions)), d.id);
        break;
      case 'WEBHOOK':
        await this.post(this.endpoint(d.kind, d.channelTarget, d.channelSecret), JSON.stringify(rendered.webhookBody(now)), d.id);
        break;
      default: {
        const unknown: never = d.kind;
        throw new DeliveryError(`unknown channel kind ${String(unknown)}`, true);
      }
    }
  }

  /**
   * "Send a test" from Settings: one message now through the channel's real sender (signed POST,
   * Slack post or email), outside the outbox. Resolves when the receiver accepted it; rejects
   * with a DeliveryError saying why otherwise.
   */
  async sendTest(channel: { kind: ChannelKind; name: string; target: string; secret: string | null }, now: Date = new Date()): Promise<void> {
    const d = { id: randomUUID(), recipient: channel.target };
    const message: NudgeMessage = {
      subject: `Hindsight test message for ${channel.name}`,
      text: `This is a test message from Hindsight to the channel "${channel.name}". Reminders and digests will arrive here.\n\nOpen it in Hindsight: ${this.config.publicUrl}`,
    };
    switch (channel.kind) {
      case 'EMAIL':
        return this.sendEmail(d, message, []);
      case 'SLACK':
        return this.post(this.endpoint(channel.kind, channel.target, channel.secret), JSON.stringify(slackMessage(message, this.config.publicUrl, [])), d.id);
      case 'WEBHOOK':
        return this.post(
          this.endpoint(channel.kind, channel.target, channel.secret),
          JSON.stringify({ type: 'test', deliveryId: d.id, sentAt: now.toISOString(), channel: channel.name, subject: message.subject, text: message.text }),
          d.id,
        );
      default: {
        const unknown: never = channel.kind;
        throw new DeliveryError(`unknown channel kind ${String(unknown)}`, true);
      }
    }
  }

  recordFailure(deliveryId: string, error: string, final: boolean): Promise<void> {
    return this.repo.recordFailure(deliveryId, error, final);
  }

  private render(d: DeliveryWork, now: Date): Rendered {
    if (d.digestId) {
      const content = d.digestContent as DigestContent;
      return {
        message: () => digestMessage(content),
        url: content.url,
        actions: [],
        webhookBody: (sentAt) => digestWebhookPayload({ deliveryId: d.id, sentAt, recipient: d.recipient, content }),
      };
    }
    if (d.extension) return this.renderExtension(d, d.extension);
    if (!d.subjectKind || !d.subjectId || !d.step || !d.dueAt) throw new DeliveryError('the delivery has neither a nudge nor a digest', true);
    const subjectKind = d.subjectKind;
    const subjectId = d.subjectId;
    const step = d.step;
    const dueAt = d.dueAt;
    // A runbook belongs to a service, not an incident: its messages name the service there.
    const incidentReference = subjectKind === 'RUNBOOK' ? (d.serviceName ?? 'a service') : d.incidentNumber === null ? 'an incident' : formatReference(d.incidentNumber);
    const actions = nudgeActions({
      publicUrl: this.config.publicUrl, subjectKind, subjectId, incidentReference: d.incidentNumber === null ? null : incidentReference, unassigned: d.unassigned, deliveryId: d.id,
    });
    const url = actions[0].url;
    const title = d.title ?? '(untitled)';
    const team = d.teamName ?? 'unassigned';
    return {
      message: () => nudgeMessage({ step, subjectKind, title, incidentReference, teamName: team, dueAt, url, recipientName: d.recipientName, closedUpstreamIssue: d.closedUpstreamIssue }, now),
      url,
      actions,
      webhookBody: (sentAt) =>
        nudgeWebhookPayload({ step, deliveryId: d.id, sentAt, recipient: d.recipient, subject: { kind: subjectKind, id: subjectId, title, dueAt, incidentReference, team }, actions }),
    };
  }

  /** Asked: to the manager and team channels, with a link to decide. Decided: to the requester. */
  private renderExtension(d: DeliveryWork, x: NonNullable<DeliveryWork['extension']>): Rendered {
    const actions = nudgeActions({ publicUrl: this.config.publicUrl, subjectKind: 'ACTION_ITEM', subjectId: x.actionItemId, incidentReference: null, unassigned: false, deliveryId: d.id }).filter(
      (a) => a.kind === 'OPEN',
    );
    const url = actions[0].url;
    const title = d.title ?? '(untitled)';
    const incidentReference = d.incidentNumber === null ? 'an incident' : formatReference(d.incidentNumber);
    const team = d.teamName ?? 'unassigned';
    return {
      message: () =>
        extensionMessage({
          event: x.event, title, incidentReference, teamName: team, dueAt: x.previousDueAt, until: x.until, reason: x.reason, requesterName: x.requesterName,
          approved: x.status === 'APPROVED', note: x.note, url, recipientName: d.recipientName,
        }),
      url,
      actions,
      webhookBody: (sentAt) =>
        extensionRequestWebhookPayload({
          deliveryId: d.id, sentAt, recipient: d.recipient, actions,
          subject: { id: x.actionItemId, title, dueAt: x.dueAt, incidentReference, team },
          request: { id: x.requestId, until: x.until, reason: x.reason, requestedBy: x.requesterName },
        }),
    };
  }

  private async sendEmail(d: Pick<DeliveryWork, 'id' | 'recipient'>, message: NudgeMessage, actions: readonly NudgeAction[]): Promise<void> {
    if (!this.config.smtpUrl) throw new DeliveryError(NO_SMTP_ERROR, true);
    this.mailer ??= createTransport({ url: smtpUrlWithTimeouts(this.config.smtpUrl), getSocket: smtpSocketThrough(this.outbound) });
    try {
      const mailer = this.mailer;
      await withSpan('smtp send', SpanKind.CLIENT, { 'server.address': new URL(this.config.smtpUrl).hostname }, () => mailer.sendMail({
        from: this.config.smtpFrom,
        to: d.recipient,
        subject: message.subject,
        text: withActionLinks(message.text, actions),
        // Multipart: clients that show HTML get the answers as buttons; every value is escaped.
        ...(actions.length ? { html: notificationEmailHtml(message.subject, message.text, actions) } : {}),
        headers: { 'X-Hindsight-Delivery': d.id },
      }));
    } catch (e) {
      const err = e as { responseCode?: number; message?: string };
      // 5xx SMTP replies are permanent (unknown mailbox, refused); the rest may pass later.
      const permanent = (typeof err.responseCode === 'number' && err.responseCode >= 500) || e instanceof OutboundRefused;
      throw new DeliveryError(`SMTP: ${err.message ?? String(e)}`, permanent);
    }
  }

  /**
   * Where a channel posts and the key it signs with, from its stored target and (sealed)
   * secret: a WEBHOOK channel posts to its target signed with its secret; a SLACK channel's
   * secret is its whole incoming-webhook URL (the stored target is only the redacted form).
   */
  private endpoint(kind: 'SLACK' | 'WEBHOOK', target: string | null, secret: string | null): { url: string; signingKey: string | null } {
    const opened = this.secrets.open(secret);
    if (kind === 'SLACK') {
      if (!opened) throw new DeliveryError('the SLACK channel has no webhook URL stored: delete it and add it again', true);
      return { url: opened, signingKey: null };
    }
    if (!opened) throw new DeliveryError('the WEBHOOK channel has no secret', true);
    if (!target) throw new DeliveryError('the channel has no target URL', true);
    return { url: target, signingKey: opened };
  }

  private async post(endpoint: { url: string; signingKey: string | null }, body: string, deliveryId: string): Promise<void> {
    const url = new URL(endpoint.url);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'user-agent': 'Hindsight-Chaser',
      'x-hindsight-delivery': deliveryId,
    };
    if (endpoint.signingKey) headers['x-hindsight-signature'] = signatureOf(body, endpoint.signingKey);
    // A client span, its trace context in `traceparent`; the path only, as queries may hold secrets.
    const status = await withSpan('POST', SpanKind.CLIENT, { 'http.request.method': 'POST', 'server.address': url.hostname, 'url.full': `${url.origin}${url.pathname}` }, (span) => new Promise<number>((resolve, reject) => {
      const client = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = client(url, { method: 'POST', headers: injectTraceHeaders(headers), agent: url.protocol === 'https:' ? this.outbound.httpsAgent : this.outbound.httpAgent, timeout: HTTP_TIMEOUT_MS }, (res) => {
        // Drain the body so the keep-alive connection is reused.
        res.resume();
        span?.setAttribute('http.response.status_code', res.statusCode ?? 0);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${HTTP_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    })).catch((e: Error) => {
      // A receiver inside the network stays refused: retrying cannot help.
      throw new DeliveryError(`POST ${url.host} failed: ${e.message}`, e instanceof OutboundRefused);
    });
    // Redirects are not followed: a webhook URL that moved is a configuration to fix.
    if (status >= 200 && status < 300) return;
    // 408 and 429 are "try later"; other 4xx (and 3xx) mean the request is refused for good.
    const permanent = status >= 300 && status < 500 && status !== 408 && status !== 429;
    throw new DeliveryError(`POST ${url.host} answered HTTP ${status}`, permanent);
  }

  onModuleDestroy(): void {
    this.mailer?.close();
  }
}
