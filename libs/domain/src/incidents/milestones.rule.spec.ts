import { incidentDurations, validateMilestoneOrder } from './milestones.rule';

const t = (hhmm: string): Date => new Date(`2024-05-01T${hhmm}:00Z`);

describe('validateMilestoneOrder', () => {
  it('accepts ordered, equal and partial milestones', () => {
    expect(validateMilestoneOrder({ startedAt: t('10:00'), detectedAt: t('10:05'), acknowledgedAt: t('10:07'), mitigatedAt: t('10:40'), resolvedAt: t('11:00') })).toBeNull();
    expect(validateMilestoneOrder({ startedAt: t('10:00'), detectedAt: t('10:00'), acknowledgedAt: t('10:00') })).toBeNull();
    expect(validateMilestoneOrder({ startedAt: t('10:00'), resolvedAt: t('11:00') })).toBeNull();
    expect(validateMilestoneOrder({ startedAt: t('10:00'), detectedAt: null, mitigatedAt: undefined })).toBeNull();
    expect(validateMilestoneOrder({})).toBeNull();
  });

  it('names the first offending field and the milestone it precedes', () => {
    expect(validateMilestoneOrder({ startedAt: t('10:00'), detectedAt: t('11:00'), mitigatedAt: t('10:30') })).toEqual({
      field: 'input.mitigatedAt',
      reason: expect.stringMatching(/^mitigatedAt \(2024-05-01T10:30:00\.000Z\) is before detectedAt \(2024-05-01T11:00:00\.000Z\)/),
    });
  });

  it('compares with the latest earlier milestone present, skipping gaps', () => {
    const err = validateMilestoneOrder({ startedAt: t('10:00'), acknowledgedAt: t('10:20'), resolvedAt: t('10:10') });
    expect(err?.field).toBe('input.resolvedAt');
    expect(err?.reason).toContain('is before acknowledgedAt');
  });

  it('reports only the first of several problems', () => {
    const err = validateMilestoneOrder({ startedAt: t('10:00'), detectedAt: t('09:00'), resolvedAt: t('08:00') });
    expect(err?.field).toBe('input.detectedAt');
    expect(err?.reason).toContain('is before startedAt');
  });

  it('a milestone 1 ms before the previous one is refused; equal is fine', () => {
    const start = t('10:00');
    expect(validateMilestoneOrder({ startedAt: start, detectedAt: new Date(start.getTime() - 1) })?.field).toBe('input.detectedAt');
    expect(validateMilestoneOrder({ startedAt: start, detectedAt: new Date(start.getTime()) })).toBeNull();
  });

  it('reports invalid dates and honours the prefix', () => {
    expect(validateMilestoneOrder({ startedAt: t('10:00'), detectedAt: new Date('x') })).toEqual({ field: 'input.detectedAt', reason: 'detectedAt is not a valid date-time' });
    expect(validateMilestoneOrder({ startedAt: t('10:00'), detectedAt: t('09:00') }, '')?.field).toBe('detectedAt');
  });
});

describe('incidentDurations', () => {
  it('measures each milestone from startedAt in minutes', () => {
    expect(
      incidentDurations({ startedAt: t('10:00'), detectedAt: t('10:05'), acknowledgedAt: t('10:07'), mitigatedAt: new Date('2024-05-01T10:40:30Z'), resolvedAt: t('12:00') }),
    ).toEqual({ timeToDetectMinutes: 5, timeToAcknowledgeMinutes: 7, timeToMitigateMinutes: 40.5, timeToResolveMinutes: 120 });
  });

  it('is null where the milestone (or the start) is missing', () => {
    expect(incidentDurations({ startedAt: t('10:00'), resolvedAt: t('10:30') })).toEqual({
      timeToDetectMinutes: null,
      timeToAcknowledgeMinutes: null,
      timeToMitigateMinutes: null,
      timeToResolveMinutes: 30,
    });
    expect(incidentDurations({ resolvedAt: t('10:30') }).timeToResolveMinutes).toBeNull();
  });

  it('zero when the milestone equals the start', () => {
    expect(incidentDurations({ startedAt: t('10:00'), detectedAt: t('10:00') }).timeToDetectMinutes).toBe(0);
  });
});
