import { Args, Float, GraphQLISODateTime, ID, Info, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Authenticated, Cost, RequestContext, selectedFields } from '@hindsight/server-graphql';
import { ActionItemType } from '@hindsight/server-action-items';
import { InsightsLoaders } from './insights.loaders';
import { InsightsService } from './insights.service';
import {
  CostSavingsFilterInput, CostSavingsReportType, ErrorBudgetType, REPORT_ROW_FIELDS, ReliabilityFilterInput, ReliabilityReportScope, ReliabilityReportType, SegmentComparisonType,
} from './insights.types';

/** What a reliability report costs, as a field and as an export (GET /api/reports/reliability.*). */
export const RELIABILITY_REPORT_POINTS = 1000;

/** Leadership insights: anyone signed in may read them (PRODUCT.md 1). */
@Resolver()
export class InsightsResolver {
  constructor(private readonly insights: InsightsService) {}

  @Authenticated()
  @Query(() => ReliabilityReportType, { description: 'PRODUCT.md 5 reliability report over [from, to). Also at GET /api/reports/reliability.csv and .json.' })
  // Reads every incident of the period and its rollups: the dearest read there is.
  @Cost(RELIABILITY_REPORT_POINTS)
  reliabilityReport(@Args('filter') filter: ReliabilityFilterInput, @Info() info: GraphQLResolveInfo): Promise<ReliabilityReportType | ReliabilityReportScope> {
    // A selection of only what other libraries derive from the filter skips the incident rows.
    if (![...selectedFields(info)].some((f) => REPORT_ROW_FIELDS.has(f))) return this.insights.reportScope(filter);
    return this.insights.reliabilityReport(filter);
  }

  @Authenticated()
  @Query(() => SegmentComparisonType, { description: 'The report for one customer segment next to the same report for everyone.' })
  @Cost(2000)
  segmentComparison(@Args('filter') filter: ReliabilityFilterInput, @Args('segment') segment: string): Promise<SegmentComparisonType> {
    return this.insights.segmentComparison(filter, segment);
  }

  @Authenticated()
  @Query(() => [ErrorBudgetType], { description: 'Error budget of each SLO (of one service, or all; of one segment, or all) at `at` (default now).' })
  @Cost(200)
  errorBudgets(
    @Args('serviceId', { type: () => ID, nullable: true }) serviceId?: string | null,
    @Args('segment', { type: () => String, nullable: true }) segment?: string | null,
    @Args('at', { type: () => GraphQLISODateTime, nullable: true }) at?: Date | null,
  ): Promise<ErrorBudgetType[]> {
    return this.insights.errorBudgets(serviceId, segment, at);
  }

  @Authenticated()
  @Query(() => CostSavingsReportType, { description: 'PRODUCT.md 5 cost savings: for completed action items, incidents and cost in the addressed category and service before and after completion.' })
  @Cost(500)
  costSavings(@Args('filter') filter: CostSavingsFilterInput): Promise<CostSavingsReportType> {
    return this.insights.costSavings(filter);
  }
}

@Resolver(() => ActionItemType)
export class ActionItemRoiResolver {
  constructor(private readonly loaders: InsightsLoaders) {}

  @Authenticated()
  @ResolveField(() => Float, {
    nullable: true,
    description:
      'PRODUCT.md 5: (incidents a year sharing its factor category and service, counted over the year up to completion or now × their average cost) ÷ ' +
      '(effort in person-days × cost of a person-day). Null without an addressed factor, an effort, or any such incident.',
  })
  @Cost(5)
  roi(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<number | null> {
    return this.loaders.roi(ctx).load(item.id);
  }
}
