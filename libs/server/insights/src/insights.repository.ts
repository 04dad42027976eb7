import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectDataSource, onPrimary, queryRows } from '@hindsight/server-db';
import { doraRows, type DoraRows } from './dora.sql';
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
   * to the rollups after its write (insight_facts_catch_up): when the snapshot holds one not
   * applied yet, it is applied and the report read again, so it stays exact. A replica is
   * read-only, so then the primary applies it and answers.
   */
  async reliabilityReport(scope: ReportScope, now: Date, hourlyRate: number): Promise<ReportRows & { dora: DoraRows }> {
    const rows = await this.snapshot(scope, now, hourlyRate, true);
    if (rows) return rows;
    return onPrimary(async () => {
      for (let attempt = 1; ; attempt++) {
        await this.catchUp(true);
        const again = await this.snapshot(scope, now, hourlyRate, attempt < CATCH_UP_ATTEMPTS);
        if (again) return again;
      }
    });
  }

  /** The rows, or null when `refusePending` and a recorded revenue change is not applied yet. */
  private snapshot(scope: ReportScope, now: Date, hourlyRate: number, refusePending: boolean): Promise<(ReportRows & { dora: DoraRows }) | null> {
    return this.ds.transaction('REPEATABLE READ', async (em) => {
      await em.query(REPORT_SETTINGS);
      if (refusePending) {
        const [{ pending }] = await em.query(`SELECT EXISTS (SELECT 1 FROM insight_revenue_changes) AS pending`);
        if (pending) return null;
      }
      const query = <T>(sql: string, params: unknown[]): Promise<T[]> => em.query(sql, params);
      const rows = await reliabilityReportRows(query, scope, now, hourlyRate);
      return { ...rows, dora: await doraRows(query, scope) };
    });
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

  /** The DORA rows of a scope alone (the review's baseline periods), in one statement. */
  doraRows(scope: ReportScope): Promise<DoraRows> {
    return doraRows(<T>(sql: string, params: unknown[]): Promise<T[]> => this.ds.query(sql, params), scope);
  }

  async teamExists(id: string): Promise<boolean> {
    return (await queryRows(this.ds, `SELECT 1 FROM teams WHERE id = $1`, [id])).length > 0;
  }

  async serviceExists(id: string): Promise<boolean> {
    return (await queryRows(this.ds, `SELECT 1 FROM services WHERE id = $1`, [id])).length > 0;
  }
}
