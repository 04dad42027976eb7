import { redactWebhookUrl, validateChannelSecret, WEBHOOK_SECRET_MIN_CHARS } from './channel.rules';

describe('validateChannelSecret', () => {
  it('WEBHOOK needs a secret of at least 16 characters', () => {
    expect(validateChannelSecret('WEBHOOK', 'x'.repeat(WEBHOOK_SECRET_MIN_CHARS))).toEqual([]);
    expect(validateChannelSecret('WEBHOOK', null)).toEqual([{ field: 'input.secret', reason: expect.stringContaining('is required for WEBHOOK') }]);
    expect(validateChannelSecret('WEBHOOK', '   ')).toEqual([{ field: 'input.secret', reason: expect.stringContaining('is required') }]);
    expect(validateChannelSecret('WEBHOOK', 'short')).toEqual([{ field: 'input.secret', reason: 'must be at least 16 characters (got 5); use a random string' }]);
    expect(validateChannelSecret('WEBHOOK', 'x'.repeat(1025))[0].reason).toContain('at most 1024');
  });

  it('EMAIL and SLACK are not signed, so a secret is refused', () => {
    expect(validateChannelSecret('EMAIL', undefined)).toEqual([]);
    expect(validateChannelSecret('SLACK', '')).toEqual([]);
    expect(validateChannelSecret('SLACK', 'a-secret-value-123')).toEqual([{ field: 'input.secret', reason: 'only WEBHOOK channels are signed; leave the secret empty for SLACK' }]);
  });
});

describe('redactWebhookUrl', () => {
  it.each([
    ['https://hooks.slack.com/services/T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX', 'https://hooks.slack.com/services/T0123ABCD/B0456EFGH/****'],
    ['https://hooks.slack.com/services/T0/B0/secret/', 'https://hooks.slack.com/services/T0/B0/****/'],
    ['https://chat.corp.example:8443/hooks/xyz123abc', 'https://chat.corp.example:8443/hooks/****'],
    ['https://chat.example/hooks?token=abc&x=1#frag', 'https://chat.example/****?****'],
    ['https://chat.example/?token=abc', 'https://chat.example/?****'],
    ['not a url', '****'],
  ])('%s → %s', (url, shown) => {
    expect(redactWebhookUrl(url)).toBe(shown);
  });
});

describe('redactWebhookUrl on a Teams Workflows URL', () => {
  it('hides the query, where the signature is, and the last path segment', () => {
    const url = 'https://prod-12.westeurope.logic.azure.com:443/workflows/6d1f0c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=AbCdEf123';
    expect(redactWebhookUrl(url)).toBe('https://prod-12.westeurope.logic.azure.com/workflows/6d1f0c/triggers/manual/paths/****?****');
  });
});
