import { slackSignature, verifySlackRequest } from './slack.signature';

describe('verifySlackRequest', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  // Slack's own worked example (api.slack.com/authentication/verifying-requests-from-slack).
  const body = Buffer.from('token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c');
  const ts = '1531420618';
  const at = (seconds: number) => new Date((Number(ts) + seconds) * 1000);

  it("matches Slack's documented example signature", () => {
    expect(slackSignature(secret, ts, body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
    expect(verifySlackRequest(secret, { timestamp: ts, signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' }, body, at(0))).toBe('ok');
  });

  it('refuses a changed body, another secret, a missing header or a malformed timestamp', () => {
    const good = slackSignature(secret, ts, body);
    expect(verifySlackRequest(secret, { timestamp: ts, signature: good }, Buffer.concat([body, Buffer.from('&x=1')]), at(0))).toBe('bad');
    expect(verifySlackRequest('another-secret-of-32-characters!', { timestamp: ts, signature: good }, body, at(0))).toBe('bad');
    expect(verifySlackRequest(secret, { timestamp: ts, signature: undefined }, body, at(0))).toBe('missing');
    expect(verifySlackRequest(secret, { timestamp: undefined, signature: good }, body, at(0))).toBe('missing');
    expect(verifySlackRequest(secret, { timestamp: '1e9', signature: good }, body, at(0))).toBe('bad');
    expect(verifySlackRequest(secret, { timestamp: ts, signature: 'v0=short' }, body, at(0))).toBe('bad');
  });

  it('accepts five minutes either way, and refuses anything older or newer (replays)', () => {
    const good = slackSignature(secret, ts, body);
    expect(verifySlackRequest(secret, { timestamp: ts, signature: good }, body, at(300))).toBe('ok');
    expect(verifySlackRequest(secret, { timestamp: ts, signature: good }, body, at(-300))).toBe('ok');
    expect(verifySlackRequest(secret, { timestamp: ts, signature: good }, body, at(301))).toBe('stale');
    expect(verifySlackRequest(secret, { timestamp: ts, signature: good }, body, at(-301))).toBe('stale');
  });
});
