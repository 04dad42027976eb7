import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { Client } from 'pg';
import { ROLES, Role } from '@hindsight/domain';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { CATALOG_RESOLVERS } from '@hindsight/server-catalog';
import { SETTINGS_RESOLVERS } from '@hindsight/server-settings';
import { ACTION_ITEMS_RESOLVERS } from '@hindsight/server-action-items';
import { daysAgo, must, Rows, Scenario } from '@hindsight/server-testing';

/*
 * Every catalogue, settings and action-item operation × every role, through the real API
 * (PRODUCT.md 1): anyone signed in reads; only ADMIN manages services, SLOs and policies;
 * action items are edited by COMMANDERs, ADMINs and the owning team's MANAGER and members,
 * never by a VIEWER. Here the MANAGER manages the owning team; other-team cases live in
 * action-items.spec.ts. A refused mutation writes nothing (the audit log does not grow).
 */

type Caller = 'anonymous' | Role;
type Expect = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN';
/** owning-team: the owning team's members and manager, and ADMINs (claimActionItem). */
type Access = 'signed-in' | 'admin' | 'action-item-editor' | 'owning-team';

interface Operation {
  name: string;
  kind: 'query' | 'mutation';
  document: string;
  variables: () => Promise<Record<string, unknown>>;
  access: Access;
}

const DAY = 86_400_000;
let api: ApiHarness;
let pg: Client;
const tokens = {} as Record<Role, string>;
let teamId: string;
let serviceId: string;
let incidentId: string;
let n = 0;
const unique = () => (n += 1);

const asAdmin = <T>(query: string, variables: Record<string, unknown>): Promise<T> => must<T>(api, query, variables, tokens.ADMIN);

const newItem = async (): Promise<string> =>
  (await asAdmin<{ createActionItem: { id: string } }>(
    `mutation($incidentId: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $incidentId, input: $input) { id } }`,
    { incidentId, input: { title: `Fixture ${unique()}`, kind: 'DETECT', priority: 'P2', ownerTeamId: teamId } },
  )).createActionItem.id;

const newIdea = async (): Promise<string> =>
  (await asAdmin<{ createActionItem: { id: string } }>(
    `mutation($incidentId: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $incidentId, input: $input) { id } }`,
    { incidentId, input: { title: `Idea ${unique()}`, kind: 'DETECT', priority: 'P2', ownerTeamId: teamId, committed: false } },
  )).createActionItem.id;

const OPERATIONS: Operation[] = [
  { name: 'services', kind: 'query', access: 'signed-in', document: `{ services { id team { id } slos { id service { id } } } }`, variables: async () => ({}) },
  { name: 'Team.services', kind: 'query', access: 'signed-in', document: `{ teams { id services { id } } }`, variables: async () => ({}) },
  { name: 'policies', kind: 'query', access: 'signed-in', document: `{ policies { actionItemDueDays { P0 } personDayCost } }`, variables: async () => ({}) },
  { name: 'blamelessReview', kind: 'query', access: 'signed-in', document: `query($t: String!) { blamelessReview(text: $t) { phrase } }`, variables: async () => ({ t: 'human error' }) },
  {
    name: 'actionItem', kind: 'query', access: 'signed-in',
    document: `query($id: ID!) { actionItem(id: $id) { id incident { id } ownerTeam { id } assignee { id } dueDateChanges { reason } } }`,
    variables: async () => ({ id: await newItem() }),
  },
  { name: 'actionItems', kind: 'query', access: 'signed-in', document: `{ actionItems(first: 5) { totalCount nodes { id } pageInfo { hasNextPage } } }`, variables: async () => ({}) },
  {
    name: 'createService', kind: 'mutation', access: 'admin',
    document: `mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`,
    variables: async () => ({ i: { name: `svc-${unique()}`, kind: 'API', tier: 2, teamId } }),
  },
  {
    name: 'updateService', kind: 'mutation', access: 'admin',
    document: `mutation($id: ID!, $i: UpdateServiceInput!) { updateService(id: $id, input: $i) { id } }`,
    variables: async () => ({ id: serviceId, i: { revenuePerMinute: Math.round(Math.random() * 1000) + 1 } }),
  },
  {
    name: 'createSlo', kind: 'mutation', access: 'admin',
    document: `mutation($i: CreateSloInput!) { createSlo(input: $i) { id } }`,
    variables: async () => ({ i: { serviceId, dimension: 'LATENCY', objective: 99, segment: `segment-${unique()}` } }),
  },
  {
    name: 'updatePolicies', kind: 'mutation', access: 'admin',
    document: `mutation($i: PoliciesInput!) { updatePolicies(input: $i) { personDayCost } }`,
    variables: async () => ({ i: { personDayCost: 1000 + unique() } }),
  },
  {
    name: 'createActionItem', kind: 'mutation', access: 'action-item-editor',
    document: `mutation($incidentId: ID!, $i: CreateActionItemInput!) { createActionItem(incidentId: $incidentId, input: $i) { id } }`,
    variables: async () => ({ incidentId, i: { title: `Matrix ${unique()}`, kind: 'PREVENT', priority: 'P1', ownerTeamId: teamId } }),
  },
  {
    name: 'updateActionItem', kind: 'mutation', access: 'action-item-editor',
    document: `mutation($id: ID!, $i: UpdateActionItemInput!) { updateActionItem(id: $id, input: $i) { id } }`,
    variables: async () => ({ id: await newItem(), i: { status: 'IN_PROGRESS' } }),
  },
  {
    name: 'completeActionItem', kind: 'mutation', access: 'action-item-editor',
    document: `mutation($id: ID!) { completeActionItem(id: $id, note: "Shipped") { id } }`,
    variables: async () => ({ id: await newItem() }),
  },
  {
    name: 'changeActionItemDueDate', kind: 'mutation', access: 'action-item-editor',
    document: `mutation($id: ID!, $d: DateTime!) { changeActionItemDueDate(id: $id, dueAt: $d, reason: "Vendor delay") { id } }`,
    variables: async () => ({ id: await newItem(), d: new Date(Date.now() + 50 * DAY).toISOString() }),
  },
  {
    name: 'snoozeActionItem', kind: 'mutation', access: 'action-item-editor',
    document: `mutation($id: ID!, $u: DateTime!) { snoozeActionItem(id: $id, until: $u, reason: "Freeze") { id } }`,
    variables: async () => ({ id: await newItem(), u: new Date(Date.now() + 2 * DAY).toISOString() }),
  },
  {
    name: 'commitActionItem', kind: 'mutation', access: 'action-item-editor',
    document: `mutation($id: ID!, $t: ID!) { commitActionItem(id: $id, ownerTeamId: $t, priority: P1) { id committed } }`,
    variables: async () => ({ id: await newIdea(), t: teamId }),
  },
  {
    name: 'dropActionItemIdea', kind: 'mutation', access: 'action-item-editor',
    document: `mutation($id: ID!) { dropActionItemIdea(id: $id, reason: "Covered by the new alert") { id } }`,
    variables: async () => ({ id: await newIdea() }),
  },
  {
    // The VIEWER is a member of the owning team: leadership still never edits.
    name: 'claimActionItem', kind: 'mutation', access: 'owning-team',
    document: `mutation($id: ID!) { claimActionItem(id: $id) { id } }`,
    variables: async () => ({ id: await newItem() }),
  },
];

