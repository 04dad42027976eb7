import { Module } from '@nestjs/common';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { AuditCoreModule } from '@hindsight/server-audit';
import { CatalogModule } from '@hindsight/server-catalog';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { InsightsModule } from '@hindsight/server-insights';
import { SettingsModule } from '@hindsight/server-settings';
import { LearningLoaders } from './learning.loaders';
import { LearningRepository } from './learning.repository';
import {
  ActionItemLearningResolver, FixOutcomeResolver, IncidentLearningResolver, LearningResolver, PostmortemLearningResolver, ReportLearningResolver,
  SimilarIncidentResolver, TeamChecklistFiguresResolver, TeamFixesHeldResolver, ThemeResolver,
} from './learning.resolver';
import { LearningService } from './learning.service';

export const LEARNING_RESOLVERS = [
  LearningResolver, IncidentLearningResolver, SimilarIncidentResolver, ActionItemLearningResolver, FixOutcomeResolver, PostmortemLearningResolver,
  ThemeResolver, ReportLearningResolver, TeamFixesHeldResolver, TeamChecklistFiguresResolver,
];

/** Learning across incidents (issue 26): similar incidents, themes, fixes that held, near misses, the review checklist. */
@Module({
  imports: [ActionItemsModule, AuditCoreModule, CatalogModule, IdentityModule, IncidentsModule, InsightsModule, SettingsModule],
  providers: [LearningRepository, LearningService, LearningLoaders, ...LEARNING_RESOLVERS],
  exports: [LearningService],
})
export class LearningModule {}
