import { IncidentKind, PostmortemStatus, ReviewVerdict } from '../enums/contract.enums';
import { isBlank } from '../validation/fields.validation';

export interface PublishablePostmortem {
  readonly status: PostmortemStatus;
  readonly summary?: string | null;
  readonly impact?: string | null;
  readonly triggeringCause?: string | null;
}

export interface PublishContext {
  /** Contributing factors recorded for the incident (the trigger factor included). */
  readonly factorCount: number;
  /** A contributing factor is marked isTrigger. */
  readonly hasTriggerFactor: boolean;
  readonly actionItemCount: number;
  /** The explicit "no action needed" reason, when the team decided there is nothing to do. */
  readonly noActionNeededReason?: string | null;
  readonly reviews: readonly { readonly verdict: ReviewVerdict }[];
  /** NEAR_MISS: the lighter template (no impact section, no action item required). INCIDENT when absent. */
  readonly kind?: IncidentKind;
}

/**
 * What stops this postmortem from being published (PRODUCT.md 2, step 5); empty = it can
 * be published. Each entry is a sentence telling the author what to do. Decisions:
 * - The triggering cause is satisfied by either the triggering-cause section or a factor
 *   marked as the trigger; "unknown" written there is an acceptable answer (the spec allows
 *   "unknown until found"), an empty one is not.
 * - Publishing needs a review: at least one named reviewer, every one of them APPROVED, and
 *   the postmortem IN_REVIEW. "All reviewers approved" over an empty set would let a
 *   postmortem go out unread, which defeats the review step.
 * - A near miss (no customer impact) has a lighter template: the same analysis (summary,
 *   triggering cause, factors, review) without the impact section or a required action item —
 *   "where we got lucky" is what it records.
 * - Action items count when committed: an idea alone is not a commitment to act.
 */
export function publishBlockers(postmortem: PublishablePostmortem, ctx: PublishContext): string[] {
  if (postmortem.status === 'PUBLISHED') return ['The postmortem is already published.'];
  const blockers: string[] = [];
  if (isBlank(postmortem.summary)) blockers.push('Write the summary.');
  const nearMiss = ctx.kind === 'NEAR_MISS';
  if (!nearMiss && isBlank(postmortem.impact)) blockers.push('Describe the impact.');
  if (isBlank(postmortem.triggeringCause) && !ctx.hasTriggerFactor) {
    blockers.push('Name the triggering cause (write "unknown" if it is not found yet), or mark a contributing factor as the trigger.');
  }
  if (ctx.factorCount < 1) blockers.push('Add at least one contributing factor.');
  if (!nearMiss && ctx.actionItemCount < 1 && isBlank(ctx.noActionNeededReason)) {
    blockers.push('Add at least one action item, or record why no action is needed.');
  }
  const total = ctx.reviews.length;
  if (postmortem.status === 'DRAFT' || total === 0) {
    blockers.push('Request a review: publishing needs the approval of at least one named reviewer.');
    return blockers;
  }
  const changes = ctx.reviews.filter((r) => r.verdict === 'CHANGES_REQUESTED').length;
  const pending = ctx.reviews.filter((r) => r.verdict === 'PENDING').length;
  if (changes > 0) {
    blockers.push(`${changes} of ${total} reviewer${total === 1 ? '' : 's'} requested changes; address them and ask for approval again.`);
  }
  if (pending > 0) blockers.push(`Waiting for approval from ${pending} of ${total} reviewer${total === 1 ? '' : 's'}.`);
  return blockers;
}

export function canPublish(postmortem: PublishablePostmortem, ctx: PublishContext): boolean {
  return publishBlockers(postmortem, ctx).length === 0;
}
