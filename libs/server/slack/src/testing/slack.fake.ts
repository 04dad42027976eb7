import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A loopback Slack Web API that keeps state, for tests (issue 24): the methods Hindsight calls,
 * answering as Slack documents them (`{ ok: true, … }` or `{ ok: false, error }` with HTTP
 * 200; 429 with Retry-After on demand). Also receives what is posted to `response_url`s.
 */

export interface FakeSlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_bot: boolean;
  is_email_confirmed: boolean;
  profile: { email: string; real_name: string; display_name: string };
}

export interface FakeSlackMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** How many times chat.update changed it. */
  edits: number;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  /** The person a DM channel is with. */
  user?: string;
  messages: FakeSlackMessage[];
}

export interface FakeCall {
  method: string;
  args: Record<string, unknown>;
  status: number;
}

interface Failure {
  /** 0: accept the call (chat.postMessage posts), then drop the connection without an answer, like a sender killed mid-request. */
  status: number;
  retryAfter?: number;
  error?: string;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

export class SlackFake {
  readonly token: string;
  readonly teamId = 'T0HINDSGHT';
  readonly team = 'Hindsight Tests';
  readonly botUserId = 'UBOTHNDSGT';
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Map<string, FakeSlackChannel>();
  /** Every chat.postMessage, in order. */
  readonly posted: FakeSlackMessage[] = [];
  readonly views: { trigger_id: string; view: Record<string, unknown>; id: string }[] = [];
  /** What was POSTed to a response_url of this fake: its id and the JSON body. */
  readonly responses: { id: string; body: Record<string, unknown> }[] = [];
  readonly calls: FakeCall[] = [];
  /** Per method, what its next calls answer: a failure, or null (answered normally). */
  private readonly failures = new Map<string, (Failure | null)[]>();
  /** Methods whose calls are carried out at once but answered only on `release()`. */
  private readonly holding = new Set<string>();
  private readonly held: (() => void)[] = [];
  private server: Server | null = null;
  private port = 0;
  private seq = 0;
  private clock = Math.floor(Date.now() / 1000);

  constructor(token = 'xoxb-1111-2222-hindsightfake') {
    this.token = token;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** SLACK_API_URL for Hindsight. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  get workspaceUrl(): string {
    return 'https://hindsight-tests.slack.com/';
  }

  /** A response_url Slack would send with a command or interaction; what is posted to it lands in `responses`. */
  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /**
   * The next `times` calls of `method` answer this (429 with Retry-After seconds, 500 …) instead;
   * with `after`, only once that many more calls of it have been answered normally.
   */
  failNext(method: string, times: number, failure: Failure, after = 0): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(...Array.from({ length: after }, () => null), ...Array.from({ length: times }, () => failure));
    this.failures.set(method, queue);
  }

  /**
   * Calls of `method` are carried out (chat.postMessage posts) but not answered until `release()`:
   * a sender killed meanwhile never learns that Slack took its message.
   */
  hold(method: string): void {
    this.holding.add(method);
  }

  /** Answers every held call (to whoever is still listening) and stops holding. */
  release(): void {
    this.holding.clear();
    for (const answer of this.held.splice(0)) answer();
  }

  /** How many calls are held unanswered. */
  get waiting(): number {
    return this.held.length;
  }

  addUser(p: { email: string; name?: string; deleted?: boolean; confirmed?: boolean; isBot?: boolean }): FakeSlackUser {
    const id = `U${String(++this.seq).padStart(8, '0')}`;
    const name = p.name ?? p.email.split('@')[0];
    const user: FakeSlackUser = {
      id, team_id: this.teamId, name, real_name: name, deleted: p.deleted ?? false, is_bot: p.isBot ?? false, is_email_confirmed: p.confirmed ?? true,
      profile: { email: p.email, real_name: name, display_name: name },
    };
    this.users.set(id, user);
    return user;
  }

  addChannel(name: string, isPrivate = false): FakeSlackChannel {
    const id = `${isPrivate ? 'G' : 'C'}${String(++this.seq).padStart(8, '0')}`;
    const channel: FakeSlackChannel = { id, name, is_private: isPrivate, is_im: false, messages: [] };
    this.channels.set(id, channel);
    return channel;
  }

  /** A message said in a channel by a person (as history would return it), at `at` (seconds since 1970) or now. */
  say(channelId: string, user: string, text: string, at?: number): FakeSlackMessage {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    const message: FakeSlackMessage = { type: 'message', channel: channelId, ts: this.nextTs(at), text, user, edits: 0 };
    channel.messages.push(message);
    return message;
  }

  /** The DM channel of the bot with a user. */
  dmOf(userId: string): FakeSlackChannel | undefined {
    return [...this.channels.values()].find((c) => c.is_im && c.user === userId);
  }

