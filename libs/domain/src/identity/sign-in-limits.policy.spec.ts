import { backoffSeconds, limitsReached, liveFailures, SIGN_IN_LIMITS, SignInCounter, signInKeys, signInVerdict } from './sign-in-limits.policy';

const now = new Date('2026-03-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const counter = (failures: number, windowStartAgo = 60, lastAttemptAgo = 60): SignInCounter => ({ failures, windowStart: ago(windowStartAgo), lastAttemptAt: ago(lastAttemptAgo) });

describe('sign-in limits', () => {
  const keys = signInKeys({ email: 'root@example.com', userId: 'u1', clientIp: '198.51.100.7', familiar: false });

  it('reserves per client address, per (account, address) and per (e-mail, address), and the account-wide back-off', () => {
    expect(keys).toEqual([
      { key: 'ip:198.51.100.7', rule: 'client' },
      { key: 'lock:email:root@example.com|198.51.100.7', rule: 'lock' },
      { key: 'lock:user:u1|198.51.100.7', rule: 'lock' },
      { key: 'backoff:email:root@example.com', rule: 'backoff' },
      { key: 'backoff:user:u1', rule: 'backoff' },
    ]);
    // An unknown address is limited the same way (nobody learns which addresses have accounts).
    expect(signInKeys({ email: 'nobody@example.com', userId: null, clientIp: '198.51.100.7', familiar: false }).map((k) => k.rule)).toEqual(['client', 'lock', 'backoff']);
    // From an address the account signed in from recently, the back-off does not apply.
    expect(signInKeys({ email: 'root@example.com', userId: 'u1', clientIp: '198.51.100.7', familiar: true }).map((k) => k.rule)).toEqual(['client', 'lock', 'lock']);
  });

  it('allows until an (account, address) pair has 10 failures, then locks that pair for the rest of its window', () => {
    const pair = 'lock:user:u1|198.51.100.7';
    expect(signInVerdict(keys, new Map([[pair, counter(9)]]), now)).toEqual({ allowed: true });
    expect(signInVerdict(keys, new Map([[pair, counter(10, 60)]]), now)).toEqual({ allowed: false, rule: 'lock', retryAfterSeconds: 15 * 60 - 60 });
    // Another address is another pair: not locked.
    const elsewhere = signInKeys({ email: 'root@example.com', userId: 'u1', clientIp: '203.0.113.9', familiar: false });
    expect(signInVerdict(elsewhere, new Map([[pair, counter(10)]]), now)).toEqual({ allowed: true });
    // The window passed: the failures no longer count.
    expect(signInVerdict(keys, new Map([[pair, counter(10, 15 * 60)]]), now)).toEqual({ allowed: true });
  });

  it('a client address waits after 50 failures whatever the accounts', () => {
    expect(signInVerdict(keys, new Map([['ip:198.51.100.7', counter(49)]]), now).allowed).toBe(true);
    expect(signInVerdict(keys, new Map([['ip:198.51.100.7', counter(50)]]), now)).toMatchObject({ allowed: false, rule: 'client' });
  });

  it('the back-off spaces password checks of a much-failed account, 2 s doubling every 20 failures up to 30 s, and never locks', () => {
    expect([0, 19, 20, 39, 40, 60, 80, 100, 10_000].map(backoffSeconds)).toEqual([0, 0, 2, 2, 4, 8, 16, 30, 30]);
    const account = 'backoff:user:u1';
    expect(signInVerdict(keys, new Map([[account, counter(19, 60, 0)]]), now).allowed).toBe(true);
    expect(signInVerdict(keys, new Map([[account, counter(20, 60, 1)]]), now)).toEqual({ allowed: false, rule: 'backoff', retryAfterSeconds: 1 });
    expect(signInVerdict(keys, new Map([[account, counter(20, 60, 2)]]), now).allowed).toBe(true);
    expect(signInVerdict(keys, new Map([[account, counter(500, 60, 29)]]), now)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(signInVerdict(keys, new Map([[account, counter(500, 60, 30)]]), now).allowed).toBe(true);
  });

  it('answers the longest wait when several counters refuse', () => {
    const counters = new Map([['backoff:user:u1', counter(40, 60, 0)], ['lock:user:u1|198.51.100.7', counter(10, 100)]]);
    expect(signInVerdict(keys, counters, now)).toEqual({ allowed: false, rule: 'lock', retryAfterSeconds: 800 });
  });

  it('names the limits a failure has just reached, once', () => {
    const after = new Map([['ip:198.51.100.7', 3], ['lock:email:root@example.com|198.51.100.7', 10], ['lock:user:u1|198.51.100.7', 10], ['backoff:email:root@example.com', 20], ['backoff:user:u1', 21]]);
    expect(limitsReached(keys, after).map((k) => k.key)).toEqual(['lock:email:root@example.com|198.51.100.7', 'lock:user:u1|198.51.100.7', 'backoff:email:root@example.com']);
    expect(liveFailures(undefined, now)).toBe(0);
    expect(SIGN_IN_LIMITS.perAccountPerClient).toBeLessThan(SIGN_IN_LIMITS.backoffAfter);
  });
});
