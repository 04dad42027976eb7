import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import pino from 'pino';
import { SpanKind, traceFields, withSpan } from '@hindsight/server-common';
import { until } from '@hindsight/server-db/testing';
import { expectedWebhookDeliveries, seedChase, startWorkerProcess, WorkerProcess } from '@hindsight/server-worker/testing';
import { ApiHarness, startApi } from './testing';

/*
 * OpenTelemetry traces over OTLP/HTTP to a loopback receiver: one trace from the API request
 * (runChaseNow) through the chase queue to the worker's sweep, its delivery batches and the
 * webhook POSTs, which carry the trace in `traceparent`; the worker's log lines name the trace.
 */

interface OtlpSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

const hex = (v: string | undefined): string => (!v ? '' : /^[0-9a-f]+$/i.test(v) ? v.toLowerCase() : Buffer.from(v, 'base64').toString('hex'));

/** An OTLP/HTTP (JSON) traces endpoint on loopback that keeps every span it is sent. */
class OtlpReceiver {
  readonly spans: OtlpSpan[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req).then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private async handle(req: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url !== '/v1/traces') return;
    type Attr = { key: string; value: Record<string, unknown> };
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      resourceSpans: { resource: { attributes: Attr[] }; scopeSpans: { spans: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: Attr[] }[] }[] }[];
    };
    for (const rs of body.resourceSpans) {
      const service = String(Object.values(rs.resource.attributes.find((a) => a.key === 'service.name')?.value ?? {})[0]);
      for (const ss of rs.scopeSpans) {
        for (const s of ss.spans) {
          const attributes = Object.fromEntries((s.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]));
          this.spans.push({ service, traceId: hex(s.traceId), spanId: hex(s.spanId), parentSpanId: hex(s.parentSpanId), name: s.name, kind: s.kind, attributes });
        }
      }
    }
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

let otlp: OtlpReceiver;
let api: ApiHarness;
let worker: WorkerProcess;
let hooks: Server;
let hookUrl: string;
const traceparents: string[] = [];

beforeAll(async () => {
  otlp = await new OtlpReceiver().start();
  hooks = createServer((req, res) => {
    traceparents.push(String(req.headers['traceparent'] ?? ''));
    req.resume();
    req.on('end', () => res.writeHead(200).end('{}'));
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, QUEUE_PREFIX: `hs-otel-${randomBytes(3).toString('hex')}`, CHASE_INTERVAL_SECONDS: '86400' };
  api = await startApi(env);
  worker = startWorkerProcess({ ...env, DATABASE_URL: api.db.url, REDIS_URL: api.config.redisUrl, LOG_FORMAT: 'json' });
  const port = await worker.ready;
  // The worker's own start-up sweep, outside any request, is done before the test asks for one.
  await until(async () => /hindsight_chase_sweep_duration_seconds_count\{[^}]*\} [1-9]/.test(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()), 30_000, 'the start-up sweep');
}, 60_000);

afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
  await api?.close();
  hooks?.closeAllConnections();
  await new Promise<void>((r) => (hooks ? hooks.close(() => r()) : r()));
  await otlp?.close();
}, 60_000);

it('connects the API request to the worker job it caused and to the webhooks it sent', async () => {
  const seed = await seedChase(api.db.url, hookUrl, { teams: 1, perCase: 2 });
  const expected = expectedWebhookDeliveries(seed);
  const admin = await api.login();
  const res = await api.gql(`mutation RunTheChase { runChaseNow }`, {}, admin);
  expect(res.errors).toBeUndefined();
  await until(() => traceparents.length >= expected, 30_000, `${expected} webhooks`);

  const sweep = await until(() => otlp.spans.find((s) => s.service === 'hindsight-worker' && s.name === 'hindsight.chase process chase.sweep' && s.parentSpanId !== ''), 20_000, 'the sweep span');
  const inTrace = () => otlp.spans.filter((s) => s.traceId === sweep.traceId);
  const byId = (id: string) => inTrace().find((s) => s.spanId === id);
  await until(() => inTrace().filter((s) => s.kind === 3 /* CLIENT */ && s.attributes['url.full'] === hookUrl).length >= expected, 20_000, 'the webhook spans');

  // API: the request's server span, its publish span, the worker's consumer span beneath it.
  const publish = await until(() => byId(sweep.parentSpanId), 20_000, "the API's publish span");
  expect(publish).toMatchObject({ service: 'hindsight-api', name: 'hindsight.chase publish', kind: 4 /* PRODUCER */ });
  const request = await until(() => byId(publish.parentSpanId), 20_000, "the API's request span");
  expect(request).toMatchObject({ service: 'hindsight-api', name: 'POST /graphql', kind: 2 /* SERVER */, attributes: { 'http.response.status_code': 200 } });
  // Worker: the sweep published delivery batches, whose jobs sent the webhooks.
  const batches = inTrace().filter((s) => s.name === 'hindsight.delivery-batches process delivery.send-batch');
  expect(batches.length).toBeGreaterThan(0);
  for (const b of batches) expect(byId(b.parentSpanId)).toMatchObject({ name: 'hindsight.delivery-batches publish', service: 'hindsight-worker' });
  const posts = inTrace().filter((s) => s.kind === 3 && s.attributes['url.full'] === hookUrl);
  for (const p of posts) expect(batches.map((b) => b.spanId)).toContain(p.parentSpanId);
  // Receivers see the same trace, and the worker's log lines of the sweep name it.
  expect(traceparents.every((t) => t.split('-')[1] === sweep.traceId)).toBe(true);
  expect(worker.output()).toContain(`"trace_id":"${sweep.traceId}"`);
}, 90_000);

it('names the active trace and span in log lines, and nothing outside a trace', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } });
  const log = pino({ mixin: traceFields }, sink);
  await withSpan('a unit of work', SpanKind.INTERNAL, {}, async () => {
    log.info('inside');
    const ids = trace.getSpan(context.active())?.spanContext();
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'inside', trace_id: ids?.traceId, span_id: ids?.spanId });
  });
  log.info('outside');
  expect(JSON.parse(lines[1])).not.toHaveProperty('trace_id');
});
