import { ChannelMessage, TeamsWorkflowMessage, teamsWorkflowMessage } from '@hindsight/domain';
import { ChannelAddress, DeliveryError } from '../channel.adapter';
import { JsonPostChannel } from '../http.post';

/**
 * TEAMS: an Adaptive Card 1.5 posted to a Teams Workflows webhook (Power Automate, "When a
 * Teams webhook request is received", with "Post card in a chat or channel"), the answers as
 * Action.OpenUrl buttons. The workflow URL carries its signature (`sig=`): it is the
 * credential, kept sealed, and shown redacted.
 */
export class TeamsChannel extends JsonPostChannel<'TEAMS', TeamsWorkflowMessage> {
  readonly kind = 'TEAMS';
  readonly credential = 'URL';

  render(message: ChannelMessage): TeamsWorkflowMessage {
    return teamsWorkflowMessage(message);
  }

  send(payload: TeamsWorkflowMessage, to: ChannelAddress, deliveryId: string): Promise<void> {
    if (!to.credential) throw new DeliveryError('the TEAMS channel has no workflow URL stored: delete it and add it again', true);
    // A workflow answers 202 once it has the card; 429 with Retry-After when throttled; 400/401/404 when the URL or card is refused for good.
    return this.post(to.credential, JSON.stringify(payload), deliveryId);
  }
}
