import { Module } from '@nestjs/common';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { CatalogModule } from '@hindsight/server-catalog';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { SettingsModule } from '@hindsight/server-settings';
import { InsightsLoaders } from './insights.loaders';
import { ErrorBudgetsRepository } from './error-budgets.repository';
import { InsightsRepository } from './insights.repository';
import { ActionItemRoiResolver, InsightsResolver } from './insights.resolver';
import { InsightsService } from './insights.service';
import { ReportsController } from './reports.controller';
import { ReviewRepository } from './review.repository';
import { REVIEW_RESOLVERS } from './review.resolver';
import { ReviewService } from './review.service';
import { RoiRepository } from './roi.repository';

export const INSIGHTS_RESOLVERS = [InsightsResolver, ActionItemRoiResolver, ...REVIEW_RESOLVERS];

@Module({
  imports: [IdentityModule, CatalogModule, SettingsModule, ActionItemsModule, IncidentsModule],
  controllers: [ReportsController],
  providers: [InsightsRepository, ErrorBudgetsRepository, RoiRepository, InsightsService, InsightsLoaders, ReviewRepository, ReviewService, ...INSIGHTS_RESOLVERS],
  exports: [InsightsService, InsightsRepository],
})
export class InsightsModule {}
