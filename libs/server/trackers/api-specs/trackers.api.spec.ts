import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { ApiHarness } from '@hindsight/server-app/testing';
import { DeliveryService } from '@hindsight/server-chase';
import { TrackersRepository, TrackerSyncService } from '@hindsight/server-trackers';
import { deliverWebhook, FAKE_ASSIGNEE, FAKE_PROJECT, FAKE_TOKEN, FakeKind, FakeTrackers } from '@hindsight/server-trackers/testing';
import { DAY, KINDS, LINK, SECRET, startTrackerWorld, TrackerWorld } from './tracker-world.fixtures';

/** Trackers whose keys read PROJECT-12 rather than 12. */
const keyed = (kind: FakeKind) => kind.startsWith('JIRA') || kind === 'LINEAR';

const CREATE_CONNECTION = `mutation($input: TrackerConnectionInput!) { createTrackerConnection(input: $input) { id kind name baseUrl project email webhookUrl hasWebhookSecret team { id } } }`;
const ITEM = `query($id: ID!) { actionItem(id: $id) { id status completionNote dueAt trackerLink { externalKey url state creating syncedAt lastError awaitingVerification closedUpstreamBy proposedDueDate connection { id kind } } } }`;

interface ItemView {
  id: string;
  status: string;
  completionNote: string | null;
  dueAt: string;
  trackerLink: { externalKey: string; url: string; state: string; creating: boolean; lastError: string | null; awaitingVerification: boolean; closedUpstreamBy: string | null; proposedDueDate: string | null } | null;
}

