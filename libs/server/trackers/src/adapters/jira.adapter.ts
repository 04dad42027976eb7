import { TRACKER_LABEL, trackerPriority, type TrackerState } from '@hindsight/domain';
import type { OutboundGuard } from '@hindsight/server-outbound';
import { TrackerHttp, TrackerHttpError } from '../tracker-http.client';
import type { ConnectionSettings, CreatedIssue, IssueBatch, NewIssue, RemoteIssue, TrackerAdapter, WebhookObservation } from './tracker.adapter';

interface JiraIssue {
  key: string;
  fields: { status?: { statusCategory?: { key?: string } }; updated?: string; duedate?: string | null };
}
interface JiraTransition {
  id: string;
  to: { statusCategory?: { key?: string } };
}

const FIELDS = ['status', 'updated', 'duedate'];
/** Asked per page; Jira may answer with fewer (Cloud for many fields, Data Center up to its configured maximum). */
const PAGE_SIZE = 100;
/** Our searches name at most a batch of keys or one marker: even one issue per page ends within this. */
const MAX_PAGES = 60;
/** Cloud reads at most 50 issues consistently per search (`reconcileIssues`). */
const MAX_RECONCILE = 50;

/** How Jira names the keys of a JQL search it refused (Cloud, Data Center). */
const MISSING_KEY = [/An issue with key '([^']+)' does not exist for field 'key'/g, /The issue key '([^']+)' for field 'key' is invalid/g];

/** The keys a refused search names as missing (deleted, moved away, or invisible to the token). */
export function missingJiraKeys(messages: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const m of messages) for (const re of MISSING_KEY) for (const hit of m.matchAll(re)) keys.add(hit[1].toUpperCase());
  return [...keys];
}

/**
 * Jira Cloud (REST v3: e-mail + API token as Basic auth, descriptions in Atlassian Document
 * Format, `POST /search/jql`) and Data Center (REST v2: personal access token as Bearer,
 * wiki text, `POST /search`). Closing and reopening go through the workflow's transitions into
 * the "done" / "new" status categories. The marker is a label of its own, found by JQL.
 */
export class JiraAdapter implements TrackerAdapter {
  readonly hasDueDates = true;
  private readonly http: TrackerHttp;
  private readonly cloud: boolean;
  private readonly api: string;

  constructor(
    private readonly c: ConnectionSettings,
    outbound: OutboundGuard,
  ) {
    this.cloud = !!c.email;
    this.api = this.cloud ? '/rest/api/3' : '/rest/api/2';
    const authorization = this.cloud ? `Basic ${Buffer.from(`${c.email}:${c.token}`).toString('base64')}` : `Bearer ${c.token}`;
    this.http = new TrackerHttp(c.baseUrl, { authorization }, outbound);
  }

  display(key: string): string {
    return key;
  }

  async check(): Promise<void> {
    await this.http.request({ path: `${this.api}/myself` });
    try {
      await this.http.request({ path: `${this.api}/project/${encodeURIComponent(this.c.project)}` });
    } catch (e) {
      if (e instanceof TrackerHttpError && e.failure === 'not-found') throw new TrackerHttpError('not-found', `project ${this.c.project} not found (or the token cannot see it)`, 404);
      throw e;
    }
  }

