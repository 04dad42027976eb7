import { httpAttemptVerdict, MAX_RETRY_AFTER_MS, retryAfterMs, smtpAttemptVerdict } from './delivery-failure.rules';

const now = new Date('2024-06-12T09:00:00Z');

describe('retryAfterMs (RFC 9110 Retry-After)', () => {
  it('reads delay-seconds and an HTTP-date', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 120 ', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 12 Jun 2024 09:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs(['7', '9'], now)).toBe(7000);
  });

  it('a date in the past is now; a wait longer than an hour is capped; anything else is no advice', () => {
    expect(retryAfterMs('Tue, 11 Jun 2024 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(String(24 * 3600), now)).toBe(MAX_RETRY_AFTER_MS);
    for (const v of [undefined, '', '-5', '1.5', 'soon', 'Thu, 99 Foo']) expect(retryAfterMs(v, now)).toBeNull();
  });
});

describe('httpAttemptVerdict', () => {
  it.each([
    [429, '2', { permanent: false, retryAfterMs: 2000 }],
    [429, undefined, { permanent: false, retryAfterMs: null }],
    [503, '10', { permanent: false, retryAfterMs: 10_000 }],
    [500, undefined, { permanent: false, retryAfterMs: null }],
    [502, undefined, { permanent: false, retryAfterMs: null }],
    [408, undefined, { permanent: false, retryAfterMs: null }],
    [400, '5', { permanent: true, retryAfterMs: null }],
    [401, undefined, { permanent: true, retryAfterMs: null }],
    [404, undefined, { permanent: true, retryAfterMs: null }],
    [410, undefined, { permanent: true, retryAfterMs: null }],
    [301, undefined, { permanent: true, retryAfterMs: null }],
  ])('HTTP %i with Retry-After %p: %j', (status, header, verdict) => {
    expect(httpAttemptVerdict(status, header, now)).toEqual(verdict);
  });
});

describe('smtpAttemptVerdict', () => {
  it('5xx replies and guard refusals are permanent; 4xx and lost connections are tried again', () => {
    expect(smtpAttemptVerdict(550, false).permanent).toBe(true);
    expect(smtpAttemptVerdict(451, false).permanent).toBe(false);
    expect(smtpAttemptVerdict(undefined, false).permanent).toBe(false);
    expect(smtpAttemptVerdict(undefined, true).permanent).toBe(true);
  });
});
