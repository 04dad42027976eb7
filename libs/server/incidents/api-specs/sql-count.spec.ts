import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { SqlCounter } from '@hindsight/server-db';
import { must, Scenario } from '@hindsight/server-testing';

/*
 * No N+1: the statements a page costs must not grow with its rows. Every relation below
 * goes through a per-request DataLoader, so 5 incidents and 50 cost the same.
 */

/*
 * Loads of one kind requested at the same depth (users as authors, assignees, reviewers)
 * share a batch when their parents' rows arrive in the same tick; when two SQL answers come
 * back in separate ticks, that loader dispatches twice. So a count may differ by one or two
 * between runs, never by the number of rows (an N+1 here would add 20 to 45 statements).
 */
const BATCH_TIMING_SLACK = 2;

const counter = new SqlCounter();
let api: ApiHarness;
let world: Scenario;
let commander: { id: string; token: string };
let reviewers: string[];
let teamId: string;
let heavyId: string;
let lightId: string;

const INCIDENT_PAGE = `
  id reference title severity status summary impactedDimensions segments regions startedAt detectedAt resolvedAt
  timeToDetectMinutes timeToMitigateMinutes timeToResolveMinutes cost isRepeat createdAt updatedAt
  services { id name team { id name } }
  commander { id name }
  timeline { id occurredAt kind description evidenceUrl source author { id name } }
  hypotheses { id statement status evidence decidedAt }
  contributingFactors { id category description isTrigger }
  failedSafeguards { id kind expectedBehavior whyItFailed }
  actionItems { id title priority status dueAt isOverdue ownerTeam { id name } assignee { id name } }
  postmortem { id status version dueAt reviews { reviewer { id name } verdict comment decidedAt }
    comments { id section body createdAt resolvedAt author { id name } resolvedBy { id name } } }`;

async function statementsFor(query: string, variables: Record<string, unknown>): Promise<number> {
  // The caller is then known to the API (ActorCache): the count is the page's own statements.
  await api.gql('{ me { id } }', {}, commander.token);
  counter.reset();
  const res = await api.gql(query, variables, commander.token);
  expect(res.errors).toBeUndefined();
  return counter.count;
}

async function enrich(incidentId: string, size: number): Promise<void> {
  // Setup calls must succeed (must), or the counts below would measure an emptier page.
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < size; i++) {
    calls.push(
      must(
        api,
        `mutation($id: ID!, $at: DateTime!) { addTimelineEvent(incidentId: $id, input: { occurredAt: $at, kind: NOTE, description: "event", evidenceUrl: "https://logs.example.com/x" }) { id } }`,
        { id: incidentId, at: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString() },
        commander.token,
      ),
      must(api, `mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: CAPACITY, description: "factor" }) { id } }`, { id: incidentId }, commander.token),
      must(api, `mutation($id: ID!) { addFailedSafeguard(incidentId: $id, input: { kind: ALERTING, expectedBehavior: "page", whyItFailed: "threshold" }) { id } }`, { id: incidentId }, commander.token),
      must(api, `mutation($id: ID!) { addHypothesis(incidentId: $id, statement: "maybe") { id } }`, { id: incidentId }, commander.token),
      must(api, `mutation($id: ID!) { addPostmortemComment(incidentId: $id, section: "timeline", body: "Which alert?") { id } }`, { id: incidentId }, commander.token),
      must(
        api,
        `mutation($id: ID!, $team: ID!, $who: ID) { createActionItem(incidentId: $id, input: { title: "fix", kind: PREVENT, priority: P2, ownerTeamId: $team, assigneeId: $who }) { id } }`,
        { id: incidentId, team: teamId, who: i % 2 ? commander.id : reviewers[i % 2] },
        commander.token,
      ),
    );
  }
  calls.push(must(api, `mutation($id: ID!, $r: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $r) { id } }`, { id: incidentId, r: reviewers }, commander.token));
  await Promise.all(calls);
}

