import { type Attributes, context, type Context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { TracingConfig } from '@hindsight/server-config';

/*
 * OpenTelemetry traces (OTLP over HTTP) when OTEL_EXPORTER_OTLP_ENDPOINT is set, instrumented by
 * hand at the places a request crosses: the API's HTTP requests, the queue (the W3C trace
 * context travels in each job's data as `trace`), the worker's jobs, and outbound HTTP and SMTP.
 * Without the setting none of the SDK is loaded and every helper here calls straight through.
 */

/** W3C trace context (`traceparent`, `tracestate`) as it travels in a job's data. */
export type TraceCarrier = Record<string, string>;

/** Job data may carry the trace context of whoever added the job. */
export interface Traced {
  trace?: TraceCarrier;
}

interface Provider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let provider: Provider | null = null;

export const tracingEnabled = (): boolean => provider !== null;

/**
 * Starts exporting spans to `config.tracesUrl` (batched) under the service name; once per
 * process. The SDK is required here, not imported above, so a process without tracing never
 * loads it.
 */
export function startTracing(config: TracingConfig | null, defaultServiceName: string): void {
  if (!config || provider) return;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is configured */
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const exporter = new OTLPTraceExporter({ url: config.tracesUrl, headers: config.headers });
  const p = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName ?? defaultServiceName, 'service.version': process.env['npm_package_version'] ?? '0.1.0' }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  // Registers the AsyncLocalStorage context manager and the W3C propagator globally.
  p.register();
  provider = p;
}

/** Sends the spans still buffered (at shutdown). */
export async function stopTracing(): Promise<void> {
  const p = provider;
  provider = null;
  await p?.forceFlush().catch(() => undefined);
  await p?.shutdown().catch(() => undefined);
  // So a later startTracing in this process (tests start several APIs) registers afresh.
  trace.disable();
  context.disable();
  propagation.disable();
}

const tracer = () => trace.getTracer('hindsight');

/** The active span's ids for a log line (pino's mixin), or nothing outside a trace. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  if (!provider) return {};
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** The active trace context to put in a job's data (undefined without tracing). */
export function traceCarrier(): TraceCarrier | undefined {
  if (!provider) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length ? carrier : undefined;
}

/** Adds the active trace context to outbound HTTP headers (`traceparent`). */
export function injectTraceHeaders(headers: Record<string, string | number>): Record<string, string | number> {
  if (!provider) return headers;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return { ...headers, ...carrier };
}

function finish(span: Span, error: unknown): void {
  if (error !== undefined) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
  }
  span.end();
}

/** Runs fn in a span of its own, a child of the active one. */
export async function withSpan<T>(name: string, kind: SpanKind, attributes: Attributes, fn: (span: Span | null) => Promise<T>): Promise<T> {
  if (!provider) return fn(null);
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      const result = await fn(span);
      finish(span, undefined);
      return result;
    } catch (e) {
      finish(span, e);
      throw e;
    }
  });
}

/** Runs a job in a consumer span whose parent is the context its producer put in the job's data. */
export function withJobSpan<T>(queue: string, jobName: string, data: unknown, fn: () => Promise<T>): Promise<T> {
  if (!provider) return fn();
  const carrier = (data as Traced | null)?.trace;
  const parent = carrier ? propagation.extract(context.active(), carrier) : context.active();
  return context.with(parent, () => withSpan(`${queue} process ${jobName}`, SpanKind.CONSUMER, { 'messaging.system': 'bullmq', 'messaging.destination.name': queue, 'messaging.operation.type': 'process' }, fn));
}

/** Adds jobs in a producer span, with its context in each job's data. */
export function withEnqueueSpan<T>(queue: string, fn: (trace: TraceCarrier | undefined) => Promise<T>): Promise<T> {
  if (!provider) return fn(undefined);
  return withSpan(`${queue} publish`, SpanKind.PRODUCER, { 'messaging.system': 'bullmq', 'messaging.destination.name': queue, 'messaging.operation.type': 'publish' }, () => fn(traceCarrier()));
}

/** The server span of an incoming HTTP request, child of the caller's `traceparent` if any. */
export function startServerSpan(method: string, headers: Record<string, string | string[] | undefined>): { span: Span; context: Context } | null {
  if (!provider) return null;
  const parent = propagation.extract(context.active(), headers);
  const span = tracer().startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

export { SpanKind };
