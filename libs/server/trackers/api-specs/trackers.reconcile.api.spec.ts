import { Client } from 'pg';
import { ApiHarness } from '@hindsight/server-app/testing';
import { ChaseSweepService } from '@hindsight/server-chase';
import { TrackerSyncService } from '@hindsight/server-trackers';
import { deliverWebhook, FAKE_PROJECT, FAKE_TOKEN, FakeKind, FakeTrackers } from '@hindsight/server-trackers/testing';
import { DAY, KINDS, LINK, SECRET, startTrackerWorld, TrackerWorld } from './tracker-world.fixtures';

/*
 * Reconciliation that one issue cannot stop, against loopback trackers that answer as their
 * public docs say: Jira's paged searches (Cloud's nextPageToken/isLast, Data Center's
 * startAt/total), its 400 for a whole `key in (…)` search naming a deleted key, GitHub's 410
 * for a deleted issue and its one-second timestamps, Jira Cloud's lagging search index, and
 * GitLab's confidential issue events.
 */

const ITEM = `query($id: ID!) { actionItem(id: $id) { id status dueAt completionNote trackerLink { externalKey state lastError deletedUpstream deletedUpstreamAt } } }`;

interface ItemView {
  id: string;
  status: string;
  dueAt: string;
  completionNote: string | null;
  trackerLink: { externalKey: string; state: string; lastError: string | null; deletedUpstream: boolean; deletedUpstreamAt: string | null } | null;
}

