import { ApiHarness, startApi } from './testing';

/*
 * The per-caller cost budget (docs/security.md, "Limits"): points per minute per signed-in
 * person, a tenth of that per client address when signed out; past it, 429 RATE_LIMITED with
 * Retry-After. Small limits here, so a few requests reach them.
 */

let api: ApiHarness;
let token: string;

beforeAll(async () => {
  api = await startApi({ GRAPHQL_MAX_COST: '1000', GRAPHQL_COST_PER_MINUTE: '10000' });
  token = await api.login();
});
afterAll(async () => {
  await api.close();
});

async function post(query: string, auth: string | null): Promise<{ status: number; retryAfter: string | null; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

/** Sends `query` until refused (at most `max` times); returns how many passed and the refusal. */
async function untilRefused(query: string, auth: string | null, max: number) {
  for (let passed = 0; passed < max; passed++) {
    const answer = await post(query, auth);
    if (answer.status !== 200) return { passed, answer };
  }
  throw new Error(`${max} requests passed`);
}

it('refuses a signed-in person past their points for the minute, with when to come back', async () => {
  // errorBudgets: 200 points, plus 20 for its list of one field each: 45 fit in 10,000, and a
  // few more refill while they run (the exact arithmetic: cost.budget.spec.ts).
  const { passed, answer } = await untilRefused('query Budgets { errorBudgets { remainingMinutes } }', token, 100);
  expect(passed).toBeGreaterThanOrEqual(45);
  expect(passed).toBeLessThan(60);
  expect(answer.status).toBe(429);
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: Number(answer.retryAfter), limit: 10_000, found: 220 });
  expect(answer.body.errors?.[0]?.message).toMatch(/^You have used this minute's query budget \(10,000 points; this request costs 220\)\. Try again in \d+ seconds/);
  // A free field still answers: nothing to take.
  expect((await post('{ __typename }', token)).status).toBe(200);
});

it('gives a signed-out address a tenth, apart from the signed-in', async () => {
  // authProviders: 1 point plus 20 for its list; the address has 1,000 a minute, less what
  // signing in took (beforeAll).
  const { passed, answer } = await untilRefused('query Providers { authProviders { name } }', null, 100);
  expect(passed).toBeGreaterThanOrEqual(35);
  expect(passed).toBeLessThan(60);
  expect(answer.status).toBe(429);
  expect(answer.body.errors?.[0]?.message).toMatch(/^This address has used this minute's query budget \(1,000 points/);
});
