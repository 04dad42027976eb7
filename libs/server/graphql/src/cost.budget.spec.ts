import { callerKey, CostBudget } from './cost.budget';

const MINUTE = 60_000;

describe('CostBudget', () => {
  it('lets a caller spend a minute of budget at once, then refuses with the seconds to wait', () => {
    const budget = new CostBudget();
    expect(budget.take('user:a', 600, 1000, 0)).toBe(0);
    expect(budget.take('user:a', 400, 1000, 0)).toBe(0);
    // Empty: 100 points refill in 6 s.
    expect(budget.take('user:a', 100, 1000, 0)).toBe(6);
    expect(budget.take('user:a', 100, 1000, 5_000)).toBe(1);
    expect(budget.take('user:a', 100, 1000, 6_000)).toBe(0);
  });

  it('refills evenly up to the minute, never beyond', () => {
    const budget = new CostBudget();
    expect(budget.take('user:a', 1000, 1000, 0)).toBe(0);
    expect(budget.take('user:a', 500, 1000, MINUTE / 2)).toBe(0);
    expect(budget.take('user:a', 1, 1000, MINUTE / 2)).toBe(1);
    expect(budget.take('user:a', 1000, 1000, 10 * MINUTE)).toBe(0);
    expect(budget.take('user:a', 1, 1000, 10 * MINUTE)).toBe(1);
  });

  it('keeps callers apart', () => {
    const budget = new CostBudget();
    expect(budget.take('user:a', 1000, 1000, 0)).toBe(0);
    expect(budget.take('user:b', 1000, 1000, 0)).toBe(0);
    expect(budget.take('address:10.0.0.1', 100, 100, 0)).toBe(0);
    expect(budget.take('address:10.0.0.1', 1, 100, 0)).toBe(1);
  });

  it('a request dearer than the whole budget waits for a full minute at most', () => {
    // A caller's first request finds a full bucket, which pays for any one request up to its size.
    const budget = new CostBudget();
    budget.take('user:a', 1000, 1000, 0);
    expect(budget.take('user:a', 5000, 1000, 0)).toBe(60);
  });

  it('remembers a bounded number of callers: full buckets go first, then the oldest', () => {
    const budget = new CostBudget(10);
    for (let i = 0; i < 10; i++) budget.take(`address:10.0.0.${i}`, i < 5 ? 1000 : 0, 1000, 0);
    expect(budget.size).toBe(10);
    budget.take('address:10.0.1.1', 1, 1000, 1);
    // The five untouched buckets were full: dropped; the five spent ones remain.
    expect(budget.size).toBe(6);
    expect(budget.take('address:10.0.0.0', 1, 1000, 1)).toBe(1);
    for (let i = 0; i < 100; i++) budget.take(`address:10.0.2.${i}`, 1000, 1000, 2);
    expect(budget.size).toBeLessThanOrEqual(10);
  });
});

describe('callerKey', () => {
  it('is the signed-in person, else the client address', () => {
    expect(callerKey('u1', '10.0.0.1')).toBe('user:u1');
    expect(callerKey(null, '10.0.0.1')).toBe('address:10.0.0.1');
    expect(callerKey(undefined, '::ffff:10.0.0.1')).toBe('address:10.0.0.1');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    expect(callerKey(null, '2001:db8:1:2:aaaa::1')).toBe('address:2001:db8:1:2::/64');
    expect(callerKey(null, '2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('address:2001:db8:1:2::/64');
    expect(callerKey(null, '2001:db8::1')).toBe('address:2001:db8:0:0::/64');
    expect(callerKey(null, '::1')).toBe('address:0:0:0:0::/64');
    expect(callerKey(null, 'fe80::1%eth0')).toBe('address:fe80:0:0:0::/64');
  });
});
