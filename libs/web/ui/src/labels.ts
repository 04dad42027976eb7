/*
 * One label map for every enum the API returns: pages show these words, never the raw value
 * (no "DETECT" or "AVAILABILITY" on screen). A new enum value makes `labelOf` fall back to
 * sentence case, and the spec lists every enum of the schema so a missing map fails there.
 */
import type {
  ActionKind, ActionStatus, ApiTokenScope, ChangeRole, ChannelKind, EventSource, ExtensionStatus, FactorCategory, HypothesisStatus,
  IncidentStatus, LadderStep, NudgeActionKind, PostmortemStatus, Priority, ReviewVerdict, Role, RunbookVerdict, SafeguardKind,
  ServiceKind, Severity, SloDimension, TimelineEventKind, TrendInterval,
} from '@hindsight/domain';

export const LABELS = {
  ActionKind: { MITIGATE: 'Mitigate', PREVENT: 'Prevent', DETECT: 'Detect', REPAIR: 'Repair', PROCESS: 'Process' } satisfies Record<ActionKind, string>,
  ActionStatus: { OPEN: 'Open', IN_PROGRESS: 'In progress', BLOCKED: 'Blocked', DONE: 'Done', WONT_DO: "Won't do" } satisfies Record<ActionStatus, string>,
  ApiTokenScope: { READ_ONLY: 'Read only', READ_WRITE: 'Read and write', SCIM: 'SCIM only' } satisfies Record<ApiTokenScope, string>,
  ChangeDirection: { BETTER: 'Better', WORSE: 'Worse' },
  ChangeRole: { TRIGGERING: 'Triggering', CONTRIBUTING: 'Contributing' } satisfies Record<ChangeRole, string>,
  ChangeSourceKind: { GITHUB: 'GitHub', GITLAB: 'GitLab' },
  ChannelKind: { EMAIL: 'E-mail', SLACK: 'Slack', TEAMS: 'Microsoft Teams', WEBHOOK: 'Webhook' } satisfies Record<ChannelKind, string>,
  DeliveryStatus: { FAILED: 'Failed', PENDING: 'Going out', SENT: 'Sent', SKIPPED: 'Not sent' },
  EscalationState: { FAILED: 'Failed', PENDING: 'Going out', SCHEDULED: 'Next', SENT: 'Sent', SKIPPED: 'Not sent', SUPERSEDED: 'Superseded', UNREACHED: 'Reached nobody' },
  EventSource: { MANUAL: 'Written by hand', API: 'API', WEBHOOK: 'Webhook', IMPORT: 'Imported' } satisfies Record<EventSource, string>,
  ExtensionStatus: { PENDING: 'Waiting for an answer', APPROVED: 'Approved', DECLINED: 'Declined' } satisfies Record<ExtensionStatus, string>,
  FactorCategory: {
    RELEASE_REGRESSION: 'Release regression', CONFIG_CHANGE: 'Configuration change', CAPACITY: 'Capacity', BAD_DATA: 'Bad data',
    FEATURE_STORE_LAG: 'Feature store lag', DEPENDENCY_OUTAGE: 'Dependency outage', MODEL_VERSION: 'Model version', ABNORMAL_TRAFFIC: 'Abnormal traffic',
    INFRASTRUCTURE: 'Infrastructure', NETWORK: 'Network', SECURITY: 'Security', CERTIFICATE_OR_SECRET: 'Certificate or secret', PROCESS: 'Process',
    OBSERVABILITY_GAP: 'Observability gap', UNKNOWN: 'Unknown', OTHER: 'Other',
  } satisfies Record<FactorCategory, string>,
  HeadlineMetric: {
    BUDGETS_EXHAUSTED: 'Error budgets exhausted', CHANGE_FAILURE_RATE: 'Change failure rate', COST: 'Cost', DEPLOYMENTS_PER_DAY: 'Deployments per day', INCIDENTS: 'Incidents', INCIDENTS_SEV1: 'SEV1 incidents', INCIDENTS_SEV2: 'SEV2 incidents',
    INCIDENTS_SEV3: 'SEV3 incidents', INCIDENTS_SEV4: 'SEV4 incidents', OVERDUE_P0_P1: 'Overdue P0/P1 action items', POSTMORTEMS_ON_TIME_RATE: 'Postmortems on time',
    RECOVERY_MEDIAN: 'Time to recover (median)', RECOVERY_P90: 'Time to recover (p90)', REPEAT_INCIDENTS: 'Repeat incidents', TTD_MEDIAN: 'Time to detect (median)', TTD_P90: 'Time to detect (p90)', TTM_MEDIAN: 'Time to mitigate (median)',
    TTM_P90: 'Time to mitigate (p90)', TTR_MEDIAN: 'Time to resolve (median)', TTR_P90: 'Time to resolve (p90)',
  },
  HypothesisStatus: { OPEN: 'Open', CONFIRMED: 'Confirmed', REJECTED: 'Rejected' } satisfies Record<HypothesisStatus, string>,
  IncidentKind: { INCIDENT: 'Incident', NEAR_MISS: 'Near miss' },
  IncidentStatus: { INVESTIGATING: 'Investigating', IDENTIFIED: 'Identified', MITIGATED: 'Mitigated', RESOLVED: 'Resolved', CLOSED: 'Closed' } satisfies Record<IncidentStatus, string>,
  LadderStep: { DUE_SOON: 'Due soon', DUE: 'Due today', OVERDUE: 'Overdue', ESCALATED: 'Escalated to the manager', LEADERSHIP: 'Leadership digest' } satisfies Record<LadderStep, string>,
  NudgeActionKind: { OPEN: 'Opened', COMPLETE: 'Marked done', EXTEND: 'Asked for more time', SNOOZE: 'Snoozed', CLAIM: 'Took it' } satisfies Record<NudgeActionKind, string>,
  PasswordLoginMode: { ADMIN_ONLY: 'Administrators only', OFF: 'Off', ON: 'On' },
  PostmortemDraftOutcome: { DISCARDED: 'Discarded', EDITED: 'Kept after edits', KEPT: 'Kept as written' },
  PostmortemStatus: { DRAFT: 'Draft', IN_REVIEW: 'In review', PUBLISHED: 'Published' } satisfies Record<PostmortemStatus, string>,
  Priority: { P0: 'P0 (critical)', P1: 'P1 (high)', P2: 'P2 (medium)', P3: 'P3 (low)' } satisfies Record<Priority, string>,
  ReviewVerdict: { PENDING: 'Pending', APPROVED: 'Approved', CHANGES_REQUESTED: 'Changes requested' } satisfies Record<ReviewVerdict, string>,
  Role: { VIEWER: 'Viewer', COMMANDER: 'Commander', MANAGER: 'Manager', ADMIN: 'Administrator' } satisfies Record<Role, string>,
  RunbookDiffOp: { ADDED: 'Added', REMOVED: 'Removed', SAME: 'Unchanged' },
  RunbookVerdict: { HELPED: 'Helped', MISSING_STEPS: 'Missing steps', WRONG: 'Wrong', OUTDATED: 'Outdated', NOT_FOUND: 'Not found when needed', NOT_USED: 'Not used' } satisfies Record<RunbookVerdict, string>,
  SafeguardKind: {
    ALERTING: 'Alerting', CANARY: 'Canary', AUTO_ROLLBACK: 'Automatic rollback', TESTING: 'Testing', CODE_REVIEW: 'Code review', RUNBOOK: 'Runbook',
    RATE_LIMITING: 'Rate limiting', CIRCUIT_BREAKER: 'Circuit breaker', CAPACITY_PLANNING: 'Capacity planning', DATA_VALIDATION: 'Data validation',
    FEATURE_FLAG: 'Feature flag', BACKUP: 'Backup', OTHER: 'Other',
  } satisfies Record<SafeguardKind, string>,
  ServiceKind: { API: 'API', MODEL: 'Model', PIPELINE: 'Pipeline', DATASTORE: 'Data store', FEATURE_STORE: 'Feature store', FRONTEND: 'Front end', INFRASTRUCTURE: 'Infrastructure', OTHER: 'Other' } satisfies Record<ServiceKind, string>,
  SlackCredentialSource: { ENVIRONMENT: 'Environment (SLACK_BOT_TOKEN)', STORED: 'Settings' },
  Severity: { SEV1: 'SEV1', SEV2: 'SEV2', SEV3: 'SEV3', SEV4: 'SEV4' } satisfies Record<Severity, string>,
  SloDimension: { AVAILABILITY: 'Availability', LATENCY: 'Latency', FRESHNESS: 'Freshness', THROUGHPUT: 'Throughput', CORRECTNESS: 'Correctness' } satisfies Record<SloDimension, string>,
  TimelineEventKind: {
    DETECTION: 'Detection', ALERT: 'Alert', PAGE: 'Page', ESCALATION: 'Escalation', HYPOTHESIS: 'Hypothesis', DIAGNOSIS: 'Diagnosis', MITIGATION: 'Mitigation',
    COMMUNICATION: 'Communication', CHANGE: 'Change', RESOLUTION: 'Resolution', NOTE: 'Note',
  } satisfies Record<TimelineEventKind, string>,
  TrackerKind: { GITHUB: 'GitHub', GITLAB: 'GitLab', JIRA: 'Jira', LINEAR: 'Linear' },
  TrackerState: { OPEN: 'Open', CLOSED: 'Closed' },
  TrendInterval: { WEEK: 'Weekly', MONTH: 'Monthly' } satisfies Record<TrendInterval, string>,
  WorkAnswerKind: { APPROVE: 'Approve', CLAIM: 'Take it', COMPLETE: 'Done', DECLINE: 'Decline', EXTEND: 'Need more time', OPEN: 'Open', REVIEW: 'Review', WRITE: 'Write' },
  WorkKind: { ACTION_ITEM: 'Action item', EXTENSION_REQUEST: 'Extension request', INCIDENT: 'Incident', POSTMORTEM: 'Postmortem', REVIEW: 'Review' },
  WorkUrgency: {
    DUE_SOON: 'Due soon', ESCALATED: 'Escalated to you', EXTENSION_REQUESTED: 'Extension asked', OTHER: 'Open', OVERDUE: 'Overdue', OVERDUE_P0: 'Overdue P0',
    OVERDUE_P1: 'Overdue P1', POSTMORTEM_PAST_DUE: 'Postmortem past due', REVIEW_REQUESTED: 'Review requested', SNOOZED: 'Snoozed', UNCLAIMED: 'Nobody has taken it',
  },
} as const;

export type EnumName = keyof typeof LABELS;

/** An enum value as words: "FEATURE_STORE_LAG" → "Feature store lag" (for values no map names yet). */
export function humanizeEnum(value: string): string {
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The words for one enum value: labelOf('SloDimension', 'AVAILABILITY') → "Availability". */
export function labelOf<E extends EnumName>(enumName: E, value: keyof (typeof LABELS)[E] | (string & {}) | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const map = LABELS[enumName] as Record<string, string>;
  return map[value as string] ?? humanizeEnum(String(value));
}

/** Options for a <select> or picker, in the order given (the domain's arrays carry the meaningful order). */
export function enumOptions<E extends EnumName>(enumName: E, values: readonly string[]): { value: string; label: string }[] {
  return values.map((value) => ({ value, label: labelOf(enumName, value) }));
}
