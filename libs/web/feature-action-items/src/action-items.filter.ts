import type { ActionItemFilter, ActionStatus, Priority, SessionUserFragment } from '@hindsight/web-data-access';
import { OPEN_STATUSES } from './action-item.view';

export type View = 'mine' | 'team' | 'all';
export const STATUS_CHOICES: Record<string, ActionStatus[] | undefined> = {
  open: OPEN_STATUSES,
  done: ['DONE'],
  wont: ['WONT_DO'],
  any: undefined,
};
export const PAGE_SIZE = 25;

/** The list's filters, all in the URL (the person's own teams by default, open items). */
export function actionItemsView(params: URLSearchParams, user: Pick<SessionUserFragment, 'id' | 'teams'> | null | undefined) {
  const view = (params.get('view') as View | null) ?? (user && user.teams.length > 0 ? 'team' : 'all');
  const status = params.get('status') ?? 'open';
  const priority = (params.get('priority') ?? '') as Priority | '';
  const overdue = params.get('overdue') === '1';
  const linked = params.get('linked') ?? '';
  return { view, status, priority, overdue, linked };
}

/** The GraphQL filter of that view: the page asks with it, and so does the app as it starts. */
export function actionItemsFilter({ view, status, priority, overdue, linked }: ReturnType<typeof actionItemsView>, user: Pick<SessionUserFragment, 'id' | 'teams'> | null | undefined): ActionItemFilter {
  const f: ActionItemFilter = { statuses: STATUS_CHOICES[status] ?? null };
  if (view === 'mine' && user) f.assigneeIds = [user.id];
  if (view === 'team' && user) f.teamIds = user.teams.map((t) => t.id);
  if (priority) f.priorities = [priority];
  if (overdue) f.overdue = true;
  if (linked) f.trackerLinked = linked === 'yes';
  return f;
}
