import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('PostmortemDuePolicy', { description: 'Days after resolution a postmortem is due, per severity; null = not required.' })
export class PostmortemDuePolicyType {
  @Field(() => Int, { nullable: true }) SEV1!: number | null;
  @Field(() => Int, { nullable: true }) SEV2!: number | null;
  @Field(() => Int, { nullable: true }) SEV3!: number | null;
  @Field(() => Int, { nullable: true }) SEV4!: number | null;
}

@ObjectType('ActionItemDuePolicy', { description: 'Days after creation a new action item is due by default, per priority.' })
export class ActionItemDuePolicyType {
  @Field(() => Int) P0!: number;
  @Field(() => Int) P1!: number;
  @Field(() => Int) P2!: number;
  @Field(() => Int) P3!: number;
}

@ObjectType('Policies', { description: 'The policies in force (PRODUCT.md 4 and 5); an ADMIN changes them with updatePolicies.' })
export class PoliciesType {
  @Field(() => PostmortemDuePolicyType) postmortemDueDays!: PostmortemDuePolicyType;
  @Field(() => ActionItemDuePolicyType) actionItemDueDays!: ActionItemDuePolicyType;
  @Field(() => Float, { description: 'Cost of one responder hour (incident cost).' }) hourlyResponderRate!: number;
  @Field(() => Float, { description: 'Fully loaded cost of one person-day (action-item ROI).' }) personDayCost!: number;
  @Field(() => Int, { description: 'Days between reviews of a new runbook unless it sets its own; a stale runbook is chased like an overdue item.' }) runbookReviewDays!: number;
  @Field(() => Int, { description: 'Days after a done action item was completed within which an incident with the same service and factor category (or safeguard kind) means its fix did not hold; younger items are too early to tell.' }) fixHoldDays!: number;
}

@InputType('PostmortemDuePolicyInput', { description: 'Omitted severities keep their value; null = no postmortem required.' })
export class PostmortemDuePolicyInput {
  @Field(() => Int, { nullable: true }) SEV1?: number | null;
  @Field(() => Int, { nullable: true }) SEV2?: number | null;
  @Field(() => Int, { nullable: true }) SEV3?: number | null;
  @Field(() => Int, { nullable: true }) SEV4?: number | null;
}

@InputType('ActionItemDuePolicyInput', { description: 'Omitted priorities keep their value.' })
export class ActionItemDuePolicyInput {
  @Field(() => Int, { nullable: true }) P0?: number | null;
  @Field(() => Int, { nullable: true }) P1?: number | null;
  @Field(() => Int, { nullable: true }) P2?: number | null;
  @Field(() => Int, { nullable: true }) P3?: number | null;
}

@InputType('PoliciesInput', { description: 'Only what is sent changes; the result must pass as a whole (e.g. P0 never later than P1).' })
export class PoliciesInput {
  @Field(() => PostmortemDuePolicyInput, { nullable: true }) postmortemDueDays?: PostmortemDuePolicyInput | null;
  @Field(() => ActionItemDuePolicyInput, { nullable: true }) actionItemDueDays?: ActionItemDuePolicyInput | null;
  @Field(() => Float, { nullable: true }) hourlyResponderRate?: number | null;
  @Field(() => Float, { nullable: true }) personDayCost?: number | null;
  @Field(() => Int, { nullable: true }) runbookReviewDays?: number | null;
  @Field(() => Int, { nullable: true }) fixHoldDays?: number | null;
}

@ObjectType('LanguageFinding', { description: 'Blame-laden phrasing, with a system-focused suggestion. Advice, not a block.' })
export class LanguageFindingType {
  @Field() phrase!: string;
  @Field(() => Int, { description: 'UTF-16 offset of the first character.' }) start!: number;
  @Field(() => Int, { description: 'UTF-16 offset after the last character.' }) end!: number;
  @Field() suggestion!: string;
  @Field({ description: 'Which rule matched, e.g. human-error, person-forgot.' }) rule!: string;
}
