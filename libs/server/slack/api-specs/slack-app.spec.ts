import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { Scenario } from '@hindsight/server-testing';
import { slackSignature } from '@hindsight/server-slack';
import { SlackDriver, SlackFake } from '@hindsight/server-slack/testing';

/*
 * The Slack app's front door (issue 24): its credentials under Settings → Slack (checked with
 * Slack, sealed), every request verified (bad or stale signature: 401 and nothing changed),
 * a retried request applied once, people matched by their verified e-mail address and
 * re-checked, and an unmatched person linked by signing in. Slack is a loopback fake.
 */

const SIGNING_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
let api: ApiHarness;
let db: Client;
let slack: SlackFake;
let driver: SlackDriver;
let admin: string;

const SAVE = `mutation($t: String!, $s: String!) { saveSlackSettings(botToken: $t, signingSecret: $s) { configured source updatedAt workspace } }`;
const count = async (table: string): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

beforeAll(async () => {
  slack = await new SlackFake().start();
  api = await startApi({ SLACK_API_URL: slack.apiUrl, OUTBOUND_ALLOWLIST: '127.0.0.1', PUBLIC_URL: 'https://hindsight.example.test' });
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  admin = await api.login();
  driver = new SlackDriver(api.url, SIGNING_SECRET, slack);
});

afterAll(async () => {
  await db?.end();
  await api?.close();
  await slack?.close();
});