beforeAll(async () => {
  api = await startApi({}, { sqlCounter: counter });
  const admin = await api.login();
  world = new Scenario(api, admin);
  commander = await world.signedIn({ email: 'casey@test.local', role: 'COMMANDER' });
  reviewers = [(await world.signedIn({ email: 'r1@test.local', role: 'VIEWER' })).id, (await world.signedIn({ email: 'r2@test.local', role: 'MANAGER' })).id];
  const teams = [await world.team({ name: 'Payments' }), await world.team({ name: 'Search' })];
  teamId = teams[0];
  const services = [
    await world.service({ name: 'checkout-api', teamId: teams[0], revenuePerMinute: 100 }),
    await world.service({ name: 'ledger', teamId: teams[0], revenuePerMinute: 10 }),
    await world.service({ name: 'search-api', teamId: teams[1] }),
  ];
  for (let batch = 0; batch < 5; batch++) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const n = batch * 10 + i;
        const { id } = await world.as(commander.token).incident({
          title: `counted incident ${n}`,
          startedAt: new Date(Date.UTC(2024, 0, 1 + n)).toISOString(),
          resolvedAt: new Date(Date.UTC(2024, 0, 2 + n)).toISOString(),
          severity: 'SEV2',
          serviceIds: [services[n % 3], services[(n + 1) % 3]],
          commanderId: commander.id,
          responderHours: 2,
        });
        await enrich(id, 2);
        if (n === 0) lightId = id;
      }),
    );
  }
  ({ id: heavyId } = await world.as(commander.token).incident({ title: 'heavy', serviceIds: services, commanderId: commander.id }));
  await enrich(heavyId, 20);
}, 120_000);

afterAll(async () => {
  await api.close();
});

// What the incident list shows per row (nested lists as on the incident page would exceed the
// complexity limit at 50 rows; they are counted on the single-incident page below).
const LIST_ROW = `id reference title severity status segments startedAt resolvedAt timeToDetectMinutes timeToResolveMinutes cost isRepeat
  services { id name } commander { id name } postmortem { id status dueAt }`;

it('does not grow the statement count from 5 to 50 incidents on a page', async () => {
  const page = (first: number): string => `{ incidents(filter: { search: "counted" }, first: ${first}) { totalCount nodes { ${LIST_ROW} } } }`;
  const five = await statementsFor(page(5), {});
  const fifty = await statementsFor(page(50), {});
  expect(fifty).toBeLessThanOrEqual(five + BATCH_TIMING_SLACK);
  // list, count, services, revenue, users, postmortems, policies, repeat candidates: a small constant.
  expect(fifty).toBeLessThanOrEqual(11);
});

it('does not grow the statement count from a small to a large incident page', async () => {
  const query = `query($id: ID) { incident(id: $id) { ${INCIDENT_PAGE} postmortem { revisions { version author { id } } incident { id reference } } } }`;
  const light = await statementsFor(query, { id: lightId });
  const heavy = await statementsFor(query, { id: heavyId });
  expect(heavy).toBeLessThanOrEqual(light + BATCH_TIMING_SLACK);
  // 17: the postmortem's review comments are one statement more (their authors join the users batch).
  expect(heavy).toBeLessThanOrEqual(17 + BATCH_TIMING_SLACK);
  const sizes = await api.gql<{ incident: { timeline: unknown[]; actionItems: unknown[]; contributingFactors: unknown[] } }>(
    `query($id: ID) { incident(id: $id) { timeline { id } actionItems { id } contributingFactors { id } } }`,
    { id: heavyId },
    commander.token,
  );
  expect(sizes.data!.incident.timeline).toHaveLength(20);
  expect(sizes.data!.incident.actionItems).toHaveLength(20);
  expect(sizes.data!.incident.contributingFactors).toHaveLength(20);
  const comments = await api.gql<{ incident: { postmortem: { comments: unknown[] } } }>(`query($id: ID) { incident(id: $id) { postmortem { comments { id } } } }`, { id: heavyId }, commander.token);
  expect(comments.data!.incident.postmortem.comments).toHaveLength(20);
});
