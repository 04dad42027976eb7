import type { FieldError } from '../validation/fields.validation';
import { charCount, checkHttpUrl } from '../validation/fields.validation';
import {
  type ChangeSource,
  type ChangeStatus,
  ENVIRONMENT_MAX_CHARS,
  hasControlCharacters,
  isProductionEnvironment,
  SERVICE_NAME_MAX_CHARS,
  SOURCE_KEY_MAX_CHARS,
  VERSION_MAX_CHARS,
} from './change.rules';

/**
 * One finished change as any sender describes it (docs/changes.md): which service (by the
 * sender's name for it, matched to a service or alias later), where, what, and when it
 * finished. Nobody's name: who deployed is not kept (blameless by design).
 */
export interface ChangeSignal {
  source: ChangeSource;
  /** The sender's own id of this change: a replay or a redelivery finds the same row. */
  sourceKey: string;
  serviceName: string;
  environment: string;
  production: boolean;
  version: string | null;
  /** The commit, or the sender's page for the change. */
  url: string | null;
  status: ChangeStatus;
  startedAt: Date | null;
  finishedAt: Date;
}

export type ChangeParse =
  | { kind: 'change'; change: ChangeSignal }
  /** A well-formed delivery that is not a finished change (a ping, a deploy still running): answered 200, nothing stored. */
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; errors: FieldError[] };

export interface ChangeDelivery {
  source: ChangeSource;
  /** The sender's event header (`X-GitHub-Event`, `X-Gitlab-Event`); null for the others. */
  event: string | null;
  body: unknown;
  receivedAt: Date;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json => (isObject(v) ? v : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
/** A link as sent, untrimmed: a URL with a stray newline or space is refused, not repaired. */
const link = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const idOf = (v: unknown): string | null => (typeof v === 'number' && Number.isFinite(v) ? String(v) : str(v));
const invalid = (field: string, reason: string): ChangeParse => ({ kind: 'invalid', errors: [{ field, reason }] });
const ignored = (reason: string): ChangeParse => ({ kind: 'ignored', reason });

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})$/i;

/**
 * An instant with its zone, as the senders write them: ISO 8601 (`2026-11-20T11:40:00Z`,
 * `…+02:00`) and GitLab's `2021-04-28 21:50:00 +0200` / `… UTC`. No zone, no instant: a
 * local time could be any of 26 hours. Calendar days are checked (no 31 February).
 */
export function parseTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate() || hour > 23 || minute > 59 || second > 59) return null;
  const upper = (zone ?? 'Z').toUpperCase();
  const offset = upper === 'Z' || upper === 'UTC' ? 0 : (upper.startsWith('-') ? -1 : 1) * (Number(upper.slice(1, 3)) * 60 + Number(upper.slice(-2)));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, Number(frac.padEnd(3, '0').slice(0, 3))) - offset * 60_000;
  const date = new Date(ms);
  // Before 2000 is a sender's placeholder (Go's zero time, 0001-01-01), not a deploy.
  return year >= 2000 ? date : null;
}

const timeReason = 'must be a date-time with its zone, e.g. 2026-11-20T11:40:00Z';

/** The checks every source's change passes, reported on the sender's own field names. */
function finish(signal: ChangeSignal, paths: { service: string; environment: string; version: string; url: string; key: string }): ChangeParse {
  const errors: FieldError[] = [];
  const text = (field: string, value: string | null, max: number, required: boolean): void => {
    const n = value === null ? 0 : charCount(value);
    if (value === null || value === '') {
      if (required) errors.push({ field, reason: 'is missing' });
    } else if (hasControlCharacters(value)) errors.push({ field, reason: 'must not contain control characters (newlines, tabs)' });
    else if (n > max) errors.push({ field, reason: `must be at most ${max} characters (got ${n})` });
  };
  text(paths.service, signal.serviceName, SERVICE_NAME_MAX_CHARS, true);
  text(paths.environment, signal.environment, ENVIRONMENT_MAX_CHARS, true);
  text(paths.version, signal.version, VERSION_MAX_CHARS, false);
  text(paths.key, signal.sourceKey, SOURCE_KEY_MAX_CHARS, true);
  if (signal.url !== null) {
    const e = checkHttpUrl(paths.url, signal.url);
    if (e) errors.push(e);
  }
  if (signal.startedAt && signal.startedAt.getTime() > signal.finishedAt.getTime()) errors.push({ field: 'startedAt', reason: 'must not be after finishedAt' });
  return errors.length ? { kind: 'invalid', errors } : { kind: 'change', change: signal };
}

