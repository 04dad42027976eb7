import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_GRAPHQL_LIMITS as LIMITS } from '@hindsight/server-config';
import { ApiHarness, startApi } from './testing';

/*
 * The HTTP surface around GraphQL: CSRF refusal, body/depth/complexity limits, typed
 * variable errors, masked internal errors, introspection by environment, health, metrics
 * and the web app fallback. Real server, real Postgres and Redis.
 */

const WEB_ROOT = mkdtempSync(join(tmpdir(), 'hs-web-'));
writeFileSync(join(WEB_ROOT, 'index.html'), '<!doctype html><title>Hindsight test shell</title><div id="root"></div>');

let api: ApiHarness;
let token: string;

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  token = await api.login();
});
afterAll(async () => {
  await api.close();
});

interface RawResponse { status: number; type: string; body: string; json: () => { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } & Record<string, unknown> }

async function raw(path: string, init: RequestInit = {}): Promise<RawResponse> {
  const res = await fetch(`${api.url}${path}`, init);
  const body = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body, json: () => JSON.parse(body) };
}

const postJson = (payload: unknown, headers: Record<string, string> = {}) =>
  raw('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(payload) });

async function teamCount(): Promise<number> {
  const res = await api.gql<{ teams: unknown[] }>('{ teams { id } }', {}, token);
  return res.data!.teams.length;
}

describe('CSRF', () => {
  it.each([
    ['text/plain', JSON.stringify({ query: '{ me { id } }' })],
    ['application/x-www-form-urlencoded', 'query=%7B%20me%20%7B%20id%20%7D%20%7D'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ me { id } }\r\n--x--\r\n'],
  ])('refuses a POST with content-type %s (what a cross-site form can send)', async (type, body) => {
    const res = await raw('/graphql', { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}` }, body });
    expect(res.status).toBe(400);
    const { errors } = res.json();
    expect(errors?.[0].extensions?.['code']).toBe('CSRF_REFUSED');
    expect(errors?.[0].message).toContain('application/json');
  });

  it('refuses a mutation sent as GET, and writes nothing', async () => {
    const before = await teamCount();
    const query = encodeURIComponent('mutation { createTeam(input: { name: "Via GET" }) { id } }');
    const plain = await raw(`/graphql?query=${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(plain.status).toBe(400);
    expect(plain.json().errors?.[0].extensions?.['code']).toBe('CSRF_REFUSED');
    // Even with the preflight-forcing header, GraphQL over GET never runs a mutation.
    const forced = await raw(`/graphql?query=${query}`, { headers: { authorization: `Bearer ${token}`, 'x-hindsight-csrf': '1' } });
    expect(forced.status).toBeLessThan(500);
    expect(forced.json().data ?? null).toBeNull();
    expect(forced.json().errors?.[0].message).toBe('Operation cannot be performed via a GET request');
    expect(await teamCount()).toBe(before);
  });

  it('answers a JSON POST, and a GET query that carries the CSRF header', async () => {
    expect((await postJson({ query: '{ me { role } }' })).json()).toEqual({ data: { me: { role: 'ADMIN' } } });
    const get = await raw(`/graphql?query=${encodeURIComponent('{ me { role } }')}`, { headers: { authorization: `Bearer ${token}`, 'x-hindsight-csrf': '1' } });
    expect(get.status).toBe(200);
    expect(get.json()).toEqual({ data: { me: { role: 'ADMIN' } } });
  });
});

describe('limits', () => {
  it(`refuses a body over ${LIMITS.bodyBytes / 1024 / 1024} MiB with 413 and a JSON error`, async () => {
    const res = await postJson({ query: '{ me { id } }', variables: { padding: 'x'.repeat(LIMITS.bodyBytes + 1) } });
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/json');
    expect(res.json()).toEqual({ data: null, errors: [{ message: expect.stringMatching(/too large/i), extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('refuses malformed JSON with 400 and says so', async () => {
    const res = await raw('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ me { id } }"' });
    expect(res.status).toBe(400);
    const { errors } = res.json();
    expect(errors?.[0].extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(errors?.[0].message).toMatch(/JSON/i);
  });

  it(`refuses a query nested deeper than ${LIMITS.depth} as an error, not a 500`, async () => {
    // Through introspection types, which the complexity rule does not price, so depth alone refuses it.
    let selection = 'name';
    for (let i = 0; i < LIMITS.depth; i += 1) selection = `ofType { ${selection} }`;
    const res = await postJson({ query: `{ __schema { types { fields { type { ${selection} } } } } }` });
    expect(res.status).toBe(400);
    const { data, errors } = res.json();
    expect(data ?? null).toBeNull();
    expect(errors?.[0].message).toMatch(/nests fields 15 deep; the limit is 10/);
    expect(errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_DEEP', limit: LIMITS.depth, found: 15 });
  });

  it('refuses a too complex query before running it', async () => {
    // Four nested lists of the default page size: 20^4 fields, well over the limit, at depth 5.
    const res = await postJson({ query: '{ users { teams { members { teams { members { id } } } } } }' });
    expect(res.status).toBe(400);
    const { data, errors } = res.json();
    expect(data ?? null).toBeNull();
    expect(errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: LIMITS.cost, found: expect.any(Number) });
    expect(Number(errors?.[0].extensions?.['found'])).toBeGreaterThan(LIMITS.cost);
    expect(errors?.[0].message).toMatch(/^Query is too complex: cost \d+ exceeds the limit/);
  });

  it('lets a query within both limits through', async () => {
    const res = await postJson({ query: '{ teams { id name manager { id teams { id } } members { id name } } }' });
    expect(res.status).toBe(200);
    expect(res.json().errors).toBeUndefined();
  });
});

describe('errors', () => {
  it('a variable of the wrong type is BAD_USER_INPUT naming the argument', async () => {
    const res = await postJson({ query: 'query($n: Int) { auditLog(first: $n) { id } }', variables: { n: 'lots' } });
    expect(res.status).toBeLessThan(500);
    expect(res.json().errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('a bad value inside an input variable names its path', async () => {
    const res = await postJson({
      query: 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      variables: { i: { email: 'a@example.com', name: 'A', role: 'OWNER', password: 'long-enough-1' } },
    });
    const [e] = res.json().errors ?? [];
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.role' });
    expect(e.message).toMatch(/^input\.role: /);
  });

  it('a missing required variable is BAD_USER_INPUT naming the argument', async () => {
    const res = await postJson({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: 'x@example.com' } });
    expect(res.json().errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
  });

  it('a malformed argument is BAD_USER_INPUT, not an internal error', async () => {
    const res = await postJson({ query: '{ auditLog(beforeId: "not-a-number") { id } }' });
    expect(res.status).toBeLessThan(500);
    expect(res.json().errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'beforeId' });
  });

  it.each([
    ['in a resolver', 'audit_log', '{ auditLog { id } }'],
    ['while identifying the caller', 'teams', '{ users { id } }'],
  ])('an internal failure %s is masked: no SQL, stack or table names reach the client', async (_where, table, query) => {
    // A sign-in the API has not seen yet, so identifying it reads the database (a known caller
    // comes from the API's ActorCache).
    const caller = { authorization: `Bearer ${await api.login()}` };
    const pg = new Client({ connectionString: api.db.url });
    await pg.connect();
    try {
      await pg.query(`ALTER TABLE ${table} RENAME TO hidden_${table}`);
      const res = await postJson({ query }, caller);
      const body = res.json();
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(body.errors?.[0].message).toMatch(/^Something went wrong on the server/);
      expect(res.body).not.toMatch(/hidden_|relation|SELECT|Query|42P01|\.(ts|js):\d+/);
    } finally {
      await pg.query(`ALTER TABLE hidden_${table} RENAME TO ${table}`);
      await pg.end();
    }
    // And the server is fine again once the database is.
    expect((await postJson({ query }, caller)).json().errors).toBeUndefined();
  });
});

describe('introspection', () => {
  const INTROSPECT = { query: '{ __schema { queryType { name } } }' };

  it('is enabled outside production', async () => {
    const res = await postJson(INTROSPECT);
    expect(res.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('is refused in production', async () => {
    const prod = await startApi({ NODE_ENV: 'production' }, { webRoot: null });
    try {
      const res = await fetch(`${prod.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(INTROSPECT) });
      expect(res.status).toBeLessThan(500);
      const body = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0].message).toMatch(/introspection/i);
      // Ordinary queries still work there.
      expect((await prod.gql('{ me { id } }')).data).toEqual({ me: null });
    } finally {
      await prod.close();
    }
  });
});

describe('operations endpoints', () => {
  it('GET /health/live answers 200', async () => {
    const res = await raw('/health/live');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /health/ready reports Postgres and Redis up', async () => {
    const res = await raw('/health/ready');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('GET /metrics is Prometheus text with the HTTP metrics of requests served', async () => {
    await raw('/health/live');
    const res = await raw('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain/);
    expect(res.body).toContain('# TYPE hindsight_http_requests_total counter');
    expect(res.body).toMatch(/hindsight_http_requests_total\{method="GET",route="\/health\/live",status="200",process="api"\} \d+/);
    expect(res.body).toMatch(/hindsight_http_requests_total\{method="POST",route="\/graphql",status="200",process="api"\} \d+/);
    expect(res.body).toContain('# TYPE hindsight_http_request_duration_seconds histogram');
    expect(res.body).toContain('hindsight_process_cpu_seconds_total');
  });
});

describe('web app', () => {
  it('serves the shell at / and for client-side routes, but not for unknown API paths', async () => {
    for (const path of ['/', '/incidents/INC-12']) {
      const res = await raw(path, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.body).toContain('Hindsight test shell');
    }
    const api404 = await raw('/api/nothing', { headers: { accept: 'text/html' } });
    expect(api404.status).toBe(404);
    expect(api404.json()).toMatchObject({ error: 'Not Found' });
    const json404 = await raw('/no/such/page', { headers: { accept: 'application/json' } });
    expect(json404.status).toBe(404);
    const post404 = await raw('/no/such/page', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(post404.status).toBe(404);
  });
});
