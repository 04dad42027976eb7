import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { Client } from 'pg';
import { ROLES, Role } from '@hindsight/domain';
import { AuditResolver } from '@hindsight/server-audit';
import { ApiHarness, startApi, TEST_ADMIN } from '@hindsight/server-app/testing';
import { must, Scenario } from '@hindsight/server-testing';
import { IDENTITY_RESOLVERS } from '@hindsight/server-identity';

/*
 * Every identity and audit operation × every role, through the real API (PRODUCT.md 1):
 * anyone signed in reads and manages their own API tokens; only ADMIN manages users, teams
 * and everyone's API tokens and reads the audit log; signing in and `me` are open to everyone. A refused mutation writes nothing.
 */

type Caller = 'anonymous' | Role;
type Expect = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN';

interface Operation {
  name: string;
  kind: 'query' | 'mutation';
  document: string;
  /** Fresh variables for one call (an allowed mutation must not collide with earlier ones). */
  variables: (caller: Caller) => Promise<Record<string, unknown>>;
  access: 'public' | 'signed-in' | 'admin';
  /** The caller's own token for this call, when the operation ends sessions (logout, changePassword). */
  token?: (caller: Role) => Promise<string>;
  /** Runs after an allowed call, e.g. to sign the caller in again. */
  after?: (caller: Role) => Promise<void>;
}

let api: ApiHarness;
let pg: Client;
const tokens = {} as Record<Role, string>;
const ids = {} as Record<Role, string>;
let n = 0;
const unique = () => (n += 1);

const asAdmin = <T>(query: string, variables: Record<string, unknown>): Promise<T> => must<T>(api, query, variables, tokens.ADMIN);
const newUser = async () =>
  (await asAdmin<{ createUser: { id: string } }>(`mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, {
    i: { email: `fixture${unique()}@example.com`, name: 'Fixture', role: 'VIEWER', password: 'fixture-password' },
  })).createUser.id;
const newTeam = async () => (await asAdmin<{ createTeam: { id: string } }>(`mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name: `Fixture team ${unique()}` } })).createTeam.id;
/** A token of the caller's own (the ADMIN's for anonymous callers): everyone revokes their own. */
const newApiToken = async (caller: Caller) =>
  (await asAdmin<{ createApiToken: { apiToken: { id: string } } }>(`mutation($u: ID) { createApiToken(name: "fixture", userId: $u) { apiToken { id } } }`, { u: caller === 'anonymous' ? null : ids[caller] })).createApiToken.apiToken.id;

const PASSWORDS = {} as Record<Role, string>;
const emailOf = (caller: Role) => (caller === 'ADMIN' ? undefined : `${caller.toLowerCase()}@roles.test`);
const freshSession = (caller: Role) => api.login(emailOf(caller), PASSWORDS[caller]);

