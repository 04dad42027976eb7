import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { ServiceKind, SloDimension } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';

// Said on both inputs: clients still sending the old field should know where the text goes.
const LEGACY_RUNBOOK_INPUT =
  "Legacy free-text runbook (Markdown), stored as Service.runbook. Runbooks live in Service.runbooks: non-empty text sent for a service without runbooks also becomes its first runbook (titled \"<service> runbook\", the text in mitigation, revision 1 by you); once a service has runbooks only the legacy text changes. Edit runbooks with createRunbook / updateRunbook.";

@ObjectType('Service')
export class ServiceType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => GqlEnum.ServiceKind) kind!: ServiceKind;
  @Field(() => Int, { description: '1 (most critical) to 3' }) tier!: number;
  @Field(() => Float, { nullable: true, description: 'Revenue lost per minute of full outage (incident cost).' }) revenuePerMinute!: number | null;
  @Field(() => String, {
    nullable: true,
    description: "Legacy: the single free-text runbook from before Service.runbooks (Markdown; clients render it sanitised). Migration 1796055564467 copied it into each service's first runbook, and createService / updateService do the same for a service without runbooks; it is kept as written. Runbooks live in Service.runbooks.",
  })
  runbook!: string | null;
  /** Resolved to `team` by a DataLoader. */
  teamId!: string;
}

@ObjectType('Slo')
export class SloType {
  @Field(() => ID) id!: string;
  @Field(() => GqlEnum.SloDimension) dimension!: SloDimension;
  @Field(() => Float, { description: 'A fraction: 0.999 for 99.9 % (PRODUCT.md 5). Inputs may also be sent as a percentage.' }) objective!: number;
  @Field(() => Int) windowDays!: number;
  @Field(() => String, { nullable: true, description: 'Customer segment this objective applies to; null = all customers.' }) segment!: string | null;
  /** Resolved to `service` by a DataLoader. */
  serviceId!: string;
}

@InputType('CreateServiceInput')
export class CreateServiceInput {
  @Field() name!: string;
  @Field(() => GqlEnum.ServiceKind) kind!: ServiceKind;
  @Field(() => Int) tier!: number;
  @Field(() => ID) teamId!: string;
  @Field(() => Float, { nullable: true }) revenuePerMinute?: number | null;
  @Field(() => String, { nullable: true, description: LEGACY_RUNBOOK_INPUT }) runbook?: string | null;
}

@InputType('UpdateServiceInput', { description: 'Only the fields sent change; null clears revenuePerMinute or runbook.' })
export class UpdateServiceInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => GqlEnum.ServiceKind, { nullable: true }) kind?: ServiceKind | null;
  @Field(() => Int, { nullable: true }) tier?: number | null;
  @Field(() => ID, { nullable: true }) teamId?: string | null;
  @Field(() => Float, { nullable: true }) revenuePerMinute?: number | null;
  @Field(() => String, { nullable: true, description: LEGACY_RUNBOOK_INPUT }) runbook?: string | null;
}

@InputType('CreateSloInput')
export class CreateSloInput {
  @Field(() => ID) serviceId!: string;
  @Field(() => GqlEnum.SloDimension) dimension!: SloDimension;
  @Field(() => Float, { description: 'A fraction (0.999) or a percentage (99.9); stored and returned as a fraction.' }) objective!: number;
  @Field(() => Int, { nullable: true, description: 'Rolling window; 28 when omitted.' }) windowDays?: number | null;
  @Field(() => String, { nullable: true }) segment?: string | null;
}
