import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectDataSource, queryRows } from '@hindsight/server-db';
import type { ReportRows } from './report.assembly';
import { reliabilityReportRows } from './report.rows';
import { REPORT_SETTINGS, type ReportScope } from './report.sql';

/** How many times a report catches up with revenue changes recorded in its snapshot before reading regardless (they keep coming). */
const CATCH_UP_ATTEMPTS = 3;

/** The reliability report's reads: its rows in one snapshot, the rollups brought up to date first, and the filter's ids. */
@Injectable()
export class InsightsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * The report's rows in one REPEATABLE READ snapshot. A service's revenue change is applied
   * to the rollups after its write (insight_facts_catch_up): when its snapshot holds one not
   * applied yet, the report applies it first and reads again, so it stays exact.
   */
  async reliabilityReport(scope: ReportScope, now: Date, hourlyRate: number): Promise<ReportRows> {
    for (let attempt = 1; ; attempt++) {
      const rows = await this.ds.transaction('REPEATABLE READ', async (em) => {
        await em.query(REPORT_SETTINGS);
        const [{ pending }] = await em.query(`SELECT EXISTS (SELECT 1 FROM insight_revenue_changes) AS pending`);
        if (pending && attempt <= CATCH_UP_ATTEMPTS) return null;
        return reliabilityReportRows((sql, params) => em.query(sql, params), scope, now, hourlyRate);
      });
      if (rows) return rows;
      await this.catchUp(true);
    }
  }

  /**
   * Applies the revenue changes recorded since the last catch-up and returns how many
   * services it repriced; `wait` for those another session is applying (a reader must), else
   * skips them (the worker's periodic catch-up).
   */
  async catchUp(wait: boolean): Promise<number> {
    const [row] = await queryRows<{ services: number }>(this.ds, `SELECT insight_facts_catch_up($1) AS services`, [wait]);
    return row?.services ?? 0;
  }

  async teamExists(id: string): Promise<boolean> {
    return (await queryRows(this.ds, `SELECT 1 FROM teams WHERE id = $1`, [id])).length > 0;
  }

  async serviceExists(id: string): Promise<boolean> {
    return (await queryRows(this.ds, `SELECT 1 FROM services WHERE id = $1`, [id])).length > 0;
  }
}