const OPERATIONS: Operation[] = [
  { name: 'me', kind: 'query', access: 'public', document: `{ me { id role } }`, variables: async () => ({}) },
  {
    name: 'login', kind: 'mutation', access: 'public',
    document: `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    variables: async () => ({ e: 'viewer@roles.test', p: 'role-password-1' }),
  },
  { name: 'users', kind: 'query', access: 'signed-in', document: `{ users { id email role active teams { id } } }`, variables: async () => ({}) },
  { name: 'teams', kind: 'query', access: 'signed-in', document: `{ teams { id name slug manager { id } members { id } } }`, variables: async () => ({}) },
  { name: 'apiTokens', kind: 'query', access: 'signed-in', document: `{ apiTokens { id name prefix user { id } } }`, variables: async () => ({}) },
  { name: 'auditLog', kind: 'query', access: 'admin', document: `{ auditLog(first: 5) { id action entityType } }`, variables: async () => ({}) },
  {
    name: 'createUser', kind: 'mutation', access: 'admin',
    document: `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
    variables: async () => ({ i: { email: `matrix${unique()}@example.com`, name: 'Matrix', role: 'COMMANDER', password: 'matrix-password' } }),
  },
  {
    name: 'setUserActive', kind: 'mutation', access: 'admin',
    document: `mutation($u: ID!) { setUserActive(userId: $u, active: false) { id active } }`,
    variables: async () => ({ u: await newUser() }),
  },
  {
    name: 'logout', kind: 'mutation', access: 'signed-in',
    document: `mutation { logout }`,
    variables: async () => ({}),
    token: freshSession,
  },
  {
    name: 'changePassword', kind: 'mutation', access: 'signed-in',
    document: `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`,
    variables: async (caller) => {
      const password = caller === 'anonymous' ? 'role-password-1' : PASSWORDS[caller];
      return { c: password, n: password };
    },
    token: freshSession,
    after: async (caller) => {
      tokens[caller] = await freshSession(caller);
    },
  },
  {
    name: 'setUserRole', kind: 'mutation', access: 'admin',
    document: `mutation($u: ID!) { setUserRole(userId: $u, role: COMMANDER) { id role } }`,
    variables: async () => ({ u: await newUser() }),
  },
  {
    name: 'createTeam', kind: 'mutation', access: 'admin',
    document: `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`,
    variables: async () => ({ i: { name: `Matrix team ${unique()}`, managerId: ids.MANAGER } }),
  },
  {
    name: 'addTeamMember', kind: 'mutation', access: 'admin',
    document: `mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { id members { id } } }`,
    variables: async () => ({ t: await newTeam(), u: await newUser() }),
  },
  {
    name: 'updateTeam', kind: 'mutation', access: 'admin',
    document: `mutation($t: ID!, $n: String) { updateTeam(id: $t, name: $n) { id name } }`,
    variables: async () => ({ t: await newTeam(), n: `Renamed team ${unique()}` }),
  },
  {
    name: 'removeTeamMember', kind: 'mutation', access: 'admin',
    document: `mutation($t: ID!, $u: ID!) { removeTeamMember(teamId: $t, userId: $u) { id members { id } } }`,
    variables: async () => {
      const [t, u] = [await newTeam(), await newUser()];
      await asAdmin(`mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { id } }`, { t, u });
      return { t, u };
    },
  },
  {
    // Everyone creates their own; only an ADMIN names someone else (identity.spec / api-tokens.spec).
    name: 'createApiToken', kind: 'mutation', access: 'signed-in',
    document: `mutation($u: ID) { createApiToken(name: "matrix", userId: $u) { token apiToken { id } } }`,
    variables: async (caller) => ({ u: caller === 'anonymous' ? null : ids[caller] }),
  },
  { name: 'mySessions', kind: 'query', access: 'signed-in', document: `{ mySessions { id createdAt lastUsedAt current } }`, variables: async () => ({}) },
  { name: 'sessionLifetimes', kind: 'query', access: 'signed-in', document: `{ sessionLifetimes { idleTimeoutMinutes absoluteLifetimeHours } }`, variables: async () => ({}) },
  {
    name: 'endSession', kind: 'mutation', access: 'signed-in',
    document: `mutation($id: ID!) { endSession(id: $id) }`,
    variables: async (caller) => {
      if (caller === 'anonymous') return { id: '00000000-0000-4000-8000-000000000000' };
      const other = await freshSession(caller);
      const mine = await api.gql<{ mySessions: { id: string; current: boolean }[] }>(`{ mySessions { id current } }`, {}, other);
      return { id: mine.data!.mySessions.find((s) => s.current)!.id };
    },
    token: freshSession,
  },
  {
    name: 'signOutEverywhere', kind: 'mutation', access: 'signed-in',
    document: `mutation { signOutEverywhere(keepCurrent: true) }`,
    variables: async () => ({}),
    token: freshSession,
    after: async (caller) => {
      tokens[caller] = await freshSession(caller);
    },
  },
  {
    name: 'endUserSessions', kind: 'mutation', access: 'admin',
    document: `mutation($u: ID!) { endUserSessions(userId: $u) }`,
    variables: async () => ({ u: await newUser() }),
  },
  {
    name: 'updateUser', kind: 'mutation', access: 'admin',
    document: `mutation($u: ID!) { updateUser(id: $u, input: { name: "Renamed" }) { id name } }`,
    variables: async () => ({ u: await newUser() }),
  },
  {
    name: 'resetUserPassword', kind: 'mutation', access: 'admin',
    document: `mutation($u: ID!) { resetUserPassword(userId: $u, temporaryPassword: "temporary-password-1") { id mustChangePassword } }`,
    variables: async () => ({ u: await newUser() }),
  },
  {
    name: 'updateSessionLifetimes', kind: 'mutation', access: 'admin',
    document: `mutation { updateSessionLifetimes(input: { idleTimeoutMinutes: 1440, absoluteLifetimeHours: 168 }) { idleTimeoutMinutes } }`,
    variables: async () => ({}),
  },
  {
    name: 'revokeApiToken', kind: 'mutation', access: 'signed-in',
    document: `mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`,
    variables: async (caller) => ({ id: await newApiToken(caller) }),
  },
];

