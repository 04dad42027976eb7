import { marked, type Token } from 'marked';
import { Client } from 'pg';
import { ApiHarness, startApi } from './testing';
import { must } from '@hindsight/server-testing';

/*
 * Links people store for others to click, through the real API: every place a URL is accepted
 * refuses what is not an http(s) URL as a browser parses it (a line break, javascript:, data:,
 * a space, too long) with BAD_USER_INPUT naming the field and writes nothing; and every
 * Markdown export writes links whose targets, read back by a real Markdown parser (marked), are
 * exactly the stored URLs, while titles and descriptions cannot turn into links or HTML.
 */

let api: ApiHarness;
let db: Client;
let admin: string;
let teamId: string;
let serviceId: string;
let incidentId: string;

const BAD_URLS: [string, string][] = [
  ['a line break', 'https://grafana.example.com/d/1\n[x](javascript:alert(1))'],
  ['javascript:', 'javascript:alert(document.cookie)'],
  ['data:', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
  ['a space', 'https://grafana.example.com/d/1 ?x=1'],
  ['over-long', `https://grafana.example.com/${'a'.repeat(2100)}`],
];
const BREAKOUT = 'https://ok.example/a>)[x](javascript:alert(1))';


const count = async (table: string): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

beforeAll(async () => {
  api = await startApi();
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  admin = await api.login();
  teamId = (await must<{ createTeam: { id: string } }>(api, `mutation { createTeam(input: { name: "Payments [EU]" }) { id } }`, {}, admin)).createTeam.id;
  serviceId = (await must<{ createService: { id: string } }>(api, `mutation($t: ID!) { createService(input: { name: "checkout-api", kind: API, tier: 1, teamId: $t }) { id } }`, { t: teamId }, admin)).createService.id;
  incidentId = (await newIncident('Checkout errors')).id;
});

const newIncident = async (title: string) =>
  (await must<{ createIncident: { id: string; reference: string } }>(
    api,
    `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id reference } }`,
    { i: { title, severity: 'SEV2', startedAt: '2026-03-01T10:00:00Z', serviceIds: [serviceId] } },
    admin,
  )).createIncident;

afterAll(async () => {
  await db?.end();
  await api?.close();
});

describe('every place a URL is accepted refuses what is not an http(s) URL, naming the field, and writes nothing', () => {
  let eventId: string;
  let itemId: string;

  beforeAll(async () => {
    eventId = (await must<{ addTimelineEvent: { id: string } }>(api, `mutation($inc: ID!) { addTimelineEvent(incidentId: $inc, input: { occurredAt: "2026-03-01T10:05:00Z", kind: NOTE, description: "x" }) { id } }`, { inc: incidentId }, admin)).addTimelineEvent.id;
    itemId = (await must<{ createActionItem: { id: string } }>(api, `mutation($inc: ID!, $t: ID!) { createActionItem(incidentId: $inc, input: { title: "x", kind: PREVENT, priority: P2, ownerTeamId: $t }) { id } }`, { inc: incidentId, t: teamId }, admin)).createActionItem.id;
  });

  const GRAPHQL: { name: string; table: string; document: string; variables: (url: string) => Record<string, unknown>; field: string }[] = [
    {
      name: 'addTimelineEvent', table: 'timeline_events', field: 'input.evidenceUrl',
      document: `mutation($inc: ID!, $u: String) { addTimelineEvent(incidentId: $inc, input: { occurredAt: "2026-03-01T10:05:00Z", kind: ALERT, description: "Error rate", evidenceUrl: $u }) { id } }`,
      variables: (u) => ({ inc: incidentId, u }),
    },
    {
      name: 'updateTimelineEvent', table: "timeline_events WHERE evidence_url IS NOT NULL", field: 'input.evidenceUrl',
      document: `mutation($id: ID!, $u: String) { updateTimelineEvent(id: $id, input: { evidenceUrl: $u }) { id } }`,
      variables: (u) => ({ id: eventId, u }),
    },
    {
      name: 'createActionItem', table: 'action_items', field: 'input.externalUrl',
      document: `mutation($inc: ID!, $t: ID!, $u: String) { createActionItem(incidentId: $inc, input: { title: "Add canary", kind: PREVENT, priority: P2, ownerTeamId: $t, externalUrl: $u }) { id } }`,
      variables: (u) => ({ inc: incidentId, t: teamId, u }),
    },
    {
      name: 'updateActionItem', table: 'action_items WHERE external_url IS NOT NULL', field: 'input.externalUrl',
      document: `mutation($id: ID!, $u: String) { updateActionItem(id: $id, input: { externalUrl: $u }) { id } }`,
      variables: (u) => ({ id: itemId, u }),
    },
    {
      name: 'createNotificationChannel (SLACK)', table: 'notification_channels', field: 'input.target',
      document: `mutation($u: String!) { createNotificationChannel(input: { kind: SLACK, name: "Payments", target: $u }) { id } }`,
      variables: (u) => ({ u }),
    },
    {
      name: 'createNotificationChannel (WEBHOOK)', table: 'notification_channels', field: 'input.target',
      document: `mutation($u: String!) { createNotificationChannel(input: { kind: WEBHOOK, name: "Hook", target: $u, secret: "0123456789abcdef0123" }) { id } }`,
      variables: (u) => ({ u }),
    },
    {
      name: 'createTrackerConnection', table: 'tracker_connections', field: 'input.baseUrl',
      document: `mutation($u: String!) { createTrackerConnection(input: { kind: GITHUB, name: "GitHub", baseUrl: $u, project: "acme/api", token: "ghp_token" }) { id } }`,
      variables: (u) => ({ u }),
    },
  ];

  describe.each(GRAPHQL)('$name', ({ document, variables, field, table }) => {
    it.each(BAD_URLS)(`refuses %s on ${field}`, async (_what, url) => {
      const before = await count(table);
      const res = await api.gql(document, variables(url), admin);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0]?.message).toContain(field);
      expect(await count(table)).toBe(before);
    });
  });

  const post = (source: string, body: unknown) =>
    fetch(`${api.url}/api/alerts/${source}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify(body) });
  const ALERTS: [string, string, (url: string) => unknown][] = [
    ['alertmanager', 'alerts[0].generatorURL', (u) => ({ version: '4', groupKey: 'links', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'Links' }, generatorURL: u }] })],
    ['alertmanager', 'externalURL', (u) => ({ version: '4', groupKey: 'links', status: 'firing', externalURL: u, alerts: [{ status: 'firing', labels: { alertname: 'Links' } }] })],
    ['pagerduty', 'event.data.html_url', (u) => ({ event: { event_type: 'incident.triggered', data: { id: 'PLINKS', title: 'Links', html_url: u } } })],
  ];

  describe.each(ALERTS)('alert intake from %s', (source, field, body) => {
    it.each(BAD_URLS)(`refuses %s in ${field} with 400 naming it`, async (_what, url) => {
      const before = await count('incidents');
      const res = await post(source, body(url));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ field, message: expect.stringContaining(field) });
      expect(await count('incidents')).toBe(before);
    });
  });

  it('keeps a good link exactly as sent, including one that would break a naive Markdown link', async () => {
    const res = await api.gql<{ addTimelineEvent: { evidenceUrl: string } }>(
      `mutation($inc: ID!, $u: String) { addTimelineEvent(incidentId: $inc, input: { occurredAt: "2026-03-01T10:05:00Z", kind: ALERT, description: "x", evidenceUrl: $u }) { evidenceUrl } }`,
      { inc: incidentId, u: BREAKOUT }, admin,
    );
    expect(res.data?.addTimelineEvent.evidenceUrl).toBe(BREAKOUT);
  });
});

/** Every link (text → target) and every raw HTML or image a Markdown parser finds in a document. */
function parsed(markdown: string): { links: [string, string][]; html: string[]; images: string[]; headings: string[] } {
  const out = { links: [] as [string, string][], html: [] as string[], images: [] as string[], headings: [] as string[] };
  marked.walkTokens(marked.lexer(markdown), (t: Token) => {
    if (t.type === 'link') out.links.push([t.text, t.href]);
    if (t.type === 'html') out.html.push(t.raw);
    if (t.type === 'image') out.images.push(t.href);
    if (t.type === 'heading') out.headings.push(t.text);
  });
  return out;
}

describe('Markdown exports: links go exactly where they were stored; plain text stays text', () => {
  it(`the postmortem: evidence links are exactly the stored URLs, and titles, descriptions and names add no link or HTML`, async () => {
    const { id: incidentId, reference } = await newIncident('Checkout [errors](javascript:alert(1)) <b>bold</b>');
    const markup = '[click](javascript:alert(1)) <img src=x onerror=alert(1)> ![i](https://evil.example/i.png)';
    const good = 'https://grafana.example.com/d/1?from=now-1h&to=now';
    for (const evidenceUrl of [BREAKOUT, good]) {
      await must(api, `mutation($inc: ID!, $i: TimelineEventInput!) { addTimelineEvent(incidentId: $inc, input: $i) { id } }`, {
        inc: incidentId, i: { occurredAt: '2026-03-01T10:10:00Z', kind: 'ALERT', description: `Alert ${markup}`, evidenceUrl },
      }, admin);
    }
    await must(api, `mutation($inc: ID!) { addContributingFactor(incidentId: $inc, input: { category: CAPACITY, description: "Pool ${markup.replace(/"/g, '\\"')}" }) { id } }`, { inc: incidentId }, admin);
    await must(api, `mutation($inc: ID!, $t: ID!, $title: String!) { createActionItem(incidentId: $inc, input: { title: $title, kind: PREVENT, priority: P2, ownerTeamId: $t }) { id } }`, { inc: incidentId, t: teamId, title: `Fix ${markup}` }, admin);
    // A row from before URLs were checked: shown, never linked.
    await db.query(`INSERT INTO timeline_events (incident_id, occurred_at, kind, description, evidence_url, source) VALUES ($1, '2026-03-01T10:20:00Z', 'NOTE', 'legacy', $2, 'MANUAL')`, [incidentId, 'https://ok.example/\n[legacy](javascript:alert(1))']);

    const res = await fetch(`${api.url}/incidents/${reference}/postmortem.md`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    const md = await res.text();
    const doc = parsed(md);
    expect(doc.links.filter(([text]) => text === 'evidence').map(([, href]) => href).sort()).toEqual([BREAKOUT, good].sort());
    // The only other links are bare https URLs of the plain text, which GFM links as written.
    expect(doc.links.filter(([text]) => text !== 'evidence')).toEqual(Array(4).fill(['https://evil.example/i.png', 'https://evil.example/i.png']));
    expect(doc.html).toEqual([]);
    expect(doc.images).toEqual([]);
    expect(doc.headings[0]).toBe(`${reference}: Checkout \\[errors\\](javascript:alert(1)) \\<b\\>bold\\</b\\>`);
    expect(marked.parse(md, { async: false })).toContain(`${reference}: Checkout [errors](javascript:alert(1)) &lt;b&gt;bold&lt;/b&gt;</h1>`);
    expect(md).toContain('legacy (evidence (not a valid link): `https://ok.example/ [legacy](javascript:alert(1))`)');
    expect(md).toContain('— Payments \\[EU\\], unassigned, due');
  });

  it('the runbook: its sections stay Markdown as written; its title and service name cannot become links', async () => {
    const rb = (await must<{ createRunbook: { id: string } }>(api, `mutation($s: ID!, $i: RunbookInput!) { createRunbook(serviceId: $s, input: $i) { id } }`, {
      s: serviceId, i: { title: 'Declines [here](javascript:alert(1)) <script>alert(1)</script>', mitigation: 'See [the dashboard](https://grafana.example.com/d/2).' },
    }, admin)).createRunbook;
    const res = await fetch(`${api.url}/runbooks/${rb.id}.md`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    const doc = parsed(await res.text());
    expect(doc.links).toEqual([['the dashboard', 'https://grafana.example.com/d/2']]);
    expect(doc.html).toEqual([]);
    expect(doc.headings[0]).toBe('Declines \\[here\\](javascript:alert(1)) \\<script\\>alert(1)\\</script\\>');
  });
});
