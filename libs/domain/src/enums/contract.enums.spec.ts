import { CONTRACT_ENUMS, isOneOf, LADDER_STEPS, PRIORITIES, SEVERITIES } from './contract.enums';

// The enum lines of /api-contract.graphql, copied verbatim: a change there must be made here too.
const CONTRACT = `
enum Role { VIEWER COMMANDER MANAGER ADMIN }
enum Severity { SEV1 SEV2 SEV3 SEV4 }
enum IncidentStatus { INVESTIGATING IDENTIFIED MITIGATED RESOLVED CLOSED }
enum SloDimension { AVAILABILITY LATENCY FRESHNESS THROUGHPUT CORRECTNESS }
enum ServiceKind { API MODEL PIPELINE DATASTORE FEATURE_STORE FRONTEND INFRASTRUCTURE OTHER }
enum TimelineEventKind { DETECTION ALERT PAGE ESCALATION HYPOTHESIS DIAGNOSIS MITIGATION COMMUNICATION CHANGE RESOLUTION NOTE }
enum EventSource { MANUAL API WEBHOOK IMPORT }
enum HypothesisStatus { OPEN CONFIRMED REJECTED }
enum FactorCategory {
  RELEASE_REGRESSION CONFIG_CHANGE CAPACITY BAD_DATA FEATURE_STORE_LAG DEPENDENCY_OUTAGE
  MODEL_VERSION ABNORMAL_TRAFFIC INFRASTRUCTURE NETWORK SECURITY CERTIFICATE_OR_SECRET
  PROCESS OBSERVABILITY_GAP UNKNOWN OTHER
}
enum SafeguardKind {
  ALERTING CANARY AUTO_ROLLBACK TESTING CODE_REVIEW RUNBOOK RATE_LIMITING CIRCUIT_BREAKER
  CAPACITY_PLANNING DATA_VALIDATION FEATURE_FLAG BACKUP OTHER
}
enum ActionKind { MITIGATE PREVENT DETECT REPAIR PROCESS }
enum Priority { P0 P1 P2 P3 }
enum ActionStatus { OPEN IN_PROGRESS BLOCKED DONE WONT_DO }
enum PostmortemStatus { DRAFT IN_REVIEW PUBLISHED }
enum ReviewVerdict { PENDING APPROVED CHANGES_REQUESTED }
enum LadderStep { DUE_SOON DUE OVERDUE ESCALATED LEADERSHIP }
enum ChannelKind { EMAIL SLACK WEBHOOK TEAMS }
enum TrendInterval { WEEK MONTH }
enum NudgeActionKind { OPEN COMPLETE EXTEND SNOOZE CLAIM }
enum ExtensionStatus { PENDING APPROVED DECLINED }
enum RunbookVerdict { HELPED MISSING_STEPS WRONG OUTDATED NOT_FOUND NOT_USED }
enum ApiTokenScope { READ_ONLY READ_WRITE SCIM }
enum ChangeRole { TRIGGERING CONTRIBUTING }
enum IncidentKind { INCIDENT NEAR_MISS }
`;

const parsed = Object.fromEntries(
  [...CONTRACT.matchAll(/enum (\w+) \{([^}]*)\}/g)].map((m) => [m[1], m[2].trim().split(/\s+/)]),
);

describe('contract enums', () => {
  it('covers every enum of the contract, nothing more', () => {
    expect(Object.keys(CONTRACT_ENUMS).sort()).toEqual(Object.keys(parsed).sort());
  });

  it.each(Object.keys(parsed))('%s has the contract values in the contract order', (name) => {
    expect([...CONTRACT_ENUMS[name as keyof typeof CONTRACT_ENUMS]]).toEqual(parsed[name]);
  });

  it('orders severity, priority and ladder steps from most to least urgent / first to last', () => {
    expect(SEVERITIES[0]).toBe('SEV1');
    expect(PRIORITIES[0]).toBe('P0');
    expect(LADDER_STEPS).toEqual(['DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED', 'LEADERSHIP']);
  });

  it('isOneOf guards exact spellings only', () => {
    expect(isOneOf(SEVERITIES, 'SEV2')).toBe(true);
    expect(isOneOf(SEVERITIES, 'sev2')).toBe(false);
    expect(isOneOf(SEVERITIES, 'SEV5')).toBe(false);
    expect(isOneOf(SEVERITIES, 2)).toBe(false);
    expect(isOneOf(SEVERITIES, null)).toBe(false);
  });
});
