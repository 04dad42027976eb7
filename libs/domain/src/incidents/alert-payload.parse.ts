import type { Severity } from '../enums/contract.enums';
import type { FieldError } from '../validation/fields.validation';
import { checkHttpUrl, TITLE_MAX_CHARS } from '../validation/fields.validation';

/** The alerting systems whose webhooks open incidents (PRODUCT.md 2, step 1). */
export const ALERT_SOURCES = ['alertmanager', 'pagerduty', 'opsgenie'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

/**
 * What an alert webhook says, whatever system sent it: a signal about one incident, keyed so
 * that repeated deliveries (Alertmanager re-sends firing groups; every system retries) land
 * on the same incident.
 */
export interface AlertSignal {
  /** `<source>:<the sender's id for this incident or alert group>`. */
  externalKey: string;
  state: 'firing' | 'acknowledged' | 'resolved';
  title: string;
  severity: Severity;
  /** When the sender says it started (or was acknowledged / resolved, for those states). */
  at: Date;
  description: string | null;
  /** A link back to the sender's view of it (graph, PagerDuty incident, Opsgenie alert). */
  url: string | null;
  /** Service names as the sender labels them, matched to Hindsight services by name. */
  serviceNames: string[];
}

export type AlertParse = { ok: true; signal: AlertSignal } | { ok: false; errors: FieldError[] };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const fail = (field: string, reason: string): AlertParse => ({ ok: false, errors: [{ field, reason }] });

function date(v: unknown, fallback: Date): Date {
  const d = typeof v === 'number' ? new Date(v) : typeof v === 'string' ? new Date(v) : null;
  // Alertmanager sends 0001-01-01 for "no end"; anything before 2000 is not a real instant.
  return d && !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 2000 ? d : fallback;
}

function title(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return [...oneLine].length <= TITLE_MAX_CHARS ? oneLine : `${[...oneLine].slice(0, TITLE_MAX_CHARS - 1).join('')}…`;
}

/**
 * A link the sender gave, checked like every URL Hindsight stores (it becomes a timeline
 * event's evidence link, shown to everyone and written into exports): absent is null; a bad
 * one refuses the payload, naming the field, rather than being dropped or stored as sent.
 */
function link(field: string, v: unknown): { url: string | null; error: FieldError | null } {
  if (v === undefined || v === null || v === '') return { url: null, error: null };
  const error = checkHttpUrl(field, v);
  return error ? { url: null, error } : { url: v as string, error: null };
}

/** Severity words used by alerting rules, and P1–P5 priorities, as Hindsight severities. */
export function severityFromAlert(value: unknown): Severity | null {
  const s = str(value)?.toLowerCase();
  if (!s) return null;
  const sev = /^sev-?([1-4])$/.exec(s);
  if (sev) return `SEV${sev[1]}` as Severity;
  const priority = /^p([1-5])$/.exec(s);
  if (priority) return (['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV4'] as const)[Number(priority[1]) - 1] ?? null;
  if (['critical', 'page', 'high', 'error'].includes(s)) return 'SEV2';
  if (['warning', 'warn', 'medium', 'low'].includes(s)) return 'SEV3';
  if (['info', 'informational', 'none'].includes(s)) return 'SEV4';
  return null;
}

/**
 * Prometheus Alertmanager webhook (version 4): one incident per alert group. Firing while any
 * alert of the group fires; resolved when the group is.
 */
function alertmanager(body: Json, receivedAt: Date): AlertParse {
  const groupKey = str(body['groupKey']);
  if (!groupKey) return fail('groupKey', 'is missing: send the Alertmanager webhook body unchanged (version 4)');
  const alerts = Array.isArray(body['alerts']) ? body['alerts'].filter(isObject) : [];
  if (alerts.length === 0) return fail('alerts', 'must list at least one alert');
  const common = isObject(body['commonLabels']) ? body['commonLabels'] : {};
  const commonAnnotations = isObject(body['commonAnnotations']) ? body['commonAnnotations'] : {};
  const first = alerts[0] as Json;
  const labels = isObject(first['labels']) ? first['labels'] : {};
  const annotations = isObject(first['annotations']) ? first['annotations'] : {};
  const state = str(body['status']) === 'resolved' ? 'resolved' : 'firing';
  const name = str(common['alertname']) ?? str(labels['alertname']) ?? 'Alert';
  const summary = str(commonAnnotations['summary']) ?? str(annotations['summary']);
  const starts = alerts.map((a) => date(a['startsAt'], receivedAt).getTime());
  const ends = alerts.map((a) => date(a['endsAt'], receivedAt).getTime());
  const generator = link('alerts[0].generatorURL', first['generatorURL']);
  const external = link('externalURL', body['externalURL']);
  const linkErrors = [generator.error, external.error].filter((e): e is FieldError => e !== null);
  if (linkErrors.length) return { ok: false, errors: linkErrors };
  const services = new Set<string>();
  for (const a of alerts) {
    const l = isObject(a['labels']) ? a['labels'] : {};
    const s = str(l['service']) ?? str(l['app']) ?? str(l['job']);
    if (s) services.add(s);
  }
  return {
    ok: true,
    signal: {
      externalKey: `alertmanager:${groupKey}`,
      state,
      title: title(summary ? `${name}: ${summary}` : name),
      severity: severityFromAlert(common['severity'] ?? labels['severity']) ?? 'SEV3',
      at: new Date(state === 'resolved' ? Math.max(...ends) : Math.min(...starts)),
      description: str(commonAnnotations['description']) ?? str(annotations['description']),
      url: generator.url ?? external.url,
      serviceNames: [...services],
    },
  };
}

/** PagerDuty webhook v3 (`event.event_type` incident.triggered / acknowledged / resolved). */
function pagerduty(body: Json, receivedAt: Date): AlertParse {
  const event = body['event'];
  if (!isObject(event)) return fail('event', 'is missing: send the PagerDuty v3 webhook body unchanged');
  const data = isObject(event['data']) ? event['data'] : {};
  const id = str(data['id']);
  if (!id) return fail('event.data.id', 'is missing: only incident events open incidents');
  const type = str(event['event_type']) ?? '';
  const state = type.endsWith('.resolved') ? 'resolved' : type.endsWith('.acknowledged') ? 'acknowledged' : 'firing';
  const service = isObject(data['service']) ? str(data['service']['summary']) : null;
  const priority = isObject(data['priority']) ? data['priority']['summary'] : null;
  const page = link('event.data.html_url', data['html_url']);
  if (page.error) return { ok: false, errors: [page.error] };
  return {
    ok: true,
    signal: {
      externalKey: `pagerduty:${id}`,
      state,
      title: title(str(data['title']) ?? `PagerDuty incident ${id}`),
      severity: severityFromAlert(priority) ?? (str(data['urgency']) === 'low' ? 'SEV3' : 'SEV2'),
      at: date(event['occurred_at'], receivedAt),
      description: str(data['description']) ?? null,
      url: page.url,
      serviceNames: service ? [service] : [],
    },
  };
}

/** Opsgenie outgoing webhook (`action` Create / Acknowledge / Close). */
function opsgenie(body: Json, receivedAt: Date): AlertParse {
  const alert = body['alert'];
  if (!isObject(alert)) return fail('alert', 'is missing: send the Opsgenie webhook body unchanged');
  const id = str(alert['alertId']);
  if (!id) return fail('alert.alertId', 'is missing');
  const action = (str(body['action']) ?? '').toLowerCase();
  const state = action === 'close' ? 'resolved' : action === 'acknowledge' ? 'acknowledged' : 'firing';
  const tags = Array.isArray(alert['tags']) ? alert['tags'].map(str).filter((t): t is string => t !== null) : [];
  const taggedServices = tags.filter((t) => t.startsWith('service:')).map((t) => t.slice('service:'.length));
  const entity = str(alert['entity']);
  return {
    ok: true,
    signal: {
      externalKey: `opsgenie:${id}`,
      state,
      title: title(str(alert['message']) ?? `Opsgenie alert ${id}`),
      severity: severityFromAlert(alert['priority']) ?? 'SEV3',
      at: state === 'firing' ? date(alert['createdAt'], receivedAt) : date(alert['updatedAt'], receivedAt),
      description: str(alert['description']),
      url: null,
      serviceNames: taggedServices.length ? taggedServices : entity ? [entity] : [],
    },
  };
}

/** Reads an alerting system's webhook body; `receivedAt` stands in for missing times. */
export function parseAlertPayload(source: string, body: unknown, receivedAt: Date): AlertParse {
  if (!(ALERT_SOURCES as readonly string[]).includes(source)) return fail('source', `must be one of ${ALERT_SOURCES.join(', ')}`);
  if (!isObject(body)) return fail('body', 'must be a JSON object');
  switch (source as AlertSource) {
    case 'alertmanager':
      return alertmanager(body, receivedAt);
    case 'pagerduty':
      return pagerduty(body, receivedAt);
    case 'opsgenie':
      return opsgenie(body, receivedAt);
  }
}