/** A release tag (v2.14.0, 2024.11.3) says more than a commit id; a branch name says less. */
const TAG_LIKE = /^v?\d+(\.\d+)+([-+][\w.-]+)?$/;

/**
 * GitHub `deployment_status` (webhook event of that name; `ping` when the hook is made). Only
 * a finished state is a change: success, or failure/error. `inactive` only says a newer
 * deployment replaced this one; queued, pending and in_progress are not finished yet. The
 * service is the repository's name unless the deployment's payload names one (`service`).
 */
function github(event: string | null, body: Json, receivedAt: Date): ChangeParse {
  if (event === 'ping') return ignored('ping: the webhook reaches Hindsight');
  if (event !== 'deployment_status') return ignored(`"${event ?? 'no'}" events are not changes: subscribe this webhook to "Deployment statuses" only`);
  const status = obj(body['deployment_status']);
  const deployment = obj(body['deployment']);
  const repository = obj(body['repository']);
  if (!isObject(body['deployment_status'])) return invalid('deployment_status', 'is missing: send the deployment_status webhook body unchanged');
  if (!isObject(body['deployment'])) return invalid('deployment', 'is missing: send the deployment_status webhook body unchanged');
  const id = idOf(deployment['id']);
  if (!id) return invalid('deployment.id', 'is missing');
  const state = str(status['state'])?.toLowerCase() ?? '';
  const finished: ChangeStatus | null = state === 'success' ? 'succeeded' : state === 'failure' || state === 'error' ? 'failed' : null;
  if (!finished) return ignored(state === 'inactive' ? 'inactive: a newer deployment replaced this one' : `${state || 'no state'}: a change is recorded when its deployment finishes`);
  const finishedAtRaw = status['updated_at'] ?? status['created_at'];
  const finishedAt = finishedAtRaw === undefined ? receivedAt : parseTimestamp(finishedAtRaw);
  if (!finishedAt) return invalid('deployment_status.updated_at', timeReason);
  const startedAt = deployment['created_at'] === undefined ? null : parseTimestamp(deployment['created_at']);
  if (deployment['created_at'] !== undefined && !startedAt) return invalid('deployment.created_at', timeReason);
  const environment = str(status['environment']) ?? str(deployment['environment']);
  const sha = str(deployment['sha']);
  const ref = str(deployment['ref']);
  const htmlUrl = link(repository['html_url']);
  const production = deployment['production_environment'];
  return finish(
    {
      source: 'github',
      sourceKey: str(deployment['url']) ?? `${str(repository['full_name']) ?? ''}/deployments/${id}`,
      serviceName: str(obj(deployment['payload'])['service']) ?? str(repository['name']) ?? '',
      environment: environment ?? '',
      production: typeof production === 'boolean' ? production : isProductionEnvironment(environment ?? ''),
      version: ref && TAG_LIKE.test(ref) ? ref : sha ?? ref,
      url: htmlUrl && sha ? `${htmlUrl}/commit/${sha}` : null,
      status: finished,
      startedAt,
      finishedAt,
    },
    { service: 'repository.name', environment: 'deployment_status.environment', version: 'deployment.ref', url: 'repository.html_url', key: 'deployment.url' },
  );
}

/**
 * GitLab "Deployment Hook" (`object_kind: deployment`). success, failed and canceled are
 * finished; created, running, blocked (and approvals) are not. Production is the
 * environment's tier when GitLab sends it. The service is the project's name.
 */
