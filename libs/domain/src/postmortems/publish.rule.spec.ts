import { ReviewVerdict } from '../enums/contract.enums';
import { canPublish, PublishablePostmortem, PublishContext, publishBlockers } from './publish.rule';

const complete: PublishablePostmortem = { status: 'IN_REVIEW', summary: 'Checkout failed for 30 min', impact: '12% of orders', triggeringCause: 'A config push' };
const reviews = (...verdicts: ReviewVerdict[]) => verdicts.map((verdict) => ({ verdict }));
const ready: PublishContext = { factorCount: 2, hasTriggerFactor: false, actionItemCount: 1, reviews: reviews('APPROVED', 'APPROVED') };

describe('publishBlockers (PRODUCT.md 2, step 5)', () => {
  it('nothing blocks a complete, approved postmortem', () => {
    expect(publishBlockers(complete, ready)).toEqual([]);
    expect(canPublish(complete, ready)).toBe(true);
  });

  it('lists every missing piece, in reading order', () => {
    const blockers = publishBlockers({ status: 'IN_REVIEW' }, { factorCount: 0, hasTriggerFactor: false, actionItemCount: 0, reviews: reviews('APPROVED') });
    expect(blockers).toEqual([
      'Write the summary.',
      'Describe the impact.',
      expect.stringContaining('triggering cause'),
      'Add at least one contributing factor.',
      'Add at least one action item, or record why no action is needed.',
    ]);
    expect(canPublish({ status: 'IN_REVIEW' }, ready)).toBe(false);
  });

  it('a near miss has the lighter template: no impact section, no action item required', () => {
    const blockers = publishBlockers({ status: 'IN_REVIEW' }, { kind: 'NEAR_MISS', factorCount: 0, hasTriggerFactor: false, actionItemCount: 0, reviews: reviews('APPROVED') });
    expect(blockers).toEqual(['Write the summary.', expect.stringContaining('triggering cause'), 'Add at least one contributing factor.']);
    expect(publishBlockers({ ...complete, impact: null }, { ...ready, kind: 'NEAR_MISS', actionItemCount: 0 })).toEqual([]);
  });

  it('blank sections count as missing', () => {
    expect(publishBlockers({ ...complete, summary: '  ', impact: '\n' }, ready)).toEqual(['Write the summary.', 'Describe the impact.']);
  });

  it('the triggering cause may come from the section or from a trigger factor; "unknown" is an answer', () => {
    expect(publishBlockers({ ...complete, triggeringCause: null }, { ...ready, hasTriggerFactor: true })).toEqual([]);
    expect(publishBlockers({ ...complete, triggeringCause: 'Unknown — still investigating' }, ready)).toEqual([]);
    expect(publishBlockers({ ...complete, triggeringCause: '' }, ready)).toHaveLength(1);
  });

  it('an explicit "no action needed" reason replaces action items', () => {
    expect(publishBlockers(complete, { ...ready, actionItemCount: 0, noActionNeededReason: 'Vendor bug, fixed upstream' })).toEqual([]);
    expect(publishBlockers(complete, { ...ready, actionItemCount: 0, noActionNeededReason: ' ' })).toHaveLength(1);
  });

  it('needs at least one reviewer and a requested review', () => {
    expect(publishBlockers(complete, { ...ready, reviews: [] })).toEqual(['Request a review: publishing needs the approval of at least one named reviewer.']);
    expect(publishBlockers({ ...complete, status: 'DRAFT' }, ready)).toEqual(['Request a review: publishing needs the approval of at least one named reviewer.']);
  });

  it('every reviewer must approve', () => {
    expect(publishBlockers(complete, { ...ready, reviews: reviews('APPROVED', 'PENDING', 'PENDING') })).toEqual(['Waiting for approval from 2 of 3 reviewers.']);
    expect(publishBlockers(complete, { ...ready, reviews: reviews('CHANGES_REQUESTED') })).toEqual(['1 of 1 reviewer requested changes; address them and ask for approval again.']);
    expect(publishBlockers(complete, { ...ready, reviews: reviews('CHANGES_REQUESTED', 'PENDING', 'APPROVED') })).toHaveLength(2);
  });

  it('a published postmortem is not published twice', () => {
    expect(publishBlockers({ ...complete, status: 'PUBLISHED' }, ready)).toEqual(['The postmortem is already published.']);
  });
});
