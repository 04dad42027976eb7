export interface LoadResult {
  rps: number;
  /** 99th percentile of request latency, ms. */
  p99: number;
  bytes: number;
}

/**
 * Drives `requests` requests at `url` from `concurrency` loops and returns requests/s, p99
 * latency and the size of the last answer; any non-200 or GraphQL error fails the run (a
 * benchmark of error pages measures nothing).
 */
export async function load(url: string, init: RequestInit, requests: number, concurrency: number): Promise<LoadResult> {
  let next = 0;
  let bytes = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const t0 = performance.now();
        const res = await fetch(url, init);
        const text = await res.text();
        latencies.push(performance.now() - t0);
        if (res.status !== 200 || text.includes('"errors"')) throw new Error(`bad response ${res.status}: ${text.slice(0, 300)}`);
        bytes = text.length;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rps: requests / ((performance.now() - started) / 1000), p99: latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] ?? 0, bytes };
}

/**
 * The API and a bare handler serving the same page, measured alternately in one run (the
 * machine is shared and noisy, so only the ratio within a run means much): a warm-up of each,
 * then three rounds; prints every round and the medians.
 */
export async function compareWithBare(label: string, api: { url: string; init: RequestInit }, bare: { url: string; init: RequestInit }, requests: number, concurrency: number): Promise<void> {
  await load(api.url, api.init, requests, concurrency); // warm-up (Mercurius JIT-compiles after the first run)
  await load(bare.url, bare.init, requests, concurrency);
  const rounds: { api: LoadResult; bare: LoadResult }[] = [];
  for (let i = 0; i < 3; i++) {
    const b = await load(bare.url, bare.init, requests, concurrency);
    const a = await load(api.url, api.init, requests, concurrency);
    rounds.push({ api: a, bare: b });
    console.log(`round ${i + 1}: api ${a.rps.toFixed(0)} req/s p99 ${a.p99.toFixed(1)} ms (${a.bytes} B); bare ${b.rps.toFixed(0)} req/s p99 ${b.p99.toFixed(1)} ms (${b.bytes} B)`);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  const a = { rps: median(rounds.map((r) => r.api.rps)), p99: median(rounds.map((r) => r.api.p99)) };
  const b = { rps: median(rounds.map((r) => r.bare.rps)), p99: median(rounds.map((r) => r.bare.p99)) };
  console.log(`${label}; ${requests} requests × ${concurrency} concurrent`);
  console.log(`graphql api: ${a.rps.toFixed(0)} req/s, p99 ${a.p99.toFixed(1)} ms; bare http+pg: ${b.rps.toFixed(0)} req/s, p99 ${b.p99.toFixed(1)} ms; ratio ${(a.rps / b.rps).toFixed(2)}`);
}