  /**
   * Every page of a search: Cloud's `/search/jql` pages by `nextPageToken` until `isLast`, Data
   * Center's `/search` by `startAt` until `total`. `reconcileIds` (Cloud): issues the answer must
   * reflect even if the search index has not caught up with them yet.
   */
  private async search(jql: string, reconcileIds: readonly string[] = []): Promise<JiraIssue[]> {
    const out: JiraIssue[] = [];
    if (this.cloud) {
      const reconcileIssues = reconcileIds.slice(0, MAX_RECONCILE).map(Number).filter(Number.isSafeInteger);
      let nextPageToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const r = await this.http.request<{ issues?: JiraIssue[]; nextPageToken?: string | null; isLast?: boolean }>({
          method: 'POST',
          path: `${this.api}/search/jql`,
          body: { jql, fields: FIELDS, maxResults: PAGE_SIZE, ...(nextPageToken ? { nextPageToken } : {}), ...(reconcileIssues.length ? { reconcileIssues } : {}) },
        });
        out.push(...(r.issues ?? []));
        if (r.isLast === true || !r.nextPageToken || r.nextPageToken === nextPageToken) break;
        nextPageToken = r.nextPageToken;
      }
      return out;
    }
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await this.http.request<{ issues?: JiraIssue[]; total?: number }>({ method: 'POST', path: `${this.api}/search`, body: { jql, fields: FIELDS, maxResults: PAGE_SIZE, startAt: out.length } });
      const issues = r.issues ?? [];
      out.push(...issues);
      if (issues.length === 0 || typeof r.total !== 'number' || out.length >= r.total) break;
    }
    return out;
  }

  async findByMarker(marker: string, _since: Date, createdIds: readonly string[]): Promise<RemoteIssue | null> {
    const [issue] = await this.search(`project = "${this.c.project}" AND labels = "${marker}"`, createdIds);
    return issue ? this.toRemote(issue) : null;
  }

  async create(issue: NewIssue, created: (c: CreatedIssue) => Promise<void>): Promise<RemoteIssue> {
    const assignee = issue.assigneeEmail ? await this.findUser(issue.assigneeEmail) : null;
    const fields = {
      project: { key: this.c.project },
      issuetype: { name: 'Task' },
      summary: issue.title,
      description: this.cloud ? adf(issue.description) : issue.description,
      labels: [TRACKER_LABEL, issue.marker],
      duedate: issue.dueDate,
      priority: { name: trackerPriority('JIRA', issue.priority) },
      ...(assignee ? { assignee } : {}),
    };
    const made = await this.http.request<{ id: string; key: string }>({ method: 'POST', path: `${this.api}/issue`, body: { fields } });
    await created({ key: made.key, id: String(made.id) });
    return this.get(made.key);
  }

  private async findUser(email: string): Promise<Record<string, string> | null> {
    const users = await this.http
      .request<{ accountId?: string; name?: string }[]>({ path: `${this.api}/user/search`, query: this.cloud ? { query: email } : { username: email } })
      .catch(() => []);
    if (users.length !== 1) return null;
    return this.cloud ? (users[0].accountId ? { accountId: users[0].accountId } : null) : users[0].name ? { name: users[0].name } : null;
  }

  async get(key: string): Promise<RemoteIssue> {
    return this.toRemote(await this.http.request<JiraIssue>({ path: `${this.api}/issue/${encodeURIComponent(key)}`, query: { fields: FIELDS.join(',') } }));
  }

  /**
   * One JQL `key in (…)` search. Jira refuses the whole search (400) when one key no longer
   * exists, naming it: those keys are gone, and the search runs again without them (each round
   * drops at least one key, so it ends).
   */
  async getMany(keys: readonly string[]): Promise<IssueBatch> {
    let wanted = [...keys];
    const gone: string[] = [];
    while (wanted.length > 0) {
      try {
        const found = await this.search(`key in (${wanted.map((k) => `"${k}"`).join(', ')})`);
        return { issues: found.map((x) => this.toRemote(x)), gone };
      } catch (e) {
        const named = e instanceof TrackerHttpError && e.status === 400 ? missingJiraKeys(e.details) : [];
        const dropped = wanted.filter((k) => named.includes(k.toUpperCase()));
        if (dropped.length === 0) throw e;
        gone.push(...dropped);
        wanted = wanted.filter((k) => !dropped.includes(k));
      }
    }
    return { issues: [], gone };
  }

  async setState(key: string, state: TrackerState, comment: string): Promise<RemoteIssue> {
    const path = `${this.api}/issue/${encodeURIComponent(key)}`;
    await this.http.request({ method: 'POST', path: `${path}/comment`, body: { body: this.cloud ? adf(comment) : comment } });
    const { transitions } = await this.http.request<{ transitions: JiraTransition[] }>({ path: `${path}/transitions` });
    const wanted = state === 'CLOSED' ? ['done'] : ['new', 'indeterminate'];
    const t = transitions.find((x) => wanted.includes(x.to.statusCategory?.key ?? ''));
    if (!t) throw new TrackerHttpError('rejected', `no workflow transition of ${key} leads to a ${state === 'CLOSED' ? 'done' : 'to-do'} status`);
    await this.http.request({ method: 'POST', path: `${path}/transitions`, body: { transition: { id: t.id } } });
    return this.get(key);
  }

  async setDueDate(key: string, dueDate: string): Promise<void> {
    await this.http.request({ method: 'PUT', path: `${this.api}/issue/${encodeURIComponent(key)}`, body: { fields: { duedate: dueDate } } });
  }

  parseWebhook(body: unknown): WebhookObservation | null {
    const b = body as { webhookEvent?: string; user?: { displayName?: string; name?: string }; issue?: JiraIssue & { fields: { project?: { key?: string } } } };
    if (!b.issue?.key || !String(b.webhookEvent ?? '').startsWith('jira:issue_')) return null;
    if (b.issue.fields.project?.key && b.issue.fields.project.key !== this.c.project) return null;
    const r = this.toRemote(b.issue);
    return {
      key: r.key, state: r.state, updatedAt: r.updatedAt, actor: b.user?.displayName ?? b.user?.name ?? null, dueDate: r.dueDate,
      ...(b.webhookEvent === 'jira:issue_deleted' ? { deleted: true } : {}),
    };
  }

  private toRemote(i: JiraIssue): RemoteIssue {
    return {
      key: i.key,
      url: `${this.c.baseUrl.replace(/\/+$/, '')}/browse/${i.key}`,
      state: i.fields.status?.statusCategory?.key === 'done' ? 'CLOSED' : 'OPEN',
      updatedAt: jiraTime(i.fields.updated),
      dueDate: i.fields.duedate ?? null,
    };
  }
}

/** Jira writes offsets without a colon (+0000), which not every parser accepts. */
function jiraTime(s: string | undefined): Date {
  return s ? new Date(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : new Date(0);
}

function adf(text: string): unknown {
  return {
    type: 'doc',
    version: 1,
    content: text.split(/\n{2,}/).map((p) => ({ type: 'paragraph', content: p ? [{ type: 'text', text: p }] : [] })),
  };
}
