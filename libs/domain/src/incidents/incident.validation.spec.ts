import {
  validateContributingFactorInput,
  validateFailedSafeguardInput,
  validateAnalysisDeletion,
  validateHypothesisDecision,
  validateHypothesisStatement,
  validateIncidentInput,
  validateTimelineEventInput,
} from './incident.validation';

const fields = (errors: { field: string }[]): string[] => errors.map((e) => e.field);
const t = (hhmm: string): Date => new Date(`2024-05-01T${hhmm}:00Z`);

describe('validateIncidentInput', () => {
  const ok = { title: 'Checkout 500s', severity: 'SEV2', startedAt: t('10:00'), detectedAt: t('10:05'), segments: ['enterprise'], impactedDimensions: ['AVAILABILITY'] };

  it('accepts a valid create', () => {
    expect(validateIncidentInput(ok, 'create')).toEqual([]);
  });

  it('create requires title, severity and startedAt', () => {
    expect(fields(validateIncidentInput({}, 'create'))).toEqual(['input.title', 'input.severity', 'input.startedAt']);
  });

  it('update checks only what is present and refuses clearing required fields', () => {
    expect(validateIncidentInput({ summary: 'more detail' }, 'update')).toEqual([]);
    expect(validateIncidentInput({ title: null, severity: null, startedAt: null }, 'update').map((e) => [e.field, e.reason])).toEqual([
      ['input.title', 'cannot be cleared'],
      ['input.severity', 'cannot be cleared'],
      ['input.startedAt', 'cannot be cleared'],
    ]);
    expect(validateIncidentInput({ mitigatedAt: null }, 'update', { startedAt: t('10:00'), mitigatedAt: t('10:30') })).toEqual([]);
  });

  it('checks enums, lengths, labels and numbers', () => {
    expect(
      fields(
        validateIncidentInput(
          { ...ok, title: 'x'.repeat(201), severity: 'SEV0', status: 'DONE', impactedDimensions: ['UPTIME'], segments: [''], regions: ['r'.repeat(101)], responderHours: -1, slaCredits: -5 },
          'create',
        ),
      ),
    ).toEqual(['input.title', 'input.severity', 'input.status', 'input.impactedDimensions.0', 'input.segments.0', 'input.regions.0', 'input.responderHours', 'input.slaCredits']);
  });

  it('checks customer impact, its counts, the impact fraction and labels', () => {
    expect(validateIncidentInput({ ...ok, customerImpact: 'Card payments failed', usersAffected: 1200, failedRequests: 0, impactFraction: 0.25, labels: ['payments'] }, 'create')).toEqual([]);
    expect(
      fields(
        validateIncidentInput(
          { ...ok, customerImpact: 'x'.repeat(102_401), usersAffected: -1, failedRequests: 1.5, impactFraction: 1.2, labels: [' '] },
          'create',
        ),
      ),
    ).toEqual(['input.customerImpact', 'input.usersAffected', 'input.failedRequests', 'input.impactFraction', 'input.labels.0']);
    expect(fields(validateIncidentInput({ impactFraction: null }, 'update'))).toEqual(['input.impactFraction']);
    expect(validateIncidentInput({ usersAffected: null, failedRequests: null, customerImpact: null }, 'update')).toEqual([]);
  });

  it('checks milestone order on the merge of stored values and input', () => {
    const stored = { startedAt: t('10:00'), detectedAt: t('10:05'), mitigatedAt: t('10:30') };
    expect(fields(validateIncidentInput({ resolvedAt: t('10:20') }, 'update', stored))).toEqual(['input.resolvedAt']);
    expect(validateIncidentInput({ resolvedAt: t('10:40') }, 'update', stored)).toEqual([]);
    expect(fields(validateIncidentInput({ startedAt: t('10:10') }, 'update', stored))).toEqual(['input.detectedAt']);
  });

  it('an invalid date is reported as such, not as an ordering problem', () => {
    expect(validateIncidentInput({ ...ok, resolvedAt: new Date('bad') }, 'create').map((e) => e.field)).toEqual(['input.resolvedAt']);
  });
});

describe('analysis inputs', () => {
  it('timeline events need a time, a kind, a description; evidence must be a link', () => {
    expect(validateTimelineEventInput({ occurredAt: t('10:00'), kind: 'ALERT', description: 'p99 > 2s', evidenceUrl: 'https://grafana/x' })).toEqual([]);
    expect(fields(validateTimelineEventInput({ kind: 'PING', description: ' ', evidenceUrl: 'javascript:alert(1)' }))).toEqual([
      'input.occurredAt',
      'input.kind',
      'input.description',
      'input.evidenceUrl',
    ]);
  });

  it('at most one triggering cause per incident', () => {
    const f = { category: 'CONFIG_CHANGE', description: 'flag flipped', isTrigger: true };
    expect(validateContributingFactorInput(f, false)).toEqual([]);
    expect(fields(validateContributingFactorInput(f, true))).toEqual(['input.isTrigger']);
    expect(validateContributingFactorInput({ ...f, isTrigger: false }, true)).toEqual([]);
    expect(fields(validateContributingFactorInput({ category: 'BUG', description: '' }, false))).toEqual(['input.category', 'input.description']);
  });

  it('failed safeguards say what should have happened and why it did not', () => {
    expect(validateFailedSafeguardInput({ kind: 'CANARY', expectedBehavior: 'halt rollout', whyItFailed: 'metric not wired' })).toEqual([]);
    expect(fields(validateFailedSafeguardInput({ kind: 'CANARY' }))).toEqual(['input.expectedBehavior', 'input.whyItFailed']);
  });

  it('hypotheses: a statement, and a verdict with evidence', () => {
    expect(validateHypothesisStatement('the cache is cold')).toEqual([]);
    expect(fields(validateHypothesisStatement('  '))).toEqual(['statement']);
    expect(validateHypothesisDecision('CONFIRMED', 'hit ratio dropped to 3% at 10:02')).toEqual([]);
    expect(fields(validateHypothesisDecision('REJECTED', ''))).toEqual(['evidence']);
    expect(fields(validateHypothesisDecision('OPEN', 'x'))).toEqual(['status']);
  });
});

describe('validateAnalysisDeletion', () => {
  it('allows deleting what no action item addresses', () => {
    expect(validateAnalysisDeletion('contributing factor', [])).toEqual([]);
  });

  it('refuses while items address it, naming up to three and counting the rest', () => {
    const [one] = validateAnalysisDeletion('failed safeguard', ['Add a canary']);
    expect(one).toEqual({ field: 'id', reason: expect.stringContaining('1 action item addresses this failed safeguard ("Add a canary")') });
    const [many] = validateAnalysisDeletion('contributing factor', ['a', 'b', 'c', 'd', 'e']);
    expect(many.reason).toContain('5 action items address this contributing factor ("a", "b", "c" and 2 more)');
    expect(many.reason).toMatch(/point them at another one, or at none, before deleting it/);
  });
});
