import { Injectable } from '@nestjs/common';
import { addDays, reachedStepBounds, WORK_DUE_SOON_DAYS, WorkItem, WorkItemPath, workQueue } from '@hindsight/domain';
import { ActionItemRow, ActionItemsService } from '@hindsight/server-action-items';
import type { SessionActor } from '@hindsight/server-graphql';
import { IncidentRow, IncidentsService, PostmortemRow, PostmortemsService } from '@hindsight/server-incidents';
import { ExtensionRequestRow, ExtensionRequestsRepository } from './extension-requests.repository';
import { MyWorkEntry, MyWorkList, MyWorkRepository } from './my-work.repository';
import type { WorkEntryType } from './work.types';

/** What the queue needs to know beyond the lists' rows: teams' managers, whether assignees are active, postmortems' incidents. */
export interface MyWorkLookups {
  teamManager(teamId: string): string | null;
  isActive(userId: string): boolean;
  incident(incidentId: string): IncidentRow | null;
}

/** What the home queue (MyWork.queue) is built from: the rows of the lists, and why each is there. */
export interface MyWorkSource {
  actor: SessionActor;
  now: Date;
  items: { row: ActionItemRow; paths: WorkItemPath[] }[];
  requests: { row: ExtensionRequestRow; item: ActionItemRow }[];
  postmortems: { row: PostmortemRow; role: 'REVIEWER' | 'COMMANDER' }[];
  incidents: IncidentRow[];
}

export interface MyWork {
  overdue: ActionItemRow[];
  dueSoon: ActionItemRow[];
  unassignedInMyTeams: ActionItemRow[];
  escalatedInMyTeams: ActionItemRow[];
  extensionRequests: ExtensionRequestRow[];
  postmortemsToWrite: PostmortemRow[];
  reviewsRequested: PostmortemRow[];
  openIncidents: IncidentRow[];
  source: MyWorkSource;
}

/** Each list shows at most this many rows; the full lists are a link away. */
export const MY_WORK_LIMIT = 50;

const ITEM_LISTS = ['overdue', 'dueSoon', 'unassignedInMyTeams', 'escalatedInMyTeams', 'requestItems'] as const;
const POSTMORTEM_LISTS = ['postmortemsToWrite', 'reviewsRequested'] as const;
const PATH_OF_LIST: Partial<Record<MyWorkList, WorkItemPath>> = { overdue: 'ASSIGNED', dueSoon: 'ASSIGNED', escalatedInMyTeams: 'ESCALATED_TO_ME', unassignedInMyTeams: 'UNCLAIMED' };

const empty = (actor: SessionActor, now: Date): MyWork => ({
  overdue: [], dueSoon: [], unassignedInMyTeams: [], escalatedInMyTeams: [], extensionRequests: [], postmortemsToWrite: [], reviewsRequested: [], openIncidents: [],
  source: { actor, now, items: [], requests: [], postmortems: [], incidents: [] },
});

/**
 * What needs the signed-in person now: one statement finds the ids of every list, then one
 * read per kind of row (items, requests, postmortems, incidents), whatever the list sizes.
 * Leadership (VIEWER) never edits, so nothing waits on them: their lists are empty and the
 * home page shows them the week's summary instead.
 */
@Injectable()
export class MyWorkService {
  constructor(
    private readonly repo: MyWorkRepository,
    private readonly items: ActionItemsService,
    private readonly requests: ExtensionRequestsRepository,
    private readonly incidents: IncidentsService,
    private readonly postmortems: PostmortemsService,
  ) {}

