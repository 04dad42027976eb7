import { createHmac } from 'node:crypto';
import { OutboundGuard } from '@hindsight/server-outbound';
import { DeliveryError } from '../channel.adapter';
import { guardWith, LoopbackReceiver, NOW, overdueNudge } from '../testing/loopback.receiver';
import { WebhookChannel } from './webhook.channel';

const SECRET = 'webhook-channel-secret-0123456789';

describe('WebhookChannel (a real guard, a loopback receiver)', () => {
  let receiver: LoopbackReceiver;
  const guards: OutboundGuard[] = [];
  const channel = (allowlist = '127.0.0.1') => {
    const g = guardWith(allowlist);
    guards.push(g);
    return new WebhookChannel(g);
  };
  /** One attempt as the delivery service makes it: render, send, and a failure classified by the adapter. */
  const attempt = async (c: WebhookChannel, target: string, secret: string | null = SECRET): Promise<DeliveryError | null> => {
    try {
      await c.send(c.render(overdueNudge()), { recipient: 'payments-hook', target, credential: secret }, overdueNudge().deliveryId);
      return null;
    } catch (e) {
      return e instanceof DeliveryError ? e : c.classify(e, NOW);
    }
  };

  beforeAll(async () => {
    receiver = await new LoopbackReceiver().start();
  });
  afterAll(async () => {
    guards.forEach((g) => g.close());
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer = () => ({ status: 200 });
  });

  it('posts the contract body, signed over the exact bytes, with the delivery id', async () => {
    expect(await attempt(channel(), receiver.url('/hook'))).toBeNull();
    const [hit] = receiver.received;
    expect(hit.url).toBe('/hook');
    expect(hit.headers['x-hindsight-delivery']).toBe(overdueNudge().deliveryId);
    expect(hit.headers['x-hindsight-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(hit.body).digest('hex')}`);
    expect(hit.headers['content-type']).toBe('application/json');
    expect(JSON.parse(hit.body)).toMatchObject({ type: 'nudge', step: 'OVERDUE', deliveryId: overdueNudge().deliveryId, subject: { id: 'item-1' }, actions: expect.any(Array) });
  });

  it('goes through the outbound guard: a private address is refused for good and never reached, unless allowed', async () => {
    const refused = await attempt(channel(''), receiver.url('/hook'));
    expect(refused).toMatchObject({ permanent: true, retryAfterMs: null });
    expect(refused?.message).toMatch(/^POST 127\.0\.0\.1:\d+ failed: 127\.0\.0\.1 is a loopback address; .*OUTBOUND_ALLOWLIST/);
    expect(receiver.received).toHaveLength(0);
    expect(await attempt(channel('127.0.0.0/8'), receiver.url('/hook'))).toBeNull();
    expect(receiver.received).toHaveLength(1);
  });

  it.each([
    [429, { 'retry-after': '3' }, { permanent: false, retryAfterMs: 3000 }],
    [429, {}, { permanent: false, retryAfterMs: null }],
    [503, { 'retry-after': '1' }, { permanent: false, retryAfterMs: 1000 }],
    [500, {}, { permanent: false, retryAfterMs: null }],
    [408, {}, { permanent: false, retryAfterMs: null }],
    [410, { 'retry-after': '3' }, { permanent: true, retryAfterMs: null }],
    [400, {}, { permanent: true, retryAfterMs: null }],
    [302, { location: '/elsewhere' }, { permanent: true, retryAfterMs: null }],
  ])('HTTP %i %j: %j', async (status, headers, verdict) => {
    receiver.answer = () => ({ status, headers });
    const failure = await attempt(channel(), receiver.url('/hook'));
    expect(failure).toMatchObject(verdict);
    expect(failure?.message).toMatch(new RegExp(`^POST 127\\.0\\.0\\.1:\\d+ answered HTTP ${status}$`));
    // Redirects are not followed.
    expect(receiver.received).toHaveLength(1);
  });

  it('a receiver that is not there is tried again; a channel without its secret or URL is broken for good', async () => {
    const gone = new LoopbackReceiver();
    await gone.start();
    const url = gone.url('/hook');
    await gone.close();
    expect(await attempt(channel(), url)).toMatchObject({ permanent: false, message: expect.stringMatching(/^POST 127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/) });
    expect(await attempt(channel(), receiver.url('/hook'), null)).toMatchObject({ permanent: true, message: 'the WEBHOOK channel has no secret' });
    expect(await attempt(channel(), 'not a url')).toMatchObject({ permanent: true });
  });
});
