import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { TrackerHttpError, TrackerRetryLater, TrackersRepository, TrackerSyncService } from '@hindsight/server-trackers';
import { FAKE_EMAIL, FAKE_PROJECT, FAKE_TOKEN, FakeKind, FakeTrackers } from '@hindsight/server-trackers/testing';
import { Scenario } from '@hindsight/server-testing';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const SECRET = 'tracker-webhook-secret-0123456789';
export const KINDS: FakeKind[] = ['GITHUB', 'GITLAB', 'JIRA_CLOUD', 'JIRA_DC', 'LINEAR'];
export const DAY = 86_400_000;
export const LINK = `mutation($a: ID!, $c: ID!, $k: String) { linkActionItemToTracker(actionItemId: $a, connectionId: $c, externalKey: $k) { id trackerLink { externalKey url state creating } } }`;

/**
 * What the tracker specs share: the API (PUBLIC_URL https://hindsight.example.com), loopback
 * GitHub, GitLab, Jira Cloud and Data Center and Linear, a connection to each (with the
 * webhook secret `SECRET`), a team "Checkout" and an incident of yesterday to hang items on.
 */
export interface TrackerWorld {
  api: ApiHarness;
  db: Client;
  fake: FakeTrackers;
  sync: TrackerSyncService;
  /** The ADMIN's token; `world` acts as the ADMIN. */
  admin: string;
  world: Scenario;
  teamId: string;
  incidentId: string;
  connections: Record<FakeKind, { id: string; webhookUrl: string }>;
  /** An operation that must succeed, as the ADMIN unless `token` says otherwise. */
  gql<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  /** The input of a connection to the fake `kind`, any field overridden. */
  connectionInput(kind: FakeKind, over?: Record<string, unknown>): Record<string, unknown>;
  /** An action item of the incident, owned by the team, due in ten days. */
  newItem(input?: { title?: string; priority?: string }): Promise<string>;
  /** Runs every pending push in order, as the worker would; returns outcomes and errors. */
  drain(): Promise<string[]>;
  /** The URL the API takes `kind`'s webhooks at (its webhookUrl names PUBLIC_URL). */
  hookUrl(kind: FakeKind): string;
  close(): Promise<void>;
}

export async function startTrackerWorld(name: string): Promise<TrackerWorld> {
  const prefix = `hs-${name}-${randomBytes(4).toString('hex')}`;
  process.env['HINDSIGHT_ENCRYPTION_KEY'] = randomBytes(32).toString('base64');
  const fake = await new FakeTrackers().start();
  const api = await startApi({ QUEUE_PREFIX: prefix, PUBLIC_URL: 'https://hindsight.example.com' });
  const sync = api.app.get(TrackerSyncService);
  const db = new Client({ connectionString: api.db.url });
  await db.connect();
  const admin = await api.login();
  const world = new Scenario(api, admin);
  const gql = <T>(query: string, variables: Record<string, unknown> = {}, token: string = admin): Promise<T> => world.as(token).ok<T>(query, variables);
  const connectionInput = (kind: FakeKind, over: Record<string, unknown> = {}) => ({
    kind: kind.startsWith('JIRA') ? 'JIRA' : kind, name: `${kind} tracker`, baseUrl: fake.baseUrl(kind), project: FAKE_PROJECT[kind], token: FAKE_TOKEN,
    webhookSecret: SECRET, ...(kind === 'JIRA_CLOUD' ? { email: FAKE_EMAIL } : {}), ...over,
  });
  const teamId = await world.team({ name: 'Checkout' });
  const incidentId = (await world.incident({ title: 'Checkout errors after deploy', severity: 'SEV2', startedAt: new Date(Date.now() - DAY).toISOString() })).id;
  const connections = {} as Record<FakeKind, { id: string; webhookUrl: string }>;
  for (const kind of KINDS) {
    connections[kind] = (await gql<{ createTrackerConnection: { id: string; webhookUrl: string } }>(
      `mutation($input: TrackerConnectionInput!) { createTrackerConnection(input: $input) { id webhookUrl } }`, { input: connectionInput(kind) },
    )).createTrackerConnection;
  }
  const drain = async (): Promise<string[]> => {
    const out: string[] = [];
    for (let round = 0; round < 5; round++) {
      const { rows } = await db.query(`SELECT id FROM tracker_pushes WHERE status = 'PENDING' ORDER BY created_at`);
      if (rows.length === 0) break;
      for (const { id } of rows as { id: string }[]) {
        try {
          out.push(await sync.push(id));
        } catch (e) {
          const permanent = e instanceof TrackerHttpError && !e.retryable;
          await api.app.get(TrackersRepository).recordPushFailure(id, (e as Error).message, permanent);
          out.push(e instanceof TrackerRetryLater ? `retry-later:${e.delayMs}` : `error:${(e as Error).message}`);
          if (!permanent) return out;
        }
      }
    }
    return out;
  };
  return {
    api, db, fake, sync, admin, world, teamId, incidentId, connections, gql, connectionInput, drain,
    newItem: async ({ title = 'Add a canary stage to checkout deploys', priority = 'P2' } = {}) =>
      (await world.actionItem(incidentId, { title, kind: 'PREVENT', priority, ownerTeamId: teamId, dueAt: new Date(Date.now() + 10 * DAY).toISOString() })).id,
    hookUrl: (kind) => `${api.url}/api/trackers/${connections[kind].id}/webhook`,
    close: async () => {
      await db.end();
      await api.close();
      await fake.close();
      await dropQueueKeys(REDIS_URL, prefix);
    },
  };
}