function expected(op: Operation, caller: Caller): Expect {
  if (op.access === 'public') return 'allowed';
  if (caller === 'anonymous') return 'UNAUTHENTICATED';
  return op.access === 'admin' && caller !== 'ADMIN' ? 'FORBIDDEN' : 'allowed';
}

const CALLERS: Caller[] = ['anonymous', ...ROLES];
const CASES = OPERATIONS.flatMap((op) => CALLERS.map((caller) => ({ op, caller, outcome: expected(op, caller) })));

async function auditRows(): Promise<number> {
  const { rows } = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
  return rows[0].n;
}

beforeAll(async () => {
  api = await startApi();
  pg = new Client({ connectionString: api.db.url });
  await pg.connect();
  tokens.ADMIN = await api.login();
  PASSWORDS.ADMIN = TEST_ADMIN.password;
  ids.ADMIN = (await asAdmin<{ me: { id: string } }>(`{ me { id } }`, {})).me.id;
  const world = new Scenario(api, tokens.ADMIN);
  for (const role of ROLES.filter((r) => r !== 'ADMIN')) {
    const person = await world.signedIn({ email: `${role.toLowerCase()}@roles.test`, name: role, role, password: 'role-password-1' });
    [ids[role], PASSWORDS[role], tokens[role]] = [person.id, person.password, person.token];
  }
});
afterAll(async () => {
  await pg.end();
  await api.close();
});

it('covers every query and mutation of the identity and audit resolvers', async () => {
  const ctx = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  await ctx.init();
  try {
    const schema = await ctx.get(GraphQLSchemaFactory).create([...IDENTITY_RESOLVERS, AuditResolver]);
    const fields = [...Object.keys(schema.getQueryType()?.getFields() ?? {}), ...Object.keys(schema.getMutationType()?.getFields() ?? {})];
    expect(OPERATIONS.map((o) => o.name).sort()).toEqual(fields.sort());
  } finally {
    await ctx.close();
  }
});

it.each(CASES.map((c) => [c.op.name, c.caller, c.outcome, c] as const))('%s as %s: %s', async (_name, _caller, _outcome, { op, caller, outcome }) => {
  const variables = await op.variables(caller);
  const token = caller === 'anonymous' ? null : op.token ? await op.token(caller) : tokens[caller];
  const auditBefore = await auditRows();
  const res = await api.gql<Record<string, unknown>>(op.document, variables, token);
  if (caller !== 'anonymous' && !res.errors) await op.after?.(caller);
  expect(res.status).toBeLessThan(500);

  if (outcome === 'allowed') {
    expect(res.errors).toBeUndefined();
    expect(res.data?.[op.name]).toBeDefined();
    if (op.name === 'me') expect(res.data?.['me']).toEqual(caller === 'anonymous' ? null : { id: ids[caller], role: caller });
    else expect(res.data?.[op.name]).not.toBeNull();
    if (op.kind === 'mutation' && op.access === 'admin') expect(await auditRows()).toBe(auditBefore + 1);
    return;
  }
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual([outcome]);
  expect(res.errors?.[0].message).toMatch(outcome === 'FORBIDDEN' ? new RegExp(`needs the ADMIN role or above; you are ${caller}`) : /Sign in first/);
  expect(res.data?.[op.name] ?? null).toBeNull();
  expect(await auditRows()).toBe(auditBefore);
});
