import { Injectable } from '@nestjs/common';
import type { SlackContext, SlackRequestHandler } from './slack.gateway';
import type { InteractionPayload, SlashCommand } from './slack.payloads';

export const SLACK_HELP = [
  '*/hindsight* — Hindsight from Slack (only you see the answers):',
  '• `/hindsight mine` — what needs you now, as on the home page',
  '• `/hindsight item <id>` — an action item',
  '• `/hindsight incident <INC-123>` — an incident',
  '• `/hindsight help` — this',
].join('\n');

/** What the app does with a verified request of a matched person. */
@Injectable()
export class SlackHandlers implements SlackRequestHandler {
  async interaction(_ctx: SlackContext, _payload: InteractionPayload): Promise<Record<string, unknown>> {
    return {};
  }

  async command(_ctx: SlackContext, _command: SlashCommand): Promise<Record<string, unknown>> {
    return { response_type: 'ephemeral', text: SLACK_HELP };
  }
}
