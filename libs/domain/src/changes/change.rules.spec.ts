import {
  changeTimelineDescription,
  changeWindow,
  checkChangeWindowMinutes,
  DEFAULT_CHANGE_WINDOW_MINUTES,
  finishedInWindow,
  isProductionEnvironment,
  secondTriggerReason,
  shortVersion,
  validateServiceAliases,
} from './change.rules';

describe('isProductionEnvironment', () => {
  it.each(['production', 'Production', 'prod', 'prd', 'live', 'prod-eu', 'eu-production', 'production/us-east-1', 'production-canary'])('%s is production', (name) => {
    expect(isProductionEnvironment(name)).toBe(true);
  });
  it.each(['staging', 'pre-prod', 'preprod', 'non-production', 'prod-staging', 'dev', 'review/feature-x', 'github-pages', 'productivity'])('%s is not', (name) => {
    expect(isProductionEnvironment(name)).toBe(false);
  });
});

describe('the window before detection', () => {
  const incident = { startedAt: new Date('2026-11-20T09:00:00Z'), detectedAt: new Date('2026-11-20T10:00:00Z') };

  it('is the 4 hours up to detection by default, both ends included', () => {
    const w = changeWindow(incident, null);
    expect(w).toEqual({ from: new Date('2026-11-20T06:00:00Z'), to: incident.detectedAt });
    expect(finishedInWindow(new Date('2026-11-20T06:00:00Z'), w)).toBe(true);
    expect(finishedInWindow(new Date('2026-11-20T05:59:59.999Z'), w)).toBe(false);
    expect(finishedInWindow(new Date('2026-11-20T10:00:00Z'), w)).toBe(true);
    expect(finishedInWindow(new Date('2026-11-20T10:00:00.001Z'), w)).toBe(false);
    expect(DEFAULT_CHANGE_WINDOW_MINUTES).toBe(240);
  });

  it('follows the incident setting, and an undetected incident its start', () => {
    expect(changeWindow(incident, 30).from).toEqual(new Date('2026-11-20T09:30:00Z'));
    expect(changeWindow({ ...incident, detectedAt: null }, 60)).toEqual({ from: new Date('2026-11-20T08:00:00Z'), to: incident.startedAt });
  });

  it.each([0, -5, 1.5, 10081, '60', null])('refuses a window of %p minutes', (m) => {
    expect(checkChangeWindowMinutes('minutes', m)).toEqual({ field: 'minutes', reason: expect.stringContaining('from 1 to 10080') });
  });
  it('accepts a minute to a week', () => {
    expect(checkChangeWindowMinutes('minutes', 1)).toBeNull();
    expect(checkChangeWindowMinutes('minutes', 10080)).toBeNull();
  });
});

describe('service aliases', () => {
  it('refuse blanks, control characters, long names and repeats ignoring case', () => {
    expect(validateServiceAliases(['checkout', ' ', 'a\nb', 'x'.repeat(201), 'Checkout'])).toEqual([
      { field: 'aliases.1', reason: 'must not be blank' },
      { field: 'aliases.2', reason: expect.stringContaining('control characters') },
      { field: 'aliases.3', reason: expect.stringContaining('at most 200') },
      { field: 'aliases.4', reason: 'repeats aliases.0 (aliases are compared ignoring case)' },
    ]);
    expect(validateServiceAliases(Array.from({ length: 51 }, (_, i) => `a${i}`))).toEqual([{ field: 'aliases', reason: expect.stringContaining('at most 50') }]);
    expect(validateServiceAliases([])).toEqual([]);
  });
});

describe('wording', () => {
  const c = { serviceName: 'checkout-api', version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e', environment: 'production', status: 'succeeded' as const, source: 'github' as const };

  it('names the service, version and where, never a person', () => {
    expect(changeTimelineDescription('TRIGGERING', c)).toBe('Triggering change: checkout-api f95f852 deployed to production (via GitHub)');
    expect(changeTimelineDescription('CONTRIBUTING', { ...c, version: null, status: 'failed', source: 'generic' })).toBe('Contributing change: checkout-api deploy failed to production (via API)');
    expect(secondTriggerReason({ serviceName: 'ledger', version: 'v1.2' })).toContain('ledger v1.2');
    expect(shortVersion('v2.14.0')).toBe('v2.14.0');
  });
});
