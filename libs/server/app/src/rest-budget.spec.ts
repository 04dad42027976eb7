import { ApiHarness, startApi } from './testing';

/*
 * REST routes spend the caller's per-minute budget that GraphQL spends (docs/security.md,
 * "Limits"): the issue 22 probe found the reliability report's exports outside it, so a
 * token could ask for a report as often as it liked while the field was limited.
 */

const PER_SECOND = 10_000 / 60;

let api: ApiHarness;
let reader: string;

beforeAll(async () => {
  api = await startApi({ GRAPHQL_MAX_COST: '1000', GRAPHQL_COST_PER_MINUTE: '10000' });
  const admin = await api.login();
  const created = await api.gql(
    'mutation C($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { email: 'exporter@example.com', name: 'Exporter', password: 'exporter-long-password-1', role: 'VIEWER' } },
    admin,
  );
  expect(created.errors).toBeUndefined();
  reader = await api.login('exporter@example.com', 'exporter-long-password-1');
});
afterAll(async () => {
  await api.close();
});

const get = (path: string, auth: string | null) => fetch(`${api.url}${path}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
const post = (query: string, auth: string) =>
  fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body: JSON.stringify({ query }) });

it('prices the reliability report export like the field (1,000 points), then answers 429 with Retry-After', async () => {
  const path = '/api/reports/reliability.csv?from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z';
  let passed = 0;
  let refused: Response | null = null;
  const started = Date.now();
  for (let i = 0; i < 40 && !refused; i++) {
    const res = await get(path, reader);
    if (res.status === 200) {
      passed++;
      await res.text();
    } else refused = res;
  }
  // 10,000 points a minute: ten exports, and one more per 1,000 points refilled meanwhile (the
  // bound follows how long they took, so a busy machine does not fail it).
  const refilled = ((Date.now() - started) / 1000) * PER_SECOND;
  expect(passed).toBeGreaterThanOrEqual(10);
  expect(passed).toBeLessThanOrEqual(10 + Math.ceil(refilled / 1000));
  expect(refused?.status).toBe(429);
  expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  const body = (await refused!.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', limit: 10_000, found: 1000 });
  expect(body['retryAfterSeconds']).toBe(Number(refused?.headers.get('retry-after')));
  // One budget: what the exports left (under 1,000 points) pays for at most four of GraphQL's
  // priced fields (errorBudgets: 220 points) and those refilled meanwhile; then they are refused
  // too, while a free field still answers.
  const statuses: number[] = [];
  const spending = Date.now();
  for (let i = 0; i < 40 && statuses.at(-1) !== 429; i++) statuses.push((await post('query Budgets { errorBudgets { remainingMinutes } }', reader)).status);
  expect(statuses.at(-1)).toBe(429);
  expect(statuses.length).toBeLessThanOrEqual(5 + Math.ceil((((Date.now() - spending) / 1000) * PER_SECOND) / 220));
  expect((await post('{ __typename }', reader)).status).toBe(200);
});

it('never charges the health probes and metrics', async () => {
  for (let i = 0; i < 30; i++) expect((await get('/health/live', null)).status).toBe(200);
  const ready = await get('/health/ready', null);
  expect(ready.status).toBe(200);
});
