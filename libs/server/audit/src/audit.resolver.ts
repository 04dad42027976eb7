import { Args, Field, GraphQLISODateTime, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import GraphQLJSON from './json.scalar';
import { badInput, pageSize } from '@hindsight/server-common';
import { RequireRole } from '@hindsight/server-graphql';
import { AuditService } from './audit.service';

@ObjectType('AuditEntry')
export class AuditEntryType {
  @Field(() => ID) id!: string;
  @Field(() => ID, { nullable: true }) actorId!: string | null;
  @Field() action!: string;
  @Field() entityType!: string;
  @Field() entityId!: string;
  @Field(() => GraphQLJSON, { nullable: true }) before!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) after!: unknown;
  @Field(() => GraphQLISODateTime) at!: Date;
}

@Resolver(() => AuditEntryType)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @RequireRole('ADMIN')
  @Query(() => [AuditEntryType], { description: 'The audit log, newest first (ADMIN). Page with beforeId = the last id seen.' })
  auditLog(
    @Args('entityType', { nullable: true }) entityType?: string,
    @Args('entityId', { nullable: true }) entityId?: string,
    @Args('beforeId', { type: () => ID, nullable: true }) beforeId?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
  ): Promise<AuditEntryType[]> {
    // Entry ids are bigint: anything else would fail in SQL as an internal error.
    if (beforeId != null && !/^\d{1,18}$/.test(beforeId)) throw badInput('beforeId', 'must be the id of an entry from an earlier page');
    return this.audit.list({ entityType, entityId, beforeId, limit: pageSize(first) });
  }
}
