import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import type { ExtensionStatus, LadderStep } from '@hindsight/domain';
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

@ObjectType('NudgeResponseStats', {
  description:
    'How one team answers reminders at one ladder step — never per person. An answer is any action on the item (an audited change, a claim, an extension request) ' +
    'by its assignee or a member or the manager of its team, at or after the nudge.',
})
export class NudgeResponseStatsType {
  @Field(() => GqlEnum.LadderStep) step!: LadderStep;
  @Field(() => Int, { description: 'Nudges sent in the period whose 2-day window is over or that were answered within it.' }) nudges!: number;
  @Field(() => Int) answeredWithinTwoDays!: number;
  @Field(() => Float, { nullable: true, description: 'answeredWithinTwoDays ÷ nudges; null when nudges = 0.' }) answeredShare!: number | null;
  @Field(() => Float, { nullable: true, description: 'Median hours from the nudge to the first answer, over the nudges answered so far.' }) medianHoursToAnswer!: number | null;
  /** Resolved to `team` by a DataLoader. */
  teamId!: string | null;
}
