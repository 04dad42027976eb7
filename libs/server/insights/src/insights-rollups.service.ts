import { Injectable, Module } from '@nestjs/common';
import { InsightsRepository } from './insights.repository';

/**
 * The rollups' upkeep that runs outside any report: the worker applies the services' revenue
 * changes recorded since the last catch-up (a report catches up by itself meanwhile).
 */
@Injectable()
export class InsightsRollups {
  constructor(private readonly repo: InsightsRepository) {}

  /** How many services were repriced; those another session is applying are skipped. */
  catchUp(): Promise<number> {
    return this.repo.catchUp(false);
  }
}

/** The rollups' upkeep without the reports' GraphQL, for the worker. */
@Module({ providers: [InsightsRepository, InsightsRollups], exports: [InsightsRollups] })
export class InsightsRollupsModule {}
