import { OutboundGuard } from '@hindsight/server-outbound';
import { DeliveryError } from '../channel.adapter';
import { guardWith, LoopbackReceiver, NOW, overdueNudge } from '../testing/loopback.receiver';
import { SlackChannel } from './slack.channel';

describe('SlackChannel (a real guard, a loopback Slack webhook)', () => {
  let receiver: LoopbackReceiver;
  let guard: OutboundGuard;
  let slack: SlackChannel;
  const attempt = async (credential: string | null): Promise<DeliveryError | null> => {
    const m = overdueNudge();
    try {
      await slack.send(slack.render(m), { recipient: '#payments', target: 'https://hooks.slack.com/services/T0/B0/****', credential }, m.deliveryId);
      return null;
    } catch (e) {
      return e instanceof DeliveryError ? e : slack.classify(e, NOW);
    }
  };

  beforeAll(async () => {
    receiver = await new LoopbackReceiver().start();
    guard = guardWith('127.0.0.1');
    slack = new SlackChannel(guard);
  });
  afterAll(async () => {
    guard.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer = () => ({ status: 200, body: 'ok' });
  });

  it('posts Block Kit with the answers as URL buttons to the sealed URL, never to the redacted target; unsigned', async () => {
    expect(await attempt(receiver.url('/services/T0/B0/secretpart'))).toBeNull();
    const [hit] = receiver.received;
    expect(hit.url).toBe('/services/T0/B0/secretpart');
    expect(hit.headers['x-hindsight-signature']).toBeUndefined();
    const body = JSON.parse(hit.body);
    expect(body.text).toBe(overdueNudge().subject);
    const buttons = body.blocks.find((b: { type: string }) => b.type === 'actions').elements as { text: { text: string }; url: string }[];
    expect(buttons.map((b) => [b.text.text, b.url])).toEqual(overdueNudge().actions.map((a) => [a.label, a.url]));
  });

  it.each([
    [429, { 'retry-after': '30' }, 'rate_limited', { permanent: false, retryAfterMs: 30_000 }],
    [500, {}, 'rollup_error', { permanent: false, retryAfterMs: null }],
    [404, {}, 'no_service', { permanent: true, retryAfterMs: null }],
    [403, {}, 'invalid_token', { permanent: true, retryAfterMs: null }],
    [400, {}, 'invalid_payload', { permanent: true, retryAfterMs: null }],
  ])('Slack answers %i %j %s: %j', async (status, headers, body, verdict) => {
    receiver.answer = () => ({ status, headers, body });
    expect(await attempt(receiver.url('/services/T0/B0/secretpart'))).toMatchObject({ ...verdict, message: expect.stringMatching(new RegExp(`answered HTTP ${status}$`)) });
  });

  it('an error never shows the URL, which is the credential; a channel without it is broken for good', async () => {
    receiver.answer = () => ({ status: 404 });
    expect((await attempt(receiver.url('/services/T0/B0/secretpart')))?.message).not.toContain('secretpart');
    expect(await attempt(null)).toMatchObject({ permanent: true, message: 'the SLACK channel has no webhook URL stored: delete it and add it again' });
    expect(receiver.received).toHaveLength(1);
  });
});
