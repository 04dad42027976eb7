import { Module } from '@nestjs/common';
import { BlamelessReviewService } from './blameless-review.service';
import { PoliciesService } from './policies.service';
import { BlamelessReviewResolver, PoliciesResolver } from './settings.resolver';

@Module({
  providers: [PoliciesService, PoliciesResolver, BlamelessReviewService, BlamelessReviewResolver],
  exports: [PoliciesService],
})
export class SettingsModule {}

export const SETTINGS_RESOLVERS = [PoliciesResolver, BlamelessReviewResolver];
