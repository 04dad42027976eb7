import { Actor, hasAtLeast } from '../identity/roles.policy';
import { checkEnum, checkText, collectErrors, FieldError } from '../validation/fields.validation';

/**
 * The postmortem as one document reads, in its fixed order (issue 23): the written sections
 * and the parts recorded elsewhere (timeline, factors, safeguards, hypotheses, action items,
 * runbook feedback). A review comment is about one of them.
 */
export const POSTMORTEM_DOCUMENT_SECTIONS = [
  'summary',
  'impact',
  'timeline',
  'triggeringCause',
  'contributingFactors',
  'failedSafeguards',
  'hypotheses',
  'whatWentWell',
  'whatWentPoorly',
  'whereWeGotLucky',
  'actionItems',
  'runbookFeedback',
  'lessons',
] as const;
export type PostmortemDocumentSection = (typeof POSTMORTEM_DOCUMENT_SECTIONS)[number];

export interface PostmortemCommentInput {
  readonly section: unknown;
  readonly body: unknown;
}

/** A section of the document, and a body that says something (at most 100 kB, like every text field). */
export function validatePostmortemComment(input: PostmortemCommentInput): FieldError[] {
  return collectErrors(checkEnum('section', POSTMORTEM_DOCUMENT_SECTIONS, input.section), checkText('body', input.body, { required: true }));
}

/** Who the actor is to this postmortem. */
export interface PostmortemCommentRelation {
  /** Named as a reviewer (any verdict, whatever the role). */
  readonly isReviewer: boolean;
  /** The incident's commander. */
  readonly isCommander: boolean;
}

/**
 * Review comments come from the people reviewing: its named reviewers (a VIEWER may be one:
 * being asked is the permission, as for the verdict), the incident's commander, and anyone
 * who edits postmortems (COMMANDER and above). Everyone else reads them.
 */
export function canCommentOnPostmortem(actor: Actor, relation: PostmortemCommentRelation): boolean {
  return hasAtLeast(actor.role, 'COMMANDER') || relation.isReviewer || relation.isCommander;
}

/**
 * Resolving says "this is dealt with": whoever may comment may resolve, and the comment's
 * author always may (a reviewer withdrawing their own point).
 */
export function canResolvePostmortemComment(actor: Actor, relation: PostmortemCommentRelation & { readonly isAuthor: boolean }): boolean {
  return relation.isAuthor || canCommentOnPostmortem(actor, relation);
}
