import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { databaseStartupError, maskUrl, StartupError } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { createDataSource } from './data-source';
import { ReplicaReads } from './replica-reads';
import { pendingFunctions } from './declared-functions';

export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const InjectDataSource = () => Inject(DATA_SOURCE);

/**
 * Code that expects tables the database lacks fails later in confusing ways, and a database
 * function the code declares differently (a metric's definition changed) would write stale
 * rollups: say so at startup, closing `ds`.
 */
export async function assertMigrated(ds: DataSource, databaseUrl: string): Promise<void> {
  const todo = (await ds.showMigrations())
    ? 'pending migrations'
    : await pendingFunctions((sql, params) => ds.query(sql, params)).then((stale) => (stale.length ? `${stale.length} database function(s) to update (${stale[0].signature}…)` : null));
  if (!todo) return;
  await ds.destroy();
  throw new StartupError(`the database at ${maskUrl(databaseUrl)} has ${todo}: run \`npm run db:migrate\`, then start again.`, 'DATABASE_URL');
}

@Global()
@Module({
  providers: [
    {
      provide: DATA_SOURCE,
      inject: [CONFIG],
      useFactory: async (config: ResolvedConfig) => {
        const ds = createDataSource({ url: config.databaseUrl, applicationName: `hindsight-${process.env['HINDSIGHT_PROCESS'] ?? 'api'}` });
        try {
          await ds.initialize();
        } catch (e) {
          throw databaseStartupError(e, config.databaseUrl);
        }
        await assertMigrated(ds, config.databaseUrl);
        return ds;
      },
    },
    {
      provide: ReplicaReads,
      inject: [DATA_SOURCE, CONFIG],
      useFactory: async (ds: DataSource, config: ResolvedConfig) => {
        const reads = new ReplicaReads(ds, config.databaseReadUrl, config.databaseReadMaxLagSeconds, `hindsight-${process.env['HINDSIGHT_PROCESS'] ?? 'api'}-reads`);
        await reads.start();
        return reads;
      },
    },
  ],
  exports: [DATA_SOURCE, ReplicaReads],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly reads: ReplicaReads,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.reads.stop();
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