function gitlab(event: string | null, body: Json, receivedAt: Date): ChangeParse {
  const kind = str(body['object_kind']);
  if (event !== 'Deployment Hook' && kind !== 'deployment') return ignored(`"${event ?? kind ?? 'unknown'}" events are not changes: enable "Deployment events" only on this webhook`);
  const id = idOf(body['deployment_id']);
  if (!id) return invalid('deployment_id', 'is missing: send the Deployment Hook body unchanged');
  const state = str(body['status'])?.toLowerCase() ?? '';
  const finished: ChangeStatus | null = state === 'success' ? 'succeeded' : state === 'failed' ? 'failed' : state === 'canceled' ? 'cancelled' : null;
  if (!finished) return ignored(`${state || 'no status'}: a change is recorded when its deployment finishes`);
  const finishedAt = body['status_changed_at'] === undefined ? receivedAt : parseTimestamp(body['status_changed_at']);
  if (!finishedAt) return invalid('status_changed_at', timeReason);
  const project = obj(body['project']);
  const environment = str(body['environment']);
  const tier = str(body['environment_tier']);
  const webUrl = str(project['web_url']);
  const host = webUrl ? /^https?:\/\/([^/]+)/i.exec(webUrl)?.[1] ?? '' : '';
  return finish(
    {
      source: 'gitlab',
      sourceKey: `${host || str(project['path_with_namespace']) || idOf(project['id']) || ''}#deployment-${id}`,
      serviceName: str(project['name']) ?? str(project['path_with_namespace']) ?? '',
      environment: environment ?? '',
      production: tier ? tier.toLowerCase() === 'production' : isProductionEnvironment(environment ?? ''),
      version: str(body['short_sha']),
      url: link(body['commit_url']),
      status: finished,
      startedAt: null,
      finishedAt,
    },
    { service: 'project.name', environment: 'environment', version: 'short_sha', url: 'commit_url', key: 'deployment_id' },
  );
}

/** Whether a body is an Argo CD notification: it carries the Application as `app`, as its templates do. */
export function looksLikeArgoCd(body: unknown): boolean {
  return isObject(body) && isObject(body['app']) && isObject(body['app']['metadata']);
}

/**
 * An Argo CD Notifications webhook whose template renders the Application's own fields under
 * `app` and the notification context under `context` (docs/changes.md has the template): a
 * sync operation that Succeeded, or Failed / Errored. The service is the Application's name
 * unless `service` says otherwise; the environment is `environment`, the context's
 * `environment`, or the Application's `environment` label.
 */
function argocd(body: Json, receivedAt: Date): ChangeParse {
  const app = obj(body['app']);
  const metadata = obj(app['metadata']);
  const name = str(metadata['name']);
  if (!name) return invalid('app.metadata.name', 'is missing: use the webhook template in docs/changes.md');
  const operation = obj(obj(app['status'])['operationState']);
  const phase = str(operation['phase']);
  if (!phase) return invalid('app.status.operationState.phase', 'is missing: use the webhook template in docs/changes.md');
  const finished: ChangeStatus | null = phase === 'Succeeded' ? 'succeeded' : phase === 'Failed' || phase === 'Error' ? 'failed' : null;
  if (!finished) return ignored(`${phase}: a change is recorded when its sync operation finishes`);
  const finishedAt = operation['finishedAt'] === undefined ? receivedAt : parseTimestamp(operation['finishedAt']);
  if (!finishedAt) return invalid('app.status.operationState.finishedAt', timeReason);
  const startedAt = operation['startedAt'] === undefined ? null : parseTimestamp(operation['startedAt']);
  if (operation['startedAt'] !== undefined && !startedAt) return invalid('app.status.operationState.startedAt', timeReason);
  const context = obj(body['context']);
  const environment = str(body['environment']) ?? str(context['environment']) ?? str(obj(metadata['labels'])['environment']);
  if (!environment) return invalid('environment', 'is missing: set `environment` in the template, in the notifications context, or as an `environment` label on the Application');
  const production = body['production'];
  if (production !== undefined && typeof production !== 'boolean') return invalid('production', 'must be true or false');
  const argocdUrl = str(context['argocdUrl'])?.replace(/\/+$/, '') ?? null;
  const revision = str(obj(operation['syncResult'])['revision']) ?? str(obj(obj(operation['operation'])['sync'])['revision']) ?? str(obj(obj(app['status'])['sync'])['revision']);
  const namespace = str(metadata['namespace']);
  return finish(
    {
      source: 'argocd',
      sourceKey: `${argocdUrl ?? ''}/${namespace ?? ''}/${name}@${(startedAt ?? finishedAt).toISOString()}`,
      serviceName: str(body['service']) ?? name,
      environment,
      production: typeof production === 'boolean' ? production : isProductionEnvironment(environment),
      version: revision,
      url: argocdUrl ? `${argocdUrl}/applications/${namespace ? `${namespace}/` : ''}${name}` : null,
      status: finished,
      startedAt,
      finishedAt,
    },
    { service: 'service', environment: 'environment', version: 'app.status.operationState.syncResult.revision', url: 'context.argocdUrl', key: 'app.metadata.name' },
  );
}