function expected(access: Access, caller: Caller): Expect {
  if (caller === 'anonymous') return 'UNAUTHENTICATED';
  if (access === 'signed-in') return 'allowed';
  if (access === 'admin') return caller === 'ADMIN' ? 'allowed' : 'FORBIDDEN';
  if (access === 'owning-team') return caller === 'MANAGER' || caller === 'ADMIN' ? 'allowed' : 'FORBIDDEN';
  return caller === 'VIEWER' ? 'FORBIDDEN' : 'allowed';
}

beforeAll(async () => {
  api = await startApi();
  pg = new Client({ connectionString: api.db.url });
  await pg.connect();
  tokens.ADMIN = await api.login();
  const ids = {} as Record<Role, string>;
  const world = new Scenario(api, tokens.ADMIN);
  for (const role of ROLES.filter((r) => r !== 'ADMIN')) {
    const person = await world.signedIn({ email: `${role.toLowerCase()}@matrix.test`, name: `${role} user`, role });
    [ids[role], tokens[role]] = [person.id, person.token];
  }
  teamId = (await asAdmin<{ createTeam: { id: string } }>(`mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name: 'Owners', managerId: ids.MANAGER, memberIds: [ids.VIEWER] } })).createTeam.id;
  serviceId = (await asAdmin<{ createService: { id: string } }>(`mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, { i: { name: 'matrix-api', kind: 'API', tier: 1, teamId } })).createService.id;
  incidentId = (await new Rows(pg).incident({ title: 'Matrix incident', severity: 'SEV3', started_at: daysAgo(1) })).id;
});

afterAll(async () => {
  await pg.end();
  await api.close();
});

const CALLERS: Caller[] = ['anonymous', ...ROLES];
const cases = OPERATIONS.flatMap((op) => CALLERS.map((caller) => [op.name, caller, expected(op.access, caller), op] as const));

it.each(cases)('%s as %s: %s', async (_name, caller, outcome, op) => {
  const variables = await op.variables();
  const auditBefore = (await pg.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;
  const res = await api.gql(op.document, variables, caller === 'anonymous' ? null : tokens[caller]);
  if (outcome === 'allowed') {
    expect(res.errors).toBeUndefined();
  } else {
    expect(res.errors?.[0].extensions?.code).toBe(outcome);
    // Nothing leaks: a nullable root field answers null, a non-null one nulls the whole data.
    expect(Object.values(res.data ?? {}).every((v) => v === null)).toBe(true);
  }
  if (op.kind === 'mutation') {
    const auditAfter = (await pg.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;
    expect(auditAfter - auditBefore).toBe(outcome === 'allowed' ? 1 : 0);
  }
});

it('covers every query and mutation of the catalogue, settings and action-item resolvers', async () => {
  const ctx = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  await ctx.init();
  try {
    const schema = await ctx.get(GraphQLSchemaFactory).create([...CATALOG_RESOLVERS, ...SETTINGS_RESOLVERS, ...ACTION_ITEMS_RESOLVERS]);
    const fields = [...Object.keys(schema.getQueryType()?.getFields() ?? {}), ...Object.keys(schema.getMutationType()?.getFields() ?? {})];
    expect(OPERATIONS.filter((o) => !o.name.includes('.')).map((o) => o.name).sort()).toEqual(fields.sort());
  } finally {
    await ctx.close();
  }
});
