import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ChannelKind } from '@hindsight/domain';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { OutboundGuard } from '@hindsight/server-outbound';
import { ChannelAdapter, ChannelAdapters, DeliveryError } from './channel.adapter';
import { EmailChannel } from './email/email.channel';
import { SlackChannel } from './slack/slack.channel';
import { SlackAppLink } from './slack/slack-app.port';
import { TeamsChannel } from './teams/teams.channel';
import { WebhookChannel } from './webhook/webhook.channel';

/**
 * The one map of channel kinds to their adapters. Its type lists every ChannelKind, so a kind
 * added to the enum does not compile until its adapter is registered here.
 */
@Injectable()
export class ChannelRegistry implements OnModuleDestroy {
  private readonly adapters: ChannelAdapters;

  constructor(
    /** Its keep-alive agents and SMTP sockets carry every message: receivers inside the network are refused at connect. */
    guard: OutboundGuard,
    @Inject(CONFIG) config: ResolvedConfig,
    slackApp: SlackAppLink,
  ) {
    this.adapters = {
      EMAIL: new EmailChannel(guard, config),
      SLACK: new SlackChannel(guard, slackApp),
      WEBHOOK: new WebhookChannel(guard),
      TEAMS: new TeamsChannel(guard),
    };
  }

  of<K extends ChannelKind>(kind: K): ChannelAdapter<K> {
    const adapter = (this.adapters as Partial<ChannelAdapters>)[kind];
    if (!adapter) throw new DeliveryError(`unknown channel kind ${String(kind)}`, true);
    return adapter as ChannelAdapter<K>;
  }

  onModuleDestroy(): void {
    for (const adapter of Object.values(this.adapters)) adapter.close?.();
  }
}
