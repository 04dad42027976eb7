import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { ActionKind, ActionStatus, Priority } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';
import { PageInfoType } from '@hindsight/server-incidents';

@ObjectType('ActionItem')
export class ActionItemType {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true, description: 'Markdown; clients render it sanitised.' }) description!: string | null;
  @Field(() => GqlEnum.ActionKind) kind!: ActionKind;
  @Field(() => GqlEnum.Priority) priority!: Priority;
  @Field(() => GqlEnum.ActionStatus) status!: ActionStatus;
  @Field(() => GraphQLISODateTime) dueAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Reminders pause until then.' }) snoozedUntil!: Date | null;
  @Field(() => String, { nullable: true }) snoozeReason!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) completedAt!: Date | null;
  @Field(() => String, { nullable: true }) completionNote!: string | null;
  @Field(() => String, { nullable: true, description: 'How we know the fix works (required to close P0/P1).' }) verification!: string | null;
  @Field(() => String, { nullable: true, description: 'Why the item was closed as WONT_DO.' }) wontDoReason!: string | null;
  @Field(() => String, { nullable: true, description: 'Link to the external tracker.' }) externalUrl!: string | null;
  @Field(() => Float, { nullable: true, description: 'RICE reach (e.g. incidents or customers a year).' }) reach!: number | null;
  @Field(() => Float, { nullable: true, description: 'RICE impact, 0.25 (minimal) to 3 (massive).' }) impact!: number | null;
  @Field(() => Float, { nullable: true, description: 'RICE confidence, 0 to 1.' }) confidence!: number | null;
  @Field(() => Float, { nullable: true, description: 'RICE effort in person-days.' }) effortDays!: number | null;
  @Field({ description: 'false: an idea, not chased or counted as overdue, until committed (owner team, priority, due date).' }) committed!: boolean;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
  // Resolved to objects by DataLoaders.
  incidentId!: string;
  ownerTeamId!: string;
  assigneeId!: string | null;
  previousAssigneeId!: string | null;
  addressesFactorId!: string | null;
  addressesSafeguardId!: string | null;
  addressesRunbookId!: string | null;
}

@ObjectType('ActionItemDueChange', { description: 'One change of an action item\'s due date: who, when, why.' })
export class ActionItemDueChangeType {
  @Field(() => GraphQLISODateTime) previousDueAt!: Date;
  @Field(() => GraphQLISODateTime) newDueAt!: Date;
  @Field() reason!: string;
  @Field(() => GraphQLISODateTime) changedAt!: Date;
  /** Resolved to `changedBy` by a DataLoader. */
  changedById!: string | null;
}

@ObjectType('ActionItemConnection')
export class ActionItemConnectionType {
  @Field(() => [ActionItemType]) nodes!: ActionItemType[];
  @Field(() => Int, { description: 'Items matching the filter, all pages together.' }) totalCount!: number;
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@InputType('ActionItemFilter', { description: 'All given criteria must hold; a list matches any of its values (an empty list matches nothing).' })
export class ActionItemFilterInput {
  @Field(() => [ID], { nullable: true }) teamIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) assigneeIds?: string[] | null;
  @Field(() => [GqlEnum.ActionStatus], { nullable: true }) statuses?: ActionStatus[] | null;
  @Field(() => [GqlEnum.Priority], { nullable: true }) priorities?: Priority[] | null;
  @Field(() => Boolean, { nullable: true, description: 'true: open and past due now; false: everything else.' }) overdue?: boolean | null;
  @Field(() => ID, { nullable: true }) incidentId?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'true: linked to a tracker issue; false: not linked.' }) trackerLinked?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'true: commitments only; false: ideas only.' }) committed?: boolean | null;
}

@InputType('CreateActionItemInput')
export class CreateActionItemInput {
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => GqlEnum.ActionKind) kind!: ActionKind;
  @Field(() => GqlEnum.Priority) priority!: Priority;
  @Field(() => ID) ownerTeamId!: string;
  @Field(() => ID, { nullable: true }) assigneeId?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Defaults from the priority policy; may lie in the past (backfill).' }) dueAt?: Date | null;
  @Field(() => ID, { nullable: true }) addressesFactorId?: string | null;
  @Field(() => ID, { nullable: true }) addressesSafeguardId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The runbook whose gap this item fixes (usually from incident feedback); a new revision of it can complete the item.' }) addressesRunbookId?: string | null;
  @Field(() => String, { nullable: true }) externalUrl?: string | null;
  @Field(() => Float, { nullable: true }) reach?: number | null;
  @Field(() => Float, { nullable: true }) impact?: number | null;
  @Field(() => Float, { nullable: true }) confidence?: number | null;
  @Field(() => Float, { nullable: true }) effortDays?: number | null;
  @Field(() => Boolean, { nullable: true, description: 'false: propose it as an idea (not chased, never overdue) until someone commits it; true when omitted.' }) committed?: boolean | null;
}

@InputType('UpdateActionItemInput', { description: 'Only the fields sent change; null clears an optional field. Deadlines change through changeActionItemDueDate.' })
export class UpdateActionItemInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => GqlEnum.ActionKind, { nullable: true }) kind?: ActionKind | null;
  @Field(() => GqlEnum.Priority, { nullable: true }) priority?: Priority | null;
  @Field(() => GqlEnum.ActionStatus, { nullable: true, description: 'DONE needs the note argument (and verification at P0/P1); WONT_DO needs reason.' })
  status?: ActionStatus | null;
  @Field(() => ID, { nullable: true }) ownerTeamId?: string | null;
  @Field(() => ID, { nullable: true }) assigneeId?: string | null;
  @Field(() => ID, { nullable: true }) addressesFactorId?: string | null;
  @Field(() => ID, { nullable: true }) addressesSafeguardId?: string | null;
  @Field(() => String, { nullable: true }) externalUrl?: string | null;
  @Field(() => Float, { nullable: true }) reach?: number | null;
  @Field(() => Float, { nullable: true }) impact?: number | null;
  @Field(() => Float, { nullable: true }) confidence?: number | null;
  @Field(() => Float, { nullable: true }) effortDays?: number | null;
}
