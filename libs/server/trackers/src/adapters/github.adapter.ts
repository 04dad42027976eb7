import { TRACKER_LABEL, trackerPriority, type TrackerState } from '@hindsight/domain';
import type { OutboundGuard } from '@hindsight/server-outbound';
import { TrackerHttp, TrackerHttpError } from '../tracker-http.client';
import type { ConnectionSettings, CreatedIssue, IssueBatch, NewIssue, RemoteIssue, TrackerAdapter, WebhookObservation } from './tracker.adapter';

interface GhIssue {
  id: number;
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  updated_at: string;
  body?: string | null;
  closed_by?: { login: string } | null;
  pull_request?: unknown;
}

/**
 * GitHub REST (api.github.com or a GitHub Enterprise Server `https://host/api/v3`). Issues have
 * no due date; priority is a label. Our marker sits in an HTML comment of the body, and issues
 * we create carry the `hindsight` label, so a retry lists those (not the eventually-consistent
 * search index) to find an issue it created before crashing.
 */
export class GitHubAdapter implements TrackerAdapter {
  readonly hasDueDates = false;
  private readonly http: TrackerHttp;
  private readonly repo: string;

  constructor(
    private readonly c: ConnectionSettings,
    outbound: OutboundGuard,
  ) {
    this.http = new TrackerHttp(c.baseUrl, { authorization: `Bearer ${c.token}`, 'x-github-api-version': '2022-11-28', accept: 'application/vnd.github+json' }, outbound);
    this.repo = c.project.split('/').map(encodeURIComponent).join('/');
  }

  display(key: string): string {
    return `${this.c.project}#${key}`;
  }

  async check(): Promise<void> {
    try {
      await this.http.request({ path: `/repos/${this.repo}` });
    } catch (e) {
      if (e instanceof TrackerHttpError && e.failure === 'not-found') throw new TrackerHttpError('not-found', `repository ${this.c.project} not found (or the token cannot see it)`, 404);
      throw e;
    }
  }

  async findByMarker(marker: string, since: Date): Promise<RemoteIssue | null> {
    for (let page = 1; page <= 10; page++) {
      const issues = await this.http.request<GhIssue[]>({
        path: `/repos/${this.repo}/issues`,
        query: { labels: TRACKER_LABEL, state: 'all', since: since.toISOString(), sort: 'created', direction: 'desc', per_page: 100, page },
      });
      const found = issues.find((i) => (i.body ?? '').includes(markerComment(marker)));
      if (found) return toRemote(found);
      if (issues.length < 100) return null;
    }
    return null;
  }

  async create(issue: NewIssue, created: (c: CreatedIssue) => Promise<void>): Promise<RemoteIssue> {
    const body = `${issue.description}\n\n${markerComment(issue.marker)}`;
    const assignee = issue.assigneeEmail ? await this.loginOf(issue.assigneeEmail) : null;
    const made = await this.http.request<GhIssue>({
      method: 'POST',
      path: `/repos/${this.repo}/issues`,
      body: { title: issue.title, body, labels: [TRACKER_LABEL, trackerPriority('GITHUB', issue.priority)], ...(assignee ? { assignees: [assignee] } : {}) },
    });
    await created({ key: String(made.number), id: String(made.id) });
    return toRemote(made);
  }

  /** GitHub finds users by e-mail only where they made it public; no match leaves the issue unassigned. */
  private async loginOf(email: string): Promise<string | null> {
    const found = await this.http
      .request<{ items: { login: string }[] }>({ path: '/search/users', query: { q: `${email} in:email` } })
      .catch(() => ({ items: [] }));
    return found.items.length === 1 ? found.items[0].login : null;
  }

  async get(key: string): Promise<RemoteIssue> {
    return toRemote(await this.http.request<GhIssue>({ path: `/repos/${this.repo}/issues/${encodeURIComponent(key)}` }));
  }

  /** GitHub has no multi-get by number over REST: one request per issue; a deleted one (410) or a missing one (404) is gone. */
  async getMany(keys: readonly string[]): Promise<IssueBatch> {
    const out: IssueBatch = { issues: [], gone: [] };
    for (const key of keys) {
      try {
        out.issues.push(await this.get(key));
      } catch (e) {
        if (!(e instanceof TrackerHttpError && e.failure === 'not-found')) throw e;
        out.gone.push(key);
      }
    }
    return out;
  }

  async setState(key: string, state: TrackerState, comment: string): Promise<RemoteIssue> {
    await this.http.request({ method: 'POST', path: `/repos/${this.repo}/issues/${encodeURIComponent(key)}/comments`, body: { body: comment } });
    const patch = state === 'CLOSED' ? { state: 'closed', state_reason: 'completed' } : { state: 'open' };
    return toRemote(await this.http.request<GhIssue>({ method: 'PATCH', path: `/repos/${this.repo}/issues/${encodeURIComponent(key)}`, body: patch }));
  }

  async setDueDate(): Promise<void> {
    // GitHub issues have no due date; Hindsight's own dueAt drives the ladder.
  }

  parseWebhook(body: unknown, headers: Record<string, string | string[] | undefined>): WebhookObservation | null {
    if (headers['x-github-event'] !== 'issues') return null;
    const b = body as { action?: string; issue?: GhIssue; sender?: { login?: string }; repository?: { full_name?: string } };
    if (!b.issue || typeof b.issue.number !== 'number' || b.issue.pull_request) return null;
    if (b.repository?.full_name && b.repository.full_name.toLowerCase() !== this.c.project.toLowerCase()) return null;
    return {
      key: String(b.issue.number), state: b.issue.state === 'closed' ? 'CLOSED' : 'OPEN', updatedAt: new Date(b.issue.updated_at), actor: b.sender?.login ?? null,
      ...(b.action === 'deleted' ? { deleted: true } : {}),
    };
  }
}

const markerComment = (marker: string) => `<!-- ${marker} -->`;

function toRemote(i: GhIssue): RemoteIssue {
  return { key: String(i.number), url: i.html_url, state: i.state === 'closed' ? 'CLOSED' : 'OPEN', updatedAt: new Date(i.updated_at), closedBy: i.closed_by?.login ?? null };
}
