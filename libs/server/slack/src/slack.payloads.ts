import type { Block, KnownBlock, View } from '@slack/types';

/*
 * What Slack posts to the app, as its documentation describes it (interaction payloads are
 * form fields with one `payload` holding JSON; slash commands are plain form fields). Only
 * the fields Hindsight reads are typed.
 */

export interface SlackUserRef {
  id: string;
  team_id?: string;
  username?: string;
  name?: string;
}

export interface SlackTeamRef {
  id: string;
  domain?: string;
}

export interface SlackBlockAction {
  action_id: string;
  block_id?: string;
  value?: string;
  type: string;
  action_ts: string;
}

export interface SlackMessageRef {
  ts: string;
  text?: string;
  user?: string;
  blocks?: (KnownBlock | Block)[];
}

export interface BlockActionsPayload {
  type: 'block_actions';
  team: SlackTeamRef;
  user: SlackUserRef;
  api_app_id?: string;
  trigger_id: string;
  response_url?: string;
  container?: { type: string; message_ts?: string; channel_id?: string; is_ephemeral?: boolean };
  channel?: { id: string; name?: string };
  message?: SlackMessageRef;
  actions: SlackBlockAction[];
}

export interface ViewSubmissionPayload {
  type: 'view_submission';
  team: SlackTeamRef;
  user: SlackUserRef;
  trigger_id?: string;
  view: View & {
    id: string;
    callback_id?: string;
    private_metadata?: string;
    state: { values: Record<string, Record<string, SlackInputValue>> };
  };
}

export interface SlackInputValue {
  type: string;
  value?: string | null;
  selected_date?: string | null;
  selected_option?: { value: string } | null;
}

export interface MessageShortcutPayload {
  type: 'message_action';
  callback_id: string;
  team: SlackTeamRef;
  user: SlackUserRef;
  channel: { id: string; name?: string };
  message: SlackMessageRef & { ts: string };
  message_ts: string;
  trigger_id: string;
  response_url: string;
}

export type InteractionPayload = BlockActionsPayload | ViewSubmissionPayload | MessageShortcutPayload;

export interface SlashCommand {
  command: string;
  text: string;
  team_id: string;
  team_domain?: string;
  channel_id: string;
  user_id: string;
  user_name?: string;
  response_url: string;
  trigger_id: string;
}

/** The `payload` field of an interaction, parsed; null for anything else. */
export function parseInteraction(form: Record<string, unknown>): InteractionPayload | null {
  const raw = form['payload'];
  if (typeof raw !== 'string') return null;
  try {
    const p = JSON.parse(raw) as { type?: unknown; team?: { id?: unknown }; user?: { id?: unknown } };
    if (typeof p.type !== 'string' || typeof p.team?.id !== 'string' || typeof p.user?.id !== 'string') return null;
    return p as InteractionPayload;
  } catch {
    return null;
  }
}

export function parseSlashCommand(form: Record<string, unknown>): SlashCommand | null {
  const s = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : null);
  const command = s('command');
  const teamId = s('team_id');
  const userId = s('user_id');
  const responseUrl = s('response_url');
  if (!command || !teamId || !userId || !responseUrl) return null;
  return { command, text: s('text') ?? '', team_id: teamId, team_domain: s('team_domain') ?? undefined, channel_id: s('channel_id') ?? '', user_id: userId, user_name: s('user_name') ?? undefined, response_url: responseUrl, trigger_id: s('trigger_id') ?? '' };
}
