import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { SqlCounter } from '@hindsight/server-db';
import { must, Scenario } from '@hindsight/server-testing';

/*
 * No N+1: changes before detection, their services and teams, the window and the changes
 * query cost a fixed number of statements however many incidents or changes a page holds.
 * Loads of one kind asked for in the same tick share a batch; when two answers arrive in
 * separate ticks a loader may dispatch twice, hence a slack of two (an N+1 here would add
 * dozens).
 */
const BATCH_TIMING_SLACK = 2;

const counter = new SqlCounter();
let api: ApiHarness;
let admin: string;
let commander: string;
let lightId: string;
let heavyId: string;


async function statementsFor(query: string, variables: Record<string, unknown> = {}): Promise<number> {
  // The caller is then known to the API (ActorCache): the count is the page's own statements.
  await api.gql('{ me { id } }', {}, commander);
  counter.reset();
  const res = await api.gql(query, variables, commander);
  expect(res.errors).toBeUndefined();
  return counter.count;
}

beforeAll(async () => {
  api = await startApi({}, { sqlCounter: counter });
  admin = await api.login();
  const world = new Scenario(api, admin);
  commander = (await world.signedIn({ email: 'cara@test.local', name: 'Cara', role: 'COMMANDER', password: 'deploy-window-pass' })).token;
  const token = await world.apiToken((await world.person({ email: 'ci@test.local', role: 'COMMANDER' })).id, 'ci');
  const teams = await Promise.all(['Payments', 'Search', 'Data'].map(async (name) => (await must<{ createTeam: { id: string } }>(api, `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: name }, admin)).createTeam.id));
  const names = ['checkout-api', 'ledger', 'search-api', 'indexer', 'warehouse', 'features'];
  const services = await Promise.all(
    names.map(async (name, i) => (await must<{ createService: { id: string } }>(api, `mutation($n: String!, $t: ID!) { createService(input: { name: $n, kind: API, tier: 1, teamId: $t }) { id } }`, { n: name, t: teams[i % 3] }, admin)).createService.id),
  );
  // Ten production deploys of every service in the hour before 10:00 on 20 November.
  for (const [s, name] of names.entries()) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, k) => {
        const res = await fetch(`${api.url}/api/changes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ service: name, environment: 'production', version: `v${k}`, finishedAt: new Date(Date.UTC(2026, 10, 20, 9, s * 10 + k)).toISOString() }),
        });
        if (res.status !== 200) throw new Error(await res.text());
      }),
    );
  }
  const incident = async (title: string, serviceIds: string[]) =>
    (await must<{ createIncident: { id: string } }>(api, `mutation($t: String!, $s: [ID!]) { createIncident(input: { title: $t, severity: SEV2, startedAt: "2026-11-20T09:55:00Z", detectedAt: "2026-11-20T10:00:00Z", serviceIds: $s }) { id } }`, { t: title, s: serviceIds }, commander)).createIncident.id;
  lightId = await incident('counted light', [services[0]]);
  heavyId = await incident('counted heavy', services);
  for (let i = 0; i < 8; i++) await incident(`counted ${i}`, [services[i % 6], services[(i + 1) % 6]]);
  // One linked change on the heavy incident, so roles come from the same statement.
  const { changes } = await must<{ changes: { id: string }[] }>(api, `query($s: ID) { changes(serviceId: $s, first: 1) { id } }`, { s: services[2] }, admin);
  await must(api, `mutation($i: ID!, $c: ID!) { linkChangeToIncident(incidentId: $i, changeId: $c, role: TRIGGERING) { id } }`, { i: heavyId, c: changes[0].id }, commander);
}, 120_000);

afterAll(async () => {
  await api.close();
});

const CHANGES_FIELDS = `changeWindowMinutes changesBeforeDetection { role change { id version finishedAt service { id name team { id name } } } }`;

it('an incident with 60 changes before detection costs what one with 10 costs', async () => {
  const query = `query($id: ID) { incident(id: $id) { id ${CHANGES_FIELDS} } }`;
  const light = await statementsFor(query, { id: lightId });
  const heavy = await statementsFor(query, { id: heavyId });
  expect(heavy).toBeLessThanOrEqual(light + BATCH_TIMING_SLACK);
  // incident, window, changes, services, teams.
  expect(heavy).toBeLessThanOrEqual(5 + BATCH_TIMING_SLACK);
  const sizes = await must<{ incident: { changesBeforeDetection: { role: string | null }[] } }>(api, `query($id: ID) { incident(id: $id) { changesBeforeDetection { role } } }`, { id: heavyId }, admin);
  expect(sizes.incident.changesBeforeDetection).toHaveLength(60);
  expect(sizes.incident.changesBeforeDetection.filter((c) => c.role === 'TRIGGERING')).toHaveLength(1);
});

it('a page of 9 incidents costs what a page of 2 costs (9 is what the query cost allows with 100 changes each)', async () => {
  const page = (first: number) => `{ incidents(filter: { search: "counted" }, first: ${first}) { nodes { id changeWindowMinutes changesBeforeDetection { role change { id service { name } } } } } }`;
  const two = await statementsFor(page(2));
  const nine = await statementsFor(page(9));
  expect(nine).toBeLessThanOrEqual(two + BATCH_TIMING_SLACK);
});

it('a page of 100 changes costs what a page of 5 costs', async () => {
  const page = (first: number) => `{ changes(first: ${first}) { id serviceName service { id name team { id name } } } }`;
  const five = await statementsFor(page(5));
  const hundred = await statementsFor(page(100));
  expect(hundred).toBeLessThanOrEqual(five + BATCH_TIMING_SLACK);
  // changes, services, teams.
  expect(hundred).toBeLessThanOrEqual(3 + BATCH_TIMING_SLACK);
});
