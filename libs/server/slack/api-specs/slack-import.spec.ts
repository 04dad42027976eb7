import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { daysAgo, Rows, Scenario } from '@hindsight/server-testing';
import { SlackFake } from '@hindsight/server-slack/testing';

/*
 * Building an incident's timeline from its Slack channel (issue 24): 2,000 messages read page
 * by page with a 429 in the middle, each proposed once, a re-import adding only what is new,
 * and a commander keeping (with the permalink as evidence), editing and dropping proposals.
 */

let api: ApiHarness;
let db: Client;
let slack: SlackFake;
let admin: string;
let incidentId: string;
const SET = `mutation($id: ID!, $c: String) { setIncidentSlackChannel(incidentId: $id, channel: $c) { id slackChannel } }`;
const IMPORT = `mutation($id: ID!) { importSlackChannel(incidentId: $id) { ts occurredAt text permalink author } }`;
type Proposal = { ts: string; occurredAt: string; text: string; permalink: string | null; author: string | null };

beforeAll(async () => {
  slack = await new SlackFake().start();
  api = await startApi({ SLACK_API_URL: slack.apiUrl, SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: 'c'.repeat(32), OUTBOUND_ALLOWLIST: '127.0.0.1' });
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  admin = await api.login();
  incidentId = (await new Rows(db).incident({ title: 'Search outage', severity: 'SEV1', started_at: daysAgo(2) })).id;
});

afterAll(async () => {
  await db?.end();
  await api?.close();
  await slack?.close();
});

it("names the incident's channel after Slack confirms it; refuses what is not a channel", async () => {
  const bad = await api.gql(SET, { id: incidentId, c: '#general' }, admin);
  expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'channel' });
  const unknown = await api.gql(SET, { id: incidentId, c: 'C99999999' }, admin);
  expect(unknown.errors?.[0].message).toMatch(/no such channel/);
  const channel = slack.addChannel('inc-search-outage');
  const set = await api.gql(SET, { id: incidentId, c: `https://hindsight-tests.slack.com/archives/${channel.id}` }, admin);
  expect(set.data).toEqual({ setIncidentSlackChannel: { id: incidentId, slackChannel: channel.id } });
  expect((await api.gql(`query($id: ID!) { incident(id: $id) { slackChannel slackImportWaiting } }`, { id: incidentId }, admin)).data).toEqual({ incident: { slackChannel: channel.id, slackImportWaiting: false } });
});

it('imports 2,000 messages page by page through a 429, proposes each once, and a re-import adds only new ones', async () => {
  const channelId = (await db.query(`SELECT channel_id FROM incident_slack_channels WHERE incident_id = $1`, [incidentId])).rows[0].channel_id;
  const ana = slack.addUser({ email: 'ana@example.test', name: 'ana' });
  const bo = slack.addUser({ email: 'bo@example.test', name: 'bo' });
  const start = Math.floor(Date.now() / 1000) - 86_400;
  for (let i = 0; i < 2000; i++) slack.say(channelId, i % 2 ? ana.id : bo.id, `update ${i}`, start + i * 30);
  const joined = slack.say(channelId, ana.id, 'has joined', start + 1);
  joined.subtype = 'channel_join';
  // A page after the third is rate limited once: the client waits out Retry-After and goes on.
  const history = () => slack.callsOf('conversations.history').length;
  const before = history();
  slack.failNext('conversations.history', 1, { status: 429, retryAfter: 1 }, 3);
  const res = await api.gql<{ importSlackChannel: Proposal[] }>(IMPORT, { id: incidentId }, admin);
  expect(res.errors).toBeUndefined();
  const pages = slack.callsOf('conversations.history').slice(before).filter((c) => c.status === 200).length;
  const proposals = res.data?.importSlackChannel ?? [];
  expect(proposals).toHaveLength(2000);
  expect(new Set(proposals.map((p) => p.ts)).size).toBe(2000);
  expect(proposals[0]).toEqual({
    ts: expect.any(String), occurredAt: new Date(start * 1000).toISOString(), text: 'update 0', author: 'bo',
    permalink: `https://hindsight-tests.slack.com/archives/${channelId}/p${proposals[0].ts.replace('.', '')}`,
  });
  expect(proposals.map((p) => p.text)).not.toContain('has joined');
  expect(pages).toBe(11); // 2,001 messages, 200 a page
  expect(slack.callsOf('conversations.history').slice(before).map((c) => c.status).indexOf(429)).toBe(3);
  expect(slack.callsOf('conversations.history').slice(before).filter((c) => c.status === 429)).toHaveLength(1);
  // Paging followed Slack's cursors.
  expect(slack.callsOf('conversations.history').slice(before + 1).every((c) => typeof c.args['cursor'] === 'string')).toBe(true);

  slack.say(channelId, ana.id, 'rollback finished', start + 2000 * 30 + 5);
  const again = await api.gql<{ importSlackChannel: Proposal[] }>(IMPORT, { id: incidentId }, admin);
  expect(again.data?.importSlackChannel).toHaveLength(2001);
  const last = slack.callsOf('conversations.history').at(-1);
  expect(last?.args['oldest']).toBe(proposals[proposals.length - 1].ts);
  expect((await db.query(`SELECT count(*)::int AS n FROM slack_import_proposals WHERE incident_id = $1`, [incidentId])).rows[0].n).toBe(2001);
}, 120_000);

