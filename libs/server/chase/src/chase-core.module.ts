import { Module } from '@nestjs/common';
import { SecretBoxModule } from '@hindsight/server-common';
import { OutboundModule } from '@hindsight/server-outbound';
import { ChannelSecrets } from './channel-secrets.service';
import { ChannelRegistry } from './channels/channel.registry';
import { SlackAppLink } from './channels/slack/slack-app.port';
import { ChaseRepository } from './chase.repository';
import { ChaseSweepService } from './chase-sweep.service';
import { DeliveryOutbox } from './delivery-outbox.service';
import { DeliveryService } from './delivery.service';
import { DigestService } from './digest.service';

/** The chaser's data access and services, shared by the worker (processors) and the API. */
@Module({
  imports: [OutboundModule, SecretBoxModule],
  providers: [SlackAppLink, ChannelSecrets, ChannelRegistry, ChaseRepository, ChaseSweepService, DeliveryOutbox, DeliveryService, DigestService],
  exports: [OutboundModule, SlackAppLink, ChannelSecrets, ChannelRegistry, ChaseRepository, ChaseSweepService, DeliveryOutbox, DeliveryService, DigestService],
})
export class ChaseCoreModule {}
