import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { SqlCounter } from '@hindsight/server-db';
import { Scenario } from '@hindsight/server-testing';

/*
 * No N+1 for similar incidents (issue 26): a list of incidents each asking for its similar
 * incidents (with their reasons, the matched incident and its action items) and the incident
 * page's panel cost the same number of statements for 2 incidents as for 5, and each similar
 * match, however many, is loaded in the same batch.
 */

let api: ApiHarness;
let world: Scenario;
let token: string;
const counter = new SqlCounter();
let serviceIds: string[] = [];

const LIST = `query($first: Int) { incidents(first: $first) { nodes { reference similar(first: 5) { score reasons incident { reference title actionItems { title status } } } } } }`;
const PAGE = `query($id: ID) { incident(id: $id) { reference similar(first: 5) { score reasons incident { reference services { name } actionItems { title status fixOutcome { held } } } } } }`;

async function statements(query: string, variables: Record<string, unknown>): Promise<number> {
  // The caller is then known to the API (ActorCache): the count is the page's own statements.
  await api.gql('{ me { id } }', {}, token);
  counter.reset();
  const res = await api.gql(query, variables, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return counter.count;
}

/** n more incidents alike: each on two of the services, with a certificate factor, a failed alert and an action item. */
async function addIncidents(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let k = 0; k < n; k++) {
    const { id } = await world.incident({
      title: `Edge certificate expired on custom domains ${k}`, summary: 'The wildcard certificate expired; renewal had failed silently.',
      serviceIds: [serviceIds[k % 2], serviceIds[2]], startedAt: new Date(Date.UTC(2024, 0, 1 + k)).toISOString(),
    });
    await world.ok(`mutation($id: ID!) { addContributingFactor(incidentId: $id, input: { category: CERTIFICATE_OR_SECRET, description: "Renewal failed", isTrigger: true }) { id } }`, { id });
    await world.ok(`mutation($id: ID!) { addFailedSafeguard(incidentId: $id, input: { kind: ALERTING, expectedBehavior: "Alert before expiry", whyItFailed: "No alert" }) { id } }`, { id });
    await world.actionItem(id, { title: `Alert 14 days before expiry ${k}` });
    ids.push(id);
  }
  return ids;
}

beforeAll(async () => {
  api = await startApi({}, { sqlCounter: counter });
  world = await Scenario.asAdmin(api);
  token = world.token;
  const teamId = await world.team();
  serviceIds = [await world.service({ teamId }), await world.service({ teamId }), await world.service({ teamId })];
});

afterAll(async () => {
  await api?.close();
});

it('a list of incidents with their similar incidents costs as many statements for 5 incidents as for 2', async () => {
  await addIncidents(2);
  const few = await statements(LIST, { first: 2 });
  await addIncidents(3);
  const many = await statements(LIST, { first: 5 });
  expect(many).toBe(few);
  expect(few).toBeLessThan(20);
  // Every incident found the others: the batch did the work, not a statement per match.
  const res = await api.gql<{ incidents: { nodes: { similar: unknown[] }[] } }>(LIST, { first: 5 }, token);
  expect(res.data?.incidents.nodes.map((n) => n.similar.length)).toEqual([4, 4, 4, 4, 4]);
});

it("the incident page's similar panel costs the same whether 1 or 5 incidents match", async () => {
  const [five] = await addIncidents(1);
  // Two incidents on a service of their own, with nothing else in common with anything: each other's only match.
  const own = await world.service();
  await world.incident({ title: 'Ranking model rollout paused', serviceIds: [own] });
  const { id: one } = await world.incident({ title: 'Queue consumer lag', serviceIds: [own] });
  const res = await api.gql<{ incident: { similar: unknown[] } }>(PAGE, { id: one }, token);
  expect(res.data?.incident.similar).toHaveLength(1);
  const single = await statements(PAGE, { id: one });
  const several = await statements(PAGE, { id: five });
  expect(several).toBe(single);
  expect(single).toBeLessThan(20);
});
