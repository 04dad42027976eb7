import { Module, OnModuleInit } from '@nestjs/common';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { AuditCoreModule } from '@hindsight/server-audit';
import { ChaseCoreModule, SlackAppLink } from '@hindsight/server-chase';
import { SecretBoxModule } from '@hindsight/server-common';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { OutboundModule } from '@hindsight/server-outbound';
import { WorkModule } from '@hindsight/server-work';
import { SlackApi } from './slack.api';
import { SlackAppAdapter } from './slack-app.adapter';
import { SlackController } from './slack.controller';
import { SlackHousekeeping } from './slack-housekeeping.service';
import { SlackGateway } from './slack.gateway';
import { SlackHandlers } from './slack.handlers';
import { SlackPeopleService } from './slack-people.service';
import { SlackRepository } from './slack.repository';
import { SlackSettingsResolver } from './slack.resolver';
import { SlackSettingsService } from './slack-settings.service';
import { SlackImportRepository } from './slack-import.repository';
import { SlackImportResolver } from './slack-import.resolver';
import { SlackImportService } from './slack-import.service';

export const SLACK_RESOLVERS = [SlackSettingsResolver, SlackImportResolver];

/**
 * What the worker needs of the Slack app too: its credentials, the Web API client, and the
 * chaser's port plugged in, so SLACK deliveries without a webhook (DMs, channels by id) are
 * posted by the bot; and the housekeeping of its applied requests.
 */
@Module({
  imports: [AuditCoreModule, ChaseCoreModule, OutboundModule, SecretBoxModule],
  providers: [SlackRepository, SlackApi, SlackSettingsService, SlackAppAdapter, SlackHousekeeping],
  exports: [SlackRepository, SlackApi, SlackSettingsService, SlackAppAdapter, SlackHousekeeping],
})
export class SlackCoreModule implements OnModuleInit {
  constructor(
    private readonly link: SlackAppLink,
    private readonly adapter: SlackAppAdapter,
  ) {}

  onModuleInit(): void {
    this.link.use(this.adapter);
  }
}

/** The Slack app (issue 24, docs/slack.md): settings, verified requests, people matched by e-mail, the nudges' buttons. */
@Module({
  imports: [SlackCoreModule, ActionItemsModule, IdentityModule, IncidentsModule, WorkModule],
  controllers: [SlackController],
  providers: [SlackPeopleService, SlackGateway, SlackHandlers, SlackImportRepository, SlackImportService, ...SLACK_RESOLVERS],
  exports: [SlackCoreModule, SlackPeopleService],
})
export class SlackModule implements OnModuleInit {
  constructor(
    private readonly gateway: SlackGateway,
    private readonly handlers: SlackHandlers,
  ) {}

  onModuleInit(): void {
    this.gateway.use(this.handlers);
  }
}
