import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { databaseStartupError, maskUrl, StartupError } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { createDataSource } from './data-source';
import { ReplicaReads } from './replica-reads';

export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const InjectDataSource = () => Inject(DATA_SOURCE);

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
        // Code that expects tables the database lacks fails later in confusing ways; say it now.
        if (await ds.showMigrations()) {
          await ds.destroy();
          throw new StartupError(`the database at ${maskUrl(config.databaseUrl)} has pending migrations: run \`npm run db:migrate\`, then start again.`, 'DATABASE_URL');
        }
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