describe('Settings → Slack', () => {
  it('answers 404 to Slack while the app is not set up', async () => {
    const user = slack.addUser({ email: 'early@example.test' });
    expect((await driver.command(user, 'help')).status).toBe(404);
  });

  it('refuses a token Slack does not accept, and a signing secret of the wrong shape, storing nothing', async () => {
    const bad = await api.gql(SAVE, { t: 'xoxb-0-0-wrong', s: SIGNING_SECRET }, admin);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'botToken' });
    const shape = await api.gql(SAVE, { t: slack.token, s: 'not hex at all!' }, admin);
    expect(shape.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'signingSecret' });
    expect(await count('slack_settings')).toBe(0);
  });

  it('stores both sealed, checked with auth.test; only ADMINs see or change them', async () => {
    const saved = await api.gql<{ saveSlackSettings: Record<string, unknown> }>(SAVE, { t: slack.token, s: SIGNING_SECRET }, admin);
    expect(saved.errors).toBeUndefined();
    expect(saved.data?.saveSlackSettings).toMatchObject({ configured: true, source: 'STORED', workspace: slack.team });
    const { rows } = await db.query(`SELECT bot_token, signing_secret FROM slack_settings`);
    expect(rows[0].bot_token).not.toContain(slack.token);
    expect(rows[0].signing_secret).not.toContain(SIGNING_SECRET);
    const audit = await db.query(`SELECT after::text AS after FROM audit_log WHERE action = 'slack.settings.save'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].after).not.toContain(slack.token);
    const viewer = (await new Scenario(api, admin).signedIn({ email: 'viewer@slack.test', name: 'Vi Ewer' })).token;
    expect((await api.gql(`{ slackSettings { configured } }`, {}, viewer)).errors?.[0].extensions?.['code']).toBe('FORBIDDEN');
    expect((await api.gql(`{ slackSettings { configured source workspace } }`, {}, admin)).data).toEqual({ slackSettings: { configured: true, source: 'STORED', workspace: slack.team } });
  });
});

describe('requests from Slack', () => {
  it('refuses a bad, missing or stale signature with 401 and changes nothing', async () => {
    const user = slack.addUser({ email: 'admin@test.local', name: 'admin' });
    const before = { requests: await count('slack_requests'), people: await count('slack_people'), calls: slack.calls.length };
    const forged = await driver.command(user, 'help', 'forged', { secret: 'f'.repeat(32) });
    const unsigned = await driver.command(user, 'help', 'unsigned', { signature: null });
    const stale = await driver.command(user, 'help', 'stale', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const future = await driver.command(user, 'help', 'future', { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect([forged.status, unsigned.status, stale.status, future.status]).toEqual([401, 401, 401, 401]);
    const body = driver.interactionBody(driver.blockAction(user, { type: 'message', channel: 'C1', ts: '1.000001', text: 'x', edits: 0 }, { action_id: 'hs_open' }));
    const tampered = await driver.post('/slack/interactions', body.replace('hs_open', 'hs_done'), { signature: slackSignature(SIGNING_SECRET, String(Math.floor(Date.now() / 1000)), body) });
    expect(tampered.status).toBe(401);
    expect({ requests: await count('slack_requests'), people: await count('slack_people'), calls: slack.calls.length }).toEqual(before);
  });

  it('matches a person by the e-mail address Slack verified, remembers them, and applies a retried request once', async () => {
    const ana = slack.addUser({ email: 'Admin@Test.Local', name: 'ana' });
    const first = await driver.command(ana, 'help', 'help-1');
    expect(first).toMatchObject({ status: 200, body: { response_type: 'ephemeral', text: expect.stringContaining('/hindsight mine') } });
    const person = await db.query(`SELECT p.matched_by, u.email FROM slack_people p JOIN users u ON u.id = p.user_id WHERE p.slack_user_id = $1`, [ana.id]);
    expect(person.rows).toEqual([{ matched_by: 'EMAIL', email: 'admin@test.local' }]);
    expect(slack.callsOf('users.info').filter((c) => c.args['user'] === ana.id)).toHaveLength(1);

    // The same bytes again (Slack's retry, re-signed later): acknowledged, nothing applied twice.
    const body = new URLSearchParams({ team_id: slack.teamId, user_id: ana.id, command: '/hindsight', text: 'help', response_url: slack.responseUrl('r'), trigger_id: '1.2.3', channel_id: 'C1' }).toString();
    const once = await driver.post('/slack/commands', body);
    const retried = await driver.post('/slack/commands', body, { retryNum: 1, timestamp: Math.floor(Date.now() / 1000) + 2 });
    expect(once.body).toMatchObject({ text: expect.stringContaining('/hindsight') });
    expect(retried).toEqual({ status: 200, body: {} });
    // Remembered: no second users.info within the hour.
    expect(slack.callsOf('users.info').filter((c) => c.args['user'] === ana.id)).toHaveLength(1);
  });

  it('gives someone nobody matches an ephemeral sign-in link; signing in links the accounts, once', async () => {
    const stranger = slack.addUser({ email: 'stranger@elsewhere.test', name: 'stranger' });
    const answer = await driver.command(stranger, 'mine', 'who');
    expect(answer.status).toBe(200);
    expect(answer.body['response_type']).toBe('ephemeral');
    const link = /https:\/\/hindsight\.example\.test\/slack\/link\?token=([\w-]+)/.exec(String(answer.body['text']));
    expect(link).not.toBeNull();
    const token = (link as RegExpExecArray)[1];
    // A click of a stranger gets the link through the response_url, privately.
    await driver.interaction(driver.blockAction(stranger, { type: 'message', channel: 'C1', ts: '1.000002', text: 'x', edits: 0 }, { action_id: 'hs_open' }, 'click'));
    expect(slack.responses.find((r) => r.id === 'click')?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('/slack/link?token=') });

    const viewer = await api.login('viewer@slack.test', 'viewer-password-1');
    const linked = await api.gql(`mutation($t: String!) { linkSlackAccount(token: $t) }`, { t: token }, viewer);
    expect(linked).toMatchObject({ data: { linkSlackAccount: true } });
    expect(linked.errors).toBeUndefined();
    expect((await api.gql(`mutation($t: String!) { linkSlackAccount(token: $t) }`, { t: token }, admin)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    const now = await driver.command(stranger, 'help', 'after-link');
    expect(now.body['text']).toContain('/hindsight mine');
    const row = await db.query(`SELECT p.matched_by, u.email FROM slack_people p JOIN users u ON u.id = p.user_id WHERE p.slack_user_id = $1`, [stranger.id]);
    expect(row.rows).toEqual([{ matched_by: 'SIGN_IN', email: 'viewer@slack.test' }]);
  });

  it('re-checks a remembered person after an hour: a Slack user deactivated since loses the match', async () => {
    const leaver = slack.addUser({ email: 'viewer@slack.test', name: 'leaver' });
    expect((await driver.command(leaver, 'help', 'l1')).body['text']).toContain('/hindsight mine');
    leaver.deleted = true;
    // Still remembered within the hour …
    expect((await driver.command(leaver, 'help', 'l2')).body['text']).toContain('/hindsight mine');
    await db.query(`UPDATE slack_people SET checked_at = now() - interval '2 hours' WHERE slack_user_id = $1`, [leaver.id]);
    const after = await driver.command(leaver, 'help', 'l3');
    expect(after.body['text']).toMatch(/deactivated/);
    expect((await db.query(`SELECT user_id, deleted FROM slack_people WHERE slack_user_id = $1`, [leaver.id])).rows).toEqual([{ user_id: null, deleted: true }]);
  });

  it('does not match an address Slack has not confirmed', async () => {
    const unconfirmed = slack.addUser({ email: 'admin@test.local', name: 'claims-to-be-admin', confirmed: false });
    const answer = await driver.command(unconfirmed, 'help', 'u1');
    expect(answer.body['text']).toContain('/slack/link?token=');
    // Its link is not anyone's to take: that Slack address is the ADMIN's here.
    const token = /\/slack\/link\?token=([\w-]+)/.exec(String(answer.body['text']))?.[1] as string;
    const viewer = await api.login('viewer@slack.test', 'viewer-password-1');
    const LINK = `mutation($t: String!) { linkSlackAccount(token: $t) }`;
    const refused = await api.gql(LINK, { t: token }, viewer);
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringContaining('belongs to someone else here'), extensions: { code: 'FORBIDDEN', reason: 'someone else' } });
    expect((await db.query(`SELECT user_id FROM slack_people WHERE slack_user_id = $1`, [unconfirmed.id])).rows).toEqual([{ user_id: null }]);
    // Refused, not used up: the ADMIN may link it.
    expect((await api.gql(LINK, { t: token }, admin)).data).toEqual({ linkSlackAccount: true });
  });
});
