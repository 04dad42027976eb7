import { Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { literalTargetRefusal } from '@hindsight/domain';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { OutboundGuard } from './outbound.guard';

/** One guard per process: its keep-alive connections are shared by every sender. */
@Injectable()
export class ProcessOutboundGuard extends OutboundGuard implements OnModuleDestroy {
  constructor(config: ResolvedConfig) {
    super(config.outbound, (host) => lookup(host, { all: true, verbatim: true }));
    // An SMTP relay on a private address worked before the guard: say at start what to set.
    const smtpHost = config.smtpUrl ? new URL(config.smtpUrl).hostname : null;
    const refused = smtpHost ? literalTargetRefusal(config.outbound, smtpHost) : null;
    if (refused) new Logger('OutboundGuard').warn(`SMTP_URL: ${refused}; emails will fail until it is allowed`);
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
