// The load generator of `bench:soak`, in a process of its own (forked by soak.bench.ts):
// autocannon at a fixed overall rate over a few keep-alive connections, cycling through the
// requests it is given (a mix of reads and writes). Prints one JSON line per minute: requests
// answered, errors (socket errors, timeouts, non-2xx answers, GraphQL errors) and p99 latency.
import autocannon from 'autocannon';

interface Plan {
  url: string;
  seconds: number;
  rate: number;
  connections: number;
  requests: { method: 'POST'; path: string; headers: Record<string, string>; body: string }[];
}

const plan = JSON.parse(process.env['SOAK_PLAN'] ?? '{}') as Plan;

let minute = { requests: 0, errors: 0, latencies: [] as number[] };
let minutes = 0;
const flush = (): void => {
  const sorted = minute.latencies.sort((x, y) => x - y);
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
  minutes += 1;
  process.stdout.write(`${JSON.stringify({ minute: minutes, requests: minute.requests, errors: minute.errors, p99 })}\n`);
  minute = { requests: 0, errors: 0, latencies: [] };
};

const instance = autocannon({
  url: plan.url,
  connections: plan.connections,
  overallRate: plan.rate,
  duration: plan.seconds,
  requests: plan.requests.map((r) => ({
    ...r,
    // GraphQL reports its errors with status 200: count them as the errors they are.
    onResponse: (status: number, body: string) => {
      if (status === 200 && body.includes('"errors"')) minute.errors += 1;
    },
  })),
});
instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
  minute.requests += 1;
  if (status !== 200) minute.errors += 1;
  minute.latencies.push(ms);
});
instance.on('reqError', () => {
  minute.errors += 1;
});
// Minutes 1 … N-1 on a timer; the last one when the run ends (so the last line holds its stragglers).
const timer = setInterval(() => {
  flush();
  if (minutes >= Math.ceil(plan.seconds / 60) - 1) clearInterval(timer);
}, 60_000);
instance.on('done', () => {
  clearInterval(timer);
  flush();
});
