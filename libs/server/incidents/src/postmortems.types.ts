import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { PostmortemStatus, ReviewVerdict } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';

@ObjectType('Review')
export class ReviewType {
  @Field(() => GqlEnum.ReviewVerdict) verdict!: ReviewVerdict;
  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) decidedAt!: Date | null;
  @Field(() => GraphQLISODateTime) requestedAt!: Date;
  postmortemId!: string;
  /** Resolved to `reviewer` by a DataLoader. */
  reviewerId!: string;
}

/** The written sections, as the postmortem and each of its revisions hold them. */
@ObjectType({ isAbstract: true })
abstract class PostmortemSectionsType {
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => String, { nullable: true }) impact!: string | null;
  @Field(() => String, { nullable: true }) triggeringCause!: string | null;
  @Field(() => String, { nullable: true }) whatWentWell!: string | null;
  @Field(() => String, { nullable: true }) whatWentPoorly!: string | null;
  @Field(() => String, { nullable: true }) whereWeGotLucky!: string | null;
  @Field(() => String, { nullable: true }) lessons!: string | null;
}

@ObjectType('Postmortem', { description: 'Sections are markdown; clients render them sanitised.' })
export class PostmortemType extends PostmortemSectionsType {
  @Field(() => ID) id!: string;
  @Field(() => GqlEnum.PostmortemStatus) status!: PostmortemStatus;
  @Field(() => String, { nullable: true, description: 'Why no action item is needed; lets the postmortem publish without action items.' })
  noActionReason!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Resolution + the severity policy; null while unresolved or when the severity needs no postmortem.' })
  dueAt!: Date | null;
  @Field(() => Int, { description: 'Send it back as expectedVersion with the next update.' }) version!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) publishedAt!: Date | null;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
  incidentId!: string;
  publishedById!: string | null;
}

@ObjectType('PostmortemRevision', { description: 'The postmortem as one successful update left it.' })
export class PostmortemRevisionType extends PostmortemSectionsType {
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) noActionReason!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  postmortemId!: string;
  authorId!: string | null;
}

@InputType('PostmortemInput', { description: 'Only the sections sent change; null or "" clears one.' })
export class PostmortemInput {
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => String, { nullable: true }) impact?: string | null;
  @Field(() => String, { nullable: true }) triggeringCause?: string | null;
  @Field(() => String, { nullable: true }) whatWentWell?: string | null;
  @Field(() => String, { nullable: true }) whatWentPoorly?: string | null;
  @Field(() => String, { nullable: true }) whereWeGotLucky?: string | null;
  @Field(() => String, { nullable: true }) lessons?: string | null;
  @Field(() => String, { nullable: true, description: 'The explicit "no action needed" reason (PRODUCT.md 2, step 5).' }) noActionReason?: string | null;
}

@ObjectType('PostmortemComment', { description: "A reviewer's comment on one section of the postmortem document; resolved once when dealt with." })
export class PostmortemCommentType {
  @Field(() => ID) id!: string;
  @Field({ description: 'The section of the document it is about: summary, impact, timeline, triggeringCause, contributingFactors, failedSafeguards, hypotheses, whatWentWell, whatWentPoorly, whereWeGotLucky, actionItems, runbookFeedback or lessons.' })
  section!: string;
  @Field({ description: 'Markdown; clients render it sanitised.' }) body!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) resolvedAt!: Date | null;
  postmortemId!: string;
  /** Resolved to `author` and `resolvedBy` by DataLoaders. */
  authorId!: string;
  resolvedById!: string | null;
}
