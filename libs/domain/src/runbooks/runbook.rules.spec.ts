import { canEditRunbook, canGiveRunbookFeedback, isRunbookStale, runbookMarkdown, runbookReviewDueAt, validateRunbookInput, verdictCallsForWork } from './runbook.rules';

const at = (s: string) => new Date(s);

describe('runbookReviewDueAt', () => {
  it('counts the interval from the last revision when never reviewed', () => {
    expect(runbookReviewDueAt({ lastReviewedAt: null, updatedAt: at('2026-01-01T10:00:00Z'), reviewIntervalDays: 90 })).toEqual(at('2026-04-01T10:00:00Z'));
  });
  it('counts from a review later than the last revision', () => {
    expect(runbookReviewDueAt({ lastReviewedAt: at('2026-03-01T00:00:00Z'), updatedAt: at('2026-01-01T00:00:00Z'), reviewIntervalDays: 30 })).toEqual(at('2026-03-31T00:00:00Z'));
  });
  it('counts from a revision later than the last review (a new revision resets the clock)', () => {
    expect(runbookReviewDueAt({ lastReviewedAt: at('2026-01-01T00:00:00Z'), updatedAt: at('2026-02-01T00:00:00Z'), reviewIntervalDays: 10 })).toEqual(at('2026-02-11T00:00:00Z'));
  });
});

describe('isRunbookStale', () => {
  const due = at('2026-04-01T10:00:00Z');
  it('is fresh until the due instant, stale from it on', () => {
    expect(isRunbookStale(due, at('2026-04-01T09:59:59.999Z'))).toBe(false);
    expect(isRunbookStale(due, due)).toBe(true);
    expect(isRunbookStale(due, at('2027-01-01T00:00:00Z'))).toBe(true);
  });
});

describe('canEditRunbook', () => {
  const team = 't1';
  it.each([
    ['VIEWER', [team], false],
    ['COMMANDER', [], true],
    ['ADMIN', [], true],
    ['MANAGER', [team], true],
    ['MANAGER', ['other'], false],
  ] as const)('%s in %j → %s', (role, teamIds, allowed) => {
    expect(canEditRunbook({ id: 'u', role, teamIds }, team)).toBe(allowed);
  });
});

describe('canGiveRunbookFeedback', () => {
  it.each(['VIEWER', 'COMMANDER', 'MANAGER', 'ADMIN'] as const)('%s, in no team, may record feedback (PRODUCT.md 1)', (role) => {
    expect(canGiveRunbookFeedback({ id: 'u', role, teamIds: [] })).toBe(true);
  });
});

describe('validateRunbookInput', () => {
  it('needs a title to create, not to update', () => {
    expect(validateRunbookInput({}, 'create')).toEqual([{ field: 'input.title', reason: expect.any(String) }]);
    expect(validateRunbookInput({}, 'update')).toEqual([]);
    expect(validateRunbookInput({ title: '  ' }, 'update').map((e) => e.field)).toEqual(['input.title']);
  });
  it('bounds sections and the review interval', () => {
    const errors = validateRunbookInput({ title: 'x', mitigation: 'x'.repeat(102_401), reviewIntervalDays: 0 }, 'create');
    expect(errors.map((e) => e.field)).toEqual(['input.mitigation', 'input.reviewIntervalDays']);
    expect(validateRunbookInput({ title: 'x', reviewIntervalDays: 731 }, 'create').map((e) => e.field)).toEqual(['input.reviewIntervalDays']);
    expect(validateRunbookInput({ title: 'x', reviewIntervalDays: 1.5 }, 'create').map((e) => e.field)).toEqual(['input.reviewIntervalDays']);
  });
});

describe('verdictCallsForWork', () => {
  it('offers work for gaps, not for HELPED or NOT_USED', () => {
    expect(['HELPED', 'MISSING_STEPS', 'WRONG', 'OUTDATED', 'NOT_FOUND', 'NOT_USED'].filter((v) => verdictCallsForWork(v as never))).toEqual(['MISSING_STEPS', 'WRONG', 'OUTDATED', 'NOT_FOUND']);
  });
});

describe('runbookMarkdown', () => {
  it('writes the sections in order and leaves empty ones out', () => {
    const md = runbookMarkdown({ title: 'Queue backlog', serviceName: 'billing', version: 3, detection: 'Check lag', mitigation: null, verification: '', escalation: 'Page payments', rollback: null, pitfalls: null });
    expect(md).toBe('# Queue backlog\n\n_Service: billing · Version 3_\n\n## What to look at first\n\nCheck lag\n\n## Who to call and when to escalate\n\nPage payments\n');
  });
});
