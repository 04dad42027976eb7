import { FactorCategory } from '../enums/contract.enums';
import { isRepeat, RepeatCandidate } from './repeat.rule';

const DAY = 86_400_000;
const start = new Date('2024-06-01T12:00:00Z');
const incident: RepeatCandidate = { id: 'now', startedAt: start, serviceIds: ['checkout'], factorCategories: ['CONFIG_CHANGE'] };
const prior = (daysBefore: number, over: Partial<RepeatCandidate> = {}): RepeatCandidate => ({
  id: `p${daysBefore}`,
  startedAt: new Date(start.getTime() - daysBefore * DAY),
  serviceIds: ['checkout'],
  factorCategories: ['CONFIG_CHANGE'],
  ...over,
});

describe('isRepeat (PRODUCT.md 5)', () => {
  it('89 days before: repeat; 91 days before: not', () => {
    expect(isRepeat(incident, [prior(89)])).toBe(true);
    expect(isRepeat(incident, [prior(91)])).toBe(false);
  });

  it('exactly 90 × 24 h counts; 1 ms more does not', () => {
    expect(isRepeat(incident, [prior(90)])).toBe(true);
    expect(isRepeat(incident, [{ ...prior(90), startedAt: new Date(start.getTime() - 90 * DAY - 1) }])).toBe(false);
  });

  it('must be strictly earlier: same instant or later does not count', () => {
    expect(isRepeat(incident, [prior(0)])).toBe(false);
    expect(isRepeat(incident, [prior(-1)])).toBe(false);
    expect(isRepeat(incident, [{ ...prior(0), startedAt: new Date(start.getTime() - 1) }])).toBe(true);
  });

  it('needs a shared service and a shared category', () => {
    expect(isRepeat(incident, [prior(10, { serviceIds: ['search'] })])).toBe(false);
    expect(isRepeat(incident, [prior(10, { factorCategories: ['CAPACITY'] })])).toBe(false);
    expect(isRepeat(incident, [prior(10, { serviceIds: ['search', 'checkout'], factorCategories: ['CAPACITY', 'CONFIG_CHANGE'] })])).toBe(true);
    const multi: RepeatCandidate = { ...incident, serviceIds: ['a', 'checkout'], factorCategories: ['NETWORK', 'CONFIG_CHANGE'] };
    expect(isRepeat(multi, [prior(10)])).toBe(true);
  });

  it('an incident is never a repeat of itself', () => {
    expect(isRepeat(incident, [{ ...incident, startedAt: new Date(start.getTime() - DAY) }])).toBe(false);
  });

  it('no services, factors or prior incidents: not a repeat', () => {
    expect(isRepeat({ ...incident, serviceIds: [] }, [prior(1)])).toBe(false);
    expect(isRepeat({ ...incident, factorCategories: [] as FactorCategory[] }, [prior(1)])).toBe(false);
    expect(isRepeat(incident, [])).toBe(false);
  });

  it('takes the window as a parameter', () => {
    expect(isRepeat(incident, [prior(20)], 14)).toBe(false);
    expect(isRepeat(incident, [prior(13)], 14)).toBe(true);
  });
});