  async forActor(actor: SessionActor, now = new Date()): Promise<MyWork> {
    if (actor.role === 'VIEWER') return empty(actor, now);
    const escalated = reachedStepBounds(now).find((b) => b.step === 'ESCALATED');
    if (!escalated) throw new Error('the ladder has no ESCALATED step');
    const entries = await this.repo.entries({
      userId: actor.id, teamIds: actor.teamIds, isAdmin: actor.role === 'ADMIN', now,
      dueSoonUntil: addDays(now, WORK_DUE_SOON_DAYS), escalatedDueBy: escalated.latestDueAt, limit: MY_WORK_LIMIT,
    });
    const byList = new Map<MyWorkList, MyWorkEntry[]>();
    for (const e of entries) byList.set(e.list, [...(byList.get(e.list) ?? []), e]);
    const ids = (lists: readonly MyWorkList[]) => [...new Set(lists.flatMap((l) => (byList.get(l) ?? []).map((e) => e.id)))];
    const itemIds = ids(ITEM_LISTS);
    const requestIds = ids(['extensionRequests']);
    const postmortemIncidentIds = ids(POSTMORTEM_LISTS);
    const openIncidentIds = ids(['openIncidents']);
    const [itemRows, requestRows, postmortemRows, incidentRows] = await Promise.all([
      this.items.byIds(itemIds),
      requestIds.length ? this.requests.byIds(requestIds) : [],
      this.postmortems.ofIncidents(postmortemIncidentIds),
      this.incidents.byIds(openIncidentIds),
    ]);
    const pick = <T>(list: MyWorkList, rows: readonly T[], key: (row: T) => string): T[] => {
      const map = new Map(rows.map((r) => [key(r), r]));
      return [...(byList.get(list) ?? [])]
        .sort((a, b) => a.position - b.position)
        .map((e) => map.get(e.id))
        .filter((r): r is T => r !== undefined);
    };
    const work = {
      overdue: pick('overdue', itemRows, (r) => r.id),
      dueSoon: pick('dueSoon', itemRows, (r) => r.id),
      unassignedInMyTeams: pick('unassignedInMyTeams', itemRows, (r) => r.id),
      escalatedInMyTeams: pick('escalatedInMyTeams', itemRows, (r) => r.id),
      extensionRequests: pick('extensionRequests', requestRows, (r) => r.id),
      postmortemsToWrite: pick('postmortemsToWrite', postmortemRows, (r) => r.incidentId),
      reviewsRequested: pick('reviewsRequested', postmortemRows, (r) => r.incidentId),
      openIncidents: pick('openIncidents', incidentRows, (r) => r.id),
    };
    const itemById = new Map(itemRows.map((r) => [r.id, r]));
    const paths = new Map<string, WorkItemPath[]>();
    for (const [list, path] of Object.entries(PATH_OF_LIST) as [MyWorkList, WorkItemPath][]) {
      for (const row of work[list as keyof typeof work] as ActionItemRow[]) paths.set(row.id, [...(paths.get(row.id) ?? []), path]);
    }
    return {
      ...work,
      source: {
        actor, now,
        items: [...paths].flatMap(([id, p]) => (itemById.has(id) ? [{ row: itemById.get(id) as ActionItemRow, paths: p }] : [])),
        requests: work.extensionRequests.flatMap((row) => (itemById.has(row.actionItemId) ? [{ row, item: itemById.get(row.actionItemId) as ActionItemRow }] : [])),
        postmortems: [
          ...work.reviewsRequested.map((row) => ({ row, role: 'REVIEWER' as const })),
          ...work.postmortemsToWrite.map((row) => ({ row, role: 'COMMANDER' as const })),
        ],
        incidents: work.openIncidents,
      },
    };
  }

  /**
   * The lists as one queue, most urgent first, each thing once (the domain's workQueue): what
   * the home page shows. Deactivated assignees count as nobody, as in the lists.
   */
  queue(source: MyWorkSource, lookups: MyWorkLookups): WorkEntryType[] {
    const workItem = (row: ActionItemRow): WorkItem => ({
      id: row.id, priority: row.priority, status: row.status, dueAt: row.dueAt, snoozedUntil: row.snoozedUntil, createdAt: row.createdAt,
      ownerTeamId: row.ownerTeamId, teamManagerId: lookups.teamManager(row.ownerTeamId),
      assigneeId: row.assigneeId && lookups.isActive(row.assigneeId) ? row.assigneeId : null,
    });
    const itemRows = new Map([...source.items.map((i) => i.row), ...source.requests.map((r) => r.item)].map((r) => [r.id, r]));
    const requestRows = new Map(source.requests.map((r) => [r.row.id, r.row]));
    const postmortemRows = new Map(source.postmortems.map((p) => [p.row.id, p.row]));
    const incidentRows = new Map(source.incidents.map((i) => [i.id, i]));
    const postmortems = source.postmortems.flatMap(({ row, role }) => {
      const incident = lookups.incident(row.incidentId);
      if (!incident) return [];
      return [{ postmortemId: row.id, incidentId: row.incidentId, incidentReference: incident.reference, status: row.status, dueAt: row.dueAt, commanderId: incident.commanderId, role, since: row.createdAt }];
    });
    const entries = workQueue(
      {
        actor: source.actor,
        items: source.items.map(({ row, paths }) => ({ ...workItem(row), paths })),
        requests: source.requests.map(({ row, item }) => ({ id: row.id, requesterId: row.requestedById, createdAt: row.createdAt, item: workItem(item) })),
        postmortems,
        incidents: source.incidents.map((i) => ({ id: i.id, reference: i.reference, severity: i.severity, startedAt: i.startedAt, commanderId: i.commanderId })),
      },
      source.now,
    );
    return entries.map((e) => {
      const item = e.actionItemId ? (itemRows.get(e.actionItemId) ?? null) : null;
      const postmortem = e.postmortemId ? (postmortemRows.get(e.postmortemId) ?? null) : null;
      return {
        id: e.key, kind: e.kind, urgency: e.urgency, reason: e.reason, dueAt: e.dueAt, answers: [...e.answers],
        actionItemRow: item,
        requestRow: e.extensionRequestId ? (requestRows.get(e.extensionRequestId) ?? null) : null,
        postmortemRow: postmortem,
        incidentRow: e.incidentId ? (incidentRows.get(e.incidentId) ?? lookups.incident(e.incidentId)) : null,
        incidentId: e.incidentId ?? item?.incidentId ?? null,
        ownerId: e.ownerId, teamId: e.teamId,
      };
    });
  }
}
