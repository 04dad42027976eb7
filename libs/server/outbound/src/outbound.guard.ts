import { injectTraceHeaders, SpanKind, withSpan } from '@hindsight/server-common';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent as HttpAgent, AgentOptions, ClientRequestArgs, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as netConnect, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { OutboundPolicy, outboundRefusal, parseIpAddress } from '@hindsight/domain';

/** A request Hindsight would not send: the target is inside the network (see docs/security.md). */
export class OutboundRefused extends Error {
  readonly code = 'EOUTBOUND_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

/** Resolves a host name to every address it has (dns.lookup with all: true). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string;
  /** For the whole exchange, redirects included. */
  timeoutMs: number;
  /** Redirects to follow, each re-checked; 0 (the default) returns a 3xx answer as it is. */
  maxRedirects?: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Where the answer came from, after redirects. */
  url: URL;
}

const REDIRECTS = [301, 302, 303, 307, 308];
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Headers that carry credentials: not sent on to another origin by a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'private-token'];

/**
 * Every request Hindsight makes on a user's behalf goes through here. The check runs on the
 * address actually connected to: names are resolved by the guard's own `lookup`, which the
 * socket then connects to, so there is no window between check and connect for DNS to
 * answer differently (rebinding); address literals, which sockets do not look up, are checked
 * before connecting. Redirects are followed by hand, each hop through the same check.
 */
export class OutboundGuard {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;

  constructor(
    readonly policy: OutboundPolicy,
    private readonly resolve: Resolver,
  ) {
    const options: AgentOptions = { keepAlive: true, maxSockets: 128 };
    this.httpAgent = guarded(new HttpAgent(options), this);
    this.httpsAgent = guarded(new HttpsAgent(options), this);
  }

  /** A `lookup` for net/tls sockets that hands them allowed addresses only. */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    this.resolve(hostname).then(
      (addresses) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const candidates = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
        const refusals = candidates.map((a) => outboundRefusal(this.policy, hostname, a.address));
        const allowed = candidates.filter((_, i) => refusals[i] === null);
        if (allowed.length === 0) {
          const why = refusals.find((r) => r !== null);
          callback(why ? new OutboundRefused(why) : Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
          return;
        }
        if (options.all) callback(null, allowed);
        else callback(null, allowed[0].address, allowed[0].family);
      },
      (e: NodeJS.ErrnoException) => callback(e, ''),
    );
  };

  /** The refusal for an address literal (which a socket connects to without a lookup). */
  literalRefusal(host: string): OutboundRefused | null {
    if (!parseIpAddress(host)) return null;
    const why = outboundRefusal(this.policy, host, host);
    return why ? new OutboundRefused(why) : null;
  }

  /** A guarded TCP connection (for SMTP): resolves through `lookup`, refuses literals up front. */
  connect(host: string, port: number, timeoutMs: number): Promise<Socket> {
    const refused = this.literalRefusal(host);
    if (refused) return Promise.reject(refused);
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host, port, lookup: this.lookup });
      const timer = setTimeout(() => socket.destroy(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', reject);
        resolve(socket);
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** One HTTP(S) exchange through the guarded agents; the body is read whole (at most 10 MB). */
  request(target: URL | string, r: OutboundRequest): Promise<OutboundResponse> {
    const url = new URL(target);
    // A client span, and the trace context in `traceparent` for receivers that trace too. The path only: queries may hold secrets.
    return withSpan(`${r.method ?? 'GET'}`, SpanKind.CLIENT, { 'http.request.method': r.method ?? 'GET', 'server.address': url.hostname, 'url.full': `${url.origin}${url.pathname}` }, async (span) => {
      const res = await this.follow(url, { ...r, headers: injectTraceHeaders(r.headers ?? {}) });
      span?.setAttribute('http.response.status_code', res.status);
      return res;
    });
  }

  private async follow(target: URL, r: OutboundRequest): Promise<OutboundResponse> {
    const deadline = Date.now() + r.timeoutMs;
    let url = new URL(target);
    let method = r.method ?? 'GET';
    let body = r.body;
    let headers = { ...(r.headers ?? {}) };
    const max = r.maxRedirects ?? 0;
    for (let hop = 0; ; hop++) {
      const res = await this.exchange(url, method, headers, body, deadline, r.timeoutMs);
      const location = res.headers.location;
      if (!REDIRECTS.includes(res.status) || !location || max === 0) return res;
      if (hop >= max) throw new Error(`more than ${max} redirects from ${new URL(target).host}`);
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new OutboundRefused(`${url.host} redirected to a ${next.protocol} URL`);
      if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.includes(k.toLowerCase())));
      // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !['content-type', 'content-length'].includes(k.toLowerCase())));
      }
      url = next;
    }
  }

  private exchange(url: URL, method: string, headers: Record<string, string | number>, body: string | undefined, deadline: number, timeoutMs: number): Promise<OutboundResponse> {
    return new Promise((resolve, reject) => {
      const https = url.protocol === 'https:';
      const sized = body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) };
      const req = (https ? httpsRequest : httpRequest)(url, { method, headers: sized, agent: https ? this.httpsAgent : this.httpAgent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) req.destroy(new Error(`the answer from ${url.host} is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`));
          else chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), url });
        });
        res.on('error', reject);
      });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { name: 'TimeoutError' })), Math.max(0, deadline - Date.now()));
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/**
 * The agent's sockets resolve names through the guard; address literals (sockets connect to
 * them without a lookup) are refused before a socket is opened.
 */
function guarded<A extends HttpAgent>(agent: A, guard: OutboundGuard): A {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void) => {
    const refused = guard.literalRefusal(String(options.host ?? options.hostname ?? ''));
    if (refused) {
      process.nextTick(() => callback?.(refused, undefined as unknown as Duplex));
      return undefined;
    }
    return create({ ...options, lookup: guard.lookup } as ClientRequestArgs, callback);
  };
  return agent;
}
