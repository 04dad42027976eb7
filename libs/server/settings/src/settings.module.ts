import { Module } from '@nestjs/common';
import { PoliciesService } from './policies.service';
import { BlamelessReviewResolver, PoliciesResolver } from './settings.resolver';

@Module({
  providers: [PoliciesService, PoliciesResolver, BlamelessReviewResolver],
  exports: [PoliciesService],
})
export class SettingsModule {}

export const SETTINGS_RESOLVERS = [PoliciesResolver, BlamelessReviewResolver];