  message(channel: string, ts: string): FakeSlackMessage | undefined {
    return this.channels.get(channel)?.messages.find((m) => m.ts === ts);
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  private nextTs(at?: number): string {
    this.clock = Math.max(this.clock, at ?? Math.floor(Date.now() / 1000));
    return `${at ?? this.clock}.${String(++this.seq).padStart(6, '0')}`;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith('/response/')) {
      this.responses.push({ id: url.pathname.slice('/response/'.length), body: raw ? JSON.parse(raw) : {} });
      return send(200, { ok: true });
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = this.parseArgs(req.headers['content-type'] ?? '', raw, url);
    const failure = this.failures.get(method)?.shift();
    if (failure?.status === 0) {
      this.calls.push({ method, args, status: 0 });
      this.call(method, args);
      req.socket.destroy();
      return;
    }
    if (failure) {
      this.calls.push({ method, args, status: failure.status });
      if (failure.status === 429) return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter ?? 1) });
      return send(failure.status, { ok: false, error: failure.error ?? 'fatal_error' });
    }
    this.calls.push({ method, args, status: 200 });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (args['token'] as string | undefined);
    if (bearer !== this.token) return send(200, { ok: false, error: bearer ? 'invalid_auth' : 'not_authed' });
    const answer = this.call(method, args);
    if (this.holding.has(method)) await new Promise<void>((resolve) => this.held.push(resolve));
    if (!res.destroyed) send(200, answer);
  }

  private parseArgs(type: string, raw: string, url: URL): Record<string, unknown> {
    if (type.includes('json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
    for (const [k, v] of new URLSearchParams(raw)) args[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
    return args;
  }

  private call(method: string, a: Record<string, unknown>): Record<string, unknown> {
    const s = (k: string) => (a[k] === undefined ? undefined : String(a[k]));
    switch (method) {
      case 'auth.test':
        return { ok: true, url: this.workspaceUrl, team: this.team, user: 'hindsight', team_id: this.teamId, user_id: this.botUserId, bot_id: 'BHNDSGT' };
      case 'users.info': {
        const user = this.users.get(s('user') ?? '');
        return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const email = (s('email') ?? '').toLowerCase();
        const user = [...this.users.values()].find((u) => u.profile.email.toLowerCase() === email);
        return user ? { ok: true, user } : { ok: false, error: 'users_not_found' };
      }
      case 'chat.postMessage': {
        let channelId = s('channel') ?? '';
        if (channelId.startsWith('U')) {
          const user = this.users.get(channelId);
          if (!user || user.deleted) return { ok: false, error: user ? 'user_disabled' : 'channel_not_found' };
          let dm = this.dmOf(channelId);
          if (!dm) {
            dm = { id: `D${channelId.slice(1)}`, name: channelId, is_private: true, is_im: true, user: channelId, messages: [] };
            this.channels.set(dm.id, dm);
          }
          channelId = dm.id;
        }
        const channel = this.channels.get(channelId);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!s('text') && !a['blocks']) return { ok: false, error: 'no_text' };
        const message: FakeSlackMessage = {
          type: 'message', channel: channelId, ts: this.nextTs(), text: s('text') ?? '', bot_id: 'BHNDSGT', blocks: a['blocks'] as unknown[] | undefined, edits: 0,
          ...(a['metadata'] ? { metadata: a['metadata'] as FakeSlackMessage['metadata'] } : {}),
        };
        channel.messages.push(message);
        this.posted.push(message);
        return { ok: true, channel: channelId, ts: message.ts, message };
      }
      case 'conversations.open': {
        const userId = s('users') ?? '';
        const user = this.users.get(userId);
        if (!user || user.deleted) return { ok: false, error: user ? 'user_disabled' : 'user_not_found' };
        let dm = this.dmOf(userId);
        if (!dm) {
          dm = { id: `D${userId.slice(1)}`, name: userId, is_private: true, is_im: true, user: userId, messages: [] };
          this.channels.set(dm.id, dm);
        }
        return { ok: true, channel: { id: dm.id } };
      }
      case 'chat.update': {
        const message = this.message(s('channel') ?? '', s('ts') ?? '');
        if (!message) return { ok: false, error: 'message_not_found' };
        if (a['text'] !== undefined) message.text = s('text') ?? '';
        if (a['blocks'] !== undefined) message.blocks = a['blocks'] as unknown[];
        message.edits++;
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'chat.getPermalink': {
        const message = this.message(s('channel') ?? '', s('message_ts') ?? '');
        return message ? { ok: true, channel: message.channel, permalink: this.permalink(message) } : { ok: false, error: 'message_not_found' };
      }
      case 'views.open': {
        const view = a['view'] as Record<string, unknown> | undefined;
        if (!s('trigger_id') || !view) return { ok: false, error: 'invalid_arguments' };
        const id = `V${String(++this.seq).padStart(8, '0')}`;
        this.views.push({ trigger_id: s('trigger_id') as string, view, id });
        return { ok: true, view: { ...view, id } };
      }
      case 'conversations.info': {
        const channel = this.channels.get(s('channel') ?? '');
        return channel ? { ok: true, channel: { id: channel.id, name: channel.name, is_private: channel.is_private, is_im: channel.is_im, is_member: true } } : { ok: false, error: 'channel_not_found' };
      }
      case 'conversations.history': {
        const channel = this.channels.get(s('channel') ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const limit = Math.min(Math.max(Number(s('limit') ?? 100) || 100, 1), 999);
        const oldest = Number(s('oldest') ?? 0);
        // Newest first, as Slack answers; the cursor is where the next page starts.
        const all = channel.messages.filter((m) => Number(m.ts) > oldest).sort((x, y) => Number(y.ts) - Number(x.ts));
        const from = s('cursor') ? Number(Buffer.from(s('cursor') as string, 'base64').toString('utf8').replace('offset:', '')) : 0;
        const withMetadata = s('include_all_metadata') === 'true';
        const page = all.slice(from, from + limit).map(({ edits: _edits, channel: _channel, metadata, ...m }) => (withMetadata && metadata ? { ...m, metadata } : m));
        const hasMore = from + limit < all.length;
        return { ok: true, messages: page, has_more: hasMore, response_metadata: { next_cursor: hasMore ? Buffer.from(`offset:${from + limit}`).toString('base64') : '' } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  permalink(m: { channel: string; ts: string }): string {
    return `${this.workspaceUrl}archives/${m.channel}/p${m.ts.replace('.', '')}`;
  }
}
