import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { SqlCounter } from '@hindsight/server-db';
import { SEARCH_RECENT_WINDOW } from '@hindsight/server-search';
import { daysAgo, Rows, Scenario } from '@hindsight/server-testing';

/*
 * Global search (issue 23) through the real API and PostgreSQL's full-text search: each kind
 * found and linked, prefixes, ranking, fairness between kinds, references, bounds, bad input,
 * who may search, and one statement per search.
 */

let api: ApiHarness;
let db: Client;
let admin: string;
let viewer: string;
const sql = new SqlCounter();
const ids: Record<string, string> = {};
let checkoutNumber: number;

interface Hit { kind: string; id: string; title: string; url: string; snippet: string | null }
const SEARCH = `query($q: String!, $first: Int) { search(query: $q, first: $first) { kind id title url snippet } }`;

async function search(q: string, first?: number, token = admin): Promise<Hit[]> {
  const res = await api.gql<{ search: Hit[] }>(SEARCH, { q, first }, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.search;
}

async function one(text: string, values: unknown[]): Promise<string> {
  return (await db.query(text, values)).rows[0].id;
}

beforeAll(async () => {
  api = await startApi({}, { sqlCounter: sql });
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  admin = await api.login();
  viewer = (await new Scenario(api, admin).signedIn({ email: 'vic@search.test', name: 'Vic', role: 'VIEWER', password: 'viewer-password-1' })).token;

  const rows = new Rows(db);
  ids['team'] = await rows.team({ name: 'Payments' });
  ids['service'] = await rows.service({ team_id: ids['team'], name: 'checkout-api' });
  await rows.service({ team_id: ids['team'], name: 'ledger', kind: 'DATASTORE', tier: 2 });
  const incident = (title: string, summary: string | null) => rows.incident({ title, summary, started_at: daysAgo(3) });
  const checkout = await incident('Checkout latency during the sale', 'The payment pool ran dry while traffic tripled.');
  ids['incident'] = checkout.id;
  checkoutNumber = checkout.number;
  ids['summaryOnly'] = (await incident('Slow pages', 'Only the summary mentions checkout.')).id;
  ids['postmortem'] = await one(`INSERT INTO postmortems (incident_id, summary, lessons) VALUES ($1, 'Connection pool exhaustion in the ledger', 'Alert on saturation, not on errors.') RETURNING id`, [checkout.id]);
  ids['item'] = await one(
    `INSERT INTO action_items (incident_id, title, description, kind, priority, owner_team_id, due_at) VALUES ($1, 'Raise the pool ceiling', 'Size the **pool** from peak traffic.', 'PREVENT', 'P1', $2, now() + interval '9 days') RETURNING id`,
    [checkout.id, ids['team']],
  );
  ids['runbook'] = await one(
    `INSERT INTO runbooks (service_id, title, mitigation, review_interval_days, review_due_at) VALUES ($1, 'Checkout saturation', 'Drain the pool and shed bulk traffic first.', 90, now() + interval '90 days') RETURNING id`,
    [ids['service']],
  );
  // Enough incidents about "saturation" to fill a page on their own.
  for (let i = 0; i < 12; i++) await incident(`Saturation ${i} of the queue`, null);
}, 60_000);

afterAll(async () => {
  await db?.end();
  await api?.close();
});

describe('search finds every kind and links to its page', () => {
  it('an incident by its title, with its reference and a snippet from the summary', async () => {
    const hits = await search('latency');
    expect(hits).toContainEqual({
      kind: 'INCIDENT', id: ids['incident'], title: `INC-${checkoutNumber}: Checkout latency during the sale`, url: `/incidents/INC-${checkoutNumber}`,
      snippet: expect.stringContaining('payment pool ran dry'),
    });
  });

  it('a postmortem by its sections, an action item by its description, a runbook by its sections, a service by its name', async () => {
    const hits = await search('pool');
    const byKind = Object.fromEntries(hits.map((h) => [h.kind, h]));
    expect(byKind['POSTMORTEM']).toMatchObject({ id: ids['postmortem'], title: `Postmortem of INC-${checkoutNumber}: Checkout latency during the sale`, url: `/incidents/INC-${checkoutNumber}/postmortem`, snippet: expect.stringContaining('pool') });
    expect(byKind['ACTION_ITEM']).toMatchObject({ id: ids['item'], title: 'Raise the pool ceiling', url: `/action-items/${ids['item']}`, snippet: expect.stringContaining('pool') });
    expect(byKind['RUNBOOK']).toMatchObject({ id: ids['runbook'], title: 'Checkout saturation', url: `/runbooks/${ids['runbook']}`, snippet: expect.stringMatching(/^checkout-api · .*pool/) });
    const service = (await search('ledger')).find((h) => h.kind === 'SERVICE');
    expect(service).toEqual({ kind: 'SERVICE', id: expect.any(String), title: 'ledger', url: expect.stringMatching(/^\/services#service-/), snippet: 'DATASTORE · tier 2 · Payments' });
  });

  it('matches words as the person types them (prefixes of 3+ letters), and every word must match', async () => {
    const kinds = (await search('checko')).map((h) => `${h.kind}:${h.title}`);
    expect(kinds).toEqual(expect.arrayContaining([`INCIDENT:INC-${checkoutNumber}: Checkout latency during the sale`, 'SERVICE:checkout-api', 'RUNBOOK:Checkout saturation']));
    expect((await search('checkout tripled')).map((h) => h.id)).toEqual([ids['incident']]);
    expect(await search('checkout zebra')).toEqual([]);
  });

  it('ranks a match in the title above one in the summary only', async () => {
    const incidents = (await search('checkout')).filter((h) => h.kind === 'INCIDENT').map((h) => h.id);
    expect(incidents.indexOf(ids['incident'])).toBeLessThan(incidents.indexOf(ids['summaryOnly']));
    expect(incidents).toContain(ids['summaryOnly']);
  });

  it('finds INC-<n> first, whatever the text', async () => {
    expect((await search(`inc-${checkoutNumber}`))[0]).toMatchObject({ kind: 'INCIDENT', id: ids['incident'] });
  });

  it('gives each kind its best hit before any kind its second, so twelve incidents do not hide the runbook', async () => {
    const hits = await search('saturation', 3);
    expect(hits).toHaveLength(3);
    expect(hits.map((h) => h.kind).sort()).toEqual(['INCIDENT', 'POSTMORTEM', 'RUNBOOK']);
  });
});

describe('search is bounded and refuses bad input clearly', () => {
  it('returns 10 hits by default and at most `first`', async () => {
    expect(await search('saturation')).toHaveLength(10);
    expect((await search('saturation', 50)).length).toBe(14);
    expect(await search('saturation', 1)).toHaveLength(1);
  });

  it.each([
    ['an empty query', '', undefined, 'query', 200],
    ['a blank query', '   ', undefined, 'query', 200],
    // Refused by the request guard before the operation runs, as every NUL is (docs/security.md).
    ['a NUL byte', 'pool\u0000', undefined, 'query', 400],
    ['201 characters', 'x'.repeat(201), undefined, 'query', 200],
    ['first 0', 'pool', 0, 'first', 200],
    ['first 51', 'pool', 51, 'first', 200],
  ])('%s is BAD_USER_INPUT naming the field', async (_label, q, first, field, status) => {
    const res = await api.gql(SEARCH, { q, first }, admin);
    expect(res.status).toBe(status);
    expect(res.data).toBeNull();
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('treats tsquery syntax as plain words, and a query of stop words or punctuation finds nothing', async () => {
    expect(await search(`pool' | !ceiling:* <-> (raise)`)).toEqual([expect.objectContaining({ kind: 'ACTION_ITEM', id: ids['item'] })]);
    expect(await search('the of and')).toEqual([]);
    expect(await search('!!! ???')).toEqual([]);
  });
});

describe('on a large installation', () => {
  it('ranks among the newest 10,000 incidents, and still finds a word only older ones hold', async () => {
    const insert = (title: string, summary: string | null, days: number) => new Rows(db).incident({ title, summary, severity: 'SEV3', started_at: daysAgo(days) });
    for (let i = 0; i < 12; i++) await insert(`Replica lag ${i}`, null, 900);
    await insert('Quokka outage', null, 901);
    // The insight rollups' triggers are not what this is about; the filler goes in without them.
    await db.query('BEGIN');
    await db.query('SET LOCAL session_replication_role = replica');
    await db.query(`INSERT INTO incidents (title, severity, status, started_at) SELECT 'Filler ' || n, 'SEV4', 'RESOLVED', now() - interval '500 days' + n * interval '1 minute' FROM generate_series(1, ${SEARCH_RECENT_WINDOW}) n`);
    await db.query('COMMIT');
    for (let i = 0; i < 12; i++) await insert(`Slow reads ${i}`, 'A replica fell behind.', 1);

    // The old incidents name "replica" in their titles (a better match) but lie outside the window,
    // which holds enough matches for a page of 10.
    const ten = (await search('replica')).map((h) => h.title);
    expect(ten).toHaveLength(10);
    expect(ten.every((t) => /Slow reads/.test(t))).toBe(true);
    // Fewer than 50 match in the window: the whole history is ranked, title matches first.
    const fifty = (await search('replica', 50)).map((h) => h.title);
    expect(fifty).toHaveLength(24);
    expect(fifty.slice(0, 12).every((t) => /Replica lag/.test(t))).toBe(true);
    expect((await search('quokka')).map((h) => h.title)).toEqual([expect.stringMatching(/Quokka outage$/)]);
  });
});

describe('who may search', () => {
  it('everyone signed in reads everything, so a VIEWER finds every kind; a caller who is not signed in is UNAUTHENTICATED', async () => {
    expect((await search('pool', 20, viewer)).map((h) => h.kind).sort()).toEqual(['ACTION_ITEM', 'INCIDENT', 'POSTMORTEM', 'RUNBOOK']);
    expect((await api.gql(SEARCH, { q: 'pool' }, null)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

it('costs one SQL statement, whatever it finds', async () => {
  await search('pool');
  sql.reset();
  await search('saturation', 50);
  expect(sql.count).toBe(1);
});
