import { Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { OutboundGuard } from './outbound.guard';

/** One guard per process: its keep-alive connections are shared by every sender. */
@Injectable()
export class ProcessOutboundGuard extends OutboundGuard implements OnModuleDestroy {
  constructor(config: ResolvedConfig) {
    super(config.outbound, (host) => lookup(host, { all: true, verbatim: true }));
  }

  onModuleDestroy(): void {
    this.close();
  }
}

@Module({
  providers: [{ provide: OutboundGuard, useFactory: (config: ResolvedConfig) => new ProcessOutboundGuard(config), inject: [CONFIG] }],
  exports: [OutboundGuard],
})
export class OutboundModule {}
