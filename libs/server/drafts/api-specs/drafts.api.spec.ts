import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { daysAgo, Rows, Scenario } from '@hindsight/server-testing';

/*
 * Model-drafted postmortem sections (issue 26) through the real API against a loopback
 * OpenAI-compatible server that answers what each test asks for: fixed drafts, malformed JSON,
 * nothing in time, refusals, and citations to events the person was not sent.
 */

type Reply = (req: IncomingMessage, res: ServerResponse) => void;

let model: Server;
let reply: Reply;
const seen: { body: { model: string; messages: { role: string; content: string }[] }; authorization: string | undefined }[] = [];
const hung: ServerResponse[] = [];

let api: ApiHarness;
let db: Client;
let admin: string;
let commander: string;
let commander2: string;
let viewer: string;
const ids: Record<string, string> = {};
const events: string[] = [];

function completion(content: string, extra: Record<string, unknown> = {}): Reply {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', model: 'fake', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content, ...extra } }] }));
  };
}

const DRAFT = `mutation($i: ID!, $s: String!) { draftPostmortemSection(incidentId: $i, section: $s) {
  id section model droppedCitations sentences { text citedEventIds uncited findings { phrase rule } } } }`;

interface Draft { id: string; section: string; model: string; droppedCitations: number; sentences: { text: string; citedEventIds: string[]; uncited: boolean; findings: { phrase: string; rule: string }[] }[] }

async function draft(section = 'summary', token = commander, incidentId = ids['incident']) {
  return api.gql<{ draftPostmortemSection: Draft }>(DRAFT, { i: incidentId, s: section }, token);
}

async function postmortemState(): Promise<unknown> {
  return (await db.query(`SELECT summary, impact, lessons, version, updated_at FROM postmortems WHERE incident_id = $1`, [ids['incident']])).rows[0];
}

beforeAll(async () => {
  model = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      seen.push({ body: JSON.parse(raw), authorization: req.headers.authorization });
      reply(req, res);
    });
  });
  await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
  const port = (model.address() as AddressInfo).port;
  api = await startApi({ AI_BASE_URL: `http://127.0.0.1:${port}/v1`, AI_MODEL: 'llama-test', AI_API_KEY: 'sk-test-key', AI_TIMEOUT_SECONDS: '5', AI_DRAFTS_PER_HOUR: '20' });
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  admin = await api.login();
  const user = async (email: string, role: string) => (await new Scenario(api, admin).signedIn({ email, name: email, role, password: 'long-password-123' })).token;
  commander = await user('cmd@drafts.test', 'COMMANDER');
  commander2 = await user('cmd2@drafts.test', 'COMMANDER');
  viewer = await user('viewer@drafts.test', 'VIEWER');
  const incident = async (title: string) => (await new Rows(db).incident({ title, summary: 'Checkout failed', started_at: daysAgo(2), detected_at: daysAgo(2) })).id;
  ids['incident'] = await incident('Checkout errors after a deploy');
  ids['other'] = await incident('Another incident');
  await db.query(`INSERT INTO postmortems (incident_id, summary) VALUES ($1, 'Written by hand')`, [ids['incident']]);
  for (const [minute, kind, description] of [[0, 'CHANGE', 'Deploy v2.3 of checkout-api'], [5, 'ALERT', 'Error rate above 5 % on checkout'], [30, 'MITIGATION', 'Rolled back to v2.2']] as const) {
    events.push((await db.query(`INSERT INTO timeline_events (incident_id, occurred_at, kind, description) VALUES ($1, now() - interval '2 days' + $2 * interval '1 minute', $3, $4) RETURNING id`, [ids['incident'], minute, kind, description])).rows[0].id);
  }
  ids['foreignEvent'] = (await db.query(`INSERT INTO timeline_events (incident_id, occurred_at, kind, description) VALUES ($1, now(), 'NOTE', 'Secret elsewhere') RETURNING id`, [ids['other']])).rows[0].id;
}, 60_000);

afterAll(async () => {
  for (const res of hung) res.destroy();
  await db?.end();
  await api?.close();
  await new Promise((resolve) => model?.close(resolve));
});

