import { POSTMORTEM_STATUSES } from '../enums/contract.enums';
import { applyReviewRequest, canTransitionPostmortem, resetReviews, statusAfterEdit, validateReviewRequest, validateReviewVerdict } from './workflow.rule';

describe('postmortem transitions', () => {
  it.each([
    ['DRAFT', 'IN_REVIEW', true],
    ['DRAFT', 'PUBLISHED', false],
    ['IN_REVIEW', 'PUBLISHED', true],
    ['IN_REVIEW', 'DRAFT', true],
    ['PUBLISHED', 'DRAFT', false],
    ['PUBLISHED', 'IN_REVIEW', false],
    ['DRAFT', 'DRAFT', false],
  ] as const)('%s → %s: %s', (from, to, allowed) => {
    expect(canTransitionPostmortem(from, to)).toBe(allowed);
  });

  it('edits never change the status, a published postmortem stays published', () => {
    for (const s of POSTMORTEM_STATUSES) expect(statusAfterEdit(s)).toBe(s);
  });
});

describe('review requests', () => {
  it('need a reviewer and an unpublished postmortem', () => {
    expect(validateReviewRequest('DRAFT', ['u1'])).toEqual([]);
    expect(validateReviewRequest('IN_REVIEW', ['u2'])).toEqual([]);
    expect(validateReviewRequest('DRAFT', [])).toEqual([{ field: 'reviewerIds', reason: 'name at least one reviewer' }]);
    expect(validateReviewRequest('PUBLISHED', ['u1'])[0].field).toBe('incidentId');
  });

  it('add new reviewers as PENDING and reset re-requested ones, keeping the others', () => {
    const current = [
      { reviewerId: 'a', verdict: 'APPROVED' as const },
      { reviewerId: 'b', verdict: 'CHANGES_REQUESTED' as const },
    ];
    expect(applyReviewRequest(current, ['b', 'c', 'c'])).toEqual([
      { reviewerId: 'a', verdict: 'APPROVED' },
      { reviewerId: 'b', verdict: 'PENDING' },
      { reviewerId: 'c', verdict: 'PENDING' },
    ]);
    expect(applyReviewRequest([], ['x'])).toEqual([{ reviewerId: 'x', verdict: 'PENDING' }]);
  });

  it('withdrawing a review forgets the verdicts', () => {
    expect(resetReviews([{ reviewerId: 'a', verdict: 'APPROVED' }])).toEqual([{ reviewerId: 'a', verdict: 'PENDING' }]);
  });
});

describe('verdicts', () => {
  it('a named reviewer approves or requests changes while IN_REVIEW', () => {
    expect(validateReviewVerdict('IN_REVIEW', 'APPROVED', true)).toEqual({ errors: [], forbidden: null });
    expect(validateReviewVerdict('IN_REVIEW', 'CHANGES_REQUESTED', true)).toEqual({ errors: [], forbidden: null });
  });

  it('PENDING is not a verdict', () => {
    expect(validateReviewVerdict('IN_REVIEW', 'PENDING', true).errors.map((e) => e.field)).toEqual(['verdict']);
  });

  it('only IN_REVIEW postmortems are reviewed', () => {
    expect(validateReviewVerdict('DRAFT', 'APPROVED', true).errors.map((e) => e.field)).toEqual(['incidentId']);
    expect(validateReviewVerdict('PUBLISHED', 'APPROVED', true).errors.map((e) => e.field)).toEqual(['incidentId']);
  });

  it('others are forbidden', () => {
    expect(validateReviewVerdict('IN_REVIEW', 'APPROVED', false).forbidden).toBe('only the named reviewers may review this postmortem');
  });
});
