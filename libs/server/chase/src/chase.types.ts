import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ChannelKind, ESCALATION_STATES, EscalationState, LadderStep, NudgeActionKind, NudgeSubjectKind } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';
import type { DeliveryStatus } from './chase.repository';

export const DeliveryStatusEnum = { PENDING: 'PENDING', SENT: 'SENT', FAILED: 'FAILED', SKIPPED: 'SKIPPED' } as const satisfies Record<DeliveryStatus, DeliveryStatus>;
registerEnumType(DeliveryStatusEnum, {
  name: 'DeliveryStatus',
  description: 'PENDING: queued or being retried; SENT: accepted by the receiver; FAILED: every attempt failed (see lastError); SKIPPED: the item went quiet before it was sent.',
});

export const EscalationStateEnum = Object.fromEntries(ESCALATION_STATES.map((s) => [s, s])) as { [K in EscalationState]: K };
registerEnumType(EscalationStateEnum, {
  name: 'EscalationState',
  description:
    'SENT: someone got it; SUPERSEDED: it came due with a later step and only the most advanced was sent; PENDING: due and going out; ' +
    'UNREACHED: nobody could be addressed (see reason); FAILED: every delivery failed; SKIPPED: the subject went quiet first; SCHEDULED: the next step, not yet due.',
});

@ObjectType('EscalationStep', { description: 'One ladder step of the current due date: whom it reached, or that it reached nobody and why; or the next step and whom it will reach.' })
export class EscalationStepType {
  @Field(() => GqlEnum.LadderStep) step!: LadderStep;
  @Field(() => GraphQLISODateTime, { description: 'When it came due; for SCHEDULED, when it will go out.' }) dueAt!: Date;
  @Field(() => EscalationStateEnum) state!: EscalationState;
  @Field(() => [String], { description: 'Whom it reached (SCHEDULED: whom it will reach), by their part: "the assignee, by e-mail", "Payments\'s Slack channel “#payments”".' })
  reached!: readonly string[];
  @Field(() => String, { nullable: true, description: 'Why it reached nobody, or whom it could not reach, in plain words.' }) reason!: string | null;
  /** ADMINs only (EscalationStepsResolver): what an operator can do, and where. */
  adminHint!: string | null;
  adminPath!: string | null;
}

@ObjectType('NotificationChannel', { description: 'Where nudges and digests go. A channel without a team is a leadership channel. Its secret is never returned.' })
export class NotificationChannelType {
  @Field(() => ID) id!: string;
  @Field(() => GqlEnum.ChannelKind) kind!: ChannelKind;
  @Field() name!: string;
  @Field({
    description:
      'An email address (EMAIL), an http(s) URL (WEBHOOK), or a webhook URL with its secret part hidden: a Slack incoming webhook (SLACK: https://hooks.slack.com/services/T0/B0/****) or a Teams Workflows webhook (TEAMS: …/paths/****?****).',
  })
  target!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  /** Resolved to `team` by a DataLoader; null for leadership. */
  teamId!: string | null;
}

@InputType('NotificationChannelInput')
export class NotificationChannelInput {
  @Field(() => GqlEnum.ChannelKind) kind!: ChannelKind;
  @Field() name!: string;
  @Field({
    description:
      'An email address (EMAIL), or an http(s) URL (SLACK: the incoming-webhook URL; TEAMS: the URL of a Teams Workflows webhook, "When a Teams webhook request is received"; both kept encrypted and never shown again; WEBHOOK).',
  })
  target!: string;
  @Field(() => ID, { nullable: true, description: 'The team whose nudges and digest it receives; omit for a leadership channel.' }) teamId?: string | null;
  @Field(() => String, { nullable: true, description: 'WEBHOOK only (required, 16+ characters): the HMAC-SHA256 key of X-Hindsight-Signature. Never shown again.' })
  secret?: string | null;
}

@ObjectType('Nudge', { description: 'One reminder or escalation of a ladder step to one recipient (one delivery). Its id is the delivery id receivers see.' })
export class NudgeType {
  @Field(() => ID) id!: string;
  @Field(() => GqlEnum.LadderStep) step!: LadderStep;
  @Field(() => GqlEnum.ChannelKind, { nullable: true }) channel!: ChannelKind | null;
  @Field({ description: 'An email address, or the channel name.' }) recipient!: string;
  @Field(() => GraphQLISODateTime, { description: 'The due date the step was computed against.' }) dueAt!: Date;
  @Field(() => GraphQLISODateTime, { description: 'When it was accepted by the receiver; until then, when the step was recorded.' }) sentAt!: Date;
  @Field(() => DeliveryStatusEnum) status!: DeliveryStatus;
  @Field(() => Int, { description: 'Delivery attempts so far.' }) attempts!: number;
  /** Why the last attempt failed, or why it was skipped (NudgeActionsResolver.lastError: operator advice only for ADMINs). */
  lastError!: string | null;
  // What its answer links are built from (Nudge.actions).
  subjectKind!: NudgeSubjectKind;
  subjectId!: string;
  incidentReference!: string | null;
  unassigned!: boolean;
}

@ObjectType('NudgeAction', { description: 'One answer a nudge offers: a link under PUBLIC_URL that opens the web app on it (opening it changes nothing).' })
export class NudgeActionType {
  @Field(() => GqlEnum.NudgeActionKind) kind!: NudgeActionKind;
  @Field() url!: string;
  @Field({ description: 'The words of its button.' }) label!: string;
}