const GENERIC_STATUSES: Record<string, ChangeStatus | 'unfinished'> = {
  succeeded: 'succeeded', success: 'succeeded', successful: 'succeeded',
  failed: 'failed', failure: 'failed', error: 'failed',
  cancelled: 'cancelled', canceled: 'cancelled',
  in_progress: 'unfinished', running: 'unfinished', started: 'unfinished', pending: 'unfinished', queued: 'unfinished',
};

/**
 * The generic shape for anything else (a deploy script, Spinnaker, Jenkins, a feature-flag
 * tool): `{ service, environment, finishedAt, version?, url?, status?, startedAt?,
 * production?, id? }`. `id` is the sender's id of the change; without one, the service,
 * environment, finish time and version identify it, so a retry stores nothing new.
 */
function generic(body: Json): ChangeParse {
  const errors: FieldError[] = [];
  for (const field of ['service', 'environment', 'version', 'url', 'startedAt', 'finishedAt', 'status'] as const) {
    const v = body[field];
    const required = field === 'service' || field === 'environment' || field === 'finishedAt';
    if (v !== undefined && v !== null && typeof v !== 'string') errors.push({ field, reason: 'must be a string' });
    else if (required && str(v) === null) errors.push({ field, reason: 'is required' });
  }
  const rawStatus = typeof body['status'] === 'string' ? body['status'].trim().toLowerCase() : 'succeeded';
  const status = GENERIC_STATUSES[rawStatus];
  if (!status) errors.push({ field: 'status', reason: 'must be succeeded, failed or cancelled (in_progress, running, pending are not recorded yet)' });
  const finishedAt = parseTimestamp(body['finishedAt']);
  if (typeof body['finishedAt'] === 'string' && !finishedAt) errors.push({ field: 'finishedAt', reason: timeReason });
  const startedAt = body['startedAt'] === undefined || body['startedAt'] === null ? null : parseTimestamp(body['startedAt']);
  if (body['startedAt'] !== undefined && body['startedAt'] !== null && !startedAt) errors.push({ field: 'startedAt', reason: timeReason });
  const production = body['production'];
  if (production !== undefined && production !== null && typeof production !== 'boolean') errors.push({ field: 'production', reason: 'must be true or false' });
  const id = body['id'] === undefined || body['id'] === null ? null : idOf(body['id']);
  if (body['id'] !== undefined && body['id'] !== null && id === null) errors.push({ field: 'id', reason: 'must be a non-empty string or a number' });
  if (errors.length) return { kind: 'invalid', errors };
  if (status === 'unfinished') return ignored(`${rawStatus}: send the change when it has finished`);
  const service = str(body['service']) as string;
  const environment = str(body['environment']) as string;
  const version = str(body['version']);
  const done = finishedAt as Date;
  return finish(
    {
      source: 'generic',
      sourceKey: id !== null ? `id:${id}` : `${service}|${environment}|${done.toISOString()}|${version ?? ''}`,
      serviceName: service,
      environment,
      production: typeof production === 'boolean' ? production : isProductionEnvironment(environment),
      version,
      url: link(body['url']),
      status: status as ChangeStatus,
      startedAt,
      finishedAt: done,
    },
    { service: 'service', environment: 'environment', version: 'version', url: 'url', key: 'id' },
  );
}

/** Reads a change event of any source; `receivedAt` stands in for a finish time a sender left out. */
export function parseChangePayload(d: ChangeDelivery): ChangeParse {
  if (!isObject(d.body)) return invalid('body', 'must be a JSON object');
  switch (d.source) {
    case 'github':
      return github(d.event, d.body, d.receivedAt);
    case 'gitlab':
      return gitlab(d.event, d.body, d.receivedAt);
    case 'argocd':
      return argocd(d.body, d.receivedAt);
    case 'generic':
      return generic(d.body);
  }
}
