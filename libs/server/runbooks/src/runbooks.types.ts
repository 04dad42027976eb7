import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { DiffOp, RunbookVerdict } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';

const DIFF_OPS = { SAME: 'SAME', ADDED: 'ADDED', REMOVED: 'REMOVED' } as const;
registerEnumType(DIFF_OPS, { name: 'RunbookDiffOp', description: 'A line kept, added or removed between two revisions.' });

@ObjectType('Runbook', { description: 'What to do when this service fails in one way: Markdown sections, versioned, reviewed on an interval.' })
export class RunbookType {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true, description: 'What to look at first.' }) detection!: string | null;
  @Field(() => String, { nullable: true, description: 'The immediate mitigation.' }) mitigation!: string | null;
  @Field(() => String, { nullable: true, description: 'How to verify the fix.' }) verification!: string | null;
  @Field(() => String, { nullable: true, description: 'Who to call and when to escalate.' }) escalation!: string | null;
  @Field(() => String, { nullable: true, description: 'The last-resort rollback.' }) rollback!: string | null;
  @Field(() => String, { nullable: true }) pitfalls!: string | null;
  @Field(() => Int, { description: 'Bumped by every save; send it back as expectedVersion.' }) version!: number;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => Int) reviewIntervalDays!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastReviewedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { description: 'The later of the last review and the last revision, plus the interval.' }) reviewDueAt!: Date;
  /** Resolved by DataLoaders. */
  serviceId!: string;
  teamId!: string;
}

@ObjectType('RunbookRevision', { description: 'One save of a runbook: its content then, who saved it, when and why.' })
export class RunbookRevisionType {
  @Field(() => Int) version!: number;
  @Field(() => GraphQLISODateTime) editedAt!: Date;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) detection!: string | null;
  @Field(() => String, { nullable: true }) mitigation!: string | null;
  @Field(() => String, { nullable: true }) verification!: string | null;
  @Field(() => String, { nullable: true }) escalation!: string | null;
  @Field(() => String, { nullable: true }) rollback!: string | null;
  @Field(() => String, { nullable: true }) pitfalls!: string | null;
  runbookId!: string;
  editedById!: string;
}

@ObjectType('RunbookFeedback', { description: 'What a responder said a runbook did for them in an incident.' })
export class RunbookFeedbackType {
  @Field(() => ID) id!: string;
  @Field(() => GqlEnum.RunbookVerdict) verdict!: RunbookVerdict;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  runbookId!: string;
  incidentId!: string;
  authorId!: string;
}

@ObjectType('RunbookDiffLine')
export class RunbookDiffLineType {
  @Field(() => DIFF_OPS) op!: DiffOp;
  @Field() text!: string;
}

@ObjectType('RunbookSectionDiff', { description: 'The changed lines of one section (or the title) between two revisions.' })
export class RunbookSectionDiffType {
  @Field({ description: 'title, detection, mitigation, verification, escalation, rollback or pitfalls.' }) section!: string;
  @Field() heading!: string;
  @Field(() => [RunbookDiffLineType]) lines!: RunbookDiffLineType[];
}

@InputType('RunbookInput', { description: 'Only the fields sent change; null clears a section. Sections are Markdown.' })
export class RunbookInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) detection?: string | null;
  @Field(() => String, { nullable: true }) mitigation?: string | null;
  @Field(() => String, { nullable: true }) verification?: string | null;
  @Field(() => String, { nullable: true }) escalation?: string | null;
  @Field(() => String, { nullable: true }) rollback?: string | null;
  @Field(() => String, { nullable: true }) pitfalls?: string | null;
  @Field(() => Int, { nullable: true, description: 'Days between reviews; the policy default (runbookReviewDays) when omitted at creation.' }) reviewIntervalDays?: number | null;
}

@ObjectType('RunbookVerdictCount')
export class RunbookVerdictCountType {
  @Field(() => GqlEnum.RunbookVerdict) verdict!: RunbookVerdict;
  @Field(() => Int) count!: number;
}

@ObjectType('RunbookFigures', { description: 'Runbook coverage of the incidents in the report, feedback on them by verdict, and the runbooks stale now.' })
export class RunbookFiguresType {
  @Field(() => Int, { description: 'Incidents in the report with at least one affected service (of this team or service).' }) incidents!: number;
  @Field(() => Int, { description: 'Of those, incidents whose every affected service (of this team or service) had a runbook when the incident started.' }) coveredIncidents!: number;
  @Field(() => Float, { nullable: true, description: 'coveredIncidents ÷ incidents; null without incidents.' }) coverage!: number | null;
  @Field(() => [RunbookVerdictCountType], { description: 'Feedback recorded on the report\'s incidents, every verdict (zeros included).' }) feedback!: RunbookVerdictCountType[];
  @Field(() => Int, { description: 'Runbooks whose review is due now.' }) staleRunbooks!: number;
}

@ObjectType('RunbookTeamFigures')
export class RunbookTeamFiguresType extends RunbookFiguresType {
  teamId!: string;
}

@ObjectType('RunbookServiceFigures')
export class RunbookServiceFiguresType extends RunbookFiguresType {
  serviceId!: string;
}

@ObjectType('RunbookReport')
export class RunbookReportType extends RunbookFiguresType {
  @Field(() => [RunbookTeamFiguresType]) byTeam!: RunbookTeamFiguresType[];
  @Field(() => [RunbookServiceFiguresType]) byService!: RunbookServiceFiguresType[];
}
