import { ROLES } from '../identity/roles.policy';

/*
 * Every enum of the GraphQL contract (/api-contract.graphql), spelled the same. Each is an
 * `as const` array (iteration order is meaningful where the contract implies one: severity
 * from most to least severe, priority from most to least urgent, ladder steps in the order
 * they are reached) plus the string-literal union derived from it.
 */

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_STATUSES = ['INVESTIGATING', 'IDENTIFIED', 'MITIGATED', 'RESOLVED', 'CLOSED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const SLO_DIMENSIONS = ['AVAILABILITY', 'LATENCY', 'FRESHNESS', 'THROUGHPUT', 'CORRECTNESS'] as const;
export type SloDimension = (typeof SLO_DIMENSIONS)[number];

export const SERVICE_KINDS = ['API', 'MODEL', 'PIPELINE', 'DATASTORE', 'FEATURE_STORE', 'FRONTEND', 'INFRASTRUCTURE', 'OTHER'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const TIMELINE_EVENT_KINDS = [
  'DETECTION',
  'ALERT',
  'PAGE',
  'ESCALATION',
  'HYPOTHESIS',
  'DIAGNOSIS',
  'MITIGATION',
  'COMMUNICATION',
  'CHANGE',
  'RESOLUTION',
  'NOTE',
] as const;
export type TimelineEventKind = (typeof TIMELINE_EVENT_KINDS)[number];

export const EVENT_SOURCES = ['MANUAL', 'API', 'WEBHOOK', 'IMPORT'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const HYPOTHESIS_STATUSES = ['OPEN', 'CONFIRMED', 'REJECTED'] as const;
export type HypothesisStatus = (typeof HYPOTHESIS_STATUSES)[number];

export const FACTOR_CATEGORIES = [
  'RELEASE_REGRESSION',
  'CONFIG_CHANGE',
  'CAPACITY',
  'BAD_DATA',
  'FEATURE_STORE_LAG',
  'DEPENDENCY_OUTAGE',
  'MODEL_VERSION',
  'ABNORMAL_TRAFFIC',
  'INFRASTRUCTURE',
  'NETWORK',
  'SECURITY',
  'CERTIFICATE_OR_SECRET',
  'PROCESS',
  'OBSERVABILITY_GAP',
  'UNKNOWN',
  'OTHER',
] as const;
export type FactorCategory = (typeof FACTOR_CATEGORIES)[number];

export const SAFEGUARD_KINDS = [
  'ALERTING',
  'CANARY',
  'AUTO_ROLLBACK',
  'TESTING',
  'CODE_REVIEW',
  'RUNBOOK',
  'RATE_LIMITING',
  'CIRCUIT_BREAKER',
  'CAPACITY_PLANNING',
  'DATA_VALIDATION',
  'FEATURE_FLAG',
  'BACKUP',
  'OTHER',
] as const;
export type SafeguardKind = (typeof SAFEGUARD_KINDS)[number];

export const ACTION_KINDS = ['MITIGATE', 'PREVENT', 'DETECT', 'REPAIR', 'PROCESS'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const ACTION_STATUSES = ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'WONT_DO'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const POSTMORTEM_STATUSES = ['DRAFT', 'IN_REVIEW', 'PUBLISHED'] as const;
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

export const REVIEW_VERDICTS = ['PENDING', 'APPROVED', 'CHANGES_REQUESTED'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

export const LADDER_STEPS = ['DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED', 'LEADERSHIP'] as const;
export type LadderStep = (typeof LADDER_STEPS)[number];

export const CHANNEL_KINDS = ['EMAIL', 'SLACK', 'WEBHOOK', 'TEAMS'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const TREND_INTERVALS = ['WEEK', 'MONTH'] as const;
export type TrendInterval = (typeof TREND_INTERVALS)[number];

/** The answers a nudge offers, in the order its buttons show them. */
export const NUDGE_ACTION_KINDS = ['OPEN', 'COMPLETE', 'EXTEND', 'SNOOZE', 'CLAIM'] as const;
export type NudgeActionKind = (typeof NUDGE_ACTION_KINDS)[number];

export const EXTENSION_STATUSES = ['PENDING', 'APPROVED', 'DECLINED'] as const;
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number];

/** What a responder says a runbook did for them during an incident. */
export const RUNBOOK_VERDICTS = ['HELPED', 'MISSING_STEPS', 'WRONG', 'OUTDATED', 'NOT_FOUND', 'NOT_USED'] as const;
export type RunbookVerdict = (typeof RUNBOOK_VERDICTS)[number];

/** What an API token may do: read only, read and write (acting with its owner's role), or only SCIM provisioning. */
export const API_TOKEN_SCOPES = ['READ_ONLY', 'READ_WRITE', 'SCIM'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** What a change did in an incident (PRODUCT.md 5, "Changes and DORA"). */
export const INCIDENT_KINDS = ['INCIDENT', 'NEAR_MISS'] as const;
/** NEAR_MISS: no customer impact; analysed like an incident, counted apart (PRODUCT.md 5). */
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const CHANGE_ROLES = ['TRIGGERING', 'CONTRIBUTING'] as const;
export type ChangeRole = (typeof CHANGE_ROLES)[number];

/** Type guard for any of the arrays above (or any other readonly list of literals). */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/**
 * Contract enum name → its values, e.g. for registering GraphQL enums or for checking that
 * a database CHECK constraint lists the same values.
 */
export const CONTRACT_ENUMS = {
  Role: ROLES,
  Severity: SEVERITIES,
  IncidentStatus: INCIDENT_STATUSES,
  SloDimension: SLO_DIMENSIONS,
  ServiceKind: SERVICE_KINDS,
  TimelineEventKind: TIMELINE_EVENT_KINDS,
  EventSource: EVENT_SOURCES,
  HypothesisStatus: HYPOTHESIS_STATUSES,
  FactorCategory: FACTOR_CATEGORIES,
  SafeguardKind: SAFEGUARD_KINDS,
  ActionKind: ACTION_KINDS,
  Priority: PRIORITIES,
  ActionStatus: ACTION_STATUSES,
  PostmortemStatus: POSTMORTEM_STATUSES,
  ReviewVerdict: REVIEW_VERDICTS,
  LadderStep: LADDER_STEPS,
  ChannelKind: CHANNEL_KINDS,
  TrendInterval: TREND_INTERVALS,
  NudgeActionKind: NUDGE_ACTION_KINDS,
  ExtensionStatus: EXTENSION_STATUSES,
  RunbookVerdict: RUNBOOK_VERDICTS,
  ApiTokenScope: API_TOKEN_SCOPES,
  ChangeRole: CHANGE_ROLES,
  IncidentKind: INCIDENT_KINDS,
} as const;
export type ContractEnumName = keyof typeof CONTRACT_ENUMS;
