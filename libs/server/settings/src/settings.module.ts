import { Module } from '@nestjs/common';
import { AuditCoreModule } from '@hindsight/server-audit';
import { BlamelessReviewService } from './blameless-review.service';
import { PoliciesRepository } from './policies.repository';
import { PoliciesService } from './policies.service';
import { BlamelessReviewResolver, PoliciesResolver } from './settings.resolver';

/** The policies without GraphQL, for modules the worker runs too. */
@Module({
  imports: [AuditCoreModule],
  providers: [PoliciesRepository, PoliciesService],
  exports: [PoliciesService],
})
export class SettingsCoreModule {}

@Module({
  imports: [SettingsCoreModule],
  providers: [PoliciesResolver, BlamelessReviewService, BlamelessReviewResolver],
  exports: [SettingsCoreModule],
})
export class SettingsModule {}

export const SETTINGS_RESOLVERS = [PoliciesResolver, BlamelessReviewResolver];
