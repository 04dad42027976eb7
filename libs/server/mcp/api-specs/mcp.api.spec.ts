import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client } from 'pg';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { daysAgo, Rows, Scenario } from '@hindsight/server-testing';

/*
 * The MCP server (issue 26) through the official SDK's client over streamable HTTP: every tool
 * for every role, API token scopes, bad tokens, and writes that land through the owning rooms
 * (audited, with their rules).
 */

const ROLES = ['VIEWER', 'COMMANDER', 'MANAGER', 'ADMIN'] as const;
type Role = (typeof ROLES)[number];

let api: ApiHarness;
let db: Client;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};
let reference: string;
let incidentId: string;
const ids: Record<string, string> = {};
const open: McpClient[] = [];

interface ToolResult { isError?: boolean; content: { type: string; text: string }[] }

async function connect(token: string): Promise<McpClient> {
  const client = new McpClient({ name: 'hindsight-spec', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${api.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  open.push(client);
  return client;
}

async function call(client: McpClient, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

const textOf = (r: ToolResult) => r.content.map((c) => c.text).join('\n');

async function apiToken(session: string, scope: 'READ_ONLY' | 'READ_WRITE'): Promise<string> {
  const res = await api.gql<{ createApiToken: { token: string } }>(`mutation($s: ApiTokenScope) { createApiToken(name: "mcp", scope: $s) { token } }`, { s: scope }, session);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.createApiToken.token;
}

beforeAll(async () => {
  api = await startApi();
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  const admin = await api.login();
  tokens['ADMIN'] = await apiToken(admin, 'READ_WRITE');
  tokens['ADMIN_READ_ONLY'] = await apiToken(admin, 'READ_ONLY');
  userIds['ADMIN'] = (await db.query(`SELECT id FROM users WHERE email = 'admin@test.local'`)).rows[0].id;
  const world = new Scenario(api, admin);
  for (const role of ROLES.filter((r) => r !== 'ADMIN')) {
    const email = `${role.toLowerCase()}@mcp.test`;
    const person = await world.signedIn({ email, name: email, role });
    userIds[role] = person.id;
    tokens[role] = await apiToken(person.token, 'READ_WRITE');
  }
  const team = (await db.query(`INSERT INTO teams (name, slug, manager_id) VALUES ('Payments', 'payments', $1) RETURNING id`, [userIds['MANAGER']])).rows[0].id;
  await db.query(`INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)`, [team, userIds['MANAGER']]);
  const rows = new Rows(db);
  const incident = await rows.incident({
    title: 'Checkout latency during the sale', summary: 'The payment pool ran dry.', status: 'INVESTIGATING', started_at: daysAgo(1), commander_id: userIds['COMMANDER'],
  });
  incidentId = incident.id;
  reference = `INC-${incident.number}`;
  await db.query(`INSERT INTO postmortems (incident_id, summary, lessons) VALUES ($1, 'Connection pool exhaustion in the ledger', 'Alert on saturation.')`, [incidentId]);
  await db.query(`INSERT INTO timeline_events (incident_id, occurred_at, kind, description) VALUES ($1, now() - interval '1 day', 'ALERT', 'p99 latency above 2 s')`, [incidentId]);
  // An earlier incident like it: the same service, factor category and words.
  const service = (await db.query(`INSERT INTO services (name, kind, tier, team_id) VALUES ('checkout-api', 'API', 1, $1) RETURNING id`, [team])).rows[0].id;
  const earlier = await rows.incident({ title: 'Checkout latency during the spring sale', summary: 'The payment pool ran dry again.', severity: 'SEV3', started_at: daysAgo(90) });
  ids['earlier'] = earlier.id;
  for (const id of [incidentId, earlier.id]) {
    await db.query(`INSERT INTO incident_services (incident_id, service_id) VALUES ($1, $2)`, [id, service]);
    await db.query(`INSERT INTO contributing_factors (incident_id, category, description, is_trigger) VALUES ($1, 'CAPACITY', 'The connection pool was too small for the traffic', false)`, [id]);
  }
}, 60_000);

afterAll(async () => {
  for (const c of open) await c.close().catch(() => undefined);
  await db?.end();
  await api?.close();
});

describe('the server', () => {
  it('lists its tools with their input schemas', async () => {
    const client = await connect(tokens['VIEWER']);
    expect(client.getServerVersion()).toMatchObject({ name: 'hindsight' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['add_timeline_event', 'find_similar_incidents', 'list_my_work', 'propose_action_item', 'read_postmortem', 'search_incidents']);
    const add = tools.find((t) => t.name === 'add_timeline_event')!;
    expect(add.inputSchema.required).toEqual(expect.arrayContaining(['incident', 'occurredAt', 'kind', 'description']));
    expect(tools.find((t) => t.name === 'search_incidents')!.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('refuses a missing, unknown or revoked token with 401, before any tool', async () => {
    const bad = new McpClient({ name: 'bad', version: '1' });
    await expect(bad.connect(new StreamableHTTPClientTransport(new URL(`${api.url}/mcp`), { requestInit: { headers: { authorization: 'Bearer hs_not_a_real_token' } } }))).rejects.toThrow();
    const res = await fetch(`${api.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await res.json()) as { jsonrpc: string }).jsonrpc).toBe('2.0');
  });

  it('answers with the security headers of every response', async () => {
    const res = await fetch(`${api.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens['VIEWER']}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(((await res.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name).toBe('hindsight');
  });

  it('answers 405 to GET and DELETE: it is stateless', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${api.url}/mcp`, { method, headers: { authorization: `Bearer ${tokens['ADMIN']}` } });
      expect({ method, status: res.status }).toEqual({ method, status: 405 });
    }
  });
});

describe.each(ROLES)('as %s', (role: Role) => {
  let client: McpClient;
  beforeAll(async () => {
    client = await connect(tokens[role]);
  });

  it('search_incidents finds the incident and links to it', async () => {
    const r = await call(client, 'search_incidents', { query: 'checkout latency' });
    expect(r.isError).toBeFalsy();
    const hits = JSON.parse(textOf(r)) as { kind: string; id: string; url: string }[];
    expect(hits).toContainEqual(expect.objectContaining({ kind: 'INCIDENT', id: incidentId, url: `${api.config.publicUrl}/incidents/${reference}` }));
  });

  it('read_postmortem returns the Markdown, by reference or id', async () => {
    expect(textOf(await call(client, 'read_postmortem', { incident: reference }))).toContain('Connection pool exhaustion in the ledger');
    expect(textOf(await call(client, 'read_postmortem', { incident: incidentId }))).toContain('p99 latency above 2 s');
    const missing = await call(client, 'read_postmortem', { incident: 'INC-99999' });
    expect(missing).toMatchObject({ isError: true });
    expect(textOf(missing)).toMatch(/^NOT_FOUND: /);
  });

  it('find_similar_incidents lists the earlier incident with why it matched', async () => {
    const r = await call(client, 'find_similar_incidents', { incident: reference });
    expect(r.isError).toBeFalsy();
    const similar = JSON.parse(textOf(r)) as { id: string; reasons: string[]; url: string }[];
    expect(similar[0]).toMatchObject({ id: ids['earlier'], url: expect.stringContaining('/incidents/INC-') });
    expect(similar[0].reasons.join(' ')).toContain('checkout-api');
  });

  it('list_my_work answers the queue of the caller', async () => {
    const r = await call(client, 'list_my_work');
    expect(r.isError).toBeFalsy();
    const entries = JSON.parse(textOf(r)) as { kind: string; incident: { reference: string } | null }[];
    if (role === 'COMMANDER') expect(entries).toContainEqual(expect.objectContaining({ kind: 'INCIDENT', incident: expect.objectContaining({ reference }) }));
    else if (role === 'VIEWER') expect(entries).toEqual([]);
    else expect(Array.isArray(entries)).toBe(true);
  });

  it(role === 'VIEWER' ? 'add_timeline_event is refused, nothing written' : 'add_timeline_event records the event as the caller, audited', async () => {
    const description = `Event by ${role}`;
    const r = await call(client, 'add_timeline_event', { incident: reference, occurredAt: new Date().toISOString(), kind: 'NOTE', description });
    const rows = (await db.query(`SELECT id, author_id FROM timeline_events WHERE description = $1`, [description])).rows;
    if (role === 'VIEWER') {
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^FORBIDDEN: /);
      expect(rows).toEqual([]);
      return;
    }
    expect(r.isError).toBeFalsy();
    expect(rows).toEqual([{ id: JSON.parse(textOf(r)).id, author_id: userIds[role] }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND actor_id = $2`, [rows[0].id, userIds[role]])).rows[0].n).toBe(1);
  });

  it(role === 'VIEWER' ? 'propose_action_item is refused, nothing written' : 'propose_action_item creates the item through the action items room', async () => {
    const title = `Raise the pool ceiling (${role})`;
    const r = await call(client, 'propose_action_item', { incident: reference, title, kind: 'PREVENT', priority: 'P2', ownerTeam: 'payments' });
    const rows = (await db.query(`SELECT id, priority FROM action_items WHERE title = $1`, [title])).rows;
    if (role === 'VIEWER') {
      expect(textOf(r)).toMatch(/^FORBIDDEN: /);
      expect(rows).toEqual([]);
      return;
    }
    expect(r.isError).toBeFalsy();
    expect(JSON.parse(textOf(r))).toMatchObject({ id: rows[0].id, incident: reference, priority: 'P2', ownerTeam: 'payments' });
  });
});

describe('rules of the owning rooms and of tokens', () => {
  it('a MANAGER outside the owning team may not propose its items (the action items room decides)', async () => {
    await db.query(`INSERT INTO teams (name, slug) VALUES ('Search', 'search')`);
    const r = await call(await connect(tokens['MANAGER']), 'propose_action_item', { incident: reference, title: 'Not my team', kind: 'DETECT', priority: 'P3', ownerTeam: 'Search' });
    expect(textOf(r)).toMatch(/^FORBIDDEN: /);
  });

  it('bad input is named by the owning room; an unknown team lists the teams', async () => {
    const client = await connect(tokens['COMMANDER']);
    const future = await call(client, 'add_timeline_event', { incident: reference, occurredAt: '2026-01-01T00:00:00Z', kind: 'NOTE', description: '   ' });
    expect(future.isError).toBe(true);
    expect(textOf(future)).toMatch(/^BAD_USER_INPUT: /);
    const team = await call(client, 'propose_action_item', { incident: reference, title: 'x', kind: 'DETECT', priority: 'P3', ownerTeam: 'nope' });
    expect(textOf(team)).toContain('no team "nope"; teams: payments');
  });

  it('arguments outside a tool\'s schema are refused by the SDK before the tool runs', async () => {
    const client = await connect(tokens['COMMANDER']);
    const r = await call(client, 'add_timeline_event', { incident: reference, occurredAt: 'yesterday', kind: 'GOSSIP', description: 'x' });
    expect(r.isError).toBe(true);
    expect((await db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE description = 'x'`)).rows[0].n).toBe(0);
  });

  it('a READ_ONLY token reads but may not write, and the refusal is audited', async () => {
    const client = await connect(tokens['ADMIN_READ_ONLY']);
    expect((await call(client, 'search_incidents', { query: 'checkout' })).isError).toBeFalsy();
    const r = await call(client, 'add_timeline_event', { incident: reference, occurredAt: new Date().toISOString(), kind: 'NOTE', description: 'read-only write' });
    expect(textOf(r)).toMatch(/^FORBIDDEN: This API token is read-only/);
    expect((await db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE description = 'read-only write'`)).rows[0].n).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'api-token.refused' AND actor_id = $1`, [userIds['ADMIN']])).rows[0].n).toBeGreaterThanOrEqual(1);
  });
});

describe("the caller's one budget", () => {
  let small: ApiHarness;
  let token: string;
  beforeAll(async () => {
    // 20,000 points a minute: twenty MCP messages, refilled at about 333 points a second.
    small = await startApi({ GRAPHQL_MAX_COST: '2000', GRAPHQL_COST_PER_MINUTE: '20000' });
    const session = await small.login();
    const res = await small.gql<{ createApiToken: { token: string } }>(`mutation { createApiToken(name: "budget", scope: READ_ONLY) { token } }`, {}, session);
    token = res.data!.createApiToken.token;
  }, 60_000);
  afterAll(async () => {
    await small?.close();
  });

  it('refuses a JSON-RPC batch: one message, one price (issue 22 probe)', async () => {
    const res = await fetch(`${small.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'tools/list', params: {} }))),
    });
    // Never twenty answers for one message's price.
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/one JSON-RPC message per request/);
  });

  it('spends 1,000 points a message (the dearest tool), then answers 429 with Retry-After; GraphQL is refused from the same budget', async () => {
    const post = () => fetch(`${small.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    let passed = 0;
    let refused: Response | null = null;
    for (let i = 0; i < 60 && !refused; i++) {
      const r = await post();
      if (r.status === 200) {
        passed++;
        await r.text();
      } else refused = r;
    }
    expect(passed).toBeGreaterThanOrEqual(19);
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    // The reliability report costs about 1,000 points, three seconds of refill.
    expect((await small.gql(`{ reliabilityReport(filter: { from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { incidents } }`, {}, token)).status).toBe(429);
  }, 60_000);

});