it('a commander keeps (as is or edited) and drops proposals; each is decided once; a VIEWER may not', async () => {
  const pending = (await api.gql<{ slackImportProposals: Proposal[] }>(`query($id: ID!) { slackImportProposals(incidentId: $id) { ts text occurredAt permalink } }`, { id: incidentId }, admin)).data?.slackImportProposals ?? [];
  const [first, second, third] = pending;
  const KEEP = `mutation($id: ID!, $ts: String!, $kind: TimelineEventKind!, $d: String) { keepSlackImportProposal(incidentId: $id, ts: $ts, kind: $kind, description: $d) { id occurredAt kind description evidenceUrl } }`;
  const kept = await api.gql<{ keepSlackImportProposal: Record<string, unknown> }>(KEEP, { id: incidentId, ts: first.ts, kind: 'DETECTION' }, admin);
  expect(kept.data?.keepSlackImportProposal).toMatchObject({ occurredAt: first.occurredAt, kind: 'DETECTION', description: first.text, evidenceUrl: first.permalink });
  const edited = await api.gql<{ keepSlackImportProposal: Record<string, unknown> }>(KEEP, { id: incidentId, ts: second.ts, kind: 'MITIGATION', d: 'Traffic moved to the standby cluster' }, admin);
  expect(edited.data?.keepSlackImportProposal).toMatchObject({ description: 'Traffic moved to the standby cluster', evidenceUrl: second.permalink });
  expect((await api.gql(`mutation($id: ID!, $ts: String!) { dropSlackImportProposal(incidentId: $id, ts: $ts) }`, { id: incidentId, ts: third.ts }, admin)).data).toEqual({ dropSlackImportProposal: true });
  const twice = await api.gql(KEEP, { id: incidentId, ts: first.ts, kind: 'DETECTION' }, admin);
  expect(twice.errors?.[0].extensions?.['code']).toBe('CONFLICT');
  expect((await db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE incident_id = $1`, [incidentId])).rows[0].n).toBe(2);

  const viewer = (await new Scenario(api, admin).signedIn({ email: 'v@import.test', name: 'V', role: 'VIEWER', password: 'viewer-password-1' })).token;
  expect((await api.gql(IMPORT, { id: incidentId }, viewer)).errors?.[0].extensions?.['code']).toBe('FORBIDDEN');
  const remaining = (await api.gql<{ slackImportProposals: Proposal[] }>(`query($id: ID!) { slackImportProposals(incidentId: $id) { ts } }`, { id: incidentId }, admin)).data?.slackImportProposals;
  expect(remaining).toHaveLength(2001 - 3);
  // The incident page's cheap check: messages wait (for a commander; a VIEWER is never told).
  const WAITING = `query($id: ID!) { incident(id: $id) { slackImportWaiting } }`;
  expect((await api.gql(WAITING, { id: incidentId }, admin)).data).toEqual({ incident: { slackImportWaiting: true } });
  expect((await api.gql(WAITING, { id: incidentId }, viewer)).data).toEqual({ incident: { slackImportWaiting: false } });
  await db.query(`UPDATE slack_import_proposals SET status = 'DROPPED' WHERE incident_id = $1`, [incidentId]);
  expect((await api.gql(WAITING, { id: incidentId }, admin)).data).toEqual({ incident: { slackImportWaiting: false } });
});
