import { Module } from '@nestjs/common';
import { BlamelessReviewService } from './blameless-review.service';
import { PoliciesRepository } from './policies.repository';
import { PoliciesService } from './policies.service';
import { BlamelessReviewResolver, PoliciesResolver } from './settings.resolver';

@Module({
  providers: [PoliciesRepository, PoliciesService, PoliciesResolver, BlamelessReviewService, BlamelessReviewResolver],
  exports: [PoliciesService],
})
export class SettingsModule {}

export const SETTINGS_RESOLVERS = [PoliciesResolver, BlamelessReviewResolver];
