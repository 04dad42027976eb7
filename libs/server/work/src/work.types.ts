import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ExtensionStatus, LadderStep, WORK_ANSWER_KINDS, WORK_KINDS, WORK_URGENCIES, WorkAnswerKind, WorkKind, WorkUrgency } from '@hindsight/domain';
import { ActionItemRow, ActionItemType } from '@hindsight/server-action-items';
import { GqlEnum } from '@hindsight/server-graphql';
import { IncidentRow, IncidentType, PostmortemRow, PostmortemType } from '@hindsight/server-incidents';
import type { ExtensionRequestRow } from './extension-requests.repository';
import type { MyWorkSource } from './my-work.service';

const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const WorkKindEnum = asEnum(WORK_KINDS);
export const WorkUrgencyEnum = asEnum(WORK_URGENCIES);
export const WorkAnswerKindEnum = asEnum(WORK_ANSWER_KINDS);
registerEnumType(WorkKindEnum, { name: 'WorkKind', description: 'What a home entry is: an action item, an extension request to decide, a review asked of me, a postmortem to get published, an incident I command.' });
registerEnumType(WorkUrgencyEnum, {
  name: 'WorkUrgency',
  description:
    'The home urgency groups (PRODUCT.md 5), most urgent first: overdue P0, overdue P1, escalated, extension requested, overdue (P2/P3), review requested, ' +
    'postmortem past due, due within 7 days, unclaimed, the rest, snoozed.',
});
registerEnumType(WorkAnswerKindEnum, { name: 'WorkAnswerKind', description: 'An answer a home entry offers; only those the person may give.' });

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

@ObjectType('WorkAnswer', { description: 'One answer a home entry offers: its words and the web app path that gives it (opening it changes nothing until confirmed).' })
export class WorkAnswerType {
  @Field(() => WorkAnswerKindEnum) kind!: WorkAnswerKind;
  @Field() label!: string;
  @Field() path!: string;
}

@ObjectType('WorkEntry', { description: 'One thing that needs the person, with why it is there, whose it is and the answers they may give.' })
export class WorkEntryType {
  @Field(() => ID, { description: 'Unique in the queue: the kind of thing and its id (an item and a request about it are one entry).' }) id!: string;
  @Field(() => WorkKindEnum) kind!: WorkKind;
  @Field(() => WorkUrgencyEnum) urgency!: WorkUrgency;
  @Field({ description: 'Why it is here, in a few words: "overdue", "escalated to you", "extension asked", "nobody has taken it", …' }) reason!: string;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "The item's or postmortem's due date." }) dueAt!: Date | null;
  @Field(() => [WorkAnswerType]) answers!: WorkAnswerType[];
  // The rows it is about, already read (ActionItem, request, postmortem, incident), and whose it is, resolved by DataLoaders.
  actionItemRow!: ActionItemRow | null;
  requestRow!: ExtensionRequestRow | null;
  postmortemRow!: PostmortemRow | null;
  incidentRow!: IncidentRow | null;
  incidentId!: string | null;
  ownerId!: string | null;
  teamId!: string | null;
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
  /** What `queue` is built from. */
  source!: MyWorkSource;
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