describe('a draft from the model', () => {
  it('is offered when configured', async () => {
    const res = await api.gql<{ postmortemDrafting: { enabled: boolean; model: string; sections: string[] } }>(`{ postmortemDrafting { enabled model sections } }`, {}, viewer);
    expect(res.data?.postmortemDrafting).toEqual({ enabled: true, model: 'llama-test', sections: expect.arrayContaining(['summary', 'impact', 'triggeringCause', 'contributingFactors', 'lessons']) });
  });

  it('cites timeline events, marks uncited sentences, flags blame and writes nothing to the postmortem', async () => {
    reply = completion(JSON.stringify({ sentences: [
      { text: 'A deploy of v2.3 raised the error rate.', events: ['E1', 'E2'] },
      { text: 'The engineer forgot to check the canary.', events: ['E3'] },
      { text: 'Customers noticed quickly.', events: [] },
    ] }));
    const before = await postmortemState();
    seen.length = 0;
    const res = await draft('summary');
    expect(res.errors).toBeUndefined();
    const d = res.data!.draftPostmortemSection;
    expect(d).toMatchObject({ section: 'summary', model: 'llama-test', droppedCitations: 0 });
    expect(d.sentences[0]).toEqual({ text: 'A deploy of v2.3 raised the error rate.', citedEventIds: [events[0], events[1]], uncited: false, findings: [] });
    expect(d.sentences[1].findings.map((f) => f.rule)).toContain('person-forgot');
    expect(d.sentences[2]).toMatchObject({ uncited: true, citedEventIds: [] });
    expect(await postmortemState()).toEqual(before);

    // What was sent: the record the person reads, to the configured model, with the key.
    expect(seen).toHaveLength(1);
    expect(seen[0].authorization).toBe('Bearer sk-test-key');
    expect(seen[0].body.model).toBe('llama-test');
    const prompt = seen[0].body.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('E2');
    expect(prompt).toContain('Error rate above 5 % on checkout');
    expect(prompt).not.toContain('Secret elsewhere');

    // The audit log says what was sent (ids and counts), not the text.
    const audit = (await db.query(`SELECT actor_id, after FROM audit_log WHERE action = 'postmortem.draft-requested' AND after->>'draftId' = $1`, [d.id])).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ model: 'llama-test', sent: { section: 'summary', timelineEventIds: events, hypotheses: 0 } });
    expect(JSON.stringify(audit[0].after)).not.toContain('Error rate above');
  });

  it('drops citations to events the person was not sent', async () => {
    reply = completion(JSON.stringify({ sentences: [{ text: 'Something happened elsewhere.', events: [ids['foreignEvent'], 'E99'] }, { text: 'The rollback ended it.', events: ['E3', ids['foreignEvent']] }] }));
    const d = (await draft('lessons')).data!.draftPostmortemSection;
    expect(d.droppedCitations).toBe(3);
    expect(d.sentences[0]).toMatchObject({ citedEventIds: [], uncited: true });
    expect(d.sentences[1]).toMatchObject({ citedEventIds: [events[2]], uncited: false });
    expect(JSON.stringify(d)).not.toContain(ids['foreignEvent']);
  });
});

