import { parseOutboundAllowlist } from '@hindsight/domain';
import { lookup } from 'node:dns/promises';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { OutboundGuard, OutboundRefused, Resolver } from './outbound.guard';

const system: Resolver = (host) => lookup(host, { all: true, verbatim: true });
/** A DNS of our own: test names resolve where the test says, everything else as usual. */
const dnsWith =
  (names: Record<string, string[]>): Resolver =>
  async (host) => {
    const addresses = names[host];
    if (!addresses) return system(host);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

function guard(allowlist = '', resolver: Resolver = system, allowPrivate = false): OutboundGuard {
  const { hosts, cidrs, problems } = parseOutboundAllowlist(allowlist);
  if (problems.length) throw new Error(problems.join('; '));
  return new OutboundGuard({ allowPrivate, hosts, cidrs }, resolver);
}

interface Receiver {
  server: Server;
  port: number;
  seen: { url: string; headers: IncomingHttpHeaders; method: string }[];
}

/** A real HTTP server on loopback; `answer` decides each response. */
async function receiver(host: string, answer: (url: string) => { status: number; location?: string; body?: string }): Promise<Receiver> {
  const seen: Receiver['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers, method: req.method ?? '' });
    req.resume();
    const a = answer(req.url ?? '');
    res.writeHead(a.status, a.location ? { location: a.location } : {});
    res.end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

describe('OutboundGuard', () => {
  const guards: OutboundGuard[] = [];
  const servers: Server[] = [];
  const make = (...args: Parameters<typeof guard>) => {
    const g = guard(...args);
    guards.push(g);
    return g;
  };
  let v4: Receiver;
  let v6: Receiver;

  beforeAll(async () => {
    v4 = await receiver('127.0.0.1', () => ({ status: 200, body: 'hello from 127.0.0.1' }));
    v6 = await receiver('::1', () => ({ status: 200, body: 'hello from ::1' }));
    servers.push(v4.server, v6.server);
  });
  afterAll(async () => {
    guards.forEach((g) => g.close());
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  const get = (g: OutboundGuard, url: string, maxRedirects = 0) => g.request(url, { timeoutMs: 5000, maxRedirects });

  it.each([
    ['loopback', 'http://127.0.0.1:{v4}/hook', /^127\.0\.0\.1 is a loopback address/],
    ['private', 'http://10.0.0.1/hook', /^10\.0\.0\.1 is a private address/],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', /^169\.254\.169\.254 is a link-local address \(the range of the cloud metadata service\)/],
    ['IPv6 loopback', 'http://[::1]:{v6}/hook', /^::1 is a loopback address/],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:{v4}/hook', /^::ffff:7f00:1 is a loopback address/],
    ['https to loopback', 'https://127.0.0.1:{v4}/hook', /loopback/],
  ])('refuses a %s address literal before connecting', async (_, url, why) => {
    const target = url.replace('{v4}', String(v4.port)).replace('{v6}', String(v6.port));
    const before = v4.seen.length + v6.seen.length;
    const refused = await get(make(), target).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(OutboundRefused);
    expect((refused as Error).message).toMatch(why);
    expect((refused as Error).message).toContain('OUTBOUND_ALLOWLIST');
    expect(v4.seen.length + v6.seen.length).toBe(before);
  });

  it('refuses a name that resolves to loopback: localhost, and a name from another DNS', async () => {
    const g = make('', dnsWith({ 'receiver.test': ['127.0.0.1'] }));
    const viaLocalhost = await get(g, `http://localhost:${v4.port}/hook`).catch((e: Error) => e);
    expect(viaLocalhost).toBeInstanceOf(OutboundRefused);
    expect((viaLocalhost as Error).message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/);
    const viaName = await get(g, `http://receiver.test:${v4.port}/hook`).catch((e: Error) => e);
    expect(viaName).toBeInstanceOf(OutboundRefused);
    expect((viaName as Error).message).toMatch(/^receiver\.test resolves to 127\.0\.0\.1, which is a loopback address/);
  });

  it('connects only to the allowed addresses a name resolves to, whatever order DNS gives', async () => {
    // A name answering both a forbidden and an allowed address is sent to the allowed one only.
    const g = make('::1', dnsWith({ 'both.test': ['127.0.0.1', '::1'] }));
    const res = await get(g, `http://both.test:${v6.port}/hook`);
    expect(res.body).toBe('hello from ::1');
  });

  it('allows loopback with OUTBOUND_ALLOW_PRIVATE, or with the address, range or name on the allowlist', async () => {
    expect((await get(make('', system, true), `http://127.0.0.1:${v4.port}/`)).body).toBe('hello from 127.0.0.1');
    expect((await get(make('127.0.0.1'), `http://127.0.0.1:${v4.port}/`)).body).toBe('hello from 127.0.0.1');
    expect((await get(make('127.0.0.0/8, ::1'), `http://[::1]:${v6.port}/`)).body).toBe('hello from ::1');
    expect((await get(make('::ffff:0:0/96'), `http://127.0.0.1:${v4.port}/`)).status).toBe(200);
    expect((await get(make('receiver.test', dnsWith({ 'receiver.test': ['127.0.0.1'] })), `http://receiver.test:${v4.port}/`)).body).toBe('hello from 127.0.0.1');
    const viaLocalhost = await get(make('localhost'), `http://localhost:${v4.port}/`).catch((e: Error) => e);
    // localhost may resolve to ::1 first, where nothing listens on this port: either way it was not refused.
    expect(viaLocalhost).not.toBeInstanceOf(OutboundRefused);
  });

  describe('redirects', () => {
    let target: Receiver;
    let redirector: Receiver;
    beforeAll(async () => {
      target = await receiver('127.0.0.1', () => ({ status: 200, body: 'inside' }));
      redirector = await receiver('127.0.0.1', (url) =>
        url === '/loop' ? { status: 302, location: '/loop' } : url === '/same' ? { status: 301, location: '/final' } : url === '/final' ? { status: 200, body: 'moved here' } : { status: 307, location: `http://127.0.0.1:${target.port}/secret` },
      );
      servers.push(target.server, redirector.server);
    });

    it('refuses a redirect from an allowed receiver to loopback, and sends nothing there', async () => {
      const g = make('allowed.test', dnsWith({ 'allowed.test': ['127.0.0.1'] }));
      const refused = await get(g, `http://allowed.test:${redirector.port}/start`, 3).catch((e: Error) => e);
      expect(refused).toBeInstanceOf(OutboundRefused);
      expect((refused as Error).message).toMatch(/^127\.0\.0\.1 is a loopback address/);
      expect(target.seen).toHaveLength(0);
    });

    it('follows it when the target is allowed too, without the credentials on another origin', async () => {
      const g = make(`allowed.test, 127.0.0.1`, dnsWith({ 'allowed.test': ['127.0.0.1'] }));
      const res = await g.request(`http://allowed.test:${redirector.port}/start`, { timeoutMs: 5000, maxRedirects: 3, headers: { authorization: 'Bearer t0ken', 'x-keep': 'yes' } });
      expect(res.body).toBe('inside');
      expect(res.url.toString()).toBe(`http://127.0.0.1:${target.port}/secret`);
      expect(target.seen[0].headers.authorization).toBeUndefined();
      expect(target.seen[0].headers['x-keep']).toBe('yes');
    });

    it('keeps the credentials on the same origin; bounds the count; returns the 3xx when not following', async () => {
      const g = make('127.0.0.1');
      const same = await g.request(`http://127.0.0.1:${redirector.port}/same`, { timeoutMs: 5000, maxRedirects: 3, headers: { authorization: 'Bearer t0ken' } });
      expect(same.body).toBe('moved here');
      expect(redirector.seen.at(-1)?.headers.authorization).toBe('Bearer t0ken');
      await expect(get(g, `http://127.0.0.1:${redirector.port}/loop`, 3)).rejects.toThrow('more than 3 redirects');
      expect((await get(g, `http://127.0.0.1:${redirector.port}/start`)).status).toBe(307);
    });
  });

  describe('connect (SMTP)', () => {
    let smtp: ReturnType<typeof createTcpServer>;
    let port: number;
    beforeAll(async () => {
      smtp = createTcpServer((s) => s.end('220 test ESMTP\r\n'));
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      port = (smtp.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((r) => smtp.close(r)));

    it('refuses a private host, literal or resolved; connects when allowed', async () => {
      await expect(make().connect('127.0.0.1', port, 2000)).rejects.toThrow(/^127\.0\.0\.1 is a loopback address/);
      await expect(make('', dnsWith({ 'mail.test': ['10.1.2.3'] })).connect('mail.test', port, 2000)).rejects.toThrow(/^mail\.test resolves to 10\.1\.2\.3, which is a private address/);
      const socket = await make('mail.test', dnsWith({ 'mail.test': ['127.0.0.1'] })).connect('mail.test', port, 2000);
      const greeting = await new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
      expect(greeting).toContain('220 test');
      socket.destroy();
    });
  });
});
