import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  checkName,
  collectErrors,
  FieldError,
  IncidentKind,
  IncidentStatus,
  parseReference,
  postmortemDueAt,
  Severity,
  SloDimension,
  validateIncidentInput,
} from '@hindsight/domain';
import { assertValid, badInput, decodeCursor, encodeCursor, isUuid, notFound, pageSize, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { PoliciesService } from '@hindsight/server-settings';
import { IncidentCursor, IncidentListFilter, IncidentOrigin, IncidentRow, IncidentsRepository, IncidentWrite } from './incidents.repository';
import { PostmortemsRepository } from './postmortems.repository';

/** The incident fields of CreateIncidentInput / UpdateIncidentInput, as plain data. */
export interface IncidentInput {
  title?: string | null;
  severity?: Severity | null;
  status?: IncidentStatus | null;
  summary?: string | null;
  serviceIds?: string[] | null;
  impactedDimensions?: SloDimension[] | null;
  segments?: string[] | null;
  regions?: string[] | null;
  commanderId?: string | null;
  startedAt?: Date | null;
  detectedAt?: Date | null;
  acknowledgedAt?: Date | null;
  mitigatedAt?: Date | null;
  resolvedAt?: Date | null;
  responderHours?: number | null;
  slaCredits?: number | null;
  customerImpact?: string | null;
  usersAffected?: number | null;
  failedRequests?: number | null;
  impactFraction?: number | null;
  labels?: string[] | null;
  kind?: IncidentKind | null;
}

export interface IncidentPage {
  nodes: IncidentRow[];
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** Long enough for any real search, short enough to keep the query planner honest. */
const SEARCH_MAX_CHARS = 500;

/** Labels are compared trimmed; duplicates say nothing more. */
const labels = (values: readonly string[] | null | undefined): string[] => [...new Set((values ?? []).map((v) => v.trim()))];
const unique = <T>(values: readonly T[] | null | undefined): T[] => [...new Set(values ?? [])];
const textOrNull = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v);

@Injectable()
export class IncidentsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: IncidentsRepository,
    private readonly postmortems: PostmortemsRepository,
    private readonly policies: PoliciesService,
    private readonly audit: AuditService,
  ) {}

  async byId(id: string): Promise<IncidentRow | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.repo.incidentsByIds([id]);
    return row ?? null;
  }

  /** Rows of the ids found, in no particular order: other rooms' batches. */
  byIds(ids: readonly string[]): Promise<IncidentRow[]> {
    return ids.length ? this.repo.incidentsByIds(ids) : Promise.resolve([]);
  }

  async byReference(reference: string): Promise<IncidentRow | null> {
    const n = parseReference(reference);
    return n === null ? null : this.repo.incidentByNumber(n);
  }

  async create(actor: SessionActor, input: IncidentInput): Promise<IncidentRow> {
    return this.ds.transaction((em) => this.createWithin(em, actor, input, null));
  }

  /**
   * Creates an incident inside the caller's transaction (an import adds its timeline in the
   * same one). `origin` records where an imported incident came from; its postmortem already
   * exists at the source, so it gets no due date and is never chased.
   */
  async createWithin(em: EntityManager, actor: SessionActor, input: IncidentInput, origin: IncidentOrigin | null): Promise<IncidentRow> {
    assertValid(collectErrors(validateIncidentInput(input, 'create'), idFormatErrors(input)));
    const serviceIds = unique(input.serviceIds);
    await this.assertReferencesExist(em, serviceIds, input.commanderId ?? null);
    const write: IncidentWrite = {
      title: (input.title ?? '').trim(),
      severity: input.severity as Severity,
      status: input.status ?? 'INVESTIGATING',
      summary: textOrNull(input.summary),
      impactedDimensions: unique(input.impactedDimensions),
      segments: labels(input.segments),
      regions: labels(input.regions),
      commanderId: input.commanderId ?? null,
      startedAt: input.startedAt as Date,
      detectedAt: input.detectedAt ?? null,
      acknowledgedAt: input.acknowledgedAt ?? null,
      mitigatedAt: input.mitigatedAt ?? null,
      resolvedAt: input.resolvedAt ?? null,
      responderHours: input.responderHours ?? null,
      slaCredits: input.slaCredits ?? null,
      customerImpact: textOrNull(input.customerImpact),
      usersAffected: input.usersAffected ?? null,
      failedRequests: input.failedRequests ?? null,
      impactFraction: input.impactFraction ?? 1,
      labels: labels(input.labels),
      kind: input.kind ?? 'INCIDENT',
    };
    const incident = await this.repo.insertIncident(em, write, actor.id, origin);
    await this.repo.setServices(em, incident.id, serviceIds);
    // The postmortem exists from the start (DRAFT), so the team can write while it runs.
    const dueAt = origin?.source === 'IMPORT' ? null : postmortemDueAt(incident.severity, incident.resolvedAt, await this.policies.current(em));
    const postmortem = await this.postmortems.insert(em, incident.id, dueAt);
    await this.audit.record(em, { actorId: actor.id, action: 'incident.create', entityType: 'Incident', entityId: incident.id, after: { ...incident, serviceIds, ...origin } });
    await this.audit.record(em, { actorId: actor.id, action: 'postmortem.create', entityType: 'Postmortem', entityId: postmortem.id, after: postmortem });
    return incident;
  }

  async update(actor: SessionActor, id: string, input: IncidentInput): Promise<IncidentRow> {
    if (!isUuid(id)) throw notFound('incident', id);
    assertValid(idFormatErrors(input));
    return this.ds.transaction((em) => this.updateWithin(em, actor, id, input));
  }

  /** Updates an incident inside the caller's transaction (an alert adds its timeline event in the same one). */
  async updateWithin(em: EntityManager, actor: SessionActor, id: string, input: IncidentInput): Promise<IncidentRow> {
    const before = await this.repo.incidentForUpdate(em, id);
    if (!before) throw notFound('incident', id);
    assertValid(validateIncidentInput(input, 'update', before));
    const serviceIds = input.serviceIds === undefined ? undefined : unique(input.serviceIds);
    await this.assertReferencesExist(em, serviceIds ?? [], input.commanderId ?? null);
    const write: IncidentWrite = {
      title: input.title ? input.title.trim() : before.title,
      severity: input.severity ?? before.severity,
      status: input.status ?? before.status,
      summary: input.summary === undefined ? before.summary : textOrNull(input.summary),
      impactedDimensions: input.impactedDimensions === undefined ? before.impactedDimensions : unique(input.impactedDimensions),
      segments: input.segments === undefined ? before.segments : labels(input.segments),
      regions: input.regions === undefined ? before.regions : labels(input.regions),
      commanderId: input.commanderId === undefined ? before.commanderId : input.commanderId,
      startedAt: input.startedAt ?? before.startedAt,
      detectedAt: input.detectedAt === undefined ? before.detectedAt : input.detectedAt,
      acknowledgedAt: input.acknowledgedAt === undefined ? before.acknowledgedAt : input.acknowledgedAt,
      mitigatedAt: input.mitigatedAt === undefined ? before.mitigatedAt : input.mitigatedAt,
      resolvedAt: input.resolvedAt === undefined ? before.resolvedAt : input.resolvedAt,
      responderHours: input.responderHours === undefined ? before.responderHours : input.responderHours,
      slaCredits: input.slaCredits === undefined ? before.slaCredits : input.slaCredits,
      customerImpact: input.customerImpact === undefined ? before.customerImpact : textOrNull(input.customerImpact),
      usersAffected: input.usersAffected === undefined ? before.usersAffected : input.usersAffected,
      failedRequests: input.failedRequests === undefined ? before.failedRequests : input.failedRequests,
      impactFraction: input.impactFraction ?? before.impactFraction,
      labels: input.labels === undefined ? before.labels : labels(input.labels),
      kind: input.kind ?? before.kind,
    };
    const servicesBefore = await this.repo.serviceIdsOf(em, id);
    const after = await this.repo.updateIncident(em, id, write);
    if (serviceIds !== undefined) await this.repo.setServices(em, id, serviceIds);
    await this.recomputePostmortemDue(em, actor, before, after);
    await this.audit.record(em, {
      actorId: actor.id, action: 'incident.update', entityType: 'Incident', entityId: id,
      before: { ...before, serviceIds: servicesBefore }, after: { ...after, serviceIds: serviceIds ?? servicesBefore },
    });
    return after;
  }

  async list(filter: IncidentListFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<IncidentPage> {
    const limit = pageSize(first);
    const cursor = parseIncidentCursor(after);
    const f = filter ?? {};
    assertValid(filterErrors(f));
    const search = f.search?.trim() || null;
    const query: IncidentListFilter = { ...f, segment: f.segment?.trim() || null, search, searchNumber: search ? parseReference(search) : null };
    const [rows, totalCount] = await Promise.all([this.repo.list(query, limit + 1, cursor), this.repo.count(query)]);
    const nodes = rows.slice(0, limit);
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      totalCount,
      pageInfo: { endCursor: last ? encodeCursor([last.cursorAt, last.id]) : null, hasNextPage: rows.length > limit },
    };
  }

  /**
   * The postmortem is due a policy-set time after resolution, so a change of severity or
   * resolvedAt moves it — until publication, after which the due date is history.
   */
  private async recomputePostmortemDue(em: EntityManager, actor: SessionActor, before: IncidentRow, after: IncidentRow): Promise<void> {
    const changed = before.severity !== after.severity || before.resolvedAt?.getTime() !== after.resolvedAt?.getTime();
    if (!changed) return;
    const postmortem = await this.postmortems.postmortemForUpdate(em, after.id);
    if (!postmortem || postmortem.status === 'PUBLISHED') return;
    const dueAt = postmortemDueAt(after.severity, after.resolvedAt, await this.policies.current(em));
    if (dueAt?.getTime() === postmortem.dueAt?.getTime()) return;
    await this.postmortems.setDueAt(em, postmortem.id, dueAt);
    await this.audit.record(em, {
      actorId: actor.id, action: 'postmortem.due-date', entityType: 'Postmortem', entityId: postmortem.id,
      before: { dueAt: postmortem.dueAt }, after: { dueAt },
    });
  }

  private async assertReferencesExist(em: EntityManager, serviceIds: readonly string[], commanderId: string | null): Promise<void> {
    if (serviceIds.length) {
      const found = await this.repo.existingServiceIds(em, serviceIds);
      const missing = serviceIds.find((s) => !found.has(s));
      if (missing) throw unknownId('service', missing, 'input.serviceIds');
    }
    if (commanderId) {
      const active = await this.repo.activeUserIds(em, [commanderId]);
      if (!active.has(commanderId)) throw badInput('input.commanderId', `no active user with id "${commanderId}"`);
    }
  }
}

