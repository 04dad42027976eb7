import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from '@nestjs/graphql';
import type { EventSource, FactorCategory, HypothesisStatus, SafeguardKind, TimelineEventKind } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';

@ObjectType('TimelineEvent')
export class TimelineEventType {
  @Field(() => ID) id!: string;
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => GqlEnum.TimelineEventKind) kind!: TimelineEventKind;
  @Field() description!: string;
  @Field(() => String, { nullable: true }) evidenceUrl!: string | null;
  @Field(() => GqlEnum.EventSource) source!: EventSource;
  incidentId!: string;
  /** Resolved to `author` by a DataLoader. */
  authorId!: string | null;
}

@ObjectType('Hypothesis')
export class HypothesisType {
  @Field(() => ID) id!: string;
  @Field() statement!: string;
  @Field(() => GqlEnum.HypothesisStatus) status!: HypothesisStatus;
  @Field(() => String, { nullable: true, description: 'What confirmed or rejected it.' }) evidence!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) decidedAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  incidentId!: string;
  /** Resolved to `decidedBy` by a DataLoader. */
  decidedById!: string | null;
}

@ObjectType('ContributingFactor')
export class ContributingFactorType {
  @Field(() => ID) id!: string;
  @Field(() => GqlEnum.FactorCategory) category!: FactorCategory;
  @Field() description!: string;
  @Field({ description: 'The triggering cause; at most one per incident.' }) isTrigger!: boolean;
  incidentId!: string;
}

@ObjectType('FailedSafeguard')
export class FailedSafeguardType {
  @Field(() => ID) id!: string;
  @Field(() => GqlEnum.SafeguardKind) kind!: SafeguardKind;
  @Field() expectedBehavior!: string;
  @Field() whyItFailed!: string;
  incidentId!: string;
}

@InputType('TimelineEventInput')
export class TimelineEventInput {
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => GqlEnum.TimelineEventKind) kind!: TimelineEventKind;
  @Field() description!: string;
  @Field(() => String, { nullable: true, description: 'An absolute http(s) link to a dashboard, log, trace or deploy.' }) evidenceUrl?: string | null;
}

@InputType('ContributingFactorInput')
export class ContributingFactorInput {
  @Field(() => GqlEnum.FactorCategory) category!: FactorCategory;
  @Field() description!: string;
  @Field(() => Boolean, { nullable: true, description: 'Marks the triggering cause; refused when the incident already has one.' }) isTrigger?: boolean | null;
}

@InputType('FailedSafeguardInput')
export class FailedSafeguardInput {
  @Field(() => GqlEnum.SafeguardKind) kind!: SafeguardKind;
  @Field() expectedBehavior!: string;
  @Field() whyItFailed!: string;
}

@InputType('UpdateContributingFactorInput', { description: 'Only the fields sent change. Unmark the trigger here before marking another factor.' })
export class UpdateContributingFactorInput {
  @Field(() => GqlEnum.FactorCategory, { nullable: true }) category?: FactorCategory | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Boolean, { nullable: true }) isTrigger?: boolean | null;
}

@InputType('UpdateTimelineEventInput', { description: 'Only the fields sent change; evidenceUrl: null removes the link.' })
export class UpdateTimelineEventInput {
  @Field(() => GraphQLISODateTime, { nullable: true }) occurredAt?: Date | null;
  @Field(() => GqlEnum.TimelineEventKind, { nullable: true }) kind?: TimelineEventKind | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true, description: 'An absolute http(s) link to a dashboard, log, trace or deploy.' }) evidenceUrl?: string | null;
}

@InputType('UpdateFailedSafeguardInput', { description: 'Only the fields sent change.' })
export class UpdateFailedSafeguardInput {
  @Field(() => GqlEnum.SafeguardKind, { nullable: true }) kind?: SafeguardKind | null;
  @Field(() => String, { nullable: true }) expectedBehavior?: string | null;
  @Field(() => String, { nullable: true }) whyItFailed?: string | null;
}
