import { TRACKER_LABEL, trackerPriority, type TrackerState } from '@hindsight/domain';
import type { OutboundGuard } from '@hindsight/server-outbound';
import { TrackerHttp, TrackerHttpError } from '../tracker-http.client';
import { TRACKER_BATCH, type ConnectionSettings, type NewIssue, type RemoteIssue, type TrackerAdapter, type WebhookObservation } from './tracker.adapter';

interface JiraIssue {
  key: string;
  fields: { status?: { statusCategory?: { key?: string } }; updated?: string; duedate?: string | null };
}
interface JiraTransition {
  id: string;
  to: { statusCategory?: { key?: string } };
}

const FIELDS = ['status', 'updated', 'duedate'];

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

  private async search(jql: string): Promise<JiraIssue[]> {
    if (this.cloud) {
      const r = await this.http.request<{ issues: JiraIssue[] }>({ method: 'POST', path: `${this.api}/search/jql`, body: { jql, fields: FIELDS, maxResults: 100 } });
      return r.issues;
    }
    const r = await this.http.request<{ issues: JiraIssue[] }>({ method: 'POST', path: `${this.api}/search`, body: { jql, fields: FIELDS, maxResults: 100, startAt: 0 } });
    return r.issues;
  }

  async findByMarker(marker: string): Promise<RemoteIssue | null> {
    const [issue] = await this.search(`project = "${this.c.project}" AND labels = "${marker}"`);
    return issue ? this.toRemote(issue) : null;
  }

  async create(issue: NewIssue): Promise<RemoteIssue> {
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
    const created = await this.http.request<{ key: string }>({ method: 'POST', path: `${this.api}/issue`, body: { fields } });
    return this.get(created.key);
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

  async getMany(keys: readonly string[]): Promise<RemoteIssue[]> {
    const out: RemoteIssue[] = [];
    for (let i = 0; i < keys.length; i += TRACKER_BATCH) {
      const batch = keys.slice(i, i + TRACKER_BATCH);
      out.push(...(await this.search(`key in (${batch.map((k) => `"${k}"`).join(', ')})`)).map((x) => this.toRemote(x)));
    }
    return out;
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
    return { key: r.key, state: r.state, updatedAt: r.updatedAt, actor: b.user?.displayName ?? b.user?.name ?? null, dueDate: r.dueDate };
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
