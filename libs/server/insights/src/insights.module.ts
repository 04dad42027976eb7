import { Module } from '@nestjs/common';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { CatalogModule } from '@hindsight/server-catalog';
import { IdentityModule } from '@hindsight/server-identity';
import { SettingsModule } from '@hindsight/server-settings';
import { InsightsLoaders } from './insights.loaders';
import { InsightsRepository } from './insights.repository';
import { ActionItemRoiResolver, InsightsResolver } from './insights.resolver';
import { InsightsService } from './insights.service';
import { ReportsController } from './reports.controller';

export const INSIGHTS_RESOLVERS = [InsightsResolver, ActionItemRoiResolver];

@Module({
  imports: [IdentityModule, CatalogModule, SettingsModule, ActionItemsModule],
  controllers: [ReportsController],
  providers: [InsightsRepository, InsightsService, InsightsLoaders, ...INSIGHTS_RESOLVERS],
  exports: [InsightsService, InsightsRepository],
})
export class InsightsModule {}
