import { OutboundGuard } from '@hindsight/server-outbound';
import { DeliveryError } from '../channel.adapter';
import { guardWith, LoopbackReceiver, NOW, overdueNudge } from '../testing/loopback.receiver';
import { TeamsChannel } from './teams.channel';

const WORKFLOW_PATH = '/workflows/5f3a/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s3cr3tSig';

describe('TeamsChannel (a real guard, a loopback Workflows webhook)', () => {
  let receiver: LoopbackReceiver;
  let guard: OutboundGuard;
  let teams: TeamsChannel;
  const attempt = async (credential: string | null): Promise<DeliveryError | null> => {
    const m = overdueNudge();
    try {
      await teams.send(teams.render(m), { recipient: '#payments', target: 'https://prod.example/workflows/5f3a/triggers/manual/paths/****?****', credential }, m.deliveryId);
      return null;
    } catch (e) {
      return e instanceof DeliveryError ? e : teams.classify(e, NOW);
    }
  };

  beforeAll(async () => {
    receiver = await new LoopbackReceiver().start();
    guard = guardWith('127.0.0.1');
    teams = new TeamsChannel(guard);
  });
  afterAll(async () => {
    guard.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer = () => ({ status: 202 });
  });

  it('posts the Adaptive Card as the attachment of a message to the sealed workflow URL; 202 is delivered', async () => {
    expect(await attempt(receiver.url(WORKFLOW_PATH))).toBeNull();
    const [hit] = receiver.received;
    expect(hit.url).toBe(WORKFLOW_PATH);
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['x-hindsight-delivery']).toBe(overdueNudge().deliveryId);
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5' } }] });
    expect(body.attachments[0].content.actions.map((a: { type: string; url: string }) => [a.type, a.url])).toEqual(overdueNudge().actions.map((a) => ['Action.OpenUrl', a.url]));
  });

  it.each([
    [429, { 'retry-after': '7' }, { permanent: false, retryAfterMs: 7000 }],
    [429, { 'retry-after': 'Wed, 12 Jun 2024 09:01:00 GMT' }, { permanent: false, retryAfterMs: 60_000 }],
    [502, {}, { permanent: false, retryAfterMs: null }],
    [400, {}, { permanent: true, retryAfterMs: null }],
    [401, {}, { permanent: true, retryAfterMs: null }],
    [404, {}, { permanent: true, retryAfterMs: null }],
  ])('the workflow answers %i %j: %j', async (status, headers, verdict) => {
    receiver.answer = () => ({ status, headers });
    const failure = await attempt(receiver.url(WORKFLOW_PATH));
    expect(failure).toMatchObject(verdict);
    // The URL's signature is a credential: only the host appears.
    expect(failure?.message).toMatch(new RegExp(`^POST 127\\.0\\.0\\.1:\\d+ answered HTTP ${status}$`));
  });

  it('a workflow inside the network is refused for good unless allowed; a channel without its URL is broken for good', async () => {
    const strict = new TeamsChannel(guardWith(''));
    const m = overdueNudge();
    const refused = await strict.send(strict.render(m), { recipient: '#payments', target: null, credential: receiver.url(WORKFLOW_PATH) }, m.deliveryId).then(() => null, (e: unknown) => strict.classify(e, NOW));
    expect(refused).toMatchObject({ permanent: true, message: expect.stringContaining('is a loopback address') });
    expect(refused?.message).not.toContain('s3cr3tSig');
    expect(receiver.received).toHaveLength(0);
    expect(await attempt(null)).toMatchObject({ permanent: true, message: 'the TEAMS channel has no workflow URL stored: delete it and add it again' });
  });
});
