import { Args, Extensions, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MAX_DRIVERS } from '@hindsight/domain';
import { Authenticated, Cost, RequestContext } from '@hindsight/server-graphql';
import { CatalogLoaders, ServiceType } from '@hindsight/server-catalog';
import { IncidentLoaders, IncidentType } from '@hindsight/server-incidents';
import { ReliabilityFilterInput } from './insights.types';
import { ReviewService } from './review.service';
import { ReliabilityChangeType, ReliabilityReviewType, ServiceBudgetBurnType, ServiceCountType, ShippedOnEmptyBudgetType } from './review.types';

/** The reliability review (issue 15): anyone signed in may read it, like the report. */
@Resolver()
export class ReviewResolver {
  constructor(private readonly review: ReviewService) {}

  @Authenticated()
  @Query(() => ReliabilityReviewType, {
    description: 'The reliability review of [from, to): the report, the previous period of equal length, headline figures with their change, per-period series, what changed, the outlook and error-budget burn.',
  })
  // The report twice (this period and the one before), its series, changes and outlook.
  @Cost(2000)
  reliabilityReview(@Args('filter') filter: ReliabilityFilterInput): Promise<ReliabilityReviewType> {
    return this.review.review(filter);
  }
}

async function serviceOf(loaders: CatalogLoaders, ctx: RequestContext, id: string): Promise<ServiceType> {
  const service = await loaders.service(ctx).load(id);
  if (!service) throw new Error(`service ${id} vanished while the review was read`);
  return service;
}

@Resolver(() => ReliabilityChangeType)
export class ReliabilityChangeResolver {
  constructor(private readonly incidentLoaders: IncidentLoaders) {}

  @Authenticated()
  @Extensions({ listSize: MAX_DRIVERS })
  @ResolveField(() => [IncidentType])
  async incidents(change: ReliabilityChangeType, _args: unknown, ctx: RequestContext): Promise<IncidentType[]> {
    const rows = await this.incidentLoaders.incident(ctx).loadMany(change.incidentIds);
    // An incident deleted between the two statements is left out rather than failing the review.
    return rows.filter((r): r is IncidentType => r !== null && !(r instanceof Error));
  }
}

@Resolver(() => ServiceCountType)
export class ServiceCountResolver {
  constructor(private readonly catalog: CatalogLoaders) {}

  @Authenticated()
  @ResolveField(() => ServiceType)
  service(count: ServiceCountType, _args: unknown, ctx: RequestContext): Promise<ServiceType> {
    return serviceOf(this.catalog, ctx, count.serviceId);
  }
}

@Resolver(() => ServiceBudgetBurnType)
export class ServiceBudgetBurnResolver {
  constructor(private readonly catalog: CatalogLoaders) {}

  @Authenticated()
  @ResolveField(() => ServiceType)
  service(burn: ServiceBudgetBurnType, _args: unknown, ctx: RequestContext): Promise<ServiceType> {
    return serviceOf(this.catalog, ctx, burn.serviceId);
  }
}

@Resolver(() => ShippedOnEmptyBudgetType)
export class ShippedOnEmptyBudgetResolver {
  constructor(private readonly catalog: CatalogLoaders, private readonly incidentLoaders: IncidentLoaders) {}

  @Authenticated()
  @ResolveField(() => ServiceType)
  service(row: ShippedOnEmptyBudgetType, _args: unknown, ctx: RequestContext): Promise<ServiceType> {
    return serviceOf(this.catalog, ctx, row.serviceId);
  }

  @Authenticated()
  @ResolveField(() => IncidentType)
  async incident(row: ShippedOnEmptyBudgetType, _args: unknown, ctx: RequestContext): Promise<IncidentType> {
    const incident = await this.incidentLoaders.incident(ctx).load(row.incidentId);
    if (!incident || incident instanceof Error) throw new Error(`incident ${row.incidentId} vanished while the review was read`);
    return incident;
  }
}

export const REVIEW_RESOLVERS = [ReviewResolver, ReliabilityChangeResolver, ServiceCountResolver, ServiceBudgetBurnResolver, ShippedOnEmptyBudgetResolver];
