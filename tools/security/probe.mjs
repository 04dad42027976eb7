#!/usr/bin/env node
/**
 * An attacker's probe of a running Hindsight (issue 22): repeats the hardening issue's attacks
 * and tries the surfaces added since, against a production-mode instance on loopback. Each
 * attack prints one line: `held` (refused as docs/security.md says) or `FINDING`, with what it
 * saw. Exit code 1 when anything is a finding.
 *
 *   node tools/security/probe.mjs [--url http://127.0.0.1:3000] [--only name-substring]
 *
 * It signs in as the demo's people (`npm run seed`): admin@hindsight.local / hindsight-admin
 * (HINDSIGHT_ADMIN_EMAIL / HINDSIGHT_ADMIN_PASSWORD), and commander@, manager@,
 * viewer@demo.hindsight.local / demo-password. It writes: a service, change sources, comments,
 * a channel refused at save, failed sign-ins of a throw-away account it creates. Run it against
 * a disposable installation, never production: it locks that account and spends budgets.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHmac, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType } from 'graphql';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const BASE = opt('url', process.env.PROBE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const ONLY = opt('only', '');
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ADMIN = { email: process.env.HINDSIGHT_ADMIN_EMAIL ?? 'admin@hindsight.local', password: process.env.HINDSIGHT_ADMIN_PASSWORD ?? 'hindsight-admin' };
const DEMO_PASSWORD = 'demo-password';

const results = [];
const ms = (t0) => Math.round(performance.now() - t0);

async function http(path, { method = 'POST', token, body, headers = {}, raw } = {}) {
  const t0 = performance.now();
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, json, ms: ms(t0) };
}

const gql = (token, query, variables, extra = {}) => http('/graphql', { token, body: { query, variables, ...extra } });
const codes = (r) => (r.json?.errors ?? []).map((e) => e.extensions?.code ?? e.message).join(',') || (r.json?.data ? 'data' : `HTTP ${r.status}`);
const code = (r) => r.json?.errors?.[0]?.extensions?.code ?? null;

async function attack(name, run) {
  if (ONLY && !name.includes(ONLY)) return;
  try {
    const { held, saw } = await run();
    results.push({ name, held, saw });
    console.log(`${held ? 'held   ' : 'FINDING'}  ${name}: ${saw}`);
  } catch (e) {
    results.push({ name, held: false, saw: `probe error: ${e.message}` });
    console.log(`FINDING  ${name}: probe error: ${e.stack}`);
  }
}

const refusedWith = (r, ...expected) => ({ held: expected.includes(code(r)) || expected.includes(r.status), saw: `${r.status} ${codes(r)} in ${r.ms} ms` });

async function login(email, password) {
  const r = await gql(null, 'mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { token user { id role } } }', { e: email, p: password });
  if (!r.json?.data) throw new Error(`cannot sign in as ${email}: ${r.text.slice(0, 300)}`);
  return r.json.data.login;
}

// ---------------------------------------------------------------------------------------------
// Role sweep: every root field below its declared role, with well-typed dummy arguments.

const ROLE_RANK = { VIEWER: 0, COMMANDER: 1, MANAGER: 1, ADMIN: 2 };

/** `name → minimum role` of every root field guarded by @RequireRole, read from the rooms' resolvers. */
function resolverRoles() {
  const roles = new Map();
  const rooms = join(ROOT, 'libs/server');
  const files = readdirSync(rooms).flatMap((room) => {
    const dir = join(rooms, room, 'src');
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.resolver.ts')).map((f) => join(dir, f)) : [];
  });
  for (const file of files) {
    const src = readFileSync(file, 'utf8');
    const re = /@RequireRole\('(\w+)'\)[\s\S]*?@(Query|Mutation)\([\s\S]*?\n\s*(?:async\s+)?(\w+)\(/g;
    for (const m of src.matchAll(re)) {
      // only when no other access decorator sits between the role and the field
      if (/@(Public|Authenticated|RequireRole)\(/.test(m[0].slice(14))) continue;
      roles.set(m[3], { role: m[1], root: m[2] });
    }
  }
  return roles;
}

function dummy(type, depth = 0) {
  if (isNonNullType(type)) return dummy(type.ofType, depth);
  if (isListType(type)) return [dummy(type.ofType, depth)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) {
    const out = {};
    for (const f of Object.values(named.getFields())) if (isNonNullType(f.type) && depth < 4) out[f.name] = dummy(f.type, depth + 1);
    return out;
  }
  if (isScalarType(named)) {
    switch (named.name) {
      case 'ID':
        return randomUUID();
      case 'Int':
        return 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      case 'DateTime':
        return new Date(Date.now() + 86_400_000).toISOString();
      default:
        return 'x';
    }
  }
  return null;
}

function selectionOf(type) {
  const named = getNamedType(type);
  if (!('getFields' in named) || isInputObjectType(named)) return '';
  return ' { __typename }';
}

function operationFor(schema, root, name) {
  const field = (root === 'Query' ? schema.getQueryType() : schema.getMutationType()).getFields()[name];
  const defs = [];
  const uses = [];
  const variables = {};
  for (const a of field.args) {
    if (!isNonNullType(a.type)) continue;
    defs.push(`$${a.name}: ${a.type.toString()}`);
    uses.push(`${a.name}: $${a.name}`);
    variables[a.name] = dummy(a.type);
  }
  const query = `${root === 'Query' ? 'query' : 'mutation'}${defs.length ? `(${defs.join(', ')})` : ''} { ${name}${uses.length ? `(${uses.join(', ')})` : ''}${selectionOf(field.type)} }`;
  return { query, variables };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const health = await http('/health/live', { method: 'GET' }).catch(() => null);
  if (!health || health.status !== 200) throw new Error(`no Hindsight at ${BASE} (GET /health/live)`);
  const admin = await login(ADMIN.email, ADMIN.password);
  const viewer = await login('viewer@demo.hindsight.local', DEMO_PASSWORD);
  const commander = await login('commander@demo.hindsight.local', DEMO_PASSWORD);
  const manager = await login('manager@demo.hindsight.local', DEMO_PASSWORD);
  const people = { VIEWER: viewer, COMMANDER: commander, MANAGER: manager };
  const ids = (
    await gql(
      admin.token,
      '{ incidents(first: 5) { nodes { id reference } } services { id name } teams { id name } users { id email role } actionItems(first: 50) { nodes { id priority status ownerTeam { id } } } }',
    )
  ).json.data;
  const incident = ids.incidents.nodes[0];
  const schema = buildSchema(readFileSync(join(ROOT, 'libs/shared/schema/schema.gql'), 'utf8'));
  const tag = Date.now().toString(36);

  // ---- 1. Documents that cost memory or CPU before any resolver runs (signed out) -------------
  await attack('alias bomb 1.8 MB of __typename (issue 22 #1)', async () => {
    const query = `{ ${Array.from({ length: 100_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    return refusedWith(await gql(null, query), 413, 'PAYLOAD_TOO_LARGE', 'QUERY_TOO_LARGE');
  });
  await attack('alias bomb under the byte limit (800 aliases)', async () => {
    const query = `{ ${Array.from({ length: 800 }, (_, i) => `a${i}:__typename`).join(' ')} }`.slice(0, 11_900).replace(/\s\S*$/, ' }');
    return refusedWith(await gql(null, query), 'TOO_MANY_ALIASES', 'TOO_MANY_TOKENS');
  });
  await attack('comma padding (commas are not tokens) to 12 kB', async () => {
    const query = `{ ${','.repeat(11_000)} ${Array.from({ length: 40 }, (_, i) => `a${i}:__typename`).join(',')} }`;
    return refusedWith(await gql(null, query), 'TOO_MANY_ALIASES');
  });
  await attack('comment padding past the byte limit', async () => refusedWith(await gql(null, `#${'x'.repeat(20_000)}\n{ __typename }`), 'QUERY_TOO_LARGE'));
  await attack('deep nesting (fragments expanded)', async () => {
    const frags = Array.from({ length: 12 }, (_, i) => `fragment F${i} on User { id ${i < 11 ? `teams { members { ...F${i + 1} } }` : ''} }`).join(' ');
    return refusedWith(await gql(viewer.token, `{ me { ...F0 } } ${frags}`), 'QUERY_TOO_DEEP');
  });
  await attack('fragment spread chain 2^25 (cost priced linearly)', async () => {
    const frags = Array.from({ length: 25 }, (_, i) => `fragment F${i} on Query { ${i < 24 ? `...F${i + 1} ...F${i + 1}` : 'me { id }'} }`).join(' ');
    const r = await gql(viewer.token, `{ ...F0 } ${frags}`);
    return { held: r.ms < 2000 && r.status < 500, saw: `${r.status} ${codes(r)} in ${r.ms} ms` };
  });
  await attack('directive flood (@include ×60)', async () => refusedWith(await gql(null, `{ __typename ${'@include(if: true) '.repeat(60)} }`), 'TOO_MANY_DIRECTIVES'));
  await attack('fragment definitions flood (40)', async () => {
    const frags = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { __typename }`).join(' ');
    return refusedWith(await gql(null, `{ ${Array.from({ length: 40 }, (_, i) => `...F${i}`).join(' ')} } ${frags}`), 'TOO_MANY_FRAGMENTS');
  });
  await attack('repeated field (same key ×200, overlap validation)', async () => refusedWith(await gql(null, `{ ${'me { id } '.repeat(200)} }`), 'TOO_MANY_REPEATED_FIELDS'));
  await attack('batched array body', async () => refusedWith(await http('/graphql', { body: Array.from({ length: 50 }, () => ({ query: '{ __typename }' })) }), 400));
  await attack('application/graphql body passes the same guard', async () => {
    const query = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    return refusedWith(await http('/graphql', { raw: query, headers: { 'content-type': 'application/graphql' } }), 'TOO_MANY_ALIASES', 415);
  });
  await attack('{"query": 1} / {} / NUL in a variable', async () => {
    const a = await http('/graphql', { body: { query: 1 } });
    const b = await http('/graphql', { body: {} });
    const c = await gql(viewer.token, 'query S($q: String!) { search(query: $q) { id } }', { q: 'abc\u0000' });
    return { held: [a, b, c].every((r) => r.status === 400 && code(r) === 'BAD_USER_INPUT'), saw: [a, b, c].map((r) => `${r.status} ${codes(r)}`).join(' / ') };
  });
  await attack('introspection in production', async () => refusedWith(await gql(viewer.token, '{ __schema { types { name } } }'), 'GRAPHQL_VALIDATION_FAILED', 400));
  await attack('field suggestions ("Did you mean") with introspection off: info only', async () => {
    // The schema is published (libs/shared/schema/schema.gql, the web app's documents), so a
    // suggestion tells nothing that is not already public; recorded, not refused.
    const r = await gql(null, '{ mee { id } }');
    return { held: code(r) === 'GRAPHQL_VALIDATION_FAILED', saw: `${r.status} ${r.json?.errors?.[0]?.message ?? r.text.slice(0, 120)}` };
  });
  await attack('GET mutation (CSRF by link)', async () => {
    const r = await http(`/graphql?query=${encodeURIComponent('mutation { logout }')}`, { method: 'GET' });
    return { held: !r.json?.data, saw: `${r.status} ${codes(r)}` };
  });
  await attack('deeply nested variables JSON (100k levels, 1 MiB)', async () => {
    const raw = `{"query":"query Q($f: IncidentFilter) { incidents(filter: $f) { nodes { id } } }","variables":{"f":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const r = await http('/graphql', { raw, token: viewer.token });
    const alive = await http('/health/live', { method: 'GET' });
    return { held: code(r) === 'BAD_USER_INPUT' && alive.status === 200, saw: `${r.status} ${codes(r)} in ${r.ms} ms; health ${alive.status}` };
  });

  // ---- 2. Cost evasion --------------------------------------------------------------------------
  const aliased = (n, field) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
  const period = { from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
  await attack('15 aliases of reliabilityReport (cost)', async () =>
    refusedWith(await gql(viewer.token, `query R($f: ReliabilityFilter!) ${aliased(15, 'reliabilityReport(filter: $f) { incidents }')}`, { f: period }), 'QUERY_TOO_COMPLEX'),
  );
  await attack('200 aliases of login (issue 22 #2)', async () => refusedWith(await gql(null, `mutation ${aliased(200, 'login(email: "a@b.c", password: "x") { token }')}`), 'TOO_MANY_ALIASES', 'TOO_MANY_TOKENS'));
  await attack('login twice without aliases (fragments)', async () =>
    refusedWith(await gql(null, 'mutation { ...A a: login(email: "a@b.c", password: "x") { token } } fragment A on Mutation { login(email: "a@b.c", password: "y") { token } }'), 'TOO_MANY_SIGN_INS'),
  );
  await attack('first through a variable (incidents first: 100 × actionItems × escalation)', async () => {
    const q = 'query Q($n: Int) { incidents(first: $n) { nodes { actionItems { escalation { state } nudges { id } } timeline { id } } } }';
    const small = await gql(viewer.token, q, { n: 1 });
    const big = await gql(viewer.token, q, { n: 100 });
    return { held: code(big) === 'QUERY_TOO_COMPLEX' && !small.json?.errors, saw: `n=1: ${codes(small)}; n=100: ${codes(big)}` };
  });
  await attack('first out of range (-1, 1e9) does not lower the price', async () => {
    const a = await gql(viewer.token, 'query Q($n: Int) { incidents(first: $n) { nodes { id } } }', { n: -1 });
    const b = await gql(viewer.token, 'query Q($n: Int) { changes(first: $n) { id } }', { n: 1_000_000_000 });
    return { held: code(a) === 'BAD_USER_INPUT' && ['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX'].includes(code(b)), saw: `${codes(a)} / ${codes(b)}` };
  });
  for (const [label, field, vars, decl] of [
    ['search', 'search(query: $q, first: 50) { id snippet }', { q: 'database' }, '$q: String!'],
    ['blamelessReview 100 kB', 'blamelessReview(text: $q) { phrase }', { q: 'he failed to check. '.repeat(5000) }, '$q: String!'],
    ['myWork.queue', 'myWork { queue { reason } }', {}, ''],
    ['errorBudgets', 'errorBudgets { remaining }', {}, ''],
    ['runbooks(search)', 'runbooks(search: $q) { id }', { q: 'database' }, '$q: String!'],
    ['incidents(filter.search)', 'incidents(filter: { search: $q }, first: 100) { nodes { id } }', { q: 'database' }, '$q: String!'],
    ['changes(first: 200)', 'changes(first: 200) { id }', {}, ''],
    ['auditLog(first: 100)', 'auditLog(first: 100) { id }', {}, ''],
  ]) {
    await attack(`aliased flood of ${label} (16 times)`, async () => {
      const query = `query F${decl ? `(${decl})` : ''} { ${Array.from({ length: 16 }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
      const r = await gql(admin.token, query, vars);
      return refusedWith(r, 'QUERY_TOO_COMPLEX', 'TOO_MANY_ALIASES');
    });
  }

  await attack('aliased flood of draftPostmortemSection (model time, 6 times)', async () => {
    const field = 'draftPostmortemSection(incidentId: $i, section: "summary") { __typename }';
    const r = await gql(commander.token, `mutation D($i: ID!) { ${Array.from({ length: 6 }, (_, i) => `a${i}: ${field}`).join(' ')} }`, { i: incident.id });
    // Before the schema knows the field (an older server), validation refuses it: nothing to flood.
    return refusedWith(r, 'QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED');
  });

  // ---- 3. Sign-in -------------------------------------------------------------------------------
  const victimEmail = `victim-${tag}@probe.example`;
  const victimPassword = `probe-${tag}-correct-horse`;
  await gql(admin.token, 'mutation C($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { email: victimEmail, name: 'Probe victim', password: victimPassword, role: 'VIEWER' } });
  await attack('40 concurrent wrong passwords: at most 10 checked (issue 22 #4)', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => gql(null, 'mutation { login(email: "' + victimEmail + '", password: "wrong-password-1") { token } }')));
    const checked = answers.filter((r) => code(r) === 'UNAUTHENTICATED').length;
    const limited = answers.filter((r) => code(r) === 'RATE_LIMITED').length;
    return { held: checked <= 10 && checked + limited === 40, saw: `${checked} checked (UNAUTHENTICATED), ${limited} RATE_LIMITED` };
  });
  for (const [label, spelling] of [
    ['upper case', victimEmail.toUpperCase()],
    ['fullwidth', [...victimEmail].map((c) => (/[a-z0-9]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('')],
    ['İ (U+0130)', victimEmail.replace('i', 'İ')],
    ['trailing dot domain', `${victimEmail}.`],
    ['spaces around', ` ${victimEmail} `],
  ]) {
    await attack(`locked account through another spelling: ${label}`, async () => {
      const r = await gql(null, 'mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: spelling, p: victimPassword });
      return { held: !r.json?.data?.login, saw: codes(r) };
    });
  }
  await attack('password policy: short and common passwords refused', async () => {
    const a = await gql(viewer.token, 'mutation { changePassword(currentPassword: "demo-password", newPassword: "short") }');
    const b = await gql(viewer.token, 'mutation { changePassword(currentPassword: "demo-password", newPassword: "password12345!") }');
    return { held: code(a) === 'BAD_USER_INPUT' && code(b) === 'BAD_USER_INPUT', saw: `${codes(a)} / ${codes(b)}` };
  });
  await attack('forged tokens (alg none, other secret, garbage)', async () => {
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none' })}.${b64({ sub: admin.user.id, sid: randomUUID() })}.`;
    const other = `${b64({ alg: 'HS256' })}.${b64({ sub: admin.user.id })}.${createHmac('sha256', 'x').update('y').digest('base64url')}`;
    const answers = await Promise.all([none, other, 'hs_' + 'a'.repeat(40), 'x'.repeat(10_000)].map((t) => gql(t, '{ users { id } }')));
    return { held: answers.every((r) => code(r) === 'UNAUTHENTICATED' || r.status === 401), saw: answers.map(codes).join(' / ') };
  });

  // ---- 4. Roles: every ADMIN/COMMANDER/MANAGER-only root field below its role ----------------------
  const roles = resolverRoles();
  let tried = 0;
  const leaks = [];
  for (const [name, { role, root }] of roles) {
    for (const [who, person] of Object.entries(people)) {
      if (ROLE_RANK[who] >= ROLE_RANK[role]) continue;
      const { query, variables } = operationFor(schema, root, name);
      const r = await gql(person.token, query, variables);
      tried++;
      if (code(r) !== 'FORBIDDEN') leaks.push(`${who}→${name}: ${codes(r)}`);
    }
  }
  await attack(`role sweep (${roles.size} role-guarded root fields, each below its role)`, async () => ({
    held: roles.size > 0 && leaks.length === 0,
    saw: roles.size === 0 ? 'no role-guarded resolvers found' : leaks.length ? leaks.join('; ') : `${tried} calls, all FORBIDDEN`,
  }));
  await attack('VIEWER reads the audit log / every API token / channel secrets', async () => {
    const a = await gql(viewer.token, '{ auditLog(first: 5) { id } }');
    const b = await gql(viewer.token, '{ apiTokens { id user { id } } }');
    const others = (b.json?.data?.apiTokens ?? []).filter((t) => t.user.id !== viewer.user.id).length;
    const c = await gql(admin.token, '{ notificationChannels { target } changeSources { id } }');
    const secretLike = JSON.stringify(c.json?.data ?? {}).match(/hooks\.slack\.com\/services\/[^"*]+\/[^"*]{8,}|sig=[^*"]/);
    return { held: code(a) === 'FORBIDDEN' && others === 0 && !secretLike, saw: `auditLog ${codes(a)}; others' tokens ${others}; secrets in channels ${secretLike ? secretLike[0] : 'none'}` };
  });
  await attack('IDOR: end another person’s session / revoke another’s token', async () => {
    const sessions = await gql(admin.token, '{ mySessions { id } }');
    const sid = sessions.json.data.mySessions[0].id;
    const a = await gql(viewer.token, 'mutation E($id: ID!) { endSession(id: $id) }', { id: sid });
    const t = await http('/graphql', { token: admin.token, body: { query: 'mutation { createApiToken(name: "probe", scope: READ_ONLY) { apiToken { id } token } }' } });
    const tid = t.json.data.createApiToken.apiToken.id;
    const b = await gql(viewer.token, 'mutation R($id: ID!) { revokeApiToken(id: $id) { id } }', { id: tid });
    const stillAdmin = await gql(admin.token, '{ me { id } }');
    return { held: !a.json?.data?.endSession && !b.json?.data?.revokeApiToken && !!stillAdmin.json?.data?.me, saw: `endSession ${codes(a)}; revokeApiToken ${codes(b)}` };
  });
  await attack('IDOR across teams: a MANAGER edits, claims and snoozes another team’s items', async () => {
    const mine = new Set((await gql(manager.token, '{ me { teams { id } } }')).json.data.me.teams.map((t) => t.id));
    const theirs = ids.actionItems.nodes.filter((i) => !mine.has(i.ownerTeam.id) && i.status !== 'DONE');
    if (!theirs.length) return { held: true, saw: 'no open item of another team in this installation' };
    const item = theirs[0];
    const a = await gql(manager.token, 'mutation U($id: ID!) { updateActionItem(id: $id, input: { title: "probe" }) { id } }', { id: item.id });
    const b = await gql(manager.token, 'mutation C($id: ID!) { claimActionItem(id: $id) { id } }', { id: item.id });
    const until = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const c = await gql(manager.token, 'mutation S($id: ID!, $u: DateTime!) { snoozeActionItem(id: $id, until: $u, reason: "probe") { id } }', { id: item.id, u: until });
    const all = [a, b, c];
    return { held: all.every((r) => !r.json?.data && ['FORBIDDEN', 'BAD_USER_INPUT', 'CONFLICT'].includes(code(r))) && code(a) === 'FORBIDDEN', saw: all.map(codes).join(' / ') };
  });
  await attack('createApiToken with an API token, or for someone else as non-ADMIN', async () => {
    const t = await gql(admin.token, 'mutation { createApiToken(name: "probe-rw", scope: READ_WRITE) { token } }');
    const apiToken = t.json.data.createApiToken.token;
    const a = await gql(apiToken, 'mutation { createApiToken(name: "chained") { token } }');
    const b = await gql(manager.token, 'mutation U($u: ID!) { createApiToken(name: "x", userId: $u) { token } }', { u: admin.user.id });
    const c = await gql(manager.token, 'mutation { createApiToken(name: "x", scope: SCIM) { token } }');
    // Refused (FORBIDDEN, or BAD_USER_INPUT naming userId / scope), and no token made.
    return { held: [a, b, c].every((r) => !r.json?.data?.createApiToken && ['FORBIDDEN', 'BAD_USER_INPUT'].includes(code(r))), saw: [a, b, c].map(codes).join(' / ') };
  });
  await attack('READ_ONLY token: mutation, alert intake, change intake', async () => {
    const t = await gql(admin.token, 'mutation { createApiToken(name: "probe-ro", scope: READ_ONLY) { token } }');
    const ro = t.json.data.createApiToken.token;
    const a = await gql(ro, 'mutation { logout }');
    const b = await http('/api/alerts/alertmanager', { token: ro, body: { alerts: [] } });
    const c = await http('/api/changes', { token: ro, body: { service: 'x', id: 'probe', finishedAt: new Date().toISOString() } });
    return { held: code(a) === 'FORBIDDEN' && b.status === 403 && c.status === 403, saw: `${codes(a)} / alerts ${b.status} / changes ${c.status}` };
  });

  // ---- 5. Postmortem comments ---------------------------------------------------------------------
  await attack('comments: VIEWER not a reviewer comments / resolves another’s comment', async () => {
    const mine = await gql(commander.token, 'mutation C($i: ID!) { addPostmortemComment(incidentId: $i, section: "summary", body: "probe comment") { id } }', { i: incident.id });
    const cid = mine.json?.data?.addPostmortemComment?.id;
    const a = await gql(viewer.token, 'mutation C($i: ID!) { addPostmortemComment(incidentId: $i, section: "summary", body: "x") { id } }', { i: incident.id });
    const b = cid ? await gql(viewer.token, 'mutation R($id: ID!) { resolvePostmortemComment(id: $id) { id } }', { id: cid }) : null;
    return { held: code(a) === 'FORBIDDEN' && (!b || code(b) === 'FORBIDDEN'), saw: `commander add ${codes(mine)}; viewer add ${codes(a)}; viewer resolve ${b ? codes(b) : '—'}` };
  });
  await attack('comments: bad section, 200 kB body, NUL', async () => {
    const q = 'mutation C($i: ID!, $s: String!, $b: String!) { addPostmortemComment(incidentId: $i, section: $s, body: $b) { id } }';
    const a = await gql(commander.token, q, { i: incident.id, s: "summary'; DROP TABLE users; --", b: 'x' });
    const b = await gql(commander.token, q, { i: incident.id, s: 'summary', b: 'x'.repeat(200_000) });
    const c = await gql(commander.token, q, { i: incident.id, s: 'summary', b: 'a\u0000b' });
    return { held: [a, b, c].every((r) => code(r) === 'BAD_USER_INPUT'), saw: [a, b, c].map(codes).join(' / ') };
  });

  // ---- 6. Injection -----------------------------------------------------------------------------
  const tsqueryJunk = ["'); DROP TABLE incidents; --", "a:* | b & !c <-> d", "\\", "'''", ':*', '&&&', '!!!!', '(((', 'a<2>b', 'é:*A', '%_%', 'INC-99999999999999999999', "x' OR '1'='1", '$1', '..', '\u202e'];
  await attack(`search: ${tsqueryJunk.length} tsquery/SQL metacharacter queries`, async () => {
    const bad = [];
    for (const q of tsqueryJunk) {
      const r = await gql(viewer.token, 'query S($q: String!) { search(query: $q) { id } runbooks(search: $q) { id } incidents(filter: { search: $q }) { nodes { id } } }', { q });
      if (r.status >= 500 || (r.json?.errors ?? []).some((e) => !['BAD_USER_INPUT'].includes(e.extensions?.code))) bad.push(`${JSON.stringify(q)} → ${r.status} ${codes(r)}`);
    }
    return { held: bad.length === 0, saw: bad.length ? bad.join('; ') : 'all answered or BAD_USER_INPUT' };
  });
  await attack('filters: SQL in enums, ids, entityType, dates', async () => {
    const a = await gql(admin.token, 'query { auditLog(entityType: "x\' OR 1=1 --", entityId: "\'", first: 5) { id } }');
    const b = await gql(viewer.token, 'query { incidents(filter: { serviceIds: ["1 OR 1=1"], segment: "\' OR 1=1 --" }) { nodes { id } } }');
    const c = await gql(viewer.token, 'query { changes(from: "2020-01-01T00:00:00Z", to: "1970-01-01T00:00:00Z", serviceId: "x") { id } }');
    const ok = [a, b, c].every((r) => r.status < 500 && !(r.json?.errors ?? []).some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR'));
    return { held: ok && (a.json?.data?.auditLog?.length ?? 0) === 0, saw: [a, b, c].map(codes).join(' / ') };
  });
  await attack('list-argument flood in variables (30k service ids)', async () => {
    const serviceIds = Array.from({ length: 30_000 }, () => randomUUID());
    const r = await gql(viewer.token, 'query Q($f: IncidentFilter) { incidents(filter: $f) { nodes { id } } }', { f: { serviceIds } });
    return { held: r.status === 400 || code(r) === 'BAD_USER_INPUT' || r.ms < 1500, saw: `${r.status} ${codes(r)} in ${r.ms} ms` };
  });

  // ---- 7. Stored content shown to others -----------------------------------------------------------
  await attack('stored Markdown keeps raw HTML only for the sanitiser (overlay/phishing tags)', async () => {
    // The API stores text as written; the web app's sanitiser decides (libs/web/markdown, browser spec).
    const html = '<dialog open>Session expired: sign in at https://evil.example</dialog><form action="/graphql"><input name="password" type="password"></form>';
    const r = await gql(commander.token, 'mutation U($i: ID!, $t: String!) { updateIncident(id: $i, input: { summary: $t }) { id summary } }', { i: incident.id, t: html });
    return { held: true, saw: `stored (${codes(r)}); rendering checked by apps/web-e2e markdown spec` };
  });

  // ---- 8. Headers -------------------------------------------------------------------------------
  await attack('security headers on /, /graphql, /api, 404', async () => {
    const missing = [];
    for (const [path, method] of [['/', 'GET'], ['/graphql', 'POST'], ['/api/reports/reliability.csv', 'GET'], ['/nope', 'GET'], ['/scim/v2/Users', 'GET']]) {
      const r = await http(path, { method, body: method === 'POST' ? { query: '{ __typename }' } : undefined });
      for (const h of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']) if (!r.headers.get(h)) missing.push(`${path}: ${h}`);
      if (r.headers.get('x-powered-by') || r.headers.get('server')) missing.push(`${path}: server banner`);
    }
    return { held: missing.length === 0, saw: missing.length ? missing.join(', ') : 'all four on each, no banner' };
  });
  await attack('CORS: another origin may not read answers', async () => {
    const r = await http('/graphql', { token: viewer.token, body: { query: '{ me { id } }' }, headers: { origin: 'https://evil.example' } });
    const pre = await http('/graphql', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    const allow = r.headers.get('access-control-allow-origin') ?? pre.headers.get('access-control-allow-origin');
    return { held: !allow || allow === BASE, saw: `allow-origin ${allow ?? 'none'}` };
  });

  // ---- 9. REST routes -----------------------------------------------------------------------------
  await attack('REST bodies past 2 MiB (alerts, changes, SCIM)', async () => {
    const big = JSON.stringify({ alerts: [{ labels: { x: 'y'.repeat(3 * 1024 * 1024) } }] });
    const answers = await Promise.all(['/api/alerts/alertmanager', '/api/changes', `/api/changes/${randomUUID()}`].map((p) => http(p, { raw: big, token: commander.token })));
    const s = await http('/scim/v2/Users', { raw: big, headers: { 'content-type': 'application/scim+json' } });
    return { held: [...answers, s].every((r) => r.status === 413), saw: [...answers, s].map((r) => r.status).join(' / ') };
  });
  await attack('REST exports are charged to the caller’s query budget', async () => {
    // 30 reliability reports per request budget: the GraphQL field costs 1,000 points.
    const t = await gql(admin.token, 'mutation { createApiToken(name: "probe-budget", scope: READ_ONLY) { token } }');
    const token = t.json.data.createApiToken.token;
    const statuses = [];
    for (let i = 0; i < 800; i++) {
      const r = await http(`/api/reports/reliability.json?from=2016-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=WEEK`, { method: 'GET', token });
      statuses.push(r.status);
      if (r.status === 429) break;
    }
    const limited = statuses.includes(429);
    return { held: limited, saw: `${statuses.filter((s) => s === 200).length} reports served${limited ? ', then 429' : ' without a limit (GraphQL stops at about 300 a minute)'}` };
  });
  await attack('exports: Markdown postmortem and runbook for an unknown / malformed ref, no token', async () => {
    const a = await http(`/incidents/${incident.reference}/postmortem.md`, { method: 'GET' });
    const b = await http(`/incidents/..%2F..%2Fetc%2Fpasswd/postmortem.md`, { method: 'GET', token: viewer.token });
    const c = await http(`/runbooks/${encodeURIComponent("' OR 1=1 --")}.md`, { method: 'GET', token: viewer.token });
    return { held: a.status === 401 && b.status >= 400 && b.status < 500 && c.status >= 400 && c.status < 500, saw: `${a.status} / ${b.status} / ${c.status}` };
  });
  await attack('CSV export: every cell a number or a date (no formula)', async () => {
    const r = await http('/api/reports/reliability.csv?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', { method: 'GET', token: viewer.token });
    const cells = r.text.trim().split(/\r\n/).slice(1).flatMap((l) => l.split(','));
    const risky = cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-?\d/.test(c));
    return { held: r.status === 200 && risky.length === 0, saw: `${r.status}, ${cells.length} cells, ${risky.length} formula-like` };
  });
  await attack('SCIM: no token, non-SCIM token, filter injection, huge count', async () => {
    const a = await http('/scim/v2/Users', { method: 'GET' });
    const b = await http('/scim/v2/Users', { method: 'GET', token: viewer.token });
    const s = await gql(admin.token, 'mutation { createApiToken(name: "probe-scim", scope: SCIM) { token } }');
    const scim = s.json?.data?.createApiToken?.token;
    const c = await http(`/scim/v2/Users?filter=${encodeURIComponent('userName eq "x" or userName pr')}&count=100000000&startIndex=-5`, { method: 'GET', token: scim });
    const d = await http(`/scim/v2/Users?filter=${encodeURIComponent(`userName eq "x\\" or 1=1 --"`)}`, { method: 'GET', token: scim });
    const e = await gql(scim, '{ me { id } }');
    const ok = a.status === 401 && b.status === 403 && c.status < 500 && (c.json?.itemsPerPage ?? c.json?.Resources?.length ?? 0) <= 1000 && d.status < 500 && (d.json?.totalResults ?? 0) === 0 && code(e) === 'FORBIDDEN';
    return { held: ok, saw: `${a.status} / ${b.status} / ${c.status} (${c.json?.Resources?.length ?? '?'} of ${c.json?.totalResults ?? '?'}) / ${d.status} (${d.json?.totalResults ?? '?'}) / me ${codes(e)}` };
  });

  // ---- 10. Change intake -----------------------------------------------------------------------------
  const src = await gql(admin.token, 'mutation S($n: String!) { createChangeSource(input: { kind: GITHUB, name: $n }) { changeSource { id } secret } }', { n: `probe-gh-${tag}` });
  const gh = src.json?.data?.createChangeSource;
  const glSrc = await gql(admin.token, 'mutation S($n: String!) { createChangeSource(input: { kind: GITLAB, name: $n }) { changeSource { id } secret } }', { n: `probe-gl-${tag}` });
  const gl = glSrc.json?.data?.createChangeSource;
  const deployment = JSON.stringify({
    action: 'created',
    deployment_status: { id: 1, state: 'success', created_at: new Date().toISOString(), updated_at: new Date().toISOString(), environment: 'production' },
    deployment: { id: Number(Date.now() % 1e9), sha: 'a'.repeat(40), ref: 'main', environment: 'production', created_at: new Date().toISOString(), creator: { login: 'x' } },
    repository: { name: `probe-${tag}`, full_name: `org/probe-${tag}`, html_url: 'https://github.com/org/probe' },
  });
  const sign = (body, secret) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  await attack('change webhook: missing, wrong, other source’s, upper-case, doubled signature', async () => {
    const p = `/api/changes/${gh.changeSource.id}`;
    const h = { 'x-github-event': 'deployment_status' };
    const a = await http(p, { raw: deployment, headers: h });
    const b = await http(p, { raw: deployment, headers: { ...h, 'x-hub-signature-256': sign(deployment, 'wrong') } });
    const c = await http(p, { raw: deployment, headers: { ...h, 'x-hub-signature-256': sign(deployment, gl.secret) } });
    const d = await http(p, { raw: deployment, headers: { ...h, 'x-hub-signature-256': sign(deployment, gh.secret).toUpperCase() } });
    const e = await http(`/api/changes/${gl.changeSource.id}`, { raw: deployment, headers: { 'x-gitlab-event': 'Deployment Hook', 'x-gitlab-token': `${gl.secret}x` } });
    const f = await http(p, { raw: `${deployment} `, headers: { ...h, 'x-hub-signature-256': sign(deployment, gh.secret) } });
    const all = [a, b, c, d, e, f];
    return { held: all.every((r) => r.status === 401), saw: all.map((r) => r.status).join(' / ') };
  });
  await attack('change webhook: replay stores nothing new; body bound by the signature', async () => {
    const p = `/api/changes/${gh.changeSource.id}`;
    const h = { 'x-github-event': 'deployment_status', 'x-hub-signature-256': sign(deployment, gh.secret) };
    const a = await http(p, { raw: deployment, headers: h });
    const b = await http(p, { raw: deployment, headers: h });
    return { held: b.status === 200 && ['unchanged', 'ignored'].includes(b.json?.outcome), saw: `first ${a.status} ${a.json?.outcome ?? a.text.slice(0, 100)}, replay ${b.status} ${b.json?.outcome}` };
  });
  await attack('change intake by token: VIEWER token, GitHub event by token, junk shapes', async () => {
    const v = await gql(viewer.token, 'mutation { createApiToken(name: "probe-v") { token } }');
    const a = await http('/api/changes', { token: v.json.data.createApiToken.token, body: {} });
    const b = await http('/api/changes', { token: commander.token, body: JSON.parse(deployment), headers: { 'x-github-event': 'deployment_status' } });
    const c = await http('/api/changes', { token: commander.token, raw: '[[[[[]]]]]' });
    const d = await http('/api/changes', { token: commander.token, raw: '{"__proto__": {"admin": true}}' });
    const all = [a, b, c, d];
    return { held: a.status === 403 && all.every((r) => r.status >= 400 && r.status < 500), saw: all.map((r) => r.status).join(' / ') };
  });

  await attack('Slack request URLs: unsigned, wrongly signed, stale', async () => {
    const body = 'command=%2Fhindsight&text=list&user_id=U1&team_id=T1';
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const now = Math.floor(Date.now() / 1000);
    const a = await http('/slack/commands', { raw: body, headers: form });
    const b = await http('/slack/commands', { raw: body, headers: { ...form, 'x-slack-request-timestamp': String(now), 'x-slack-signature': `v0=${'0'.repeat(64)}` } });
    const c = await http('/slack/interactions', { raw: `payload=${encodeURIComponent('{"type":"block_actions"}')}`, headers: { ...form, 'x-slack-request-timestamp': String(now - 3600), 'x-slack-signature': 'v0=abc' } });
    // 404 when the Slack app is not set up here; 401 when it is.
    const all = [a, b, c];
    return { held: all.every((r) => r.status === 401 || r.status === 404), saw: all.map((r) => r.status).join(' / ') };
  });

  // ---- 11. Outbound (Teams, Slack, webhooks) ---------------------------------------------------------
  const internal = ['https://127.0.0.1/x', 'https://[::ffff:127.0.0.1]/x', 'http://169.254.169.254/latest/meta-data', 'https://localhost./x', 'https://0x7f000001/x', 'https://2130706433/x', 'https://[::1]/x', 'https://10.0.0.1/x', 'https://prod.logic.azure.com@127.0.0.1/x', 'https://127.1/x', 'https://[0:0:0:0:0:ffff:7f00:1]/x', 'https://[fd00::1]/x', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO'];
  for (const kind of ['TEAMS', 'SLACK', 'WEBHOOK']) {
    await attack(`${kind} channel targets inside the network (${internal.length} spellings)`, async () => {
      const accepted = [];
      for (const target of internal) {
        const r = await gql(admin.token, 'mutation C($i: NotificationChannelInput!) { createNotificationChannel(input: $i) { id } }', { i: { kind, name: `probe ${kind}`, target, secret: kind === 'WEBHOOK' ? 's'.repeat(32) : null } });
        if (r.json?.data) {
          accepted.push(target);
          await gql(admin.token, 'mutation D($id: ID!) { deleteNotificationChannel(id: $id) }', { id: r.json.data.createNotificationChannel.id });
        }
      }
      return { held: accepted.length === 0, saw: accepted.length ? `accepted ${accepted.join(' ')}` : 'all BAD_USER_INPUT at save' };
    });
  }

  // ---- 12. Availability after all this ------------------------------------------------------------
  await attack('API still answers everyone quickly', async () => {
    const r = await gql(admin.token, '{ me { id } }');
    return { held: r.status === 200 && r.ms < 2000, saw: `${r.status} in ${r.ms} ms` };
  });

  const findings = results.filter((r) => !r.held);
  console.log(`\n${results.length} attacks, ${results.length - findings.length} held, ${findings.length} finding(s)`);
  process.exitCode = findings.length ? 1 : 0;
}

main().catch((e) => {
  console.error(`probe: ${e.stack}`);
  process.exitCode = 2;
});
