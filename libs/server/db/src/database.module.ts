import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { createDataSource } from './data-source';

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
        return ds.initialize();
      },
    },
  ],
  exports: [DATA_SOURCE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
