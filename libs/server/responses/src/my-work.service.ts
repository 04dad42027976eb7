import { Injectable } from '@nestjs/common';
import { addDays, reachedStepBounds } from '@hindsight/domain';
import { ActionItemRow, ActionItemsRepository } from '@hindsight/server-action-items';
import type { SessionActor } from '@hindsight/server-graphql';
import { IncidentRow, IncidentsRepository, PostmortemRow, PostmortemsRepository } from '@hindsight/server-incidents';
import { ExtensionRequestRow, ExtensionRequestsRepository } from './extension-requests.repository';
import { MyWorkEntry, MyWorkList, MyWorkRepository } from './my-work.repository';

export interface MyWork {
  overdue: ActionItemRow[];
  dueSoon: ActionItemRow[];
  unassignedInMyTeams: ActionItemRow[];
  escalatedInMyTeams: ActionItemRow[];
  extensionRequests: ExtensionRequestRow[];
  postmortemsToWrite: PostmortemRow[];
  reviewsRequested: PostmortemRow[];
  openIncidents: IncidentRow[];
}

/** "Due soon" on the home page looks a week ahead (the ladder's DUE_SOON step is 3 days). */
export const DUE_SOON_DAYS = 7;
/** Each list shows at most this many rows; the full lists are a link away. */
export const MY_WORK_LIMIT = 50;

const ITEM_LISTS = ['overdue', 'dueSoon', 'unassignedInMyTeams', 'escalatedInMyTeams'] as const;
const POSTMORTEM_LISTS = ['postmortemsToWrite', 'reviewsRequested'] as const;

const empty = (): MyWork => ({
  overdue: [], dueSoon: [], unassignedInMyTeams: [], escalatedInMyTeams: [], extensionRequests: [], postmortemsToWrite: [], reviewsRequested: [], openIncidents: [],
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
    private readonly items: ActionItemsRepository,
    private readonly requests: ExtensionRequestsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly postmortems: PostmortemsRepository,
  ) {}

  async forActor(actor: SessionActor, now = new Date()): Promise<MyWork> {
    if (actor.role === 'VIEWER') return empty();
    const escalated = reachedStepBounds(now).find((b) => b.step === 'ESCALATED');
    if (!escalated) throw new Error('the ladder has no ESCALATED step');
    const entries = await this.repo.entries({
      userId: actor.id, teamIds: actor.teamIds, isAdmin: actor.role === 'ADMIN', now,
      dueSoonUntil: addDays(now, DUE_SOON_DAYS), escalatedDueBy: escalated.latestDueAt, limit: MY_WORK_LIMIT,
    });
    const byList = new Map<MyWorkList, MyWorkEntry[]>();
    for (const e of entries) byList.set(e.list, [...(byList.get(e.list) ?? []), e]);
    const ids = (lists: readonly MyWorkList[]) => [...new Set(lists.flatMap((l) => (byList.get(l) ?? []).map((e) => e.id)))];
    const itemIds = ids(ITEM_LISTS);
    const requestIds = ids(['extensionRequests']);
    const postmortemIncidentIds = ids(POSTMORTEM_LISTS);
    const openIncidentIds = ids(['openIncidents']);
    const [itemRows, requestRows, postmortemRows, incidentRows] = await Promise.all([
      itemIds.length ? this.items.itemsByIds(itemIds) : [],
      requestIds.length ? this.requests.byIds(requestIds) : [],
      postmortemIncidentIds.length ? this.postmortems.postmortemsOfIncidents(postmortemIncidentIds) : [],
      openIncidentIds.length ? this.incidents.incidentsByIds(openIncidentIds) : [],
    ]);
    const pick = <T>(list: MyWorkList, rows: readonly T[], key: (row: T) => string): T[] => {
      const map = new Map(rows.map((r) => [key(r), r]));
      return [...(byList.get(list) ?? [])]
        .sort((a, b) => a.position - b.position)
        .map((e) => map.get(e.id))
        .filter((r): r is T => r !== undefined);
    };
    return {
      overdue: pick('overdue', itemRows, (r) => r.id),
      dueSoon: pick('dueSoon', itemRows, (r) => r.id),
      unassignedInMyTeams: pick('unassignedInMyTeams', itemRows, (r) => r.id),
      escalatedInMyTeams: pick('escalatedInMyTeams', itemRows, (r) => r.id),
      extensionRequests: pick('extensionRequests', requestRows, (r) => r.id),
      postmortemsToWrite: pick('postmortemsToWrite', postmortemRows, (r) => r.incidentId),
      reviewsRequested: pick('reviewsRequested', postmortemRows, (r) => r.incidentId),
      openIncidents: pick('openIncidents', incidentRows, (r) => r.id),
    };
  }
}
