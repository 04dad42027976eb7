import { DEFAULT_SESSION_LIFETIMES, validateSessionLifetimes, withDefaultSessionLifetimes } from './session-lifetimes.policy';

describe('session lifetimes', () => {
  it('defaults to a day idle and a week in all, overlaid by what is stored', () => {
    expect(DEFAULT_SESSION_LIFETIMES).toEqual({ idleTimeoutMinutes: 1440, absoluteLifetimeHours: 168 });
    expect(withDefaultSessionLifetimes({ idleTimeoutMinutes: 30 })).toEqual({ idleTimeoutMinutes: 30, absoluteLifetimeHours: 168 });
    expect(withDefaultSessionLifetimes(null)).toEqual(DEFAULT_SESSION_LIFETIMES);
  });
  it('accepts the bounds and refuses beyond them, fractions, and an idle limit longer than the whole', () => {
    expect(validateSessionLifetimes({ idleTimeoutMinutes: 1, absoluteLifetimeHours: 1 })).toEqual([]);
    expect(validateSessionLifetimes({ idleTimeoutMinutes: 0, absoluteLifetimeHours: 1 }).map((e) => e.field)).toEqual(['input.idleTimeoutMinutes']);
    expect(validateSessionLifetimes({ idleTimeoutMinutes: 5, absoluteLifetimeHours: 1.5 }).map((e) => e.field)).toEqual(['input.absoluteLifetimeHours']);
    expect(validateSessionLifetimes({ idleTimeoutMinutes: 5, absoluteLifetimeHours: 90 * 24 + 1 }).map((e) => e.field)).toEqual(['input.absoluteLifetimeHours']);
    const [tooLong] = validateSessionLifetimes({ idleTimeoutMinutes: 61, absoluteLifetimeHours: 1 });
    expect(tooLong).toEqual({ field: 'input.idleTimeoutMinutes', reason: 'must not be longer than the absolute lifetime (60 minutes)' });
  });
});
