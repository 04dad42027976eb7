import { Client } from 'pg';
import { distributionOf, interpolatePercentile } from '@hindsight/domain';
import { TEST_SERVER_URL } from '@hindsight/server-db/testing';

/*
 * The one percentile interpolation of the product (interpolatePercentile, libs/domain) against
 * PostgreSQL's percentile_cont, which it restates, on random inputs: equal to the bit, read
 * from a sorted array or through the selection the API uses on the values a statement returns.
 */

let c: Client;
beforeAll(async () => {
  c = new Client({ connectionString: TEST_SERVER_URL });
  await c.connect();
});
afterAll(() => c.end());

/** A deterministic pseudo-random generator (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

it('equals percentile_cont for random values, sizes and quantiles', async () => {
  const next = random(20261201);
  const cases: { values: number[]; quantiles: number[] }[] = [];
  for (let k = 0; k < 200; k++) {
    const n = 1 + Math.floor(next() * (k % 4 === 0 ? 2000 : 40));
    // Minutes with long tails, repeated values, fractions of a millisecond, negatives and huge magnitudes.
    const kind = k % 5;
    const values = Array.from({ length: n }, () =>
      kind === 0 ? Math.exp(next() * 12) : kind === 1 ? Math.floor(next() * 5) : kind === 2 ? (next() - 0.5) * 1e-3 : kind === 3 ? (next() - 0.5) * 1e300 : Math.round(next() * 6e7) / 60000,
    );
    cases.push({ values, quantiles: [0, 0.5, 0.9, 1, next(), next()] });
  }
  for (const { values, quantiles } of cases) {
    const { rows } = await c.query<{ p: number[] }>(`SELECT percentile_cont($2::float8[]) WITHIN GROUP (ORDER BY v) AS p FROM unnest($1::float8[]) AS v`, [values, quantiles]);
    const sorted = [...values].sort((a, b) => a - b);
    expect(quantiles.map((q) => interpolatePercentile(sorted.length, q, (r) => sorted[r]))).toEqual(rows[0].p);
    const stats = distributionOf(Float64Array.from(values));
    expect([stats.median, stats.p90]).toEqual(
      (await c.query<{ p: number[] }>(`SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v) AS p FROM unnest($1::float8[]) AS v`, [values])).rows[0].p,
    );
  }
});

it('is null where percentile_cont is NULL: no values', async () => {
  const { rows } = await c.query<{ p: number | null }>(`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS p FROM unnest('{}'::float8[]) AS v`);
  expect(interpolatePercentile(0, 0.5, () => 0)).toBe(rows[0].p);
});
