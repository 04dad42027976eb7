import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { SqlCounter } from '@hindsight/server-db';
import { must } from '@hindsight/server-testing';

/* ActionItem.roi goes through a per-request DataLoader: a page of 2 items and one of 12 cost the same statements. */

const counter = new SqlCounter();
let api: ApiHarness;
let token: string;
let incidentId: string;


beforeAll(async () => {
  api = await startApi({}, { sqlCounter: counter });
  token = await api.login();
  const teamId = (await must<{ createTeam: { id: string } }>(api, `mutation { createTeam(input: { name: "Roi" }) { id } }`, {}, token)).createTeam.id;
  const serviceId = (await must<{ createService: { id: string } }>(
    api,
    `mutation($t: ID!) { createService(input: { name: "roi", kind: API, tier: 1, teamId: $t, revenuePerMinute: 10 }) { id } }`, { t: teamId },
    token,
  )).createService.id;
  incidentId = (await must<{ createIncident: { id: string } }>(
    api,
    `mutation($s: ID!) { createIncident(input: { title: "x", severity: SEV2, serviceIds: [$s], startedAt: "${new Date(Date.now() - 86_400_000).toISOString()}", resolvedAt: "${new Date().toISOString()}" }) { id } }`,
    { s: serviceId },
    token,
  )).createIncident.id;
  const factorId = (await must<{ addContributingFactor: { id: string } }>(
    api,
    `mutation($i: ID!) { addContributingFactor(incidentId: $i, input: { category: CAPACITY, description: "c" }) { id } }`, { i: incidentId },
    token,
  )).addContributingFactor.id;
  for (let i = 0; i < 12; i++) {
    await must(api, `mutation($i: ID!, $t: ID!, $f: ID!) { createActionItem(incidentId: $i, input: { title: "fix ${i}", kind: PREVENT, priority: P2, ownerTeamId: $t, addressesFactorId: $f, effortDays: 1 }) { id } }`,
      { i: incidentId, t: teamId, f: factorId }, token);
  }
}, 60_000);

afterAll(async () => { await api.close(); });

async function statements(first: number): Promise<{ count: number; rois: (number | null)[] }> {
  // The caller is then known to the API (ActorCache): the count is the page's own statements.
  await must(api, '{ me { id } }', {}, token);
  counter.reset();
  const data = await must<{ actionItems: { nodes: { roi: number | null }[] } }>(api, `query($n: Int) { actionItems(first: $n) { nodes { id roi } } }`, { n: first }, token);
  return { count: counter.count, rois: data.actionItems.nodes.map((n) => n.roi) };
}

it('prices a page of items in a fixed number of statements', async () => {
  const small = await statements(2);
  const large = await statements(12);
  expect(large.rois).toHaveLength(12);
  // Every item: one incident a year, costing 24 h × 60 × 10 = 14400, for one person-day of 1200.
  expect(new Set(large.rois)).toEqual(new Set([(1 * 14400) / 1200]));
  expect(large.count).toBe(small.count);
});