describe('when no draft can be shown, the answer says why and the postmortem is untouched', () => {
  let before: unknown;
  beforeEach(async () => {
    before = await postmortemState();
  });
  afterEach(async () => {
    expect(await postmortemState()).toEqual(before);
  });

  it.each([
    ['JSON that is not a draft', completion('{"sentences": "nope"'), 'MODEL_BAD_ANSWER'],
    ['a body that is not JSON', ((_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>')) as Reply, 'MODEL_BAD_ANSWER'],
    ['an empty message', completion(''), 'MODEL_BAD_ANSWER'],
    ['a refusal on the message', completion('', { refusal: 'I cannot help with that.' }), 'MODEL_REFUSED'],
    ['a refusal in the JSON', completion('{"refusal": "not enough information"}'), 'MODEL_REFUSED'],
    ['a server error', ((_q, res) => res.writeHead(503).end('busy')) as Reply, 'MODEL_UNAVAILABLE'],
  ])('%s → %s', async (_what, r, code) => {
    reply = r;
    const res = await draft('impact');
    expect(res.data).toBeNull();
    expect(res.errors?.[0].extensions?.code).toBe(code);
    expect(res.errors?.[0].message).toContain('nothing was changed');
  });

  it('an answer that does not come in time → MODEL_TIMEOUT', async () => {
    reply = (_q, res) => hung.push(res);
    const res = await draft('triggeringCause');
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'MODEL_TIMEOUT', retryable: true });
  });

  it('records each failure by its reason', async () => {
    const rows = (await db.query(`SELECT result, count(*)::int AS n FROM postmortem_drafts WHERE result <> 'SHOWN' GROUP BY result ORDER BY result`)).rows;
    expect(rows).toEqual(expect.arrayContaining([{ result: 'MODEL_BAD_ANSWER', n: 3 }, { result: 'MODEL_REFUSED', n: 2 }, { result: 'MODEL_TIMEOUT', n: 1 }, { result: 'MODEL_UNAVAILABLE', n: 1 }]));
  });
});

describe('who may draft, and bad input', () => {
  it('a VIEWER is refused; a bad section or incident is named', async () => {
    reply = completion('{"sentences":[{"text":"x","events":["E1"]}]}');
    expect((await draft('summary', viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await draft('timeline')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'section' });
    expect((await draft('summary', commander, '00000000-0000-4000-8000-000000000000')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('each person has an hourly limit', async () => {
    const limited = (await new Scenario(api, admin).signedIn({ email: 'busy@drafts.test', name: 'Busy', role: 'COMMANDER', password: 'long-password-123' })).token;
    await db.query(`INSERT INTO postmortem_drafts (incident_id, section, model, requested_by, result) SELECT $1, 'summary', 'm', id, 'SHOWN' FROM users, generate_series(1, 20) WHERE email = 'busy@drafts.test'`, [ids['incident']]);
    const res = await draft('summary', limited);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(res.errors?.[0].extensions?.['retryAfterSeconds']).toBeGreaterThan(0);
  });
});

describe('acceptance per section', () => {
  const OUTCOME = `mutation($id: ID!, $o: PostmortemDraftOutcome!) { recordPostmortemDraftOutcome(id: $id, outcome: $o) }`;
  const REPORT = `{ postmortemDraftReport { sections { section drafted keptAsWritten keptAfterEdits discarded undecided keptAsWrittenShare } failures { code count } } }`;

  it('is recorded once by the person who asked, and reported to ADMINs', async () => {
    await db.query(`DELETE FROM postmortem_drafts`);
    reply = completion('{"sentences":[{"text":"A deploy raised errors.","events":["E1"]}]}');
    const drafted: string[] = [];
    for (let i = 0; i < 4; i++) drafted.push((await draft('summary')).data!.draftPostmortemSection.id);
    drafted.push((await draft('impact')).data!.draftPostmortemSection.id);

    expect((await api.gql(OUTCOME, { id: drafted[0], o: 'KEPT' }, commander)).data).toEqual({ recordPostmortemDraftOutcome: drafted[0] });
    expect((await api.gql(OUTCOME, { id: drafted[0], o: 'DISCARDED' }, commander)).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await api.gql(OUTCOME, { id: drafted[1], o: 'KEPT' }, commander2)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await api.gql(OUTCOME, { id: drafted[1], o: 'EDITED' }, commander);
    await api.gql(OUTCOME, { id: drafted[2], o: 'DISCARDED' }, admin);
    await api.gql(OUTCOME, { id: drafted[4], o: 'KEPT' }, commander);

    expect((await api.gql(REPORT, {}, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const report = await api.gql<{ postmortemDraftReport: { sections: { section: string }[] } }>(REPORT, {}, admin);
    const bySection = Object.fromEntries(report.data!.postmortemDraftReport.sections.map((s) => [s.section, s]));
    expect(bySection['summary']).toEqual({ section: 'summary', drafted: 4, keptAsWritten: 1, keptAfterEdits: 1, discarded: 1, undecided: 1, keptAsWrittenShare: 1 / 3 });
    expect(bySection['impact']).toMatchObject({ drafted: 1, keptAsWritten: 1, keptAsWrittenShare: 1 });
  });
});
