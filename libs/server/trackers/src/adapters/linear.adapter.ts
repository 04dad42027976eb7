import { TrackerState } from '@hindsight/domain';
import type { OutboundGuard } from '@hindsight/server-outbound';
import { TrackerHttp, TrackerHttpError } from '../tracker-http.client';
import type { ConnectionSettings, CreatedIssue, IssueBatch, NewIssue, RemoteIssue, TrackerAdapter, WebhookObservation } from './tracker.adapter';

interface LinearIssue {
  id: string;
  identifier: string;
  url: string;
  updatedAt: string;
  dueDate: string | null;
  state: { type: string };
}

const ISSUE = 'id identifier url updatedAt dueDate state { type }';
/** Linear's priority scale: 1 urgent, 2 high, 3 medium, 4 low (0: none). */
const PRIORITY = { P0: 1, P1: 2, P2: 3, P3: 4 } as const;

/**
 * Linear (GraphQL at `https://api.linear.app/graphql`, a personal API key as `Authorization`).
 * The project is the team key (ENG); issues are ENG-12. Closed means a state of type completed
 * or canceled; closing moves to the team's first completed state, reopening to its first
 * unstarted one. The marker is found by a description search.
 */
export class LinearAdapter implements TrackerAdapter {
  readonly hasDueDates = true;
  private readonly http: TrackerHttp;
  private teamId: string | null = null;

  constructor(
    private readonly c: ConnectionSettings,
    outbound: OutboundGuard,
  ) {
    this.http = new TrackerHttp(c.baseUrl, { authorization: c.token }, outbound);
  }

