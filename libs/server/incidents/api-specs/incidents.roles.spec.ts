import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { namesField, Scenario } from '@hindsight/server-testing';

/*
 * PRODUCT.md 1: anyone signed in reads; COMMANDER and above create and edit incidents,
 * timelines, analyses and postmortems; a named reviewer reviews whatever their role.
 * Every mutation of this area × every role, plus anonymous callers.
 */

const ROLES = ['VIEWER', 'COMMANDER', 'MANAGER', 'ADMIN'] as const;
type Role = (typeof ROLES)[number];

let api: ApiHarness;
let world: Scenario;
const tokens = {} as Record<Role, string>;
const ids = {} as Record<Role, string>;
let incidentId: string;
let hypothesisIds: Record<Role, string>;
let factorId: string;

interface Case {
  name: string;
  /** Whether a role may call it. */
  allowed: (role: Role) => boolean;
  call: (role: Role, token: string | null) => Promise<{ errors?: { extensions?: { code?: string } }[] }>;
}

const CASES: Case[] = [
  {
    name: 'createIncident',
    allowed: (r) => r !== 'VIEWER',
    call: (_r, t) => api.gql(`mutation { createIncident(input: { title: "t", severity: SEV3, startedAt: "2024-01-01T00:00:00Z" }) { id } }`, {}, t),
  },
  {
    name: 'updateIncident',
    allowed: (r) => r !== 'VIEWER',
    call: (_r, t) => api.gql(`mutation($id: ID!) { updateIncident(id: $id, input: { summary: "s" }) { id } }`, { id: incidentId }, t),
  },
  {
    name: 'addTimelineEvent',
    allowed: (r) => r !== 'VIEWER',
    call: (_r, t) => api.gql(`mutation($id: ID!) { addTimelineEvent(incidentId: $id, input: { occurredAt: "2024-01-01T00:00:00Z", kind: NOTE, description: "d" }) { id } }`, { id: incidentId }, t),
  },
  {
    name: 'updateTimelineEvent',
    allowed: (r) => r !== 'VIEWER',
    call: async (_r, t) => api.gql(`mutation($id: ID!) { updateTimelineEvent(id: $id, input: { description: "d2" }) { id } }`, { id: await newEvent() }, t),
  },
  {
    name: 'deleteTimelineEvent',
    allowed: (r) => r !== 'VIEWER',
    call: async (_r, t) => api.gql(`mutation($id: ID!) { deleteTimelineEvent(id: $id) }`, { id: await newEvent() }, t),
  },
  {
    name: 'addHypothesis',
    allowed: (r) => r !== 'VIEWER',
    call: (_r, t) => api.gql(`mutation($id: ID!) { addHypothesis(incidentId: $id, statement: "s") { id } }`, { id: incidentId }, t),
  },
  {
    name: 'decideHypothesis',
    allowed: (r) => r !== 'VIEWER',
    call: (r, t) => api.gql(`mutation($id: ID!) { decideHypothesis(id: $id, status: REJECTED, evidence: "e") { id } }`, { id: hypothesisIds[r] }, t),
  },
  {
    name: 'addContributingFactor',
    allowed: (r) => r !== 'VIEWER',
    call: (_r, t) => api.gql(`mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: OTHER, description: "d" }) { id } }`, { id: incidentId }, t),
  },
  {
    name: 'updateContributingFactor',
    allowed: (r) => r !== 'VIEWER',
    call: (_r, t) => api.gql(`mutation($id: ID!) { updateContributingFactor(id: $id, input: { description: "d2" }) { id } }`, { id: factorId }, t),
  },
  {
    name: 'deleteContributingFactor',
    allowed: (r) => r !== 'VIEWER',
    call: async (_r, t) => {
      const added = await api.gql<{ addContributingFactor: { id: string } }>(
        `mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: OTHER, description: "to delete" }) { id } }`,
        { id: incidentId },
        adminToken(),
      );
      return api.gql(`mutation($id: ID!) { deleteContributingFactor(id: $id) }`, { id: added.data!.addContributingFactor.id }, t);
    },
  },
  {
    name: 'updateFailedSafeguard',
    allowed: (r) => r !== 'VIEWER',
    call: async (_r, t) => api.gql(`mutation($id: ID!) { updateFailedSafeguard(id: $id, input: { whyItFailed: "w2" }) { id } }`, { id: await newSafeguard() }, t),
  },
  {
    name: 'deleteFailedSafeguard',
    allowed: (r) => r !== 'VIEWER',
    call: async (_r, t) => api.gql(`mutation($id: ID!) { deleteFailedSafeguard(id: $id) }`, { id: await newSafeguard() }, t),
  },
  {
    name: 'addFailedSafeguard',
    allowed: (r) => r !== 'VIEWER',
    call: (_r, t) => api.gql(`mutation($id: ID!) { addFailedSafeguard(incidentId: $id, input: { kind: OTHER, expectedBehavior: "e", whyItFailed: "w" }) { id } }`, { id: incidentId }, t),
  },
  {
    name: 'updatePostmortem',
    allowed: (r) => r !== 'VIEWER',
    // A stale version is a CONFLICT, not a permission problem: it proves the call got past the guard.
    call: (_r, t) => api.gql(`mutation($id: ID!) { updatePostmortem(incidentId: $id, expectedVersion: 999, input: { summary: "s" }) { id } }`, { id: incidentId }, t),
  },
  {
    name: 'requestPostmortemReview',
    allowed: (r) => r !== 'VIEWER',
    call: (_r, t) => api.gql(`mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { id } }`, { id: incidentId, r: ROLES.map((x) => ids[x]) }, t),
  },
  {
    name: 'reviewPostmortem (as a named reviewer)',
    allowed: () => true,
    call: (_r, t) => api.gql(`mutation($id: ID!) { reviewPostmortem(incidentId: $id, verdict: APPROVED) { id } }`, { id: incidentId }, t),
  },
  {
    name: 'publishPostmortem',
    allowed: (r) => r !== 'VIEWER',
    // Not publishable yet (BAD_USER_INPUT), which again proves the guard let it through.
    call: (_r, t) => api.gql(`mutation($id: ID!) { publishPostmortem(incidentId: $id) { id } }`, { id: incidentId }, t),
  },
];

