import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AlertSignal, canEditIncidents, parseAlertPayload, type TimelineEventKind } from '@hindsight/domain';
import { assertValid, forbidden, isUniqueViolation } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { AnalysisRepository } from './analysis.repository';
import { EXTERNAL_KEY_INDEX, IncidentRow, IncidentsRepository } from './incidents.repository';
import { IncidentInput, IncidentsService } from './incidents.service';

export interface AlertOutcome {
  incident: Pick<IncidentRow, 'id' | 'reference' | 'status'> | null;
  /** What the alert changed: `created`, `acknowledged`, `mitigated`, `refired`, or nothing (a repeat). */
  changes: string[];
}

const later = (a: Date, b: Date | null | undefined): Date => (b && b > a ? b : a);

/**
 * Alerting systems open and advance incidents (PRODUCT.md 2, step 1). One incident per alert
 * group or sender incident, found again by (WEBHOOK, `<source>:<id>`), a unique index: repeats
 * and retries change nothing, concurrent deliveries of one alert open one incident. An alert
 * never closes an incident: resolution of the symptom marks it mitigated, and the commander
 * decides when it is resolved.
 */
@Injectable()
export class AlertIngestService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly incidents: IncidentsService,
    private readonly repo: IncidentsRepository,
    private readonly analysis: AnalysisRepository,
    private readonly audit: AuditService,
  ) {}

  async ingest(actor: SessionActor, source: string, body: unknown, now = new Date()): Promise<AlertOutcome> {
    if (!canEditIncidents(actor)) throw forbidden('Alert webhooks need an API token of a COMMANDER or above.');
    const parsed = parseAlertPayload(source, body, now);
    if (!parsed.ok) assertValid(parsed.errors);
    const signal = (parsed as { signal: AlertSignal }).signal;
    try {
      return await this.ds.transaction((em) => this.apply(em, actor, signal));
    } catch (e) {
      // The same alert delivered twice at once: the unique index let one through; apply again.
      if (!isUniqueViolation(e, EXTERNAL_KEY_INDEX)) throw e;
      return this.ds.transaction((em) => this.apply(em, actor, signal));
    }
  }

  private async apply(em: EntityManager, actor: SessionActor, signal: AlertSignal): Promise<AlertOutcome> {
    const origin = { source: 'WEBHOOK' as const, externalKey: signal.externalKey };
    const existing = await this.repo.incidentByExternalKey(em, origin);
    if (!existing) {
      // Only a firing alert opens an incident; an acknowledgement or resolution of one we never saw is noted, not invented.
      if (signal.state !== 'firing') return { incident: null, changes: [] };
      const input: IncidentInput = {
        title: signal.title,
        severity: signal.severity,
        status: 'INVESTIGATING',
        summary: signal.description,
        serviceIds: await this.repo.serviceIdsByName(em, signal.serviceNames),
        startedAt: signal.at,
        detectedAt: signal.at,
        labels: [`alert:${signal.externalKey.split(':')[0]}`],
      };
      const incident = await this.incidents.createWithin(em, actor, input, origin);
      await this.event(em, actor, incident.id, signal.at, 'ALERT', `Alert fired: ${signal.title}${signal.description ? `. ${signal.description}` : ''}`, signal.url);
      return { incident, changes: ['created'] };
    }

    const base = existing.mitigatedAt ?? existing.acknowledgedAt ?? existing.detectedAt ?? existing.startedAt;
    if (signal.state === 'acknowledged' && !existing.acknowledgedAt && !existing.mitigatedAt && !existing.resolvedAt) {
      const at = later(signal.at, existing.detectedAt ?? existing.startedAt);
      const incident = await this.incidents.updateWithin(em, actor, existing.id, { acknowledgedAt: at });
      await this.event(em, actor, existing.id, at, 'PAGE', `Acknowledged in ${signal.externalKey.split(':')[0]}`, signal.url);
      return { incident, changes: ['acknowledged'] };
    }
    if (signal.state === 'resolved' && !existing.mitigatedAt && !existing.resolvedAt) {
      const at = later(signal.at, base);
      const status = existing.status === 'INVESTIGATING' || existing.status === 'IDENTIFIED' ? 'MITIGATED' : existing.status;
      const incident = await this.incidents.updateWithin(em, actor, existing.id, { mitigatedAt: at, status });
      await this.event(em, actor, existing.id, at, 'MITIGATION', `Alert resolved: ${signal.title}`, signal.url);
      return { incident, changes: ['mitigated'] };
    }
    if (signal.state === 'firing' && (existing.mitigatedAt || existing.resolvedAt)) {
      // Firing again after it stopped: worth a line on the timeline, not a new incident.
      await this.event(em, actor, existing.id, later(signal.at, base), 'ALERT', `Alert fired again: ${signal.title}`, signal.url);
      return { incident: existing, changes: ['refired'] };
    }
    return { incident: existing, changes: [] };
  }

  private async event(em: EntityManager, actor: SessionActor, incidentId: string, occurredAt: Date, kind: TimelineEventKind, description: string, url: string | null): Promise<void> {
    const event = await this.analysis.insertTimelineEvent(em, {
      incidentId, occurredAt, kind, description: description.slice(0, 10_000), evidenceUrl: url, source: 'WEBHOOK', authorId: actor.id,
    });
    await this.audit.record(em, { actorId: actor.id, action: 'timeline-event.create', entityType: 'TimelineEvent', entityId: event.id, after: event });
  }
}
