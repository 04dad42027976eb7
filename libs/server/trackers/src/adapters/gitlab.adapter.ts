import { TRACKER_LABEL, trackerPriority, type TrackerState } from '@hindsight/domain';
import type { OutboundGuard } from '@hindsight/server-outbound';
import { TrackerHttp, TrackerHttpError } from '../tracker-http.client';
import type { ConnectionSettings, CreatedIssue, IssueBatch, NewIssue, RemoteIssue, TrackerAdapter, WebhookObservation } from './tracker.adapter';

interface GlIssue {
  id: number;
  iid: number;
  web_url: string;
  state: 'opened' | 'closed';
  updated_at: string;
  due_date: string | null;
  description?: string | null;
  closed_by?: { username: string } | null;
}

/** A confidential issue's events come under their own header (and webhook setting), with the same body. */
const ISSUE_HOOKS = ['Issue Hook', 'Confidential Issue Hook'];

/**
 * GitLab REST v4 (`https://gitlab.example.com`, the project by its path). Issues have due dates;
 * priority is a label. The marker is searched in descriptions, which GitLab reads from its
 * database (no lagging index), so a retry finds an issue created before a crash.
 */
export class GitLabAdapter implements TrackerAdapter {
  readonly hasDueDates = true;
  private readonly http: TrackerHttp;
  private readonly projectPath: string;

  constructor(
    private readonly c: ConnectionSettings,
    outbound: OutboundGuard,
  ) {
    this.http = new TrackerHttp(`${c.baseUrl.replace(/\/+$/, '')}/api/v4`, { 'private-token': c.token }, outbound);
    this.projectPath = `/projects/${encodeURIComponent(c.project)}`;
  }

  display(key: string): string {
    return `${this.c.project}#${key}`;
  }

  async check(): Promise<void> {
    try {
      await this.http.request({ path: this.projectPath });
    } catch (e) {
      if (e instanceof TrackerHttpError && e.failure === 'not-found') throw new TrackerHttpError('not-found', `project ${this.c.project} not found (or the token cannot see it)`, 404);
      throw e;
    }
  }

  async findByMarker(marker: string, since: Date): Promise<RemoteIssue | null> {
    const found = await this.http.request<GlIssue[]>({
      path: `${this.projectPath}/issues`,
      query: { labels: TRACKER_LABEL, search: marker, in: 'description', created_after: since.toISOString(), per_page: 20 },
    });
    const issue = found.find((i) => (i.description ?? '').includes(marker));
    return issue ? toRemote(issue) : null;
  }

  async create(issue: NewIssue, created: (c: CreatedIssue) => Promise<void>): Promise<RemoteIssue> {
    let assigneeIds: number[] | undefined;
    if (issue.assigneeEmail) {
      const users = await this.http.request<{ id: number }[]>({ path: '/users', query: { search: issue.assigneeEmail } }).catch(() => []);
      if (users.length === 1) assigneeIds = [users[0].id];
    }
    const made = await this.http.request<GlIssue>({
      method: 'POST',
      path: `${this.projectPath}/issues`,
      body: {
        title: issue.title,
        description: `${issue.description}\n\n<!-- ${issue.marker} -->`,
        labels: [TRACKER_LABEL, trackerPriority('GITLAB', issue.priority)].join(','),
        due_date: issue.dueDate,
        ...(assigneeIds ? { assignee_ids: assigneeIds } : {}),
      },
    });
    await created({ key: String(made.iid), id: String(made.id) });
    return toRemote(made);
  }

  async get(key: string): Promise<RemoteIssue> {
    return toRemote(await this.http.request<GlIssue>({ path: `${this.projectPath}/issues/${encodeURIComponent(key)}` }));
  }

  /** One page holds the batch (BATCH ≤ per_page); an iid the list leaves out is read alone by the caller. */
  async getMany(keys: readonly string[]): Promise<IssueBatch> {
    if (keys.length === 0) return { issues: [], gone: [] };
    const issues = await this.http.request<GlIssue[]>({ path: `${this.projectPath}/issues`, query: { 'iids[]': [...keys], per_page: 100, scope: 'all' } });
    return { issues: issues.map(toRemote), gone: [] };
  }

  async setState(key: string, state: TrackerState, comment: string): Promise<RemoteIssue> {
    await this.http.request({ method: 'POST', path: `${this.projectPath}/issues/${encodeURIComponent(key)}/notes`, body: { body: comment } });
    return toRemote(
      await this.http.request<GlIssue>({ method: 'PUT', path: `${this.projectPath}/issues/${encodeURIComponent(key)}`, body: { state_event: state === 'CLOSED' ? 'close' : 'reopen' } }),
    );
  }

  async setDueDate(key: string, dueDate: string): Promise<void> {
    await this.http.request({ method: 'PUT', path: `${this.projectPath}/issues/${encodeURIComponent(key)}`, body: { due_date: dueDate } });
  }

  parseWebhook(body: unknown, headers: Record<string, string | string[] | undefined>): WebhookObservation | null {
    const b = body as {
      object_kind?: string;
      user?: { username?: string; name?: string };
      project?: { path_with_namespace?: string };
      object_attributes?: { iid?: number; state?: string; updated_at?: string; due_date?: string | null };
    };
    if (!ISSUE_HOOKS.includes(String(headers['x-gitlab-event'])) || b.object_kind !== 'issue' || !b.object_attributes?.iid) return null;
    if (b.project?.path_with_namespace && b.project.path_with_namespace !== this.c.project) return null;
    const a = b.object_attributes;
    return {
      key: String(a.iid),
      state: a.state === 'closed' ? 'CLOSED' : 'OPEN',
      updatedAt: new Date(a.updated_at ?? Date.now()),
      actor: b.user?.username ?? b.user?.name ?? null,
      dueDate: a.due_date ?? null,
    };
  }
}

function toRemote(i: GlIssue): RemoteIssue {
  return { key: String(i.iid), url: i.web_url, state: i.state === 'closed' ? 'CLOSED' : 'OPEN', updatedAt: new Date(i.updated_at), dueDate: i.due_date, closedBy: i.closed_by?.username ?? null };
}