const adminToken = (): string => tokens.ADMIN;

/** A fresh event (and safeguard) per call, added by the ADMIN, so each role edits or deletes its own. */
async function newEvent(): Promise<string> {
  const res = await api.gql<{ addTimelineEvent: { id: string } }>(
    `mutation($id: ID!) { addTimelineEvent(incidentId: $id, input: { occurredAt: "2024-01-01T00:00:00Z", kind: NOTE, description: "d" }) { id } }`,
    { id: incidentId },
    adminToken(),
  );
  return res.data!.addTimelineEvent.id;
}

async function newSafeguard(): Promise<string> {
  const res = await api.gql<{ addFailedSafeguard: { id: string } }>(
    `mutation($id: ID!) { addFailedSafeguard(incidentId: $id, input: { kind: OTHER, expectedBehavior: "e", whyItFailed: "w" }) { id } }`,
    { id: incidentId },
    adminToken(),
  );
  return res.data!.addFailedSafeguard.id;
}

beforeAll(async () => {
  api = await startApi();
  const admin = await api.login();
  world = new Scenario(api, admin);
  for (const role of ROLES) {
    if (role === 'ADMIN') {
      tokens.ADMIN = admin;
      const me = await api.gql<{ me: { id: string } }>(`{ me { id } }`, {}, admin);
      ids.ADMIN = me.data!.me.id;
    } else {
      const u = await world.signedIn({ email: `${role.toLowerCase()}@test.local`, role });
      tokens[role] = u.token;
      ids[role] = u.id;
    }
  }
  ({ id: incidentId } = await world.incident({ title: 'Roles' }));
  const factor = await api.gql<{ addContributingFactor: { id: string } }>(
    `mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: OTHER, description: "d" }) { id } }`,
    { id: incidentId },
    admin,
  );
  factorId = factor.data!.addContributingFactor.id;
  hypothesisIds = {} as Record<Role, string>;
  for (const role of ROLES) {
    const h = await api.gql<{ addHypothesis: { id: string } }>(`mutation($id: ID!) { addHypothesis(incidentId: $id, statement: "h") { id } }`, { id: incidentId }, admin);
    hypothesisIds[role] = h.data!.addHypothesis.id;
  }
});

