import {
  HypothesisStatus,
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  FACTOR_CATEGORIES,
  SAFEGUARD_KINDS,
  SEVERITIES,
  SLO_DIMENSIONS,
  TIMELINE_EVENT_KINDS,
} from '../enums/contract.enums';
import { checkDate, checkEnum, checkHttpUrl, checkName, checkNumber, checkRequired, checkText, checkTitle, collectErrors, FieldError } from '../validation/fields.validation';
import { MILESTONES, MilestoneTimes, validateMilestoneOrder } from './milestones.rule';

/** Incident fields as they arrive in CreateIncidentInput / UpdateIncidentInput. */
export interface IncidentFields extends MilestoneTimes {
  readonly title?: string | null;
  readonly severity?: string | null;
  readonly status?: string | null;
  readonly summary?: string | null;
  readonly impactedDimensions?: readonly string[] | null;
  readonly segments?: readonly string[] | null;
  readonly regions?: readonly string[] | null;
  readonly responderHours?: number | null;
  readonly slaCredits?: number | null;
  /** PRODUCT.md 3: customer impact as free text plus optional numbers. */
  readonly customerImpact?: string | null;
  readonly usersAffected?: number | null;
  readonly failedRequests?: number | null;
  /** Share of the affected services' traffic that was impacted (cost); 1 when not stated. */
  readonly impactFraction?: number | null;
  readonly labels?: readonly string[] | null;
  /** INCIDENT unless stated; NEAR_MISS: no customer impact (PRODUCT.md 5). */
  readonly kind?: string | null;
}

/** No incident needs more than a year of responder hours; beyond that it is a typo. */
export const MAX_RESPONDER_HOURS = 8760;

/** Counts are stored as bigint; beyond 2^53 they would not survive JSON anyway. */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

// Named so as not to shadow the `labels` input field below.
function labelErrors(field: string, values: readonly string[] | null | undefined): FieldError[] {
  if (!values) return [];
  return values.flatMap((v, i) => collectErrors(checkName(`${field}.${i}`, v)));
}

/**
 * Field checks of an incident create or update. `create` requires title, severity and
 * startedAt; `update` checks only what is present, and null clears an optional field
 * (startedAt, title and severity cannot be cleared). Milestone order is checked on the
 * merge of `stored` (the incident as it is) and the input, so moving one milestone is
 * checked against the ones the input leaves alone.
 */
export function validateIncidentInput(input: IncidentFields, mode: 'create' | 'update', stored: MilestoneTimes = {}): FieldError[] {
  const creating = mode === 'create';
  const notNull = (field: string, value: unknown): FieldError | null => (!creating && value === null ? { field, reason: 'cannot be cleared' } : null);
  const merged: { [K in (typeof MILESTONES)[number]]?: Date | null } = { ...stored };
  for (const m of MILESTONES) if (input[m] !== undefined) merged[m] = input[m];
  const fieldErrors = collectErrors(
    notNull('input.title', input.title) ?? checkTitle('input.title', input.title, { required: creating }),
    notNull('input.severity', input.severity) ?? checkEnum('input.severity', SEVERITIES, input.severity, { required: creating }),
    notNull('input.status', input.status) ?? checkEnum('input.status', INCIDENT_STATUSES, input.status, { required: false }),
    checkText('input.summary', input.summary),
    (input.impactedDimensions ?? []).flatMap((d, i) => collectErrors(checkEnum(`input.impactedDimensions.${i}`, SLO_DIMENSIONS, d))),
    labelErrors('input.segments', input.segments),
    labelErrors('input.regions', input.regions),
    notNull('input.startedAt', input.startedAt) ?? checkDate('input.startedAt', input.startedAt, { required: creating }),
    MILESTONES.slice(1).flatMap((m) => collectErrors(checkDate(`input.${m}`, input[m], { required: false }))),
    checkNumber('input.responderHours', input.responderHours, { min: 0, max: MAX_RESPONDER_HOURS }),
    checkNumber('input.slaCredits', input.slaCredits, { min: 0 }),
    checkText('input.customerImpact', input.customerImpact),
    checkNumber('input.usersAffected', input.usersAffected, { min: 0, max: MAX_COUNT, integer: true }),
    checkNumber('input.failedRequests', input.failedRequests, { min: 0, max: MAX_COUNT, integer: true }),
    notNull('input.impactFraction', input.impactFraction) ?? checkNumber('input.impactFraction', input.impactFraction, { min: 0, max: 1 }),
    labelErrors('input.labels', input.labels),
    notNull('input.kind', input.kind) ?? checkEnum('input.kind', INCIDENT_KINDS, input.kind, { required: false }),
  );
  // Order is only meaningful once every date parses.
  if (fieldErrors.some((e) => MILESTONES.some((m) => e.field === `input.${m}`))) return fieldErrors;
  return collectErrors(fieldErrors, validateMilestoneOrder(merged));
}

