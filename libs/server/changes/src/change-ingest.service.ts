import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { canEditIncidents, isNewerReport, looksLikeArgoCd, parseChangePayload, type ChangeDelivery, type ChangeSignal } from '@hindsight/domain';
import { AuditService } from '@hindsight/server-audit';
import { badInput, badInputs, forbidden, header, notFound, unauthenticated, type WebhookHeaders } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { verifyChangeWebhook } from './change-signature.rule';
import { ChangeSourcesService } from './change-sources.service';
import { ChangeRow, ChangesRepository } from './changes.repository';

export interface IngestOutcome {
  /** created / updated (a later report of the same change) / unchanged (a replay) / ignored (not a finished change). */
  outcome: 'created' | 'updated' | 'unchanged' | 'ignored';
  reason?: string;
  change: { id: string; serviceName: string; serviceId: string | null; matched: boolean } | null;
}

/** Who sent a change: a COMMANDER's (or above) API token, or a change source whose secret signed it. */
type Sender = { actorId: string; changeSourceId: null } | { actorId: null; changeSourceId: string };

const SIGNED_ELSEWHERE =
  "GitHub and GitLab webhooks are verified with a change source's secret: send them to the change source's URL, /api/changes/<change source id> (an ADMIN creates one with createChangeSource; docs/changes.md)";

/**
 * Changes in (issue 25): every sender's payload read by the domain's parser, stored once per
 * the sender's own id of the change (a replay stores nothing new), matched to a service by
 * name or alias, kept unmatched when none has the name. Audited like every other write.
 */
@Injectable()
export class ChangeIngestService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ChangesRepository,
    private readonly sources: ChangeSourcesService,
    private readonly audit: AuditService,
  ) {}

  /** `POST /api/changes` with an API token: the generic shape, or an Argo CD notification. */
  async fromToken(actor: SessionActor, headers: WebhookHeaders, body: unknown, now = new Date()): Promise<IngestOutcome> {
    if (!canEditIncidents(actor)) throw forbidden('Change events need an API token of a COMMANDER or above (create one under Settings → API tokens).');
    if (header(headers, 'x-github-event') || header(headers, 'x-gitlab-event')) throw badInput('source', SIGNED_ELSEWHERE);
    const source = looksLikeArgoCd(body) ? 'argocd' : 'generic';
    return this.ingest({ source, event: null, body, receivedAt: now }, { actorId: actor.id, changeSourceId: null });
  }

  /** `POST /api/changes/<change source id>`: a GitHub or GitLab webhook, signed with the source's secret. */
  async fromSource(sourceId: string, headers: WebhookHeaders, rawBody: Buffer, body: unknown, now = new Date()): Promise<IngestOutcome> {
    const source = await this.sources.byId(sourceId);
    if (!source) throw notFound('change source', sourceId);
    const check = verifyChangeWebhook(source.kind, headers, rawBody, this.sources.secretOf(source));
    const expected = source.kind === 'GITHUB' ? 'X-Hub-Signature-256' : 'X-Gitlab-Token';
    if (check === 'missing') throw unauthenticated(`No ${expected} header: set the change source's secret as the webhook's ${source.kind === 'GITHUB' ? 'secret' : 'secret token'}.`);
    if (check === 'bad') throw unauthenticated(`${expected} does not match this change source's secret.`);
    const delivery: ChangeDelivery =
      source.kind === 'GITHUB'
        ? { source: 'github', event: header(headers, 'x-github-event') ?? null, body: githubPayload(headers, body), receivedAt: now }
        : { source: 'gitlab', event: header(headers, 'x-gitlab-event') ?? null, body, receivedAt: now };
    return this.ingest(delivery, { actorId: null, changeSourceId: source.id });
  }

  private async ingest(delivery: ChangeDelivery, sender: Sender): Promise<IngestOutcome> {
    const parsed = parseChangePayload(delivery);
    if (parsed.kind === 'invalid') throw badInputs(parsed.errors);
    const sourceId = sender.changeSourceId;
    if (parsed.kind === 'ignored') {
      // A ping or a deploy still running still proves the webhook reaches us and is signed right.
      if (sourceId) await this.ds.transaction((em) => this.repo.touchSource(em, sourceId, delivery.receivedAt));
      return { outcome: 'ignored', reason: parsed.reason, change: null };
    }
    return this.ds.transaction(async (em) => {
      if (sourceId) await this.repo.touchSource(em, sourceId, delivery.receivedAt);
      return this.store(em, parsed.change, sender);
    });
  }

  private async store(em: EntityManager, signal: ChangeSignal, sender: Sender): Promise<IngestOutcome> {
    let existing = await this.repo.bySourceKeyForUpdate(em, signal.source, signal.sourceKey);
    if (!existing) {
      const created = await this.repo.insert(em, signal, await this.repo.serviceIdForName(em, signal.serviceName));
      if (created) {
        await this.audit.record(em, { actorId: sender.actorId, action: 'change.create', entityType: 'Change', entityId: created.id, after: { ...created, changeSourceId: sender.changeSourceId } });
        return outcome('created', created);
      }
      // The same change delivered twice at once: the other delivery stored it first.
      existing = await this.repo.bySourceKeyForUpdate(em, signal.source, signal.sourceKey);
      if (!existing) throw new Error(`change ${signal.source}:${signal.sourceKey} neither inserted nor found`);
    }
    if (!isNewerReport(existing, signal)) return outcome('unchanged', existing);
    const updated = await this.repo.updateReport(em, existing.id, signal);
    await this.audit.record(em, { actorId: sender.actorId, action: 'change.update', entityType: 'Change', entityId: updated.id, before: existing, after: { ...updated, changeSourceId: sender.changeSourceId } });
    return outcome('updated', updated);
  }
}

/** GitHub's form content type (its default) sends the JSON as the `payload` field; the signature covers the form as sent. */
function githubPayload(headers: WebhookHeaders, body: unknown): unknown {
  const form = (header(headers, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  const payload = form && typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['payload'] : undefined;
  if (!form) return body;
  if (typeof payload !== 'string') throw badInput('payload', 'is missing: GitHub sends the event as the payload field of its form');
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    throw badInput('payload', 'is not JSON');
  }
}

function outcome(kind: IngestOutcome['outcome'], c: ChangeRow): IngestOutcome {
  return { outcome: kind, change: { id: c.id, serviceName: c.serviceName, serviceId: c.serviceId, matched: c.serviceId !== null } };
}
