import { validateChannelInput, validateServiceInput, validateSloInput, validateTeamInput, validateUserInput } from './catalog.validation';

const fields = (errors: { field: string }[]): string[] => errors.map((e) => e.field);

describe('users', () => {
  const ok = { email: 'alice@example.com', name: 'Alice', role: 'COMMANDER', password: 'correct horse battery' };
  it('accepts a complete user', () => {
    expect(validateUserInput(ok)).toEqual([]);
  });
  it('reports every bad field at once', () => {
    expect(fields(validateUserInput({ email: 'nope', name: ' ', role: 'OWNER', password: 'short' }))).toEqual(['input.email', 'input.name', 'input.role', 'input.password']);
  });
  it('password: the rule for new passwords (12 characters minimum, not a common one)', () => {
    expect(validateUserInput({ ...ok, password: 'correct hors' })).toEqual([]);
    expect(validateUserInput({ ...ok, password: 'correct hor' })).toHaveLength(1);
    expect(validateUserInput({ ...ok, password: 'qwertyuiop123' })[0]).toMatchObject({ field: 'input.password', reason: expect.stringMatching(/most common/) });
    expect(validateUserInput({ ...ok, password: 'x'.repeat(1025) })).toHaveLength(1);
    expect(validateUserInput({ ...ok, password: undefined })[0].reason).toBe('is required');
  });
  it('checks the e-mail in its normalised form (fullwidth and Unicode domains are addresses)', () => {
    expect(validateUserInput({ ...ok, email: 'ＡＬＩＣＥ＠ｅｘａｍｐｌｅ．ｃｏｍ' })).toEqual([]);
    expect(validateUserInput({ ...ok, email: 'hans@bücher.example' })).toEqual([]);
    expect(fields(validateUserInput({ ...ok, email: 'alice@bü/cher' }))).toEqual(['input.email']);
  });
});

describe('teams and services', () => {
  it('teams need a name', () => {
    expect(validateTeamInput({ name: 'Payments' })).toEqual([]);
    expect(fields(validateTeamInput({ name: '' }))).toEqual(['input.name']);
  });

  it('services: kind, tier 1–3, team, non-negative revenue', () => {
    const ok = { name: 'checkout-api', kind: 'API', tier: 1, teamId: 't1', revenuePerMinute: 120.5, runbook: '# Runbook' };
    expect(validateServiceInput(ok)).toEqual([]);
    expect(validateServiceInput({ ...ok, revenuePerMinute: null, runbook: null })).toEqual([]);
    expect(fields(validateServiceInput({ ...ok, kind: 'LAMBDA', tier: 4, teamId: '', revenuePerMinute: -1 }))).toEqual([
      'input.kind',
      'input.tier',
      'input.teamId',
      'input.revenuePerMinute',
    ]);
    expect(fields(validateServiceInput({ ...ok, tier: 0 }))).toEqual(['input.tier']);
    expect(fields(validateServiceInput({ ...ok, tier: 2.5 }))).toEqual(['input.tier']);
  });
});

describe('SLOs', () => {
  const ok = { serviceId: 's1', dimension: 'AVAILABILITY', objective: 0.999, windowDays: 28, segment: 'enterprise' };
  it('accepts fractions and percentages strictly between 0 and 100 %', () => {
    expect(validateSloInput(ok)).toEqual([]);
    expect(validateSloInput({ ...ok, objective: 99.9 })).toEqual([]);
    expect(validateSloInput({ ...ok, windowDays: undefined, segment: null })).toEqual([]);
    for (const objective of [0, 1, 100, -0.5, 150]) expect(fields(validateSloInput({ ...ok, objective }))).toEqual(['input.objective']);
  });
  it('checks dimension and window', () => {
    expect(fields(validateSloInput({ ...ok, dimension: 'UPTIME', windowDays: 0 }))).toEqual(['input.dimension', 'input.windowDays']);
    expect(fields(validateSloInput({ ...ok, windowDays: 366 }))).toEqual(['input.windowDays']);
    expect(fields(validateSloInput({ ...ok, objective: undefined }))).toEqual(['input.objective']);
  });
});

describe('notification channels', () => {
  it('EMAIL targets an address', () => {
    expect(validateChannelInput({ kind: 'EMAIL', name: 'Payments list', target: 'payments@example.com' })).toEqual([]);
    expect(fields(validateChannelInput({ kind: 'EMAIL', name: 'x', target: 'https://hooks.slack.com/x' }))).toEqual(['input.target']);
  });
  it('SLACK and WEBHOOK target http(s) URLs', () => {
    expect(validateChannelInput({ kind: 'SLACK', name: '#payments', target: 'https://hooks.slack.com/services/T/B/X' })).toEqual([]);
    expect(validateChannelInput({ kind: 'WEBHOOK', name: 'pager', target: 'http://localhost:9000/hook', secret: 's3cret' })).toEqual([]);
    expect(fields(validateChannelInput({ kind: 'WEBHOOK', name: 'pager', target: 'payments@example.com' }))).toEqual(['input.target']);
  });
  it('unknown kinds are reported, the target only checked for presence', () => {
    expect(fields(validateChannelInput({ kind: 'SMS', name: 'x', target: '+123' }))).toEqual(['input.kind']);
    expect(fields(validateChannelInput({ kind: 'SMS', name: 'x', target: '' }))).toEqual(['input.kind', 'input.target']);
  });
});
