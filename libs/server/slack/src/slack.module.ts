import { Module, OnModuleInit } from '@nestjs/common';
import { AuditCoreModule } from '@hindsight/server-audit';
import { SecretBoxModule } from '@hindsight/server-common';
import { IdentityModule } from '@hindsight/server-identity';
import { OutboundModule } from '@hindsight/server-outbound';
import { SlackApi } from './slack.api';
import { SlackController } from './slack.controller';
import { SlackGateway } from './slack.gateway';
import { SlackHandlers } from './slack.handlers';
import { SlackPeopleService } from './slack-people.service';
import { SlackRepository } from './slack.repository';
import { SlackSettingsResolver } from './slack.resolver';
import { SlackSettingsService } from './slack-settings.service';

export const SLACK_RESOLVERS = [SlackSettingsResolver];

/** The Slack app (issue 24, docs/slack.md): settings, verified requests, people matched by e-mail. */
@Module({
  imports: [AuditCoreModule, IdentityModule, OutboundModule, SecretBoxModule],
  controllers: [SlackController],
  providers: [SlackRepository, SlackApi, SlackSettingsService, SlackPeopleService, SlackGateway, SlackHandlers, ...SLACK_RESOLVERS],
  exports: [SlackApi, SlackSettingsService, SlackPeopleService],
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