afterAll(async () => {
  await api.close();
});

describe.each(CASES)('$name', (c) => {
  it.each(ROLES)('as %s', async (role) => {
    if (c.name.startsWith('reviewPostmortem')) {
      await api.gql(`mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { id } }`, { id: incidentId, r: [ids[role]] }, tokens.ADMIN);
    }
    const res = await c.call(role, tokens[role]);
    const code = res.errors?.[0]?.extensions?.code;
    // Allowed: it succeeds or fails for a business reason (CONFLICT, BAD_USER_INPUT), never a permission one.
    if (c.allowed(role)) expect([undefined, 'CONFLICT', 'BAD_USER_INPUT']).toContain(code);
    else expect(code).toBe('FORBIDDEN');
  });

  it('refuses anonymous callers', async () => {
    const res = await c.call('VIEWER', null);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

it('refuses a review from a signed-in user who was not asked, whatever their role', async () => {
  const { id } = await world.as(tokens.ADMIN).incident({ title: 'Not asked' });
  await api.gql(`mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { id } }`, { id, r: [ids.VIEWER] }, tokens.ADMIN);
  for (const role of ['COMMANDER', 'MANAGER', 'ADMIN'] as const) {
    const res = await api.gql(`mutation($id: ID!) { reviewPostmortem(incidentId: $id, verdict: APPROVED) { id } }`, { id }, tokens[role]);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }
});

it('lets every role read incidents', async () => {
  for (const role of ROLES) {
    const res = await api.gql<{ incidents: { totalCount: number } }>(`{ incidents { totalCount } incident(id: "${incidentId}") { postmortem { status } } }`, {}, tokens[role]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.incidents.totalCount).toBeGreaterThan(0);
  }
  const anonymous = await api.gql(`{ incidents { totalCount } }`, {});
  expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

/** The analysis on the wire; its rules (validation, one trigger, corrections, audit): analysis.spec.ts, on the incidents room. */
describe('the analysis as a client meets it', () => {
  const UNKNOWN = '00000000-0000-4000-8000-000000000000';
  const ADD_EVENT = `mutation($id: ID!, $input: TimelineEventInput!) { addTimelineEvent(incidentId: $id, input: $input) { id occurredAt kind description evidenceUrl source author { id } } }`;
  const UPDATE_EVENT = `mutation($id: ID!, $input: UpdateTimelineEventInput!) { updateTimelineEvent(id: $id, input: $input) { id } }`;
  const DELETE_EVENT = `mutation($id: ID!) { deleteTimelineEvent(id: $id) }`;
  const ADD_FACTOR = `mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(incidentId: $id, input: $input) { id } }`;
  const UPDATE_FACTOR = `mutation($id: ID!, $input: UpdateContributingFactorInput!) { updateContributingFactor(id: $id, input: $input) { id } }`;
  const ADD_SAFEGUARD = `mutation($id: ID!, $input: FailedSafeguardInput!) { addFailedSafeguard(incidentId: $id, input: $input) { id } }`;
  const input = { occurredAt: '2024-05-01T10:00:00Z', kind: 'NOTE', description: 'n' };
  const timeline = async (id: string) =>
    (await world.ok<{ incident: { timeline: { id: string; description: string }[] } }>(`query($id: ID) { incident(id: $id) { timeline { id description } } }`, { id })).incident.timeline;

  it('answers the fields a client selects, NOT_FOUND for an unknown or malformed incident, FORBIDDEN for a viewer', async () => {
    const { id } = await world.incident({ title: 'Analysed on the wire' });
    const added = await api.gql<{ addTimelineEvent: Record<string, unknown> }>(ADD_EVENT, { id, input: { ...input, evidenceUrl: 'https://deploys.example.com/123' } }, tokens.COMMANDER);
    expect(added.data!.addTimelineEvent).toMatchObject({ occurredAt: '2024-05-01T10:00:00.000Z', source: 'MANUAL', author: { id: ids.COMMANDER }, evidenceUrl: 'https://deploys.example.com/123' });
    expect((await api.gql(ADD_EVENT, { id: UNKNOWN, input }, tokens.COMMANDER)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(ADD_EVENT, { id: 'garbage', input }, tokens.COMMANDER)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(ADD_EVENT, { id, input }, tokens.VIEWER)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const factor = await world.ok<{ addContributingFactor: { id: string } }>(ADD_FACTOR, { id, input: { category: 'CAPACITY', description: 'Pool too small', isTrigger: true } });
    expect((await api.gql(UPDATE_FACTOR, { id: factor.addContributingFactor.id, input: { isTrigger: false } }, tokens.VIEWER)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(ADD_SAFEGUARD, { id, input: { kind: 'ALERTING', expectedBehavior: 'x', whyItFailed: 'y' } }, tokens.VIEWER)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const hypothesis = (await world.ok<{ addHypothesis: { id: string } }>(`mutation($id: ID!) { addHypothesis(incidentId: $id, statement: "The deploy") { id } }`, { id })).addHypothesis.id;
    const decided = await api.gql<{ decideHypothesis: Record<string, unknown> }>(
      `mutation($id: ID!) { decideHypothesis(id: $id, status: CONFIRMED, evidence: "Rollback fixed it") { status decidedBy { id } } }`, { id: hypothesis }, tokens.COMMANDER);
    expect(decided.data!.decideHypothesis).toEqual({ status: 'CONFIRMED', decidedBy: { id: ids.COMMANDER } });
  });

  it('lets a viewer neither edit nor delete', async () => {
    const { id } = await world.incident({ title: 'Corrected on the wire' });
    const eventId = (await world.ok<{ addTimelineEvent: { id: string } }>(ADD_EVENT, { id, input: { ...input, description: 'Paged the wrong team' } })).addTimelineEvent.id;
    expect((await api.gql(UPDATE_EVENT, { id: eventId, input: { description: 'x' } }, tokens.VIEWER)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(DELETE_EVENT, { id: eventId }, tokens.VIEWER)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(`mutation($id: ID!) { deleteContributingFactor(id: $id) }`, { id: UNKNOWN }, tokens.VIEWER)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(`mutation($id: ID!) { deleteFailedSafeguard(id: $id) }`, { id: UNKNOWN }, tokens.VIEWER)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await timeline(id)).toEqual([{ id: eventId, description: 'Paged the wrong team' }]);
  });

  it('refuses kinds and categories the schema does not know with BAD_USER_INPUT naming the field', async () => {
    const { id } = await world.incident({ title: 'Unknown enums' });
    const badKind = await api.gql(ADD_EVENT, { id, input: { ...input, kind: 'GUESS' } }, tokens.COMMANDER);
    const badCategory = await api.gql(ADD_FACTOR, { id, input: { category: 'BAD_LUCK', description: 'x' } }, tokens.COMMANDER);
    const badSafeguard = await api.gql(ADD_SAFEGUARD, { id, input: { kind: 'PRAYER', expectedBehavior: 'x', whyItFailed: 'y' } }, tokens.COMMANDER);
    for (const [res, field] of [[badKind, 'input.kind'], [badCategory, 'input.category'], [badSafeguard, 'input.kind']] as const) {
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(namesField(res.errors?.[0].extensions?.field, field)).toBe(true);
    }
    expect(await timeline(id)).toEqual([]);
  });
});

/** Review comments on the wire; who may comment and resolve, validation, audit: postmortem-comments.spec.ts, on the incidents room. */
describe('postmortem comments as a client meets them', () => {
  const ADD = `mutation($id: ID!, $section: String!, $body: String!) {
    addPostmortemComment(incidentId: $id, section: $section, body: $body) { id section body createdAt resolvedAt author { id } resolvedBy { id } } }`;
  const RESOLVE = `mutation($id: ID!) { resolvePostmortemComment(id: $id) { id resolvedAt resolvedBy { id } } }`;
  const COMMENTS = `query($id: ID) { incident(id: $id) { postmortem { comments { id section body author { id name } resolvedAt resolvedBy { id } } } } }`;

  it('reads the author and resolver as people, refuses by code, and anonymous callers are UNAUTHENTICATED', async () => {
    const { id } = await world.incident({ title: 'Commented on the wire', commanderId: ids.COMMANDER });
    const rita = await world.signedIn({ email: 'rita@comments.test', name: 'rita', role: 'VIEWER' });
    await world.ok(`mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { id } }`, { id, r: [rita.id] });
    const added = await api.gql<{ addPostmortemComment: { id: string } }>(ADD, { id, section: 'timeline', body: 'Add **when** the page fired.' }, rita.token);
    expect(added.data!.addPostmortemComment).toEqual({ id: expect.any(String), section: 'timeline', body: 'Add **when** the page fired.', createdAt: expect.any(String), resolvedAt: null, author: { id: rita.id }, resolvedBy: null });
    const commentId = added.data!.addPostmortemComment.id;

    const refused = await api.gql(ADD, { id, section: 'summary', body: 'Me too.' }, tokens.VIEWER);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0].message).toContain("postmortem's reviewers");
    expect((await api.gql(RESOLVE, { id: commentId }, tokens.VIEWER)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(ADD, { id, section: 'appendix', body: 'x' }, tokens.COMMANDER)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'section' });
    expect((await api.gql(RESOLVE, { id: 'nope' }, tokens.COMMANDER)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(ADD, { id, section: 'summary', body: 'x' }, null)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const resolved = await api.gql<{ resolvePostmortemComment: unknown }>(RESOLVE, { id: commentId }, rita.token);
    expect(resolved.data!.resolvePostmortemComment).toEqual({ id: commentId, resolvedAt: expect.any(String), resolvedBy: { id: rita.id } });
    const read = await api.gql<{ incident: { postmortem: { comments: unknown[] } } }>(COMMENTS, { id }, tokens.VIEWER);
    expect(read.data!.incident.postmortem.comments).toEqual([
      { id: commentId, section: 'timeline', body: 'Add **when** the page fired.', author: { id: rita.id, name: 'rita' }, resolvedAt: expect.any(String), resolvedBy: { id: rita.id } },
    ]);
  });
});

/** A postmortem on the wire; versions, reviews and publish blockers: postmortems.spec.ts, on the incidents room. */
describe('a postmortem as a client meets it', () => {
  const PM_FIELDS = `id status summary version publishedAt reviews { reviewer { id } verdict } incident { id }`;
  const UPDATE = `mutation($id: ID!, $v: Int!, $input: PostmortemInput!) { updatePostmortem(incidentId: $id, expectedVersion: $v, input: $input) { ${PM_FIELDS} } }`;
  let id: string;
  let reference: string;

  beforeAll(async () => {
    const teamId = await world.team({ name: 'Payments' });
    const serviceId = await world.service({ name: 'checkout-api', teamId });
    ({ id, reference } = await world.incident({ title: 'Payments outage', severity: 'SEV1', serviceIds: [serviceId], commanderId: ids.COMMANDER, resolvedAt: '2024-05-01T12:00:00Z' }));
  });

  it('answers the postmortem as selected, with its revisions\' authors; a stale version is CONFLICT; a viewer is FORBIDDEN', async () => {
    const first = await api.gql<{ updatePostmortem: unknown }>(UPDATE, { id, v: 1, input: { summary: 'Checkout failed for 20 minutes', impact: 'About 2 % of payments failed', noActionReason: 'The vendor fixed it; nothing on our side' } }, tokens.COMMANDER);
    expect(first.data!.updatePostmortem).toEqual({ id: expect.any(String), status: 'DRAFT', summary: 'Checkout failed for 20 minutes', version: 2, publishedAt: null, reviews: [], incident: { id } });
    expect((await api.gql(UPDATE, { id, v: 1, input: { summary: 'x' } }, tokens.COMMANDER)).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect((await api.gql(UPDATE, { id, v: 2, input: { summary: 'x' } }, tokens.VIEWER)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const revisions = await api.gql<{ incident: { postmortem: { revisions: unknown[] } } }>(`query($id: ID) { incident(id: $id) { postmortem { revisions { version author { id } } } } }`, { id }, tokens.VIEWER);
    expect(revisions.data!.incident.postmortem.revisions).toEqual([{ version: 2, author: { id: ids.COMMANDER } }]);

    await world.ok(`mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: DEPENDENCY_OUTAGE, description: "Payment vendor outage", isTrigger: true }) { id } }`, { id });
    const requested = await api.gql<{ requestPostmortemReview: unknown }>(`mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { ${PM_FIELDS} } }`, { id, r: [ids.VIEWER] }, tokens.COMMANDER);
    expect(requested.data!.requestPostmortemReview).toMatchObject({ status: 'IN_REVIEW', reviews: [{ reviewer: { id: ids.VIEWER }, verdict: 'PENDING' }] });
    await api.gql(`mutation($id: ID!) { reviewPostmortem(incidentId: $id, verdict: APPROVED) { id } }`, { id }, tokens.VIEWER);
    const published = await api.gql<{ publishPostmortem: unknown }>(`mutation($id: ID!) { publishPostmortem(incidentId: $id) { ${PM_FIELDS} } }`, { id }, tokens.COMMANDER);
    expect(published.data!.publishPostmortem).toMatchObject({ status: 'PUBLISHED', publishedAt: expect.any(String), reviews: [{ reviewer: { id: ids.VIEWER }, verdict: 'APPROVED' }] });
  });

  it('exports the postmortem as Markdown for signed-in users', async () => {
    const res = await fetch(`${api.url}/incidents/${reference}/postmortem.md`, { headers: { authorization: `Bearer ${tokens.VIEWER}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    const text = await res.text();
    expect(text).toContain(`# ${reference}: Payments outage`);
    expect(text).toContain('## Summary\n\nCheckout failed for 20 minutes');
    expect(text).toContain('Recorded as the trigger: **Dependency outage**: Payment vendor outage');
    expect(text).toContain('No action needed: The vendor fixed it; nothing on our side');
    expect(text).toContain('checkout-api');
    expect(text).toContain('Published');

    const anonymous = await fetch(`${api.url}/incidents/${reference}/postmortem.md`);
    expect(anonymous.status).toBe(401);
    const badToken = await fetch(`${api.url}/incidents/${reference}/postmortem.md`, { headers: { authorization: 'Bearer nonsense' } });
    expect(badToken.status).toBe(401);
    const unknown = await fetch(`${api.url}/incidents/INC-999999/postmortem.md`, { headers: { authorization: `Bearer ${tokens.VIEWER}` } });
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${api.url}/incidents/checkout/postmortem.md`, { headers: { authorization: `Bearer ${tokens.VIEWER}` } });
    expect(malformed.status).toBe(404);
  });
});
