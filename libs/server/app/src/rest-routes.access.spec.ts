import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { Client } from 'pg';
import { ApiHarness, startApi } from './testing';
import { Scenario } from '@hindsight/server-testing';

/*
 * Every REST route of the API, found from the controllers Nest registered, is either held to
 * the one caller check (AuthService.restCaller: a session whose password an ADMIN reset gets
 * 403 with reason PASSWORD_CHANGE_REQUIRED and nothing happens) or named below as having no
 * Bearer caller, with why. A new route that is in neither list fails this file.
 */

const UUID = '00000000-0000-4000-8000-000000000000';

/** Routes without a Bearer caller: nothing a person's session could do there. */
const NO_CALLER: Record<string, string> = {
  'GET /health/live': 'probe, no caller',
  'GET /health/ready': 'probe, no caller',
  'GET /metrics': 'METRICS_TOKEN, not a person',
  'GET /auth/oidc/login': 'starts a sign-in',
  'GET /auth/oidc/callback': 'finishes a sign-in (state + browser binding)',
  'POST /api/trackers/:id/webhook': "the tracker's signature is the authentication",
  'POST /api/changes/:sourceId': "the change source's signature or token is the authentication",
  'POST /slack/interactions': "the Slack app's signature is the authentication; the person is matched by Slack's verified address",
  'POST /slack/commands': "the Slack app's signature is the authentication; the person is matched by Slack's verified address",
  'GET /mcp': '405 before any caller is looked at: the MCP server is stateless (no event stream)',
  'DELETE /mcp': '405 before any caller is looked at: the MCP server is stateless (no sessions)',
};

const firing = { version: '4', groupKey: 'rest-routes', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'RestRoutes' }, startsAt: '2026-01-01T00:00:00Z' }] };
const scimUser = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'rest-routes@example.com', name: { givenName: 'R', familyName: 'R' }, emails: [{ value: 'rest-routes@example.com', primary: true }], active: true };
const scimGroup = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Rest routes' };
const scimPatch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] };

/** One real request per route with a Bearer caller. */
const WITH_CALLER: Record<string, { path: string; body?: unknown }> = {
  'GET /incidents/:reference/postmortem.md': { path: '/incidents/INC-1/postmortem.md' },
  'GET /runbooks/:id.md': { path: `/runbooks/${UUID}.md` },
  'GET /api/reports/reliability.csv': { path: '/api/reports/reliability.csv?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z' },
  'GET /api/reports/reliability.json': { path: '/api/reports/reliability.json?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z' },
  'POST /api/alerts/:source': { path: '/api/alerts/alertmanager', body: firing },
  'POST /api/changes': { path: '/api/changes', body: { id: 'rest-routes', service: 'checkout-api', environment: 'production', finishedAt: '2026-01-01T00:00:00Z' } },
  'POST /mcp': { path: '/mcp', body: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} } },
  'GET /scim/v2/ServiceProviderConfig': { path: '/scim/v2/ServiceProviderConfig' },
  'GET /scim/v2/Schemas': { path: '/scim/v2/Schemas' },
  'GET /scim/v2/Schemas/:id': { path: '/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User' },
  'GET /scim/v2/ResourceTypes': { path: '/scim/v2/ResourceTypes' },
  'GET /scim/v2/ResourceTypes/:id': { path: '/scim/v2/ResourceTypes/User' },
  'GET /scim/v2/Users': { path: '/scim/v2/Users' },
  'POST /scim/v2/Users': { path: '/scim/v2/Users', body: scimUser },
  'GET /scim/v2/Users/:id': { path: `/scim/v2/Users/${UUID}` },
  'PUT /scim/v2/Users/:id': { path: `/scim/v2/Users/${UUID}`, body: scimUser },
  'PATCH /scim/v2/Users/:id': { path: `/scim/v2/Users/${UUID}`, body: scimPatch },
  'DELETE /scim/v2/Users/:id': { path: `/scim/v2/Users/${UUID}` },
  'GET /scim/v2/Groups': { path: '/scim/v2/Groups' },
  'POST /scim/v2/Groups': { path: '/scim/v2/Groups', body: scimGroup },
  'GET /scim/v2/Groups/:id': { path: `/scim/v2/Groups/${UUID}` },
  'PUT /scim/v2/Groups/:id': { path: `/scim/v2/Groups/${UUID}`, body: scimGroup },
  'PATCH /scim/v2/Groups/:id': { path: `/scim/v2/Groups/${UUID}`, body: scimPatch },
  'DELETE /scim/v2/Groups/:id': { path: `/scim/v2/Groups/${UUID}` },
};

/** `METHOD /path` of every handler of every controller in the running application. */
function registeredRoutes(api: ApiHarness): string[] {
  const routes: string[] = [];
  for (const module of api.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype).filter((n) => n !== 'constructor')) {
        const handler: unknown = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
        if (typeof handler !== 'function') continue;
        const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        routes.push(`${method} /${`${base}/${String(path)}`.split('/').filter(Boolean).join('/')}`);
      }
    }
  }
  return routes.sort();
}

let api: ApiHarness;
let db: Client;
let resetSession: string;

beforeAll(async () => {
  api = await startApi();
  db = new Client({ connectionString: api.db.url });
  await db.connect();
  const admin = await api.login();
  const { id } = await new Scenario(api, admin).person({ email: 'reset@rest-routes.test', name: 'Reset', role: 'ADMIN' });
  await api.gql(`mutation($u: ID!) { resetUserPassword(userId: $u, temporaryPassword: "temporary-rest-routes-1") { id } }`, { u: id }, admin);
  resetSession = await api.login('reset@rest-routes.test', 'temporary-rest-routes-1');
});

afterAll(async () => {
  await db?.end();
  await api?.close();
});

it('knows every REST route: each is held to the caller check or has no Bearer caller', () => {
  expect(registeredRoutes(api)).toEqual([...Object.keys(NO_CALLER), ...Object.keys(WITH_CALLER)].sort());
});

describe('a session that must change its password (an ADMIN reset it) is refused on every REST route with a caller', () => {
  const counts = async () => (await db.query(`SELECT (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM teams)::int AS teams, (SELECT count(*) FROM changes)::int AS changes`)).rows[0];

  it.each(Object.entries(WITH_CALLER))('%s → 403 PASSWORD_CHANGE_REQUIRED, nothing written', async (route, request) => {
    const before = await counts();
    const method = route.split(' ')[0];
    const res = await fetch(`${api.url}${request.path}`, {
      method,
      headers: { authorization: `Bearer ${resetSession}`, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    expect({ route, status: res.status }).toEqual({ route, status: 403 });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body['reason']).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(String(body['message'] ?? body['detail'])).toContain('choose a new one (changePassword)');
    expect(await counts()).toEqual(before);
  });
});
