import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  canEditIncidents,
  CHANGE_ROLES,
  changeTimelineDescription,
  checkChangeWindowMinutes,
  isOneOf,
  secondTriggerReason,
  type ChangeRole,
} from '@hindsight/domain';
import { AuditService } from '@hindsight/server-audit';
import { assertValid, badInput, conflict, forbidden, isUniqueViolation, isUuid, notFound, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { AnalysisService, IncidentRow, IncidentsService } from '@hindsight/server-incidents';
import { ChangeRow, ChangesRepository, LinkRow } from './changes.repository';

const ONE_TRIGGER_INDEX = 'incident_changes_one_trigger';
const EDIT_REFUSAL = 'Only commanders, managers and administrators link changes to incidents; viewers read.';

/**
 * The changes on an incident (issue 25): a commander links a change as TRIGGERING (one per
 * incident, like the triggering cause) or CONTRIBUTING, or unlinks it, and sets how far back
 * "changes before detection" looks. A linked change becomes a CHANGE event on the incident's
 * timeline with the change's link: the triggering cause's evidence, in the postmortem too.
 * Each write locks the incident, so two commanders clicking at once are applied one by one.
 */
@Injectable()
export class IncidentChangesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ChangesRepository,
    private readonly incidents: IncidentsService,
    private readonly analysis: AnalysisService,
    private readonly audit: AuditService,
  ) {}

  async link(actor: SessionActor, incidentId: string, changeId: string, role: ChangeRole): Promise<IncidentRow> {
    if (!canEditIncidents(actor)) throw forbidden(EDIT_REFUSAL);
    if (!isOneOf(CHANGE_ROLES, role)) throw badInput('role', `must be one of ${CHANGE_ROLES.join(', ')}`);
    try {
      await this.onIncident(incidentId, async (em) => {
        const [change] = isUuid(changeId) ? await this.repo.byIds([changeId], em) : [];
        if (!change) throw unknownId('change', changeId, 'changeId');
        const links = await this.repo.linksOf(em, incidentId);
        const current = links.find((l) => l.changeId === changeId) ?? null;
        if (current?.role === role) return;
        const trigger = links.find((l) => l.role === 'TRIGGERING' && l.changeId !== changeId);
        if (role === 'TRIGGERING' && trigger) await this.refuseSecondTrigger(em, trigger);
        const timelineEventId = await this.recordOnTimeline(em, actor, incidentId, change, role, current);
        const next: LinkRow = { incidentId, changeId, role, timelineEventId };
        if (current) await this.repo.updateLink(em, next, actor.id);
        else await this.repo.insertLink(em, next, actor.id);
        await this.audit.record(em, {
          actorId: actor.id, action: current ? 'incident-change.update' : 'incident-change.create', entityType: 'IncidentChange', entityId: `${incidentId}:${changeId}`,
          ...(current ? { before: current } : {}), after: next,
        });
      });
    } catch (e) {
      // Two commanders marking two changes as triggering at once: the unique index lets one through.
      if (isUniqueViolation(e, ONE_TRIGGER_INDEX)) throw conflict('another change was just marked as the triggering change of this incident: reload and try again');
      throw e;
    }
    return this.incident(incidentId);
  }

  /** Takes the change off the incident, and its event off the timeline; a change not linked changes nothing. */
  async unlink(actor: SessionActor, incidentId: string, changeId: string): Promise<IncidentRow> {
    if (!canEditIncidents(actor)) throw forbidden(EDIT_REFUSAL);
    await this.onIncident(incidentId, async (em) => {
      const current = (await this.repo.linksOf(em, incidentId)).find((l) => l.changeId === changeId);
      if (!current) return;
      await this.repo.deleteLink(em, incidentId, changeId);
      if (current.timelineEventId) await this.analysis.deleteTimelineEventWithin(em, actor, current.timelineEventId);
      await this.audit.record(em, { actorId: actor.id, action: 'incident-change.delete', entityType: 'IncidentChange', entityId: `${incidentId}:${changeId}`, before: current });
    });
    return this.incident(incidentId);
  }

  /** How far before detection the incident looks for changes; null goes back to the default (4 hours). */
  async setWindow(actor: SessionActor, incidentId: string, minutes: number | null): Promise<IncidentRow> {
    if (!canEditIncidents(actor)) throw forbidden(EDIT_REFUSAL);
    if (minutes !== null) assertValid([checkChangeWindowMinutes('minutes', minutes)].filter((e) => e !== null));
    await this.onIncident(incidentId, async (em) => {
      const before = await this.repo.windowOf(em, incidentId);
      if (before === minutes) return;
      await this.repo.setWindow(em, incidentId, minutes);
      await this.audit.record(em, { actorId: actor.id, action: 'incident.change-window', entityType: 'Incident', entityId: incidentId, before: { minutes: before }, after: { minutes } });
    });
    return this.incident(incidentId);
  }

  private async onIncident(incidentId: string, work: (em: EntityManager) => Promise<void>): Promise<void> {
    if (!isUuid(incidentId)) throw notFound('incident', incidentId);
    await this.ds.transaction(async (em) => {
      if (!(await this.repo.lockIncident(em, incidentId))) throw notFound('incident', incidentId);
      await work(em);
    });
  }

  private async refuseSecondTrigger(em: EntityManager, trigger: LinkRow): Promise<never> {
    const [other] = await this.repo.byIds([trigger.changeId], em);
    throw conflict(secondTriggerReason(other ?? { serviceName: 'another change', version: null }), { changeId: trigger.changeId });
  }

  /**
   * The link's CHANGE event: reworded when the role changes, written anew when there is none
   * (a new link, or someone deleted the event). It sits at the change's finish, with its link.
   */
  private async recordOnTimeline(em: EntityManager, actor: SessionActor, incidentId: string, change: ChangeRow, role: ChangeRole, current: LinkRow | null): Promise<string> {
    const description = changeTimelineDescription(role, change);
    const reworded = current?.timelineEventId ? await this.analysis.updateTimelineEventWithin(em, actor, current.timelineEventId, { description }) : null;
    if (reworded) return reworded.id;
    const event = await this.analysis.addTimelineEventWithin(em, actor, incidentId, { occurredAt: change.finishedAt, kind: 'CHANGE', description, evidenceUrl: change.url });
    return event.id;
  }

  private async incident(id: string): Promise<IncidentRow> {
    const row = await this.incidents.byId(id);
    if (!row) throw notFound('incident', id);
    return row;
  }
}
