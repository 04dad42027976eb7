import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SecretBoxError } from '@hindsight/server-common';
import type { SessionActor } from '@hindsight/server-graphql';
import { SlackApi } from './slack.api';
import { InteractionPayload, parseInteraction, parseSlashCommand, SlashCommand } from './slack.payloads';
import { SlackPeopleService } from './slack-people.service';
import { SlackCredentials, SlackSettingsService } from './slack-settings.service';
import { SlackRepository } from './slack.repository';
import { verifySlackRequest } from './slack.signature';

/** What the controller answers Slack: an HTTP status and a JSON body (the acknowledgement). */
export interface SlackReply {
  status: number;
  body: Record<string, unknown>;
}

export interface SlackRequestHeaders {
  timestamp: string | undefined;
  signature: string | undefined;
  retryNum: string | undefined;
}

/** A verified request from a matched person, handed to what the app does with it. */
export interface SlackContext {
  actor: SessionActor;
  credentials: SlackCredentials;
  slackTeamId: string;
  slackUserId: string;
}

/**
 * What the app does with verified requests: the nudges' buttons and modals, the slash command,
 * the message shortcut. Plugged in by the module (SlackHandlers), so the gateway stays the one
 * place that verifies, de-duplicates and matches people.
 */
export interface SlackRequestHandler {
  interaction(ctx: SlackContext, payload: InteractionPayload): Promise<Record<string, unknown>>;
  command(ctx: SlackContext, command: SlashCommand): Promise<Record<string, unknown>>;
}

export const SLACK_HANDLER = Symbol('SLACK_HANDLER');

const ephemeral = (text: string) => ({ response_type: 'ephemeral', replace_original: false, text });

/**
 * Every request from Slack passes here: verified (401 and nothing done otherwise), applied once
 * (a retried delivery — `X-Slack-Retry-Num` — or the same request twice is acknowledged and
 * dropped: its body's hash is a primary key), and the person matched before anything is done
 * in their name.
 */
@Injectable()
export class SlackGateway {
  private readonly log = new Logger('SlackGateway');
  private handler: SlackRequestHandler | null = null;

  constructor(
    private readonly settings: SlackSettingsService,
    private readonly people: SlackPeopleService,
    private readonly repo: SlackRepository,
    private readonly api: SlackApi,
  ) {}

  use(handler: SlackRequestHandler): void {
    this.handler = handler;
  }

  async receive(kind: 'interaction' | 'command', headers: SlackRequestHeaders, rawBody: Buffer, form: unknown, now = new Date()): Promise<SlackReply> {
    let credentials: SlackCredentials | null;
    try {
      credentials = await this.settings.credentials();
    } catch (e) {
      if (e instanceof SecretBoxError) return { status: 503, body: { error: `The Slack app's stored credentials cannot be read by this server: ${e.message}` } };
      throw e;
    }
    if (!credentials) return { status: 404, body: { error: 'The Slack app is not set up here (Settings → Slack, or SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET).' } };
    const check = verifySlackRequest(credentials.signingSecret, headers, rawBody, now);
    if (check !== 'ok') return { status: 401, body: { error: check === 'stale' ? 'The request is older than five minutes.' : 'The request is not signed by the Slack app.' } };
    const fields = (form && typeof form === 'object' ? form : {}) as Record<string, unknown>;
    const interaction = kind === 'interaction' ? parseInteraction(fields) : null;
    const command = kind === 'command' ? parseSlashCommand(fields) : null;
    if (!interaction && !command) return { status: 400, body: { error: 'Not a Slack interaction or slash command.' } };
    const slackTeamId = interaction ? interaction.team.id : (command as SlashCommand).team_id;
    const slackUserId = interaction ? interaction.user.id : (command as SlashCommand).user_id;

    // A retry carries the same bytes (re-signed with a new timestamp): the body names the request.
    const key = `${kind}:${createHash('sha256').update(rawBody).digest('hex')}`;
    if (!(await this.repo.firstTime(key))) return { status: 200, body: {} };
    try {
      const person = await this.people.person(credentials.botToken, slackTeamId, slackUserId, now);
      if (person.kind !== 'matched') {
        const text = person.kind === 'deactivated'
          ? 'Your Slack account is deactivated, so Hindsight does nothing for it.'
          : `Hindsight does not know who you are yet: no active account has your Slack e-mail address. Sign in once to link your accounts: ${person.linkUrl}`;
        return { status: 200, body: await this.answerAside(interaction, command, text) };
      }
      const ctx: SlackContext = { actor: person.actor, credentials, slackTeamId, slackUserId };
      if (!this.handler) return { status: 200, body: await this.answerAside(interaction, command, 'Hindsight cannot answer this yet.') };
      const body = interaction ? await this.handler.interaction(ctx, interaction) : await this.handler.command(ctx, command as SlashCommand);
      return { status: 200, body };
    } catch (e) {
      // Not applied: Slack's retry (or the person's next click) is.
      await this.repo.forget(key).catch(() => undefined);
      this.log.error(`Slack ${kind} failed: ${(e as Error).message}`, (e as Error).stack);
      return { status: 200, body: await this.answerAside(interaction, command, 'Hindsight could not do that just now; nothing was changed. Try again in a moment.').catch(() => ({})) };
    }
  }

  /**
   * An ephemeral answer to the person: in the acknowledgement for a slash command, through the
   * interaction's `response_url` for a click, and as the modal's error for a submission.
   */
  private async answerAside(interaction: InteractionPayload | null, command: SlashCommand | null, text: string): Promise<Record<string, unknown>> {
    if (command) return ephemeral(text);
    if (interaction?.type === 'view_submission') {
      const firstBlock = (interaction.view.blocks ?? []).find((b) => b.type === 'input') as { block_id?: string } | undefined;
      return firstBlock?.block_id ? { response_action: 'errors', errors: { [firstBlock.block_id]: text } } : {};
    }
    const url = interaction && 'response_url' in interaction ? interaction.response_url : undefined;
    if (url) await this.api.respond(url, ephemeral(text));
    return {};
  }
}