/** Ids that are not UUIDs cannot exist; saying so early keeps malformed ids away from SQL casts. */
function idFormatErrors(input: Pick<IncidentInput, 'serviceIds' | 'commanderId'>): FieldError[] {
  return collectErrors(
    (input.serviceIds ?? []).filter((id) => !isUuid(id)).slice(0, 1).map((id) => ({ field: 'input.serviceIds', reason: `no service with id "${id}"` })),
    input.commanderId && !isUuid(input.commanderId) ? { field: 'input.commanderId', reason: `no active user with id "${input.commanderId}"` } : null,
  );
}

function filterErrors(f: IncidentListFilter): FieldError[] {
  const badId = (field: string, ids: readonly string[] | null | undefined): FieldError | null => {
    const bad = (ids ?? []).find((id) => !isUuid(id));
    return bad === undefined ? null : { field, reason: `"${bad}" is not an id` };
  };
  return collectErrors(
    badId('filter.serviceIds', f.serviceIds),
    badId('filter.teamIds', f.teamIds),
    f.segment?.trim() ? checkName('filter.segment', f.segment, { required: false }) : null,
    f.search?.trim() ? checkName('filter.search', f.search, { max: SEARCH_MAX_CHARS }) : null,
    f.startedAfter && f.startedBefore && f.startedAfter.getTime() > f.startedBefore.getTime()
      ? { field: 'filter.startedBefore', reason: 'must not be before startedAfter' }
      : null,
  );
}

function parseIncidentCursor(after: string | null | undefined): IncidentCursor | null {
  const keys = decodeCursor(after, 2);
  if (!keys) return null;
  const [startedAt, id] = keys;
  if (typeof startedAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(startedAt)) || !isUuid(id)) {
    throw badInput('after', 'is not a cursor from this list: pass pageInfo.endCursor of the previous page');
  }
  return { startedAt, id };
}