  private async gql<T>(operationName: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await this.post<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }>({ operationName, query, variables });
    if (r.errors?.length) {
      const e = r.errors[0];
      if (e.extensions?.code === 'AUTHENTICATION_ERROR') throw new TrackerHttpError('unauthorized', `Linear refused the API key: ${e.message}`, 401);
      if (e.extensions?.code === 'RATELIMITED') throw new TrackerHttpError('rate-limited', `rate limited by Linear: ${e.message}`, 429, 60_000);
      if (/entity not found/i.test(e.message)) throw new TrackerHttpError('not-found', `not found in Linear: ${e.message}`, 404);
      throw new TrackerHttpError('rejected', `Linear refused the request: ${e.message}`);
    }
    return r.data as T;
  }

  /** Linear answers an exhausted rate limit with 400 and a RATELIMITED error: retried like a 429. */
  private async post<R>(body: unknown): Promise<R> {
    try {
      return await this.http.request<R>({ method: 'POST', path: '/graphql', body });
    } catch (e) {
      if (e instanceof TrackerHttpError && e.status === 400 && /ratelimited/i.test(e.message)) throw new TrackerHttpError('rate-limited', `rate limited by Linear (${e.message})`, 400, 60_000);
      if (e instanceof TrackerHttpError && e.status === 401) throw new TrackerHttpError('unauthorized', `the tracker refused the token (401 from Linear): it is wrong, expired or revoked`, 401);
      throw e;
    }
  }

  display(key: string): string {
    return key;
  }

  private async team(): Promise<string> {
    if (this.teamId) return this.teamId;
    const d = await this.gql<{ teams: { nodes: { id: string }[] } }>('HindsightTeam', `query HindsightTeam($key: String!) { teams(filter: { key: { eq: $key } }) { nodes { id } } }`, { key: this.c.project });
    const id = d.teams.nodes[0]?.id;
    if (!id) throw new TrackerHttpError('not-found', `team ${this.c.project} not found (or the API key cannot see it)`, 404);
    return (this.teamId = id);
  }

  async check(): Promise<void> {
    await this.gql('HindsightViewer', `query HindsightViewer { viewer { id } }`);
    await this.team();
  }

  async findByMarker(marker: string): Promise<RemoteIssue | null> {
    const d = await this.gql<{ issues: { nodes: LinearIssue[] } }>(
      'HindsightFindMarker',
      `query HindsightFindMarker($key: String!, $marker: String!) { issues(filter: { team: { key: { eq: $key } }, description: { contains: $marker } }) { nodes { ${ISSUE} } } }`,
      { key: this.c.project, marker },
    );
    return d.issues.nodes[0] ? toRemote(d.issues.nodes[0]) : null;
  }

  async create(issue: NewIssue, created: (c: CreatedIssue) => Promise<void>): Promise<RemoteIssue> {
    const assigneeId = issue.assigneeEmail ? await this.userOf(issue.assigneeEmail) : null;
    const d = await this.gql<{ issueCreate: { success: boolean; issue: LinearIssue } }>(
      'HindsightCreate',
      `mutation HindsightCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { ${ISSUE} } } }`,
      { input: { teamId: await this.team(), title: issue.title, description: `${issue.description}\n\n${issue.marker}`, dueDate: issue.dueDate, priority: PRIORITY[issue.priority], ...(assigneeId ? { assigneeId } : {}) } },
    );
    await created({ key: d.issueCreate.issue.identifier, id: d.issueCreate.issue.id });
    return toRemote(d.issueCreate.issue);
  }

  private async issue(key: string): Promise<LinearIssue> {
    const d = await this.gql<{ issue: LinearIssue | null }>('HindsightIssue', `query HindsightIssue($id: String!) { issue(id: $id) { ${ISSUE} } }`, { id: key });
    if (!d.issue) throw new TrackerHttpError('not-found', `issue ${key} not found`, 404);
    return d.issue;
  }

  private async userOf(email: string): Promise<string | null> {
    const d = await this.gql<{ users: { nodes: { id: string }[] } }>('HindsightUser', `query HindsightUser($email: String!) { users(filter: { email: { eq: $email } }) { nodes { id } } }`, { email }).catch(() => null);
    return d?.users.nodes.length === 1 ? d.users.nodes[0].id : null;
  }

  async get(key: string): Promise<RemoteIssue> {
    return toRemote(await this.issue(key));
  }

  /** One page holds the batch (BATCH ≤ first); an issue the list leaves out is read alone by the caller. */
  async getMany(keys: readonly string[]): Promise<IssueBatch> {
    if (keys.length === 0) return { issues: [], gone: [] };
    const numbers = keys.map((k) => Number(k.split('-').pop()));
    const d = await this.gql<{ issues: { nodes: LinearIssue[] } }>(
      'HindsightIssues',
      `query HindsightIssues($key: String!, $numbers: [Float!]!) { issues(first: 100, filter: { team: { key: { eq: $key } }, number: { in: $numbers } }) { nodes { ${ISSUE} } } }`,
      { key: this.c.project, numbers },
    );
    return { issues: d.issues.nodes.map(toRemote), gone: [] };
  }

  async setState(key: string, state: TrackerState, comment: string): Promise<RemoteIssue> {
    const issue = await this.issue(key);
    const type = state === 'CLOSED' ? 'completed' : 'unstarted';
    const d = await this.gql<{ workflowStates: { nodes: { id: string }[] } }>(
      'HindsightStates',
      `query HindsightStates($key: String!, $type: String!) { workflowStates(filter: { team: { key: { eq: $key } }, type: { eq: $type } }) { nodes { id } } }`,
      { key: this.c.project, type },
    );
    const stateId = d.workflowStates.nodes[0]?.id;
    if (!stateId) throw new TrackerHttpError('rejected', `team ${this.c.project} has no ${type} workflow state`);
    const comments = await this.gql<{ commentCreate: { success: boolean } }>('HindsightComment', `mutation HindsightComment($input: CommentCreateInput!) { commentCreate(input: $input) { success } }`, {
      input: { issueId: issue.id, body: comment },
    });
    if (!comments.commentCreate.success) throw new TrackerHttpError('rejected', `Linear did not add the comment to ${key}`);
    const u = await this.gql<{ issueUpdate: { issue: LinearIssue } }>('HindsightUpdate', `mutation HindsightUpdate($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success issue { ${ISSUE} } } }`, {
      id: issue.id, input: { stateId },
    });
    return toRemote(u.issueUpdate.issue);
  }

  async setDueDate(key: string, dueDate: string): Promise<void> {
    await this.gql('HindsightUpdate', `mutation HindsightUpdate($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success issue { ${ISSUE} } } }`, { id: key, input: { dueDate } });
  }

  parseWebhook(body: unknown): WebhookObservation | null {
    const b = body as { type?: string; action?: string; actor?: { name?: string }; data?: Partial<LinearIssue> & { team?: { key?: string } } };
    if (b.type !== 'Issue' || !b.data?.identifier || !b.data.state || b.action === 'remove') return null;
    if (b.data.team?.key && b.data.team.key !== this.c.project) return null;
    const r = toRemote(b.data as LinearIssue);
    return { key: r.key, state: r.state, updatedAt: r.updatedAt, actor: b.actor?.name ?? null, dueDate: r.dueDate };
  }
}

function toRemote(i: LinearIssue): RemoteIssue {
  return { key: i.identifier, url: i.url, state: ['completed', 'canceled'].includes(i.state.type) ? 'CLOSED' : 'OPEN', updatedAt: new Date(i.updatedAt), dueDate: i.dueDate };
}
