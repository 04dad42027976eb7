import type { FieldError } from '../validation/fields.validation';
import { charCount } from '../validation/fields.validation';
import { MS_PER_MINUTE } from '../time/time.util';
import type { ChangeRole } from '../enums/contract.enums';

/** Where a change came from: the shape its sender speaks (docs/changes.md). */
export const CHANGE_SOURCES = ['github', 'gitlab', 'argocd', 'generic'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

/** How a change finished; a change is recorded once it has (a running deploy is not a change yet). */
export const CHANGE_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** The systems whose signed webhooks need a change source (its secret verifies them). */
export const CHANGE_SOURCE_KINDS = ['GITHUB', 'GITLAB'] as const;
export type ChangeSourceKind = (typeof CHANGE_SOURCE_KINDS)[number];

/** "Changes before detection" look this far back unless the incident says otherwise. */
export const DEFAULT_CHANGE_WINDOW_MINUTES = 240;
/** A week: further back, a change is history rather than a suspect, and the list stops being readable. */
export const MAX_CHANGE_WINDOW_MINUTES = 7 * 24 * 60;
/** The most changes an incident lists from its window (newest first); linked ones are always listed. */
export const MAX_CHANGES_BEFORE_DETECTION = 100;

export const SERVICE_NAME_MAX_CHARS = 200;
export const ENVIRONMENT_MAX_CHARS = 100;
export const VERSION_MAX_CHARS = 200;
export const SOURCE_KEY_MAX_CHARS = 500;
export const MAX_SERVICE_ALIASES = 50;

// Words that name production in environment names, and words that say "not quite production".
const PRODUCTION_WORDS = new Set(['production', 'prod', 'prd', 'live']);
const NOT_PRODUCTION_WORDS = new Set(['non', 'not', 'pre', 'preprod', 'staging', 'stage', 'stg', 'test', 'testing', 'qa', 'dev', 'development', 'sandbox', 'preview']);

/**
 * Whether an environment name means production, for senders that do not say so themselves
 * (GitHub's `production_environment`, GitLab's `environment_tier` and an explicit
 * `production` in the generic and Argo CD shapes win). A name is production when one of its
 * words is production, prod, prd or live and none is a word like staging, pre or non:
 * `production`, `prod-eu`, `eu-live` are; `pre-prod`, `non-production`, `staging` are not.
 */
export function isProductionEnvironment(name: string): boolean {
  const words = name.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
  return words.some((w) => PRODUCTION_WORDS.has(w)) && !words.some((w) => NOT_PRODUCTION_WORDS.has(w));
}

/** C0 controls and DEL: never part of a name, version or link anyone meant to send. */
export function hasControlCharacters(value: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(value);
}

/** The key deploy names are matched on: services by name and aliases compare case-insensitively. */
export function serviceNameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** A service alias as an ADMIN types it: a deploy name that means this service. */
export function checkServiceAlias(field: string, value: unknown): FieldError | null {
  if (typeof value !== 'string' || value.trim() === '') return { field, reason: 'must not be blank' };
  if (hasControlCharacters(value)) return { field, reason: 'must not contain control characters (newlines, tabs)' };
  const n = charCount(value.trim());
  if (n > SERVICE_NAME_MAX_CHARS) return { field, reason: `must be at most ${SERVICE_NAME_MAX_CHARS} characters (got ${n})` };
  return null;
}

/** All aliases of one service at once: each valid, no two the same (ignoring case), at most 50. */
export function validateServiceAliases(aliases: readonly unknown[]): FieldError[] {
  if (aliases.length > MAX_SERVICE_ALIASES) return [{ field: 'aliases', reason: `at most ${MAX_SERVICE_ALIASES} aliases per service (got ${aliases.length})` }];
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  aliases.forEach((a, i) => {
    const e = checkServiceAlias(`aliases.${i}`, a);
    const key = e ? null : serviceNameKey(a as string);
    const first = key === null ? undefined : seen.get(key);
    if (e) errors.push(e);
    else if (first !== undefined) errors.push({ field: `aliases.${i}`, reason: `repeats aliases.${first} (aliases are compared ignoring case)` });
    else if (key !== null) seen.set(key, i);
  });
  return errors;
}

/** A per-incident window: whole minutes, 1 to a week. */
export function checkChangeWindowMinutes(field: string, value: unknown): FieldError | null {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CHANGE_WINDOW_MINUTES) {
    return { field, reason: `must be a whole number of minutes from 1 to ${MAX_CHANGE_WINDOW_MINUTES} (a week); send null for the default ${DEFAULT_CHANGE_WINDOW_MINUTES}` };
  }
  return null;
}

export interface DetectionTimes {
  startedAt: Date;
  detectedAt: Date | null;
}

/**
 * The window "changes before detection" covers: the `minutes` up to detection, both ends
 * included (a deploy that finished exactly four hours before, or in the very second of
 * detection, is a suspect). An incident not yet marked detected is measured from its start.
 */
export function changeWindow(incident: DetectionTimes, minutes: number | null): { from: Date; to: Date } {
  const to = incident.detectedAt ?? incident.startedAt;
  return { from: new Date(to.getTime() - (minutes ?? DEFAULT_CHANGE_WINDOW_MINUTES) * MS_PER_MINUTE), to };
}

/** Whether a change finished inside an incident's window (the SQL fetches exactly these). */
export function finishedInWindow(finishedAt: Date, window: { from: Date; to: Date }): boolean {
  return finishedAt.getTime() >= window.from.getTime() && finishedAt.getTime() <= window.to.getTime();
}

/** An incident has one triggering change at most, as it has one triggering cause. */
export function secondTriggerReason(current: { serviceName: string; version: string | null }): string {
  return `this incident's triggering change is already ${describeChange(current)}; mark that one contributing or unlink it first`;
}

/** `checkout-api v2.14.0`, or the service alone when the sender gave no version. */
export function describeChange(c: { serviceName: string; version: string | null }): string {
  return c.version ? `${c.serviceName} ${shortVersion(c.version)}` : c.serviceName;
}

/** A commit id reads as its first 7 characters, as git shows it; anything else as sent. */
export function shortVersion(version: string): string {
  return /^[0-9a-f]{40}$/i.test(version) ? version.slice(0, 7) : version;
}

const SOURCE_LABELS: Record<ChangeSource, string> = { github: 'GitHub', gitlab: 'GitLab', argocd: 'Argo CD', generic: 'API' };

export function changeSourceLabel(source: ChangeSource): string {
  return SOURCE_LABELS[source];
}

/**
 * The CHANGE timeline event a linked change becomes, so the postmortem's timeline shows it
 * with its link: it is the triggering cause's evidence (docs/changes.md). Names the service
 * and version, never the person who deployed it.
 */
export function changeTimelineDescription(
  role: ChangeRole,
  c: { serviceName: string; version: string | null; environment: string; status: ChangeStatus; source: ChangeSource },
): string {
  const what = role === 'TRIGGERING' ? 'Triggering change' : 'Contributing change';
  const outcome = c.status === 'succeeded' ? 'deployed' : c.status === 'failed' ? 'deploy failed' : 'deploy cancelled';
  return `${what}: ${describeChange(c)} ${outcome} to ${c.environment} (via ${changeSourceLabel(c.source)})`;
}

/**
 * A second report of one change (the same deployment id) replaces the stored one only when it
 * finished later: a deployment re-run after a failure. A replay or a redelivery, or an older
 * report arriving late, changes nothing.
 */
export function isNewerReport(stored: { finishedAt: Date }, incoming: { finishedAt: Date }): boolean {
  return incoming.finishedAt.getTime() > stored.finishedAt.getTime();
}
