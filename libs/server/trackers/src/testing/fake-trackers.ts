import { createHmac, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import examples from '@octokit/webhooks-examples';

/**
 * Loopback stand-ins for GitHub (REST v3), GitLab (REST v4) and Jira Cloud (REST v3) / Data
 * Center (REST v2): the endpoints Hindsight calls, with the request and response shapes their
 * public API documents, state kept in memory, failures on demand (status, Retry-After,
 * slowness, revoked token), and webhooks signed the way each tracker signs them. As
 * documented, too: GitHub's times are whole seconds and a deleted issue answers 410; Jira pages
 * its searches (Cloud by `nextPageToken`/`isLast`, Data Center by `startAt`/`total`, at most
 * `jiraPageSize` issues a page), refuses a whole `key in (…)` search with 400 when one key does
 * not exist, and Cloud's search index may lag (`jiraIndexLags`: new issues are found only when
 * named in `reconcileIssues`).
 */
export type FakeKind = 'GITHUB' | 'GITLAB' | 'JIRA_CLOUD' | 'JIRA_DC' | 'LINEAR';

export interface FakeIssue {
  number: number;
  key: string;
  title: string;
  body: string | unknown;
  labels: string[];
  state: 'open' | 'closed';
  dueDate: string | null;
  priority: string | null;
  assignee: string | null;
  comments: string[];
  createdAt: Date;
  updatedAt: Date;
  closedBy: string | null;
  /** Deleted in the tracker: it answers as if the issue never existed (GitHub: 410 Gone). */
  deleted: boolean;
  /** Jira Cloud: seen by the search index (without `reconcileIssues`). */
  indexed: boolean;
}

export interface FakeFailure {
  status: number;
  headers?: Record<string, string>;
  /** Only requests whose "METHOD path" matches. */
  match?: RegExp;
  times: number;
}

export const FAKE_PROJECT: Record<FakeKind, string> = { GITHUB: 'acme/api', GITLAB: 'acme/platform/api', JIRA_CLOUD: 'OPS', JIRA_DC: 'OPS', LINEAR: 'ENG' };
export const FAKE_TOKEN = 'fake-token-0123456789';
export const FAKE_EMAIL = 'bot@acme.test';
/** The one person each fake tracker knows by e-mail (as `owner`; on Jira Cloud as account `acc-owner`). */
export const FAKE_ASSIGNEE = 'owner@acme.test';
const PREFIX: Record<FakeKind, string> = { GITHUB: '/github', GITLAB: '/gitlab', JIRA_CLOUD: '/jira-cloud', JIRA_DC: '/jira-dc', LINEAR: '/linear' };

interface Ctx {
  kind: FakeKind;
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export class FakeTrackers {
  private server: Server | null = null;
  port = 0;
  readonly issues: Record<FakeKind, FakeIssue[]> = { GITHUB: [], GITLAB: [], JIRA_CLOUD: [], JIRA_DC: [], LINEAR: [] };
  readonly requests: string[] = [];
  private failures: FakeFailure[] = [];
  token = FAKE_TOKEN;
  delayMs = 0;
  /** Called after an issue is stored, before the answer is written (fault tests hold here). */
  onCreated: ((kind: FakeKind, issue: FakeIssue) => Promise<void> | void) | null = null;
  /** Bodies posted to `/slack` (a Slack incoming webhook on the same loopback server). */
  readonly slackMessages: string[] = [];
  /** Creations answered (the response finished), by kind. */
  readonly answeredCreates: Record<FakeKind, number> = { GITHUB: 0, GITLAB: 0, JIRA_CLOUD: 0, JIRA_DC: 0, LINEAR: 0 };
  private clock = Date.now();
  /** Jira's page size, whatever `maxResults` asks for (Cloud answers fewer for many fields; Data Center up to its configured maximum). */
  jiraPageSize = 100;
  /** Jira Cloud's search index behind: issues created meanwhile are found only when named in `reconcileIssues` (until `indexAll`). */
  jiraIndexLags = false;
  /** The bodies of every Jira search, in order. */
  readonly jiraSearches: { kind: FakeKind; body: Record<string, unknown> }[] = [];

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  baseUrl(kind: FakeKind): string {
    return `http://127.0.0.1:${this.port}${PREFIX[kind]}`;
  }

  fail(f: Omit<FakeFailure, 'times'> & { times?: number }): void {
    this.failures.push({ times: 1, ...f });
  }

  /** Failures not yet used up are dropped. */
  clearFailures(): void {
    this.failures = [];
  }

  /** Strictly increasing times, so the order of changes is never ambiguous within a millisecond. */
  private tick(): Date {
    this.clock = Math.max(Date.now(), this.clock + 1000);
    return new Date(this.clock);
  }

  issue(kind: FakeKind, key: string): FakeIssue {
    const i = this.issues[kind].find((x) => x.key === key);
    if (!i) throw new Error(`no ${kind} issue ${key}`);
    return i;
  }

  /**
   * Someone changes the issue in the tracker; returns the webhook the tracker would send.
   * `sameSecond`: within the second of the last change (GitHub's times then cannot tell them
   * apart); `confidential`: a GitLab confidential issue (its own webhook header).
   */
  change(
    kind: FakeKind,
    key: string,
    change: { state?: 'open' | 'closed'; dueDate?: string },
    by = 'octocat',
    opts: { sameSecond?: boolean; confidential?: boolean } = {},
  ): SignedWebhook {
    const i = this.issue(kind, key);
    if (change.state) {
      i.state = change.state;
      i.closedBy = change.state === 'closed' ? by : null;
    }
    if (change.dueDate) i.dueDate = change.dueDate;
    i.updatedAt = opts.sameSecond ? new Date(Math.max(this.clock, i.updatedAt.getTime())) : this.tick();
    return this.webhookOf(kind, i, by, change.state === 'closed' ? 'closed' : change.state === 'open' ? 'reopened' : 'edited', opts.confidential);
  }

  /** Someone deletes the issue in the tracker; returns the webhook GitHub and Jira send for it (GitLab and Linear: none here). */
  delete(kind: FakeKind, key: string, by = 'octocat'): SignedWebhook | null {
    const i = this.issue(kind, key);
    i.deleted = true;
    return kind === 'GITHUB' || kind.startsWith('JIRA') ? this.webhookOf(kind, i, by, 'deleted') : null;
  }

  /** Jira Cloud's search index catches up. */
  indexAll(): void {
    for (const i of this.issues.JIRA_CLOUD) i.indexed = true;
  }

  private live(kind: FakeKind): FakeIssue[] {
    return this.issues[kind].filter((i) => !i.deleted);
  }

  /** Seeds an issue as if someone had filed it by hand. */
  seed(kind: FakeKind, title: string): FakeIssue {
    return this.store(kind, { title, body: 'filed by hand', labels: [], dueDate: null, priority: null, assignee: null });
  }

  webhookOf(kind: FakeKind, i: FakeIssue, by: string, action: 'closed' | 'reopened' | 'edited' | 'deleted', confidential = false): SignedWebhook {
    switch (kind) {
      case 'GITHUB': {
        // The documented shape of an `issues` event (a community example), with this issue's fields.
        const base = (examples as { name: string; examples: Record<string, unknown>[] }[]).find((e) => e.name === 'issues')?.examples.find((e) => e['action'] === 'reopened');
        const payload = structuredClone(base ?? {}) as Record<string, Record<string, unknown>>;
        Object.assign(payload, { action });
        Object.assign(payload['issue'], { number: i.number, title: i.title, state: i.state, updated_at: githubTime(i.updatedAt), closed_at: i.state === 'closed' ? githubTime(i.updatedAt) : null });
        Object.assign(payload['repository'], { full_name: FAKE_PROJECT.GITHUB });
        Object.assign(payload['sender'], { login: by });
        return { payload, sign: (secret, body) => ({ 'x-github-event': 'issues', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${hmac(secret, body)}` }) };
      }
      case 'GITLAB': {
        // A confidential issue's event: its own header and event_type, the same body otherwise.
        const payload = {
          object_kind: 'issue', event_type: confidential ? 'confidential_issue' : 'issue',
          user: { id: 1, name: by, username: by, email: '[REDACTED]' },
          project: { id: 7, path_with_namespace: FAKE_PROJECT.GITLAB, web_url: `${this.baseUrl('GITLAB')}/${FAKE_PROJECT.GITLAB}` },
          object_attributes: {
            id: 1000 + i.number, iid: i.number, title: i.title, state: i.state === 'closed' ? 'closed' : 'opened',
            action: action === 'closed' ? 'close' : action === 'reopened' ? 'reopen' : 'update',
            updated_at: gitlabWebhookTime(i.updatedAt), due_date: i.dueDate, url: this.urlOf('GITLAB', i), confidential,
          },
          labels: i.labels.map((title) => ({ title })),
        };
        return { payload, sign: (secret) => ({ 'x-gitlab-event': confidential ? 'Confidential Issue Hook' : 'Issue Hook', 'x-gitlab-token': secret, 'x-gitlab-event-uuid': randomUUID() }) };
      }
      case 'LINEAR': {
        // Linear's webhook: the entity in `data`, signed with `Linear-Signature` (hex HMAC-SHA256 of the body).
        const payload = {
          action: 'update', type: 'Issue', createdAt: i.updatedAt.toISOString(), url: this.urlOf('LINEAR', i),
          actor: { id: `user-${by}`, name: by, type: 'user' }, webhookTimestamp: i.updatedAt.getTime(),
          data: this.linearIssue(i), updatedFrom: { updatedAt: i.createdAt.toISOString() },
        };
        return { payload, sign: (secret, body) => ({ 'linear-event': 'Issue', 'linear-delivery': randomUUID(), 'linear-signature': hmac(secret, body) }) };
      }
      case 'JIRA_CLOUD':
      case 'JIRA_DC': {
        const payload = {
          timestamp: i.updatedAt.getTime(), webhookEvent: action === 'deleted' ? 'jira:issue_deleted' : 'jira:issue_updated', issue_event_type_name: 'issue_generic',
          user: { displayName: by, ...(kind === 'JIRA_CLOUD' ? { accountId: `acc-${by}` } : { name: by }) },
          issue: { id: String(10000 + i.number), key: i.key, fields: this.jiraFields(i) },
          changelog: { id: randomUUID(), items: [{ field: action === 'edited' ? 'duedate' : 'status', toString: i.state === 'closed' ? 'Done' : 'To Do' }] },
        };
        return { payload, sign: (secret, body) => ({ 'x-atlassian-webhook-identifier': randomUUID(), 'x-hub-signature': `sha256=${hmac(secret, body)}` }) };
      }
    }
  }

  private store(kind: FakeKind, f: Pick<FakeIssue, 'title' | 'body' | 'labels' | 'dueDate' | 'priority' | 'assignee'>): FakeIssue {
    const number = this.issues[kind].length + 1;
    const now = this.tick();
    const issue: FakeIssue = {
      ...f, number, key: kind.startsWith('JIRA') ? `OPS-${number}` : kind === 'LINEAR' ? `ENG-${number}` : String(number), state: 'open', comments: [],
      createdAt: now, updatedAt: now, closedBy: null, deleted: false, indexed: !(kind === 'JIRA_CLOUD' && this.jiraIndexLags),
    };
    this.issues[kind].push(issue);
    return issue;
  }

  private urlOf(kind: FakeKind, i: FakeIssue): string {
    if (kind === 'GITHUB') return `http://127.0.0.1:${this.port}/html/${FAKE_PROJECT.GITHUB}/issues/${i.number}`;
    if (kind === 'GITLAB') return `${this.baseUrl('GITLAB')}/${FAKE_PROJECT.GITLAB}/-/issues/${i.number}`;
    if (kind === 'LINEAR') return `http://127.0.0.1:${this.port}/linear-app/acme/issue/${i.key}/`;
    return `${this.baseUrl(kind)}/browse/${i.key}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const kind = (Object.keys(PREFIX) as FakeKind[]).find((k) => url.pathname.startsWith(`${PREFIX[k]}/`));
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (url.pathname === '/slack' && req.method === 'POST') {
      this.slackMessages.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('ok');
    }
    if (!kind) return send(404, { message: 'Not Found' });
    const path = url.pathname.slice(PREFIX[kind].length);
    const line = `${req.method} ${path}`;
    this.requests.push(`${kind} ${line}`);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const failure = this.failures.find((f) => f.times > 0 && (!f.match || f.match.test(line)));
    if (failure) {
      failure.times--;
      return send(failure.status, { message: `injected ${failure.status}` }, failure.headers);
    }
    if (!this.authorised(kind, req)) {
      if (kind === 'LINEAR') return send(401, { errors: [{ message: 'Authentication required, not authenticated', extensions: { type: 'authentication error', code: 'AUTHENTICATION_ERROR' } }] });
      return kind === 'GITHUB' ? send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }) : kind === 'GITLAB' ? send(401, { message: '401 Unauthorized' }) : send(401, { errorMessages: ['You are not authenticated.'] });
    }
    let body: Record<string, unknown> = {};
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    } catch {
      return send(400, { message: 'Problems parsing JSON' });
    }
    const ctx: Ctx = { kind, method: req.method ?? 'GET', path, query: url.searchParams, body };
    const answer = kind === 'GITHUB' ? await this.github(ctx) : kind === 'GITLAB' ? await this.gitlab(ctx) : kind === 'LINEAR' ? await this.linear(ctx) : await this.jira(ctx);
    if (answer.created) res.on('finish', () => this.answeredCreates[kind]++);
    send(answer.status, answer.body);
  }

  private authorised(kind: FakeKind, req: IncomingMessage): boolean {
    const auth = req.headers.authorization ?? '';
    if (kind === 'GITHUB') return auth === `Bearer ${this.token}`;
    if (kind === 'GITLAB') return req.headers['private-token'] === this.token;
    if (kind === 'JIRA_DC') return auth === `Bearer ${this.token}`;
    if (kind === 'LINEAR') return auth === this.token;
    return auth === `Basic ${Buffer.from(`${FAKE_EMAIL}:${this.token}`).toString('base64')}`;
  }

  private async created(kind: FakeKind, issue: FakeIssue): Promise<void> {
    if (this.onCreated) await this.onCreated(kind, issue);
  }

  private githubIssue(i: FakeIssue) {
    return {
      id: 5000 + i.number, number: i.number, title: i.title, body: i.body, state: i.state, html_url: this.urlOf('GITHUB', i),
      labels: i.labels.map((name) => ({ name })), created_at: githubTime(i.createdAt), updated_at: githubTime(i.updatedAt),
      closed_by: i.closedBy ? { login: i.closedBy } : null, state_reason: i.state === 'closed' ? 'completed' : null,
    };
  }

  private async github(c: Ctx): Promise<Answer> {
    if (c.path === '/search/users' && c.method === 'GET') {
      const found = c.query.get('q') === `${FAKE_ASSIGNEE} in:email` ? [{ login: 'owner', id: 42 }] : [];
      return { status: 200, body: { total_count: found.length, incomplete_results: false, items: found } };
    }
    const repo = `/repos/${FAKE_PROJECT.GITHUB}`;
    if (!c.path.startsWith(repo)) return { status: 404, body: { message: 'Not Found' } };
    const rest = c.path.slice(repo.length);
    const list = this.live('GITHUB');
    if (rest === '' && c.method === 'GET') return { status: 200, body: { full_name: FAKE_PROJECT.GITHUB, has_issues: true } };
    if (rest === '/issues' && c.method === 'GET') {
      const label = c.query.get('labels');
      const since = c.query.get('since');
      const perPage = Number(c.query.get('per_page') ?? 30);
      const page = Number(c.query.get('page') ?? 1);
      const found = list
        .filter((i) => (!label || i.labels.includes(label)) && (!since || i.updatedAt >= new Date(since)))
        .sort((a, b) => b.number - a.number)
        .slice((page - 1) * perPage, page * perPage);
      return { status: 200, body: found.map((i) => this.githubIssue(i)) };
    }
    if (rest === '/issues' && c.method === 'POST') {
      if (typeof c.body['title'] !== 'string') return { status: 422, body: { message: 'Validation Failed' } };
      const assignees = (c.body['assignees'] as string[] | undefined) ?? [];
      const issue = this.store('GITHUB', { title: String(c.body['title']), body: String(c.body['body'] ?? ''), labels: (c.body['labels'] as string[]) ?? [], dueDate: null, priority: null, assignee: assignees[0] ?? null });
      await this.created('GITHUB', issue);
      return { status: 201, body: this.githubIssue(issue), created: true };
    }
    const m = /^\/issues\/(\d+)(\/comments)?$/.exec(rest);
    if (m && this.issues.GITHUB.some((i) => i.deleted && i.number === Number(m[1]))) return { status: 410, body: { message: 'This issue was deleted', documentation_url: 'https://docs.github.com/rest/issues/issues#get-an-issue' } };
    const issue = m ? list.find((i) => i.number === Number(m[1])) : undefined;
    if (!m || !issue) return { status: 404, body: { message: 'Not Found' } };
    if (m[2] && c.method === 'POST') {
      issue.comments.push(String(c.body['body']));
      issue.updatedAt = this.tick();
      return { status: 201, body: { id: issue.comments.length, body: c.body['body'] } };
    }
    if (c.method === 'PATCH') {
      if (c.body['state'] === 'closed' || c.body['state'] === 'open') {
        issue.state = c.body['state'];
        issue.closedBy = issue.state === 'closed' ? 'hindsight-bot' : null;
      }
      issue.updatedAt = this.tick();
    }
    return { status: 200, body: this.githubIssue(issue) };
  }

  private gitlabIssue(i: FakeIssue) {
    return {
      id: 1000 + i.number, iid: i.number, title: i.title, description: i.body, state: i.state === 'closed' ? 'closed' : 'opened', labels: i.labels,
      due_date: i.dueDate, web_url: this.urlOf('GITLAB', i), created_at: gitlabTime(i.createdAt), updated_at: gitlabTime(i.updatedAt),
      closed_by: i.closedBy ? { username: i.closedBy } : null, assignees: i.assignee ? [{ id: 42, username: i.assignee }] : [],
    };
  }

  private async gitlab(c: Ctx): Promise<Answer> {
    if (c.path === '/api/v4/users' && c.method === 'GET') {
      return { status: 200, body: c.query.get('search') === FAKE_ASSIGNEE ? [{ id: 42, username: 'owner' }] : [] };
    }
    const project = `/api/v4/projects/${encodeURIComponent(FAKE_PROJECT.GITLAB)}`;
    if (!c.path.startsWith(project)) return { status: 404, body: { message: '404 Project Not Found' } };
    const rest = c.path.slice(project.length);
    const list = this.live('GITLAB');
    if (rest === '' && c.method === 'GET') return { status: 200, body: { id: 7, path_with_namespace: FAKE_PROJECT.GITLAB } };
    if (rest === '/issues' && c.method === 'GET') {
      const iids = c.query.getAll('iids[]').map(Number);
      const labels = (c.query.get('labels') ?? '').split(',').filter(Boolean);
      const search = c.query.get('search');
      const after = c.query.get('created_after');
      const found = list.filter(
        (i) =>
          (iids.length === 0 || iids.includes(i.number)) && labels.every((l) => i.labels.includes(l)) &&
          (!search || String(i.body).includes(search) || i.title.includes(search)) && (!after || i.createdAt >= new Date(after)),
      );
      return { status: 200, body: found.map((i) => this.gitlabIssue(i)) };
    }
    if (rest === '/issues' && c.method === 'POST') {
      const labels = String(c.body['labels'] ?? '').split(',').filter(Boolean);
      const ids = c.body['assignee_ids'] as number[] | undefined;
      const issue = this.store('GITLAB', {
        title: String(c.body['title']), body: String(c.body['description'] ?? ''), labels, dueDate: (c.body['due_date'] as string) ?? null,
        priority: labels.find((l) => l.startsWith('priority:')) ?? null, assignee: ids?.includes(42) ? 'owner' : null,
      });
      await this.created('GITLAB', issue);
      return { status: 201, body: this.gitlabIssue(issue), created: true };
    }
    const m = /^\/issues\/(\d+)(\/notes)?$/.exec(rest);
    const issue = m ? list.find((i) => i.number === Number(m[1])) : undefined;
    if (!m || !issue) return { status: 404, body: { message: '404 Not found' } };
    if (m[2] && c.method === 'POST') {
      issue.comments.push(String(c.body['body']));
      issue.updatedAt = this.tick();
      return { status: 201, body: { id: issue.comments.length, body: c.body['body'] } };
    }
    if (c.method === 'PUT') {
      if (c.body['state_event'] === 'close') [issue.state, issue.closedBy] = ['closed', 'hindsight-bot'];
      if (c.body['state_event'] === 'reopen') [issue.state, issue.closedBy] = ['open', null];
      if (typeof c.body['due_date'] === 'string') issue.dueDate = c.body['due_date'];
      issue.updatedAt = this.tick();
    }
    return { status: 200, body: this.gitlabIssue(issue) };
  }

  private jiraFields(i: FakeIssue) {
    const done = i.state === 'closed';
    return {
      summary: i.title, labels: i.labels, duedate: i.dueDate, priority: i.priority ? { name: i.priority } : null, project: { key: 'OPS' },
      status: { name: done ? 'Done' : 'To Do', statusCategory: { key: done ? 'done' : 'new' } }, updated: jiraTime(i.updatedAt),
    };
  }

  private async jira(c: Ctx): Promise<Answer> {
    const cloud = c.kind === 'JIRA_CLOUD';
    const api = cloud ? '/rest/api/3' : '/rest/api/2';
    if (!c.path.startsWith(api)) return { status: 404, body: { errorMessages: ['Not found'] } };
    const rest = c.path.slice(api.length);
    const list = this.live(c.kind);
    if (rest === '/myself') return { status: 200, body: { displayName: 'Hindsight bot' } };
    if (rest.startsWith('/project/')) return rest === '/project/OPS' ? { status: 200, body: { key: 'OPS', name: 'Operations' } } : { status: 404, body: { errorMessages: ["No project could be found with key 'X'."] } };
    if (rest === '/user/search') {
      const q = cloud ? c.query.get('query') : c.query.get('username');
      return { status: 200, body: q === FAKE_ASSIGNEE ? [cloud ? { accountId: 'acc-owner' } : { name: 'owner' }] : [] };
    }
    if ((cloud && rest === '/search/jql') || (!cloud && rest === '/search')) {
      if (c.method !== 'POST') return { status: 405, body: {} };
      this.jiraSearches.push({ kind: c.kind, body: c.body });
      const jql = String(c.body['jql'] ?? '');
      // A key that does not exist fails the whole search, naming it.
      const missing = jqlKeys(jql).filter((k) => !list.some((i) => i.key === k));
      if (missing.length > 0) {
        return { status: 400, body: { errorMessages: missing.map((k) => (cloud ? `An issue with key '${k}' does not exist for field 'key'.` : `The issue key '${k}' for field 'key' is invalid.`)), errors: {} } };
      }
      const reconcile = c.body['reconcileIssues'];
      if (reconcile !== undefined && (!cloud || !Array.isArray(reconcile) || reconcile.length > 50 || !reconcile.every(Number.isInteger))) {
        return { status: 400, body: { errorMessages: ['reconcileIssues must be a list of at most 50 issue ids.'], errors: {} } };
      }
      const reconciled = new Set((reconcile as number[] | undefined) ?? []);
      const found = list.filter((i) => jqlMatches(jql, i) && (!cloud || i.indexed || reconciled.has(10000 + i.number)));
      const size = Math.max(1, Math.min(Number(c.body['maxResults'] ?? 50), this.jiraPageSize));
      const token = c.body['nextPageToken'];
      const startAt = cloud ? (typeof token === 'string' ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0) : Number(c.body['startAt'] ?? 0);
      if (!Number.isInteger(startAt) || startAt < 0) return { status: 400, body: { errorMessages: ['The nextPageToken is invalid.'], errors: {} } };
      const issues = found.slice(startAt, startAt + size).map((i) => ({ id: String(10000 + i.number), key: i.key, fields: this.jiraFields(i) }));
      const end = startAt + issues.length;
      if (!cloud) return { status: 200, body: { issues, total: found.length, startAt, maxResults: size } };
      return { status: 200, body: end < found.length ? { issues, nextPageToken: Buffer.from(String(end)).toString('base64url'), isLast: false } : { issues, isLast: true } };
    }
    if (rest === '/issue' && c.method === 'POST') {
      const f = (c.body['fields'] ?? {}) as Record<string, unknown>;
      // Cloud (v3) takes descriptions in Atlassian Document Format, Data Center (v2) as text.
      const adf = typeof f['description'] === 'object' && (f['description'] as { type?: string }).type === 'doc';
      if (cloud !== adf) return { status: 400, body: { errors: { description: cloud ? 'Operation value must be an Atlassian Document.' : 'Operation value must be a string' } } };
      if ((f['project'] as { key?: string })?.key !== 'OPS') return { status: 400, body: { errors: { project: 'valid project is required' } } };
      const assignee = f['assignee'] as { accountId?: string; name?: string } | undefined;
      const issue = this.store(c.kind, {
        title: String(f['summary']), body: f['description'], labels: (f['labels'] as string[]) ?? [], dueDate: (f['duedate'] as string) ?? null,
        priority: (f['priority'] as { name?: string })?.name ?? null, assignee: assignee ? (assignee.accountId ?? assignee.name ?? null) : null,
      });
      await this.created(c.kind, issue);
      return { status: 201, body: { id: String(10000 + issue.number), key: issue.key, self: `${this.baseUrl(c.kind)}${api}/issue/${issue.key}` }, created: true };
    }
    const m = /^\/issue\/([A-Z]+-\d+)(\/comment|\/transitions)?$/.exec(rest);
    const issue = m ? list.find((i) => i.key === m[1]) : undefined;
    if (!m || !issue) return { status: 404, body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'] } };
    if (m[2] === '/comment' && c.method === 'POST') {
      const b = c.body['body'];
      if (cloud !== (typeof b === 'object')) return { status: 400, body: { errors: { comment: 'wrong body format' } } };
      issue.comments.push(typeof b === 'string' ? b : JSON.stringify(b));
      issue.updatedAt = this.tick();
      return { status: 201, body: { id: String(issue.comments.length) } };
    }
    if (m[2] === '/transitions' && c.method === 'GET') {
      return { status: 200, body: { transitions: [
        { id: '11', name: 'To Do', to: { name: 'To Do', statusCategory: { key: 'new' } } },
        { id: '21', name: 'In Progress', to: { name: 'In Progress', statusCategory: { key: 'indeterminate' } } },
        { id: '31', name: 'Done', to: { name: 'Done', statusCategory: { key: 'done' } } },
      ] } };
    }
    if (m[2] === '/transitions' && c.method === 'POST') {
      const id = (c.body['transition'] as { id?: string })?.id;
      if (id === '31') [issue.state, issue.closedBy] = ['closed', 'hindsight-bot'];
      else if (id === '11' || id === '21') [issue.state, issue.closedBy] = ['open', null];
      else return { status: 400, body: { errorMessages: ['Transition id is not valid'] } };
      issue.updatedAt = this.tick();
      return { status: 204 };
    }
    if (c.method === 'PUT') {
      const f = (c.body['fields'] ?? {}) as Record<string, unknown>;
      if (typeof f['duedate'] === 'string') issue.dueDate = f['duedate'];
      issue.updatedAt = this.tick();
      return { status: 204 };
    }
    return { status: 200, body: { id: String(10000 + issue.number), key: issue.key, fields: this.jiraFields(issue) } };
  }

  private linearIssue(i: FakeIssue) {
    return {
      id: `uuid-${i.key}`, identifier: i.key, number: i.number, title: i.title, description: i.body, url: this.urlOf('LINEAR', i), priority: Number(i.priority ?? 0),
      dueDate: i.dueDate, updatedAt: i.updatedAt.toISOString(), createdAt: i.createdAt.toISOString(), team: { id: 'team-eng', key: 'ENG' },
      state: { id: i.state === 'closed' ? 'state-completed' : 'state-unstarted', type: i.state === 'closed' ? 'completed' : 'unstarted', name: i.state === 'closed' ? 'Done' : 'Todo' },
      labels: i.labels,
    };
  }

  /** Linear's GraphQL API, by the operations Hindsight sends (named, with variables). */
  private async linear(c: Ctx): Promise<Answer> {
    if (c.path !== '/graphql' || c.method !== 'POST') return { status: 404, body: { errors: [{ message: 'Not found' }] } };
    const v = (c.body['variables'] ?? {}) as Record<string, unknown>;
    const list = this.live('LINEAR');
    const data = (d: unknown): Answer => ({ status: 200, body: { data: d } });
    const byId = (id: unknown) => list.find((i) => i.key === id || `uuid-${i.key}` === id);
    switch (c.body['operationName']) {
      case 'HindsightViewer':
        return data({ viewer: { id: 'user-bot' } });
      case 'HindsightUser':
        return data({ users: { nodes: v['email'] === FAKE_ASSIGNEE ? [{ id: 'user-owner' }] : [] } });
      case 'HindsightTeam':
        return data({ teams: { nodes: v['key'] === 'ENG' ? [{ id: 'team-eng' }] : [] } });
      case 'HindsightFindMarker':
        return data({ issues: { nodes: list.filter((i) => String(i.body).includes(String(v['marker']))).map((i) => this.linearIssue(i)) } });
      case 'HindsightIssue': {
        const i = byId(v['id']);
        return i ? data({ issue: this.linearIssue(i) }) : { status: 200, body: { data: null, errors: [{ message: 'Entity not found: Issue', extensions: { type: 'invalid input', code: 'INPUT_ERROR' } }] } };
      }
      case 'HindsightIssues': {
        const numbers = (v['numbers'] as number[]) ?? [];
        return data({ issues: { nodes: list.filter((i) => numbers.includes(i.number)).map((i) => this.linearIssue(i)) } });
      }
      case 'HindsightCreate': {
        const input = (v['input'] ?? {}) as Record<string, unknown>;
        if (input['teamId'] !== 'team-eng') return { status: 400, body: { errors: [{ message: 'Argument Validation Error', extensions: { code: 'INPUT_ERROR' } }] } };
        const issue = this.store('LINEAR', {
          title: String(input['title']), body: String(input['description'] ?? ''), labels: [], dueDate: (input['dueDate'] as string) ?? null,
          priority: String(input['priority'] ?? 0), assignee: (input['assigneeId'] as string) ?? null,
        });
        await this.created('LINEAR', issue);
        return { ...data({ issueCreate: { success: true, issue: this.linearIssue(issue) } }), created: true };
      }
      case 'HindsightStates':
        return data({ workflowStates: { nodes: [{ id: `state-${String(v['type'])}` }] } });
      case 'HindsightComment': {
        const input = (v['input'] ?? {}) as Record<string, unknown>;
        const i = byId(input['issueId']);
        if (!i) return data({ commentCreate: { success: false } });
        i.comments.push(String(input['body']));
        i.updatedAt = this.tick();
        return data({ commentCreate: { success: true } });
      }
      case 'HindsightUpdate': {
        const i = byId(v['id']);
        const input = (v['input'] ?? {}) as Record<string, unknown>;
        if (!i) return { status: 200, body: { data: null, errors: [{ message: 'Entity not found: Issue' }] } };
        if (input['stateId'] === 'state-completed') [i.state, i.closedBy] = ['closed', 'hindsight-bot'];
        if (input['stateId'] === 'state-unstarted') [i.state, i.closedBy] = ['open', null];
        if (typeof input['dueDate'] === 'string') i.dueDate = input['dueDate'];
        i.updatedAt = this.tick();
        return data({ issueUpdate: { success: true, issue: this.linearIssue(i) } });
      }
      default:
        return { status: 400, body: { errors: [{ message: `unknown operation ${String(c.body['operationName'])}` }] } };
    }
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

interface Answer {
  status: number;
  body?: unknown;
  created?: boolean;
}

export interface SignedWebhook {
  payload: unknown;
  sign(secret: string, body: string): Record<string, string>;
}

/** Posts a webhook as the tracker would: the raw JSON body, signed with `secret`. */
export async function deliverWebhook(url: string, hook: SignedWebhook, secret: string, headers?: Record<string, string>): Promise<{ status: number; body: { outcome?: string } }> {
  const body = JSON.stringify(hook.payload);
  const h = headers ?? hook.sign(secret, body);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as { outcome?: string } };
}

function hmac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** GitHub writes times to the second. */
function githubTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** GitLab's API writes ISO times with milliseconds… */
function gitlabTime(d: Date): string {
  return d.toISOString();
}

/** …and its webhooks `2026-11-30 15:40:12 UTC`, to the second. */
function gitlabWebhookTime(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function jiraTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

/** The keys of a `key in ("A-1", …)` search. */
function jqlKeys(jql: string): string[] {
  const keys = /key in \(([^)]*)\)/i.exec(jql);
  return keys ? keys[1].split(',').map((k) => k.trim().replace(/"/g, '').toUpperCase()) : [];
}

/** The JQL Hindsight sends: `key in ("A-1", …)`, or `project = "X" AND labels = "y"`. */
function jqlMatches(jql: string, i: FakeIssue): boolean {
  if (/key in \(/i.test(jql)) return jqlKeys(jql).includes(i.key);
  const label = /labels = "([^"]+)"/i.exec(jql);
  return !!label && i.labels.includes(label[1]);
}
