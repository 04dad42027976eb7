import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ResolvedConfig } from '@hindsight/server-config';
import { DatabaseModule } from '@hindsight/server-db';
import { IdentityHousekeepingModule } from '@hindsight/server-identity';
import { InsightsRollupsModule } from '@hindsight/server-insights';
import { ChaseCoreModule } from '@hindsight/server-chase';
import { SlackCoreModule } from '@hindsight/server-slack';
import { TrackersCoreModule } from '@hindsight/server-trackers';
import { ChaseProcessor } from './chase.processor';
import { DeliveryProcessor } from './delivery.processor';
import { TrackersProcessor } from './trackers.processor';
import { OutboxRelay } from './outbox.relay';
import { MaintenanceProcessor } from './maintenance.processor';
import { WorkerRedisModule } from './worker.connections';
import { WorkerHealthServer } from './worker-health.server';
import { WorkerMetrics } from './worker.metrics';

@Module({})
export class WorkerModule {
  static forRoot(config: ResolvedConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, WorkerRedisModule, ChaseCoreModule, SlackCoreModule, TrackersCoreModule, IdentityHousekeepingModule, InsightsRollupsModule],
      providers: [WorkerMetrics, MaintenanceProcessor, OutboxRelay, ChaseProcessor, DeliveryProcessor, TrackersProcessor, WorkerHealthServer],
    };
  }
}
