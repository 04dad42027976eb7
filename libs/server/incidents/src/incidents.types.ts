import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { IncidentKind, IncidentStatus, Severity, SloDimension } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';

@ObjectType('Incident')
export class IncidentType {
  @Field(() => ID) id!: string;
  @Field({ description: 'INC-<n>: sequential, never reused' }) reference!: string;
  @Field() title!: string;
  @Field(() => GqlEnum.Severity) severity!: Severity;
  @Field(() => GqlEnum.IncidentStatus) status!: IncidentStatus;
  @Field(() => String, { nullable: true, description: 'Markdown; clients render it sanitised.' }) summary!: string | null;
  @Field(() => [GqlEnum.SloDimension]) impactedDimensions!: SloDimension[];
  @Field(() => [String]) segments!: string[];
  @Field(() => [String]) regions!: string[];
  @Field(() => GraphQLISODateTime) startedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) detectedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) mitigatedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => Float, { nullable: true }) responderHours!: number | null;
  @Field(() => Float, { nullable: true }) slaCredits!: number | null;
  @Field(() => String, { nullable: true, description: 'Customer impact in words (markdown).' }) customerImpact!: string | null;
  @Field(() => Float, { nullable: true, description: 'Users affected, a whole number.' }) usersAffected!: number | null;
  @Field(() => Float, { nullable: true, description: 'Failed requests, a whole number.' }) failedRequests!: number | null;
  @Field(() => Float, { description: "Share of the affected services' traffic impacted, 0–1 (cost); 1 unless stated." }) impactFraction!: number;
  @Field(() => [String]) labels!: string[];
  @Field(() => GqlEnum.IncidentKind, { description: 'NEAR_MISS: no customer impact; analysed alike, counted apart in every figure.' }) kind!: IncidentKind;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
  /** The n of INC-<n>. */
  number!: number;
  /** Resolved to `commander` by a DataLoader. */
  commanderId!: string | null;
  /** The explicit "no action needed" reason that lets a postmortem publish without action items. */
  noActionReason!: string | null;
}

@ObjectType('PageInfo')
export class PageInfoType {
  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' }) endCursor!: string | null;
  @Field() hasNextPage!: boolean;
}

@ObjectType('IncidentConnection')
export class IncidentConnectionType {
  @Field(() => [IncidentType]) nodes!: IncidentType[];
  @Field(() => Int, { description: 'Incidents matching the filter, all pages together.' }) totalCount!: number;
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@InputType('IncidentFilter')
export class IncidentFilterInput {
  @Field(() => [GqlEnum.Severity], { nullable: true }) severities?: Severity[] | null;
  @Field(() => [GqlEnum.IncidentStatus], { nullable: true }) statuses?: IncidentStatus[] | null;
  @Field(() => [ID], { nullable: true, description: 'Incidents affecting any of these services.' }) serviceIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Incidents affecting a service owned by any of these teams.' }) teamIds?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Incidents listing this customer segment (case-insensitive).' }) segment?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'startedAt ≥ this' }) startedAfter?: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'startedAt < this' }) startedBefore?: Date | null;
  @Field(() => String, { nullable: true, description: 'Full-text search over titles, summaries and postmortem text (web-search syntax: "quoted phrase", -exclude, or); an INC-<n> reference matches that incident.' })
  search?: string | null;
}

/** What creating and updating an incident both take, optional in both; each adds the fields it treats differently. */
@InputType({ isAbstract: true })
abstract class IncidentFieldsInput {
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => [ID], { nullable: true }) serviceIds?: string[] | null;
  @Field(() => [GqlEnum.SloDimension], { nullable: true }) impactedDimensions?: SloDimension[] | null;
  @Field(() => [String], { nullable: true }) segments?: string[] | null;
  @Field(() => [String], { nullable: true }) regions?: string[] | null;
  @Field(() => ID, { nullable: true }) commanderId?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) detectedAt?: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) acknowledgedAt?: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) mitigatedAt?: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) resolvedAt?: Date | null;
  @Field(() => Float, { nullable: true }) responderHours?: number | null;
  @Field(() => Float, { nullable: true }) slaCredits?: number | null;
  @Field(() => String, { nullable: true }) customerImpact?: string | null;
  @Field(() => Float, { nullable: true }) usersAffected?: number | null;
  @Field(() => Float, { nullable: true }) failedRequests?: number | null;
  @Field(() => Float, { nullable: true, description: 'Share of the traffic impacted, 0–1; 1 when omitted.' }) impactFraction?: number | null;
  @Field(() => [String], { nullable: true }) labels?: string[] | null;
  @Field(() => GqlEnum.IncidentKind, { nullable: true, description: 'INCIDENT when omitted.' }) kind?: IncidentKind | null;
}

@InputType('CreateIncidentInput')
export class CreateIncidentInput extends IncidentFieldsInput {
  @Field() title!: string;
  @Field(() => GqlEnum.Severity) severity!: Severity;
  @Field(() => GqlEnum.IncidentStatus, { nullable: true, description: 'INVESTIGATING when omitted.' }) status?: IncidentStatus | null;
  @Field(() => GraphQLISODateTime) startedAt!: Date;
}

@InputType('UpdateIncidentInput', { description: 'Only the fields sent change; null clears an optional field.' })
export class UpdateIncidentInput extends IncidentFieldsInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => GqlEnum.Severity, { nullable: true }) severity?: Severity | null;
  @Field(() => GqlEnum.IncidentStatus, { nullable: true }) status?: IncidentStatus | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt?: Date | null;
}
