import { Injectable } from '@nestjs/common';
import { changeWindow, MAX_CHANGES_BEFORE_DETECTION } from '@hindsight/domain';
import { badInput, isUuid } from '@hindsight/server-common';
import type { IncidentRow } from '@hindsight/server-incidents';
import { ChangeRow, ChangesRepository, IncidentChangeRow } from './changes.repository';

export const DEFAULT_CHANGES_PAGE = 50;
export const MAX_CHANGES_PAGE = 200;

export interface ChangeListArgs {
  serviceId?: string | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
  unmatched?: boolean | null;
}

/** Reading changes: `changes(serviceId, from, to, first, after, unmatched)`, newest first, bounded pages. */
@Injectable()
export class ChangesService {
  constructor(private readonly repo: ChangesRepository) {}

  async list(args: ChangeListArgs): Promise<ChangeRow[]> {
    const { serviceId = null, from = null, to = null, after = null } = args;
    if (serviceId !== null && !isUuid(serviceId)) throw badInput('serviceId', `"${serviceId}" is not an id`);
    if (serviceId !== null && args.unmatched) throw badInput('unmatched', 'unmatched changes have no service: leave serviceId out');
    if (from && to && from.getTime() >= to.getTime()) throw badInput('to', 'must be after from');
    const first = args.first ?? DEFAULT_CHANGES_PAGE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_CHANGES_PAGE) throw badInput('first', `must be a whole number from 1 to ${MAX_CHANGES_PAGE}`);
    let cursor: { finishedAt: Date; id: string } | null = null;
    if (after !== null) {
      const [last] = isUuid(after) ? await this.repo.byIds([after]) : [];
      if (!last) throw badInput('after', 'must be the id of the last change of the previous page');
      cursor = { finishedAt: last.finishedAt, id: last.id };
    }
    return this.repo.list({ serviceId, unmatched: args.unmatched ?? false, from, to, after: cursor, limit: first });
  }

  /** An incident's changes before detection and its linked changes (what `Incident.changesBeforeDetection` lists), for other rooms. */
  async beforeDetectionOf(incident: IncidentRow): Promise<IncidentChangeRow[]> {
    const [window] = await this.repo.windowsOf([incident.id]);
    return this.repo.beforeDetection([{ incidentId: incident.id, ...changeWindow(incident, window?.minutes ?? null) }], MAX_CHANGES_BEFORE_DETECTION);
  }
}