export interface TimelineEventFields {
  readonly occurredAt?: Date | null;
  readonly kind?: string | null;
  readonly description?: string | null;
  readonly evidenceUrl?: string | null;
}

export function validateTimelineEventInput(input: TimelineEventFields): FieldError[] {
  return collectErrors(
    checkDate('input.occurredAt', input.occurredAt),
    checkEnum('input.kind', TIMELINE_EVENT_KINDS, input.kind),
    checkRequired('input.description', input.description) ?? checkText('input.description', input.description),
    checkHttpUrl('input.evidenceUrl', input.evidenceUrl),
  );
}

export interface ContributingFactorFields {
  readonly category?: string | null;
  readonly description?: string | null;
  readonly isTrigger?: boolean | null;
}

/**
 * A factor, and the "exactly one triggering cause" rule: at most one factor per incident is
 * the trigger, so marking a second one is refused (the other must be unmarked first) rather
 * than silently moving the flag.
 */
export function validateContributingFactorInput(input: ContributingFactorFields, otherTriggerExists: boolean): FieldError[] {
  return collectErrors(
    checkEnum('input.category', FACTOR_CATEGORIES, input.category),
    checkRequired('input.description', input.description) ?? checkText('input.description', input.description),
    input.isTrigger && otherTriggerExists
      ? { field: 'input.isTrigger', reason: 'this incident already has a triggering cause; unmark it first (an incident has exactly one trigger)' }
      : null,
  );
}

export interface FailedSafeguardFields {
  readonly kind?: string | null;
  readonly expectedBehavior?: string | null;
  readonly whyItFailed?: string | null;
}

export function validateFailedSafeguardInput(input: FailedSafeguardFields): FieldError[] {
  return collectErrors(
    checkEnum('input.kind', SAFEGUARD_KINDS, input.kind),
    checkRequired('input.expectedBehavior', input.expectedBehavior) ?? checkText('input.expectedBehavior', input.expectedBehavior),
    checkRequired('input.whyItFailed', input.whyItFailed) ?? checkText('input.whyItFailed', input.whyItFailed),
  );
}

/**
 * Deleting a factor or safeguard that action items address would silently unlink them (and
 * lose their ROI), so it is refused until the items point elsewhere.
 */
export function validateAnalysisDeletion(what: 'contributing factor' | 'failed safeguard', addressedBy: readonly string[]): FieldError[] {
  if (addressedBy.length === 0) return [];
  const shown = addressedBy.slice(0, 3).map((t) => `"${t}"`).join(', ');
  const more = addressedBy.length > 3 ? ` and ${addressedBy.length - 3} more` : '';
  const items = addressedBy.length === 1 ? 'action item addresses' : 'action items address';
  return [{ field: 'id', reason: `${addressedBy.length} ${items} this ${what} (${shown}${more}); point them at another one, or at none, before deleting it` }];
}

export function validateHypothesisStatement(statement: string | null | undefined): FieldError[] {
  return collectErrors(checkRequired('statement', statement) ?? checkText('statement', statement));
}

/**
 * Deciding a hypothesis: it becomes CONFIRMED or REJECTED (OPEN is where it starts, not a
 * verdict), with the evidence for the verdict — the point of recording hypotheses is not to
 * conflate correlation with causation, so a verdict without evidence is refused.
 */
export function validateHypothesisDecision(status: HypothesisStatus, evidence: string | null | undefined): FieldError[] {
  return collectErrors(
    status === 'OPEN' ? { field: 'status', reason: 'must be CONFIRMED or REJECTED: a decision closes the hypothesis' } : null,
    checkRequired('evidence', evidence) ?? checkText('evidence', evidence),
  );
}
