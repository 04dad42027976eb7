import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import type { ExtensionStatus } from '@hindsight/domain';
import { ActionItemType } from '@hindsight/server-action-items';
import { GqlEnum } from '@hindsight/server-graphql';
import { IncidentType, PostmortemType } from '@hindsight/server-incidents';

@ObjectType('DueDateExtensionRequest', { description: "A request for a later due date, decided once by the owning team's manager or an ADMIN, never by the requester." })
export class DueDateExtensionRequestType {
  @Field(() => ID) id!: string;
  @Field(() => GraphQLISODateTime, { description: 'The due date asked for.' }) until!: Date;
  @Field() reason!: string;
  @Field(() => GqlEnum.ExtensionStatus) status!: ExtensionStatus;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { description: 'The due date in force when it was asked for.' }) previousDueAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "The decider's note." }) note!: string | null;
  // Resolved to objects by DataLoaders.
  actionItemId!: string;
  requestedById!: string;
  decidedById!: string | null;
}

@ObjectType('MyWork', { description: 'What needs the signed-in person now, each list most urgent first (at most 50 rows each). Empty for VIEWERs, who never edit.' })
export class MyWorkType {
  @Field(() => [ActionItemType], { description: 'Assigned to me, open, past due.' }) overdue!: ActionItemType[];
  @Field(() => [ActionItemType], { description: 'Assigned to me, open, due within 7 days.' }) dueSoon!: ActionItemType[];
  @Field(() => [ActionItemType], { description: 'Open, nobody (active) assigned, owned by a team I belong to or manage.' }) unassignedInMyTeams!: ActionItemType[];
  @Field(() => [ActionItemType], { description: 'Teams I manage: open items that reached ESCALATED or LEADERSHIP.' }) escalatedInMyTeams!: ActionItemType[];
  @Field(() => [DueDateExtensionRequestType], { description: 'PENDING, waiting for my decision.' }) extensionRequests!: DueDateExtensionRequestType[];
  @Field(() => [PostmortemType], { description: 'Incidents I command whose postmortem is due and not published.' }) postmortemsToWrite!: PostmortemType[];
  @Field(() => [PostmortemType], { description: 'In review, my verdict PENDING.' }) reviewsRequested!: PostmortemType[];
  @Field(() => [IncidentType], { description: 'I command them, not yet resolved.' }) openIncidents!: IncidentType[];
}
