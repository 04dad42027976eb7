import { PostmortemStatus, ReviewVerdict } from '../enums/contract.enums';
import { FieldError } from '../validation/fields.validation';

/*
 * The postmortem workflow, DRAFT → IN_REVIEW → PUBLISHED, as an SRE team runs it:
 * - DRAFT → IN_REVIEW by requesting review from named reviewers. Content need not be
 *   complete yet; early review is encouraged and the publish gate checks content.
 * - While IN_REVIEW the authors keep editing. A reviewer's CHANGES_REQUESTED does not send
 *   the postmortem back to DRAFT (that would drop the reviewer list and restart the
 *   process): it stays IN_REVIEW and publishing is blocked until that reviewer approves.
 *   Edits do not dismiss approvals; to ask someone to look again, request their review
 *   again, which resets their verdict to PENDING.
 * - IN_REVIEW → DRAFT (withdrawing the review) resets every verdict to PENDING.
 * - IN_REVIEW → PUBLISHED only when publishBlockers is empty. DRAFT never publishes directly.
 * - PUBLISHED is final: there is no unpublishing. Edits remain possible as amendments (new
 *   evidence turns up weeks later) and keep the status PUBLISHED; the revision history and
 *   audit log keep every version, and publishedAt stays the first publication. Re-review
 *   is not forced, so that correcting a typo does not pull the document out of circulation.
 * - The postmortem chase runs until PUBLISHED.
 */

export const POSTMORTEM_TRANSITIONS: Readonly<Record<PostmortemStatus, readonly PostmortemStatus[]>> = {
  DRAFT: ['IN_REVIEW'],
  IN_REVIEW: ['DRAFT', 'PUBLISHED'],
  PUBLISHED: [],
};

export function canTransitionPostmortem(from: PostmortemStatus, to: PostmortemStatus): boolean {
  return POSTMORTEM_TRANSITIONS[from].includes(to);
}

/** Content edits never change the status (see the workflow above). */
export function statusAfterEdit(status: PostmortemStatus): PostmortemStatus {
  return status;
}

export interface ReviewState {
  readonly reviewerId: string;
  readonly verdict: ReviewVerdict;
}

export function validateReviewRequest(status: PostmortemStatus, reviewerIds: readonly string[]): FieldError[] {
  if (status === 'PUBLISHED') return [{ field: 'incidentId', reason: 'the postmortem is already published' }];
  if (reviewerIds.length === 0) return [{ field: 'reviewerIds', reason: 'name at least one reviewer' }];
  return [];
}

/**
 * The reviews after a review request: requested reviewers are added, or reset to PENDING if
 * already listed (an explicit "please look again"); reviewers not named keep their
 * verdict. Duplicates in the request are ignored. Order: existing first, then new ones.
 */
export function applyReviewRequest(reviews: readonly ReviewState[], reviewerIds: readonly string[]): ReviewState[] {
  const requested = new Set(reviewerIds);
  const next: ReviewState[] = reviews.map((r) => (requested.has(r.reviewerId) ? { reviewerId: r.reviewerId, verdict: 'PENDING' } : r));
  const listed = new Set(reviews.map((r) => r.reviewerId));
  for (const id of requested) if (!listed.has(id)) next.push({ reviewerId: id, verdict: 'PENDING' });
  return next;
}

/** Withdrawing a review (IN_REVIEW → DRAFT) keeps the reviewers but forgets their verdicts. */
export function resetReviews(reviews: readonly ReviewState[]): ReviewState[] {
  return reviews.map((r) => ({ reviewerId: r.reviewerId, verdict: 'PENDING' }));
}

export interface VerdictCheck {
  readonly errors: FieldError[];
  /** Set when the actor is not one of the named reviewers (FORBIDDEN). */
  readonly forbidden: string | null;
}

/**
 * A verdict is APPROVED or CHANGES_REQUESTED (PENDING is the absence of one), given by a
 * named reviewer, on a postmortem IN_REVIEW. A comment is recommended with
 * CHANGES_REQUESTED but not required: the contract makes it optional.
 */
export function validateReviewVerdict(status: PostmortemStatus, verdict: ReviewVerdict, actorIsReviewer: boolean): VerdictCheck {
  const errors: FieldError[] = [];
  if (status !== 'IN_REVIEW') errors.push({ field: 'incidentId', reason: `the postmortem is ${status}; only a postmortem IN_REVIEW can be reviewed` });
  if (verdict === 'PENDING') errors.push({ field: 'verdict', reason: 'must be APPROVED or CHANGES_REQUESTED' });
  return { errors, forbidden: actorIsReviewer ? null : 'only the named reviewers may review this postmortem' };
}
