import { Module } from '@nestjs/common';
import { ChaseRepository } from './chase.repository';
import { ChaseSweepService } from './chase-sweep.service';
import { DeliveryService } from './delivery.service';
import { DigestService } from './digest.service';

/** The chaser's data access and services, shared by the worker (processors) and the API. */
@Module({
  providers: [ChaseRepository, ChaseSweepService, DeliveryService, DigestService],
  exports: [ChaseRepository, ChaseSweepService, DeliveryService, DigestService],
})
export class ChaseCoreModule {}