describe('tracker reconciliation that one issue cannot stop', () => {
  let t: TrackerWorld;
  let api: ApiHarness;
  let fake: FakeTrackers;
  let sync: TrackerSyncService;
  let db: Client;
  const connections = {} as Record<FakeKind, string>;
  const gql = <T>(q: string, v: Record<string, unknown> = {}): Promise<T> => t.gql<T>(q, v);
  const drain = (): Promise<string[]> => t.drain();
  const newItem = (title: string): Promise<string> => t.newItem({ title });

  const item = async (id: string): Promise<ItemView> => (await gql<{ actionItem: ItemView }>(ITEM, { id })).actionItem;

  const createLinked = async (kind: FakeKind, title: string): Promise<{ id: string; key: string }> => {
    const id = await newItem(title);
    await gql(LINK, { a: id, c: connections[kind] });
    expect(await drain()).toEqual(['created']);
    return { id, key: (await item(id)).trackerLink?.externalKey ?? '' };
  };

  const connectionError = async (kind: FakeKind): Promise<string | null> =>
    (await db.query(`SELECT last_error FROM tracker_connections WHERE id = $1`, [connections[kind]])).rows[0].last_error;

  beforeAll(async () => {
    t = await startTrackerWorld('trackers-rec');
    ({ api, fake, sync, db } = t);
    for (const kind of KINDS) connections[kind] = t.connections[kind].id;
  }, 60_000);

  afterAll(() => t?.close());

  afterEach(() => {
    fake.jiraPageSize = 100;
    fake.jiraIndexLags = false;
    fake.indexAll();
    fake.clearFailures();
  });

  describe.each(['JIRA_CLOUD', 'JIRA_DC'] as const)('%s', (kind) => {
    it('follows the search’s pages: an issue on page 3 is reconciled', async () => {
      const linked = [];
      for (let n = 1; n <= 5; n++) linked.push(await createLinked(kind, `Paged item ${n} (${kind})`));
      const last = linked[4];
      fake.change(kind, last.key, { state: 'closed' }, 'mona'); // its webhook is lost
      fake.jiraPageSize = 2;
      fake.jiraSearches.length = 0;
      const result = await sync.reconcile(connections[kind]);
      expect(result).toMatchObject({ read: 5, applied: 1, deleted: 0 });
      expect((await item(last.id)).status).toBe('DONE');
      // Three pages, each asked for as the tracker documents.
      const pages = fake.jiraSearches.map((s) => s.body);
      expect(pages).toHaveLength(3);
      if (kind === 'JIRA_CLOUD') {
        expect(pages[0]['nextPageToken']).toBeUndefined();
        expect(pages.slice(1).every((p) => typeof p['nextPageToken'] === 'string')).toBe(true);
      } else {
        expect(pages.map((p) => p['startAt'])).toEqual([0, 2, 4]);
      }
      expect(pages.every((p) => Number(p['maxResults']) > 0 && Number(p['maxResults']) <= 100)).toBe(true);
      expect(await connectionError(kind)).toBeNull();
    });
  });

  describe.each(KINDS)('%s: an issue deleted upstream', (kind) => {
    it('does not stop the others; its link says so in GraphQL and its item is still chased', async () => {
      const a = await createLinked(kind, `Kept issue (${kind})`);
      const b = await createLinked(kind, `Deleted issue (${kind})`);
      const c = await createLinked(kind, `Closed issue (${kind})`);
      fake.delete(kind, b.key);
      fake.change(kind, c.key, { state: 'closed' }, 'mona'); // its webhook is lost

      const first = await sync.reconcile(connections[kind]);
      expect(first).toMatchObject({ applied: 1, deleted: 1 });
      expect(await connectionError(kind)).toBeNull();
      expect((await item(c.id)).status).toBe('DONE');
      expect((await item(a.id)).trackerLink).toMatchObject({ deletedUpstream: false, deletedUpstreamAt: null });
      const deleted = await item(b.id);
      expect(deleted.status).toBe('OPEN');
      expect(deleted.trackerLink).toMatchObject({ externalKey: b.key, deletedUpstream: true, lastError: null });
      expect(Date.parse(deleted.trackerLink?.deletedUpstreamAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
      const audit = await db.query(`SELECT after FROM audit_log WHERE entity_id = $1 AND action = 'action-item.tracker-issue-deleted-upstream'`, [b.id]);
      expect(audit.rows.map((r) => r.after.via)).toEqual(['reconciliation']);

      // The next interval reads the others and no longer asks about the deleted one.
      fake.jiraSearches.length = 0;
      const again = await sync.reconcile(connections[kind]);
      expect(again.deleted).toBe(0);
      expect(await connectionError(kind)).toBeNull();
      expect(JSON.stringify(fake.jiraSearches)).not.toContain(`"${b.key}"`);

      // The ladder chases the item as before: its overdue step is recorded.
      const overdue = new Date(Date.parse(deleted.dueAt) + 2 * DAY);
      await api.app.get(ChaseSweepService).sweep(overdue, async () => undefined);
      const nudges = await db.query(`SELECT step FROM nudges WHERE subject_id = $1`, [b.id]);
      expect(nudges.rows.length).toBeGreaterThan(0);

      // Completing it pushes nothing to a tracker that has no issue; the push does not fail.
      await gql(`mutation($id: ID!) { completeActionItem(id: $id, note: "Done without the issue") { status } }`, { id: b.id });
      expect(await drain()).toEqual(['deleted-upstream']);
    });

    it('a push to an issue deleted since the last reconciliation marks the link instead of failing', async () => {
      const d = await createLinked(kind, `Deleted before the push (${kind})`);
      fake.delete(kind, d.key);
      await gql(`mutation($id: ID!) { completeActionItem(id: $id, note: "Shipped") { status } }`, { id: d.id });
      expect(await drain()).toEqual(['deleted-upstream']);
      const { rows } = await db.query(`SELECT p.status FROM tracker_pushes p JOIN tracker_links l ON l.id = p.link_id WHERE l.action_item_id = $1 AND p.kind = 'SYNC'`, [d.id]);
      expect(rows.map((r) => r.status)).toEqual(['DONE']);
      expect((await item(d.id)).trackerLink).toMatchObject({ deletedUpstream: true, lastError: null });
    });
  });

  describe.each(['GITHUB', 'JIRA_CLOUD', 'JIRA_DC'] as const)('%s: a deletion webhook', (kind) => {
    it('marks the link at once; a later event of the issue (restored) clears the mark', async () => {
      const g = await createLinked(kind, `Deleted with a webhook (${kind})`);
      const hook = fake.delete(kind, g.key, 'mona');
      if (!hook) throw new Error(`${kind} sends a deletion webhook`);
      const url = `${api.url}/api/trackers/${connections[kind]}/webhook`;
      expect((await deliverWebhook(url, hook, SECRET)).body.outcome).toBe('applied');
      expect(await item(g.id)).toMatchObject({ status: 'OPEN', trackerLink: { deletedUpstream: true } });
      const audit = await db.query(`SELECT after FROM audit_log WHERE entity_id = $1 AND action = 'action-item.tracker-issue-deleted-upstream'`, [g.id]);
      expect(audit.rows.map((r) => r.after.via)).toEqual(['webhook']);
      // The same news again (another delivery) changes nothing more.
      expect((await deliverWebhook(url, hook, SECRET)).body.outcome).toBe('unchanged');

      fake.issue(kind, g.key).deleted = false;
      expect((await deliverWebhook(url, fake.change(kind, g.key, { state: 'closed' }, 'mona'), SECRET)).body.outcome).toBe('applied');
      expect(await item(g.id)).toMatchObject({ status: 'DONE', trackerLink: { deletedUpstream: false, deletedUpstreamAt: null } });
    });
  });

  it('a token that no longer sees the project does not make its issues look deleted; a new token reads them again', async () => {
    const marked = async () => (await db.query(`SELECT action_item_id FROM tracker_links WHERE connection_id = $1 AND deleted_upstream_at IS NOT NULL`, [connections.GITHUB])).rows.map((r) => r.action_item_id as string);
    const kept = await createLinked('GITHUB', 'Behind a revoked repository grant');
    const gone = await createLinked('GITHUB', 'Deleted behind a revoked repository grant');
    fake.delete('GITHUB', gone.key);
    const markedBefore = await marked();
    fake.fail({ status: 404, match: /^GET \/repos\//, times: 1000 });
    await expect(sync.reconcile(connections.GITHUB)).rejects.toThrow(/repository acme\/api not found/);
    expect(await connectionError('GITHUB')).toMatch(/not found/);
    expect(await marked()).toEqual(markedBefore);

    fake.clearFailures();
    expect((await sync.reconcile(connections.GITHUB)).deleted).toBe(1);
    expect(await marked()).toContain(gone.id);
    expect(await marked()).not.toContain(kept.id);

    // A new token may see what the old one could not: every link is read again…
    await gql(`mutation($id: ID!, $input: TrackerConnectionUpdateInput!) { updateTrackerConnection(id: $id, input: $input) { id } }`, { id: connections.GITHUB, input: { token: FAKE_TOKEN } });
    expect(await marked()).toEqual([]);
    // …and those really deleted are found so again, without stopping the run.
    expect((await sync.reconcile(connections.GITHUB)).deleted).toBe(markedBefore.length + 1);
    expect(await connectionError('GITHUB')).toBeNull();
  });

  it('Jira Cloud: a retried create finds the issue the slow search index does not show yet (reconcileIssues), and makes no second one', async () => {
    fake.jiraIndexLags = true;
    const id = await newItem('Created while the index lags');
    await gql(LINK, { a: id, c: connections.JIRA_CLOUD });
    // Jira made the issue, then the read that follows failed: the push rolls back.
    fake.fail({ status: 502, match: /^GET \/rest\/api\/3\/issue\/OPS-\d+$/ });
    expect((await drain())[0]).toMatch(/^error:the tracker failed \(502/);
    const made = fake.issues.JIRA_CLOUD.filter((i) => i.title === 'Created while the index lags');
    expect(made).toHaveLength(1);
    expect(made[0].indexed).toBe(false);

    fake.jiraSearches.length = 0;
    expect(await drain()).toEqual(['found']);
    expect(fake.issues.JIRA_CLOUD.filter((i) => i.title === 'Created while the index lags')).toHaveLength(1);
    expect(fake.jiraSearches[0].body['reconcileIssues']).toEqual([10000 + made[0].number]);
    expect((await item(id)).trackerLink).toMatchObject({ externalKey: made[0].key, lastError: null });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM tracker_created_issues`);
    expect(rows[0].n).toBe(0);
  });

  it('GitLab: a "Confidential Issue Hook" is applied like an "Issue Hook"', async () => {
    const { id, key } = await createLinked('GITLAB', 'Confidential fix');
    const hook = fake.change('GITLAB', key, { state: 'closed' }, 'mona', { confidential: true });
    const delivered = await deliverWebhook(`${api.url}/api/trackers/${connections.GITLAB}/webhook`, hook, SECRET);
    expect(delivered).toEqual({ status: 200, body: { outcome: 'applied' } });
    const done = await item(id);
    expect(done.status).toBe('DONE');
    expect(done.completionNote).toBe(`Closed upstream in ${FAKE_PROJECT.GITLAB}#${key} by mona.`);
  });

  describe('GitHub: a close within the same second as our push (one-second timestamps)', () => {
    it('is applied from its webhook', async () => {
      const { id, key } = await createLinked('GITHUB', 'Closed in the second it was created');
      const hook = fake.change('GITHUB', key, { state: 'closed' }, 'mona', { sameSecond: true });
      const delivered = await deliverWebhook(`${api.url}/api/trackers/${connections.GITHUB}/webhook`, hook, SECRET);
      expect(delivered.body.outcome).toBe('applied');
      expect((await item(id)).status).toBe('DONE');
      expect(await drain()).toEqual([]);
    });

    it('converges at reconciliation when its webhook is lost, without reopening the issue', async () => {
      const { id, key } = await createLinked('GITHUB', 'Closed in the same second, webhook lost');
      fake.change('GITHUB', key, { state: 'closed' }, 'mona', { sameSecond: true });
      await sync.reconcile(connections.GITHUB);
      expect((await item(id)).status).toBe('DONE');
      expect(await drain()).toEqual([]);
      expect(fake.issue('GITHUB', key).state).toBe('closed');
    });
  });
});
