import { randomBytes } from 'node:crypto';
import { slackSignature } from '../slack.signature';
import type { BlockActionsPayload, MessageShortcutPayload, SlackInputValue, ViewSubmissionPayload } from '../slack.payloads';
import type { FakeSlackMessage, FakeSlackUser, SlackFake } from './slack.fake';

export interface SlackPost {
  status: number;
  body: Record<string, unknown>;
}

export interface SendOptions {
  /** Seconds since 1970; now unless given (a stale request sets it back). */
  timestamp?: number;
  /** Sign with another secret (a forged request). */
  secret?: string;
  /** Send this signature as it is. */
  signature?: string | null;
  /** Slack's retry of an earlier request: X-Slack-Retry-Num. */
  retryNum?: number;
}

/**
 * Posts to Hindsight what Slack posts (issue 24): interaction payloads as the form field
 * `payload`, slash commands as form fields, `application/x-www-form-urlencoded`, signed with the
 * app's signing secret exactly as Slack signs (`v0=` HMAC-SHA256 of `v0:<timestamp>:<body>`).
 */
export class SlackDriver {
  constructor(
    /** Hindsight's address (the API). */
    private readonly baseUrl: string,
    private readonly signingSecret: string,
    private readonly slack: SlackFake,
  ) {}

  async post(path: string, body: string, o: SendOptions = {}): Promise<SlackPost> {
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)' };
    const signature = o.signature === undefined ? slackSignature(o.secret ?? this.signingSecret, timestamp, body) : o.signature;
    if (signature !== null) headers['x-slack-signature'] = signature;
    if (o.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(o.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  interactionBody(payload: object): string {
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  }

  interaction(payload: object, o: SendOptions = {}): Promise<SlackPost> {
    return this.post('/slack/interactions', this.interactionBody(payload), o);
  }

  /** A click on a button of a message the bot posted. */
  blockAction(user: FakeSlackUser, message: FakeSlackMessage, action: { action_id: string; value?: string }, responseId = randomBytes(4).toString('hex')): BlockActionsPayload {
    return {
      type: 'block_actions',
      team: { id: this.slack.teamId, domain: 'hindsight-tests' },
      user: { id: user.id, username: user.name, name: user.name, team_id: this.slack.teamId },
      api_app_id: 'AHNDSGT',
      trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
      response_url: this.slack.responseUrl(responseId),
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
      channel: { id: message.channel },
      message: { ts: message.ts, text: message.text, blocks: message.blocks as BlockActionsPayload['message'] extends { blocks?: infer B } ? B : never },
      actions: [{ type: 'button', block_id: 'answers', action_id: action.action_id, value: action.value, action_ts: `${Date.now() / 1000}` }],
    };
  }

  /** The submission of a modal the app opened (`views.open`), with the person's input by block and action id. */
  viewSubmission(user: FakeSlackUser, opened: { id: string; view: Record<string, unknown> }, values: Record<string, Record<string, SlackInputValue>>): ViewSubmissionPayload {
    return {
      type: 'view_submission',
      team: { id: this.slack.teamId, domain: 'hindsight-tests' },
      user: { id: user.id, username: user.name, name: user.name, team_id: this.slack.teamId },
      trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
      view: { ...(opened.view as object), id: opened.id, state: { values } } as ViewSubmissionPayload['view'],
    };
  }

  messageShortcut(user: FakeSlackUser, message: FakeSlackMessage, callbackId: string, responseId = randomBytes(4).toString('hex')): MessageShortcutPayload {
    return {
      type: 'message_action',
      callback_id: callbackId,
      team: { id: this.slack.teamId, domain: 'hindsight-tests' },
      user: { id: user.id, username: user.name, name: user.name, team_id: this.slack.teamId },
      channel: { id: message.channel },
      message: { ts: message.ts, text: message.text, user: message.user },
      message_ts: message.ts,
      trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
      response_url: this.slack.responseUrl(responseId),
    };
  }

  /** `/hindsight <text>` typed by `user`; what the command answers later lands in the fake's `responses` under `responseId`. */
  command(user: FakeSlackUser, text: string, responseId = randomBytes(4).toString('hex'), o: SendOptions = {}): Promise<SlackPost> {
    const body = new URLSearchParams({
      token: 'deprecated-verification-token', team_id: this.slack.teamId, team_domain: 'hindsight-tests', channel_id: 'C00000001', channel_name: 'general',
      user_id: user.id, user_name: user.name, command: '/hindsight', text, api_app_id: 'AHNDSGT', is_enterprise_install: 'false',
      response_url: this.slack.responseUrl(responseId), trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
    }).toString();
    return this.post('/slack/commands', body, o);
  }
}