describe('tracker sync over the API, against loopback GitHub, GitLab and Jira', () => {
  let t: TrackerWorld;
  let api: ApiHarness;
  let admin: string;
  let teamId: string;
  let incidentId: string;
  let fake: FakeTrackers;
  let sync: TrackerSyncService;
  let db: Client;
  let connections: TrackerWorld['connections'];
  const gql = <T>(q: string, v: Record<string, unknown> = {}, token?: string): Promise<T> => t.gql<T>(q, v, token);
  const connectionInput = (kind: FakeKind, over: Record<string, unknown> = {}) => t.connectionInput(kind, over);
  const newItem = (priority = 'P2', title?: string): Promise<string> => t.newItem({ priority, title });
  const drain = (): Promise<string[]> => t.drain();

  const hookUrl = (kind: FakeKind) => t.hookUrl(kind);

  const item = async (id: string): Promise<ItemView> => (await gql<{ actionItem: ItemView }>(ITEM, { id })).actionItem;

  const createLinked = async (kind: FakeKind, priority = 'P2'): Promise<{ id: string; key: string }> => {
    const id = await newItem(priority);
    await gql(LINK, { a: id, c: connections[kind].id });
    await drain();
    const view = await item(id);
    return { id, key: view.trackerLink?.externalKey ?? '' };
  };

  beforeAll(async () => {
    t = await startTrackerWorld('trackers-api');
    ({ api, admin, teamId, incidentId, fake, sync, db, connections } = t);
  }, 60_000);

  afterAll(() => t?.close());

  describe('connections', () => {
    it('are ADMIN-only, keep the token and secret encrypted and never return them, and say where webhooks go', async () => {
      const { id, webhookUrl } = connections.GITHUB;
      expect(webhookUrl).toBe(`https://hindsight.example.com/api/trackers/${id}/webhook`);
      const { rows } = await db.query(`SELECT token_enc, webhook_secret_enc FROM tracker_connections WHERE id = $1`, [id]);
      expect(rows[0].token_enc).toMatch(/^v1\./);
      expect(JSON.stringify(rows[0])).not.toContain(FAKE_TOKEN);
      expect(JSON.stringify(rows[0])).not.toContain(SECRET);
      const leak = await api.gql(`{ trackerConnections { token } }`, {}, admin);
      expect(leak.errors?.[0]?.message).toContain('Cannot query field "token"');
      const audit = await db.query(`SELECT after::text FROM audit_log WHERE action = 'tracker-connection.create'`);
      expect(audit.rows).toHaveLength(KINDS.length);
      expect(audit.rows.map((r) => r.after).join()).not.toContain(FAKE_TOKEN);

      const commander = (await t.world.signedIn({ email: 'cmd@test.local', name: 'Cmd', role: 'COMMANDER', password: 'commander-pass-1' })).token;
      const refused = await api.gql(CREATE_CONNECTION, { input: connectionInput('GITHUB') }, commander);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const listed = await api.gql<{ trackerConnections: { id: string }[] }>(`{ trackerConnections { id } }`, {}, commander);
      expect(listed.data?.trackerConnections).toHaveLength(KINDS.length);
    });

    it('refuse bad input field by field', async () => {
      const bad = await api.gql(CREATE_CONNECTION, { input: connectionInput('GITHUB', { project: 'no-slash', baseUrl: 'not a url' }) }, admin);
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.baseUrl' });
      expect((bad.errors?.[0]?.extensions?.['fields'] as { field: string }[]).map((f) => f.field)).toEqual(['input.baseUrl', 'input.project']);
      const jiraEmail = await api.gql(CREATE_CONNECTION, { input: { ...connectionInput('GITHUB'), email: 'bot@acme.test' } }, admin);
      expect(jiraEmail.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    });

    it.each(KINDS)('%s: "Test connection" says OK, or exactly why not', async (kind) => {
      const TEST = `mutation($id: ID!) { testTrackerConnection(id: $id) { ok message } }`;
      expect((await gql<{ testTrackerConnection: { ok: boolean } }>(TEST, { id: connections[kind].id })).testTrackerConnection.ok).toBe(true);
      const make = async (over: Record<string, unknown>) => (await gql<{ createTrackerConnection: { id: string } }>(CREATE_CONNECTION, { input: connectionInput(kind, over) })).createTrackerConnection.id;
      const wrongToken = await make({ token: 'revoked-token', name: `${kind} wrong token` });
      const wrongProject = await make({ project: kind === 'GITHUB' || kind === 'GITLAB' ? 'acme/nope' : 'NOPE', name: `${kind} wrong project` });
      const closedPort = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      const unreachable = await make({ baseUrl: `http://127.0.0.1:${closedPort}`, name: `${kind} unreachable` });
      const answers = await Promise.all([wrongToken, wrongProject, unreachable].map(async (id) => (await gql<{ testTrackerConnection: { ok: boolean; message: string } }>(TEST, { id })).testTrackerConnection));
      expect(answers.map((a) => a.ok)).toEqual([false, false, false]);
      expect(answers[0].message).toMatch(/refused the token \(401/);
      expect(answers[1].message).toMatch(/not found/);
      expect(answers[2].message).toBe(`cannot reach 127.0.0.1:${closedPort} (ECONNREFUSED)`);
      for (const id of [wrongToken, wrongProject, unreachable]) await gql(`mutation($id: ID!) { deleteTrackerConnection(id: $id) }`, { id });
    });
  });

  describe.each(KINDS)('%s', (kind) => {
    it('creates the issue once (title, links back, due date, priority, label), however often the push runs', async () => {
      const id = await newItem('P1', `Alert on checkout error budget burn (${kind})`);
      const linked = await gql<{ linkActionItemToTracker: { trackerLink: { creating: boolean; state: string } } }>(LINK, { a: id, c: connections[kind].id });
      expect(linked.linkActionItemToTracker.trackerLink).toMatchObject({ creating: true, state: 'OPEN' });
      const { rows } = await db.query(`SELECT id FROM tracker_pushes WHERE kind = 'CREATE' AND status = 'PENDING'`);
      expect(rows).toHaveLength(1);
      expect(await drain()).toEqual(['created']);
      // The same push run again (a duplicated job) and a CREATE recorded again find the issue.
      expect(await sync.push(rows[0].id)).toBe('gone');
      const issues = fake.issues[kind].filter((i) => i.title.endsWith(`(${kind})`));
      expect(issues).toHaveLength(1);
      const [issue] = issues;
      if (kind !== 'LINEAR') expect(issue.labels).toContain('hindsight');
      const text = JSON.stringify(issue.body);
      expect(text).toContain(`https://hindsight.example.com/action-items/${id}`);
      expect(text).toContain('https://hindsight.example.com/incidents/INC-1');
      if (kind === 'GITHUB') expect(issue.labels).toContain('priority:P1');
      else expect(issue.dueDate).toBe(new Date((await item(id)).dueAt).toISOString().slice(0, 10));
      if (kind.startsWith('JIRA')) expect(issue.priority).toBe('High');
      if (kind === 'LINEAR') expect(issue.priority).toBe('2');
      const view = await item(id);
      expect(view.trackerLink).toMatchObject({ externalKey: issue.key, state: 'OPEN', creating: false, lastError: null });
      expect(view.trackerLink?.url).toContain(kind.startsWith('JIRA') ? `/browse/${issue.key}` : kind === 'LINEAR' ? `/issue/${issue.key}` : `/issues/${issue.number}`);
    });

    it('assigns the issue to the item’s assignee, matched by e-mail, where the tracker allows it', async () => {
      const id = await newItem('P2', `Owned by someone (${kind})`);
      const users = await gql<{ users: { id: string; email: string }[] }>(`{ users { id email } }`);
      let owner = users.users.find((u) => u.email === FAKE_ASSIGNEE)?.id;
      owner ??= (await t.world.person({ email: FAKE_ASSIGNEE, name: 'Owner', role: 'MANAGER', password: 'owner-password-1' })).id;
      await gql(`mutation($id: ID!, $a: ID!) { updateActionItem(id: $id, input: { assigneeId: $a }) { id } }`, { id, a: owner });
      await gql(LINK, { a: id, c: connections[kind].id });
      expect(await drain()).toEqual(['created']);
      const [issue] = fake.issues[kind].filter((i) => i.title === `Owned by someone (${kind})`);
      expect(issue.assignee).toBe(kind === 'JIRA_CLOUD' ? 'acc-owner' : kind === 'LINEAR' ? 'user-owner' : 'owner');
    });

    it('closed upstream completes the item, naming the issue and who closed it; a replay changes nothing twice', async () => {
      const { id, key } = await createLinked(kind);
      const hook = fake.change(kind, key, { state: 'closed' }, 'mona');
      expect((await deliverWebhook(hookUrl(kind), hook, SECRET)).body.outcome).toBe('applied');
      const done = await item(id);
      expect(done.status).toBe('DONE');
      expect(done.completionNote).toMatch(new RegExp(`^Closed upstream in .*${key.replace('OPS-', 'OPS-')}.* by mona\\.$`));
      expect(done.trackerLink).toMatchObject({ state: 'CLOSED', closedUpstreamBy: 'mona' });
      // The same delivery again (same delivery id): nothing applied twice.
      const body = JSON.stringify(hook.payload);
      const headers = hook.sign(SECRET, body);
      await deliverWebhook(hookUrl(kind), hook, SECRET, headers);
      expect((await deliverWebhook(hookUrl(kind), hook, SECRET, headers)).body.outcome).toBe('duplicate');
      // The same change under a new delivery id: stale, still nothing.
      expect((await deliverWebhook(hookUrl(kind), hook, SECRET)).body.outcome).toBe('stale');
      // Pruning keeps recent delivery ids (only those older than 30 days go).
      expect(await api.app.get(TrackersRepository).pruneWebhookDeliveries()).toBe(0);
      expect((await deliverWebhook(hookUrl(kind), hook, SECRET, headers)).body.outcome).toBe('duplicate');
      const audits = await db.query(`SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'action-item.complete-upstream'`, [id]);
      expect(audits.rows).toHaveLength(1);
      // Completing it because the tracker said so is not pushed back.
      expect(await drain()).toEqual([]);
    });

    it('a P0/P1 item closed upstream stays open, awaiting its verification', async () => {
      const { id, key } = await createLinked(kind, 'P0');
      await deliverWebhook(hookUrl(kind), fake.change(kind, key, { state: 'closed' }), SECRET);
      const view = await item(id);
      expect(view.status).toBe('OPEN');
      expect(view.trackerLink).toMatchObject({ state: 'CLOSED', awaitingVerification: true });
      expect(await drain()).toEqual([]);
      // Completing it with the verification closes nothing more; the issue stays closed.
      await gql(`mutation($id: ID!) { completeActionItem(id: $id, note: "Canary in place", verification: "Caught a bad deploy in staging") { status } }`, { id });
      expect(await drain()).toEqual(['unchanged']);
      expect(fake.issue(kind, key).state).toBe('closed');
    });

    it('done in Hindsight closes the issue with a comment; its echo changes nothing; reopened upstream reopens the item', async () => {
      const { id, key } = await createLinked(kind);
      await gql(`mutation($id: ID!) { completeActionItem(id: $id, note: "Added the canary stage") { status } }`, { id });
      expect(await drain()).toEqual(['synced']);
      const issue = fake.issue(kind, key);
      expect(issue.state).toBe('closed');
      expect(issue.comments.join('\n')).toContain('Added the canary stage');
      // The tracker's webhook for our own close: no ping-pong.
      const echo = fake.webhookOf(kind, issue, 'hindsight-bot', 'closed');
      expect((await deliverWebhook(hookUrl(kind), echo, SECRET)).body.outcome).toMatch(/stale|unchanged/);
      expect((await item(id)).status).toBe('DONE');
      expect(await drain()).toEqual([]);

      await deliverWebhook(hookUrl(kind), fake.change(kind, key, { state: 'open' }, 'mona'), SECRET);
      expect((await item(id)).status).toBe('OPEN');
      const audit = await db.query(`SELECT after FROM audit_log WHERE entity_id = $1 AND action = 'action-item.reopen-upstream'`, [id]);
      expect(audit.rows[0].after).toMatchObject({ by: 'mona', via: 'webhook' });
      expect(await drain()).toEqual([]);

      await gql(`mutation($id: ID!) { updateActionItem(id: $id, input: { status: WONT_DO }, reason: "Superseded by the new pipeline") { status } }`, { id });
      expect(await drain()).toEqual(['synced']);
      expect(fake.issue(kind, key).state).toBe('closed');
    });

    it('a bad signature gets 401 and changes nothing; an older webhook after a newer one is stale', async () => {
      const { id, key } = await createLinked(kind);
      const older = fake.change(kind, key, { state: 'closed' });
      const newer = fake.change(kind, key, { state: 'open' });
      const forged = await deliverWebhook(hookUrl(kind), older, 'not-the-secret-at-all-000');
      expect(forged.status).toBe(401);
      expect((await item(id)).status).toBe('OPEN');
      expect((await deliverWebhook(hookUrl(kind), newer, SECRET)).body.outcome).toMatch(/unchanged|applied/);
      expect((await deliverWebhook(hookUrl(kind), older, SECRET)).body.outcome).toBe('stale');
      expect((await item(id)).status).toBe('OPEN');
    });

    it('a lost webhook converges at reconciliation', async () => {
      const { id, key } = await createLinked(kind);
      fake.change(kind, key, { state: 'closed' }, 'mona');
      const result = await sync.reconcile(connections[kind].id);
      expect(result.applied).toBeGreaterThanOrEqual(1);
      const view = await item(id);
      expect(view.status).toBe('DONE');
      // GitHub and GitLab name who closed an issue when it is read; Jira and Linear only in webhooks.
      if (kind === 'GITHUB' || kind === 'GITLAB') expect(view.completionNote).toContain('by mona');
      expect((await sync.reconcile(connections[kind].id)).applied).toBe(0);
      const { rows } = await db.query(`SELECT last_synced_at, last_error FROM tracker_connections WHERE id = $1`, [connections[kind].id]);
      expect(rows[0]).toMatchObject({ last_error: null });
      expect(rows[0].last_synced_at).not.toBeNull();
    });

    it('honours 429 Retry-After on a push, and retries 5xx', async () => {
      const id = await newItem();
      await gql(LINK, { a: id, c: connections[kind].id });
      fake.fail({ status: 429, headers: { 'retry-after': '7' } });
      expect(await drain()).toEqual(['retry-later:7000']);
      fake.fail({ status: 502 });
      expect((await drain())[0]).toMatch(/^error:the tracker failed \(502/);
      expect((await item(id)).trackerLink?.lastError).toMatch(/502/);
      expect(await drain()).toEqual(['created']);
      expect((await item(id)).trackerLink).toMatchObject({ creating: false, lastError: null });
    });

    it('links an existing issue by key, refuses an unknown one, and unlinks', async () => {
      const issue = fake.seed(kind, `Filed by hand (${kind})`);
      const id = await newItem();
      const missing = await api.gql(LINK, { a: id, c: connections[kind].id, k: keyed(kind) ? `${FAKE_PROJECT[kind]}-999` : '999' }, admin);
      expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'externalKey' });
      // Someone who may not edit the item learns nothing of which issues exist: refused before the tracker is asked.
      const email = `viewer-${kind.toLowerCase()}@test.local`;
      await t.world.person({ email, name: 'Viewer', role: 'VIEWER', password: 'viewer-password-1' });
      const viewer = await api.login(email, 'viewer-password-1');
      for (const k of [keyed(kind) ? `${FAKE_PROJECT[kind]}-999` : '999', issue.key]) {
        const refused = await api.gql(LINK, { a: id, c: connections[kind].id, k }, viewer);
        expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      const linked = await gql<{ linkActionItemToTracker: { trackerLink: { externalKey: string; creating: boolean } } }>(LINK, { a: id, c: connections[kind].id, k: keyed(kind) ? issue.key.toLowerCase() : `#${issue.number}` });
      expect(linked.linkActionItemToTracker.trackerLink).toMatchObject({ externalKey: issue.key, creating: false });
      await drain();
      if (kind !== 'GITHUB') expect(fake.issue(kind, issue.key).dueDate).toBe(new Date((await item(id)).dueAt).toISOString().slice(0, 10));
      const other = await newItem();
      const twice = await api.gql(LINK, { a: other, c: connections[kind].id, k: issue.key }, admin);
      expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'externalKey' });
      await gql(`mutation($a: ID!) { unlinkActionItemFromTracker(actionItemId: $a) { id } }`, { a: id });
      expect((await item(id)).trackerLink).toBeNull();
      const again = await api.gql(`mutation($a: ID!) { unlinkActionItemFromTracker(actionItemId: $a) { id } }`, { a: id }, admin);
      expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'actionItemId' });
      expect(fake.issues[kind].filter((i) => i.key === issue.key)).toHaveLength(1);
    });

    it('an upstream due-date change is proposed, not applied; our own due date is pushed', async () => {
      if (kind === 'GITHUB') return; // GitHub issues have no due date
      const { id, key } = await createLinked(kind);
      await deliverWebhook(hookUrl(kind), fake.change(kind, key, { dueDate: '2030-01-15' }), SECRET);
      const view = await item(id);
      expect(view.trackerLink?.proposedDueDate).toBe('2030-01-15');
      expect(new Date(view.dueAt).toISOString().slice(0, 10)).not.toBe('2030-01-15');
      const due = new Date(Date.now() + 20 * DAY);
      await gql(`mutation($id: ID!, $d: DateTime!) { changeActionItemDueDate(id: $id, dueAt: $d, reason: "Waiting on the vendor fix") { id } }`, { id, d: due.toISOString() });
      expect(await drain()).toEqual(['synced']);
      expect(fake.issue(kind, key).dueDate).toBe(due.toISOString().slice(0, 10));
    });
  });

  it("a P0/P1 item closed upstream is chased for its verification, not for the work", async () => {
    const { id, key } = await createLinked('GITLAB', 'P1');
    await deliverWebhook(hookUrl('GITLAB'), fake.change('GITLAB', key, { state: 'closed' }), SECRET);
    const { rows } = await db.query(
      `WITH c AS (INSERT INTO notification_channels (kind, name, target, secret, team_id) VALUES ('SLACK', '#checkout', 'http://127.0.0.1/****', $2, $3) RETURNING id),
            n AS (INSERT INTO nudges (subject_kind, subject_id, due_at, step, team_id) SELECT 'ACTION_ITEM', a.id, a.due_at, 'OVERDUE', a.owner_team_id FROM action_items a WHERE a.id = $1 RETURNING id)
       INSERT INTO deliveries (nudge_id, kind, channel_id, recipient) SELECT n.id, 'SLACK', c.id, '#checkout' FROM n, c RETURNING id`,
      [id, `http://127.0.0.1:${fake.port}/slack`, teamId],
    );
    expect((await api.app.get(DeliveryService).send(rows[0].id)).outcome).toBe('sent');
    const text = fake.slackMessages.at(-1) ?? '';
    expect(text).toContain(`Its tracker issue ${FAKE_PROJECT.GITLAB}#${key} was closed`);
    expect(text).toContain('What is left is the verification');
  });

  it('what the tracker changes goes through the action-items service: its fields and its audit entries, as for a person', async () => {
    const id = await newItem('P2', 'Pin the TLS library version');
    const stamp = async () => (await db.query(`SELECT external_url, updated_at FROM action_items WHERE id = $1`, [id])).rows[0] as { external_url: string | null; updated_at: Date };
    const beforeLink = await stamp();
    await gql(LINK, { a: id, c: connections.GITHUB.id });
    await drain();
    const { trackerLink } = await item(id);
    const key = trackerLink?.externalKey ?? '';
    // The issue becomes the item's external link, as an edit: the item's updatedAt moves.
    const linked = await stamp();
    expect(linked.external_url).toBe(trackerLink?.url);
    expect(linked.updated_at.getTime()).toBeGreaterThan(beforeLink.updated_at.getTime());

    await gql(`mutation($id: ID!, $u: DateTime!) { snoozeActionItem(id: $id, until: $u, reason: "Waiting on the vendor") { id } }`, { id, u: new Date(Date.now() + 3 * DAY).toISOString() });
    await deliverWebhook(hookUrl('GITHUB'), fake.change('GITHUB', key, { state: 'closed' }, 'mona'), SECRET);
    type Entry = { before: Record<string, unknown>; after: Record<string, unknown> };
    const entry = async (action: string): Promise<Entry> => (await db.query(`SELECT before, after FROM audit_log WHERE entity_id = $1 AND action = $2 ORDER BY id DESC LIMIT 1`, [id, action])).rows[0];
    const done = await entry('action-item.complete-upstream');
    // The whole item before and after, as completeActionItem records it; closing ended the snooze.
    expect(done.before).toMatchObject({ id, title: 'Pin the TLS library version', status: 'OPEN', completedAt: null, snoozeReason: 'Waiting on the vendor' });
    expect(done.after).toMatchObject({ status: 'DONE', completionNote: `Closed upstream in ${FAKE_PROJECT.GITHUB}#${key} by mona.`, snoozedUntil: null, snoozeReason: null, via: 'webhook' });
    expect(done.after['completedAt']).toEqual(expect.any(String));

    await deliverWebhook(hookUrl('GITHUB'), fake.change('GITHUB', key, { state: 'open' }, 'mona'), SECRET);
    const reopened = await entry('action-item.reopen-upstream');
    expect(reopened.before).toMatchObject({ status: 'DONE', completionNote: done.after['completionNote'], completedAt: done.after['completedAt'] });
    expect(reopened.after).toMatchObject({ status: 'OPEN', completedAt: null, completionNote: null, by: 'mona', via: 'webhook' });
    expect(await drain()).toEqual([]);
  });

  it('a revoked token fails the push for good, with the reason on the link', async () => {
    const id = await newItem();
    await gql(LINK, { a: id, c: connections.GITLAB.id });
    fake.token = 'rotated-token';
    try {
      const out = await drain();
      expect(out[0]).toMatch(/refused the token \(401/);
      const { rows } = await db.query(`SELECT p.status FROM tracker_pushes p JOIN tracker_links l ON l.id = p.link_id WHERE l.action_item_id = $1`, [id]);
      expect(rows.map((r) => r.status)).toEqual(['FAILED']);
      expect((await item(id)).trackerLink).toMatchObject({ creating: true, lastError: expect.stringMatching(/401/) });
      await expect(sync.reconcile(connections.GITLAB.id)).rejects.toThrow(/401/);
      const c = await gql<{ trackerConnections: { id: string; lastError: string | null }[] }>(`{ trackerConnections { id lastError } }`);
      expect(c.trackerConnections.find((x) => x.id === connections.GITLAB.id)?.lastError).toMatch(/401/);

      // The admin pastes the new token: links are kept and the failed push runs again.
      const UPDATE = `mutation($id: ID!, $input: TrackerConnectionUpdateInput!) { updateTrackerConnection(id: $id, input: $input) { id lastError } }`;
      const updated = await gql<{ updateTrackerConnection: { lastError: string | null } }>(UPDATE, { id: connections.GITLAB.id, input: { token: 'rotated-token' } });
      expect(updated.updateTrackerConnection.lastError).toBeNull();
      expect(await drain()).toEqual(['created']);
      expect((await item(id)).trackerLink).toMatchObject({ creating: false, lastError: null });
      const audit = await db.query(`SELECT after::text FROM audit_log WHERE action = 'tracker-connection.update'`);
      expect(audit.rows[0].after).toContain('(replaced)');
      expect(audit.rows[0].after).not.toContain('rotated-token');
      await gql(UPDATE, { id: connections.GITLAB.id, input: { token: FAKE_TOKEN } });
    } finally {
      fake.token = FAKE_TOKEN;
    }
  });

  it('the incident page creates issues for all open, unlinked items at once (once)', async () => {
    const before = fake.issues.GITHUB.length;
    const ids = [await newItem('P2', 'Bulk one'), await newItem('P3', 'Bulk two')];
    const MUT = `mutation($i: ID!, $c: ID!) { createTrackerIssuesForIncident(incidentId: $i, connectionId: $c) }`;
    const n = (await gql<{ createTrackerIssuesForIncident: number }>(MUT, { i: incidentId, c: connections.GITHUB.id })).createTrackerIssuesForIncident;
    expect(n).toBeGreaterThanOrEqual(2);
    expect((await gql<{ createTrackerIssuesForIncident: number }>(MUT, { i: incidentId, c: connections.GITHUB.id })).createTrackerIssuesForIncident).toBe(0);
    await drain();
    expect(fake.issues.GITHUB.length - before).toBe(n);
    for (const id of ids) expect((await item(id)).trackerLink?.creating).toBe(false);
  });

  it('the action-item list filters linked and not linked items', async () => {
    const unlinked = await newItem('P3', 'Not in any tracker');
    const COUNT = `query($f: ActionItemFilter) { actionItems(filter: $f, first: 100) { totalCount nodes { id trackerLink { externalKey } } } }`;
    type Page = { actionItems: { totalCount: number; nodes: { id: string; trackerLink: { externalKey: string } | null }[] } };
    const all = (await gql<Page>(COUNT, { f: { incidentId } })).actionItems;
    const linked = (await gql<Page>(COUNT, { f: { incidentId, trackerLinked: true } })).actionItems;
    const notLinked = (await gql<Page>(COUNT, { f: { incidentId, trackerLinked: false } })).actionItems;
    expect(linked.totalCount + notLinked.totalCount).toBe(all.totalCount);
    expect(linked.nodes.every((n) => n.trackerLink !== null)).toBe(true);
    expect(notLinked.nodes.map((n) => n.id)).toContain(unlinked);
    expect(notLinked.nodes.every((n) => n.trackerLink === null)).toBe(true);
  });

  it('a connection with a team and autoCreate creates issues for that team’s new items', async () => {
    const team = await t.world.team({ name: 'Search' });
    await gql(CREATE_CONNECTION, { input: connectionInput('JIRA_DC', { name: 'Search Jira', teamId: team, autoCreate: true }) });
    const r = await gql<{ createActionItem: { id: string } }>(
      `mutation($i: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $i, input: $input) { id } }`,
      { i: incidentId, input: { title: 'Reindex alerting', kind: 'DETECT', priority: 'P2', ownerTeamId: team } },
    );
    expect(await drain()).toEqual(['created']);
    expect((await item(r.createActionItem.id)).trackerLink).toMatchObject({ creating: false, state: 'OPEN' });
    expect(fake.issues.JIRA_DC.filter((i) => i.title === 'Reindex alerting')).toHaveLength(1);
  });
});
