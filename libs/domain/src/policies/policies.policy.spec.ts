import { actionItemDueAt, DEFAULT_POLICIES, Policies, postmortemDueAt, validatePolicies, withDefaultPolicies } from './policies.policy';

const resolved = new Date('2024-05-01T10:00:00Z');

describe('default policies (PRODUCT.md 4)', () => {
  it('match the spec table', () => {
    expect(DEFAULT_POLICIES.postmortemDueDays).toEqual({ SEV1: 5, SEV2: 10, SEV3: 20, SEV4: null });
    expect(DEFAULT_POLICIES.actionItemDueDays).toEqual({ P0: 7, P1: 30, P2: 90, P3: 180 });
    expect(DEFAULT_POLICIES.hourlyResponderRate).toBe(150);
    expect(DEFAULT_POLICIES.personDayCost).toBe(1200);
  });

  it('are frozen so no caller can change them for everyone', () => {
    expect(Object.isFrozen(DEFAULT_POLICIES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICIES.postmortemDueDays)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICIES.actionItemDueDays)).toBe(true);
  });

  it('pass their own validation', () => {
    expect(validatePolicies(DEFAULT_POLICIES)).toEqual([]);
  });
});

describe('postmortemDueAt', () => {
  it.each([
    ['SEV1', '2024-05-06T10:00:00.000Z'],
    ['SEV2', '2024-05-11T10:00:00.000Z'],
    ['SEV3', '2024-05-21T10:00:00.000Z'],
  ] as const)('%s is due %s after resolution', (severity, due) => {
    expect(postmortemDueAt(severity, resolved)?.toISOString()).toBe(due);
  });

  it('SEV4 needs no postmortem', () => {
    expect(postmortemDueAt('SEV4', resolved)).toBeNull();
  });

  it('is not due before the incident is resolved', () => {
    expect(postmortemDueAt('SEV1', null)).toBeNull();
    expect(postmortemDueAt('SEV1', undefined)).toBeNull();
    expect(postmortemDueAt('SEV1', new Date('invalid'))).toBeNull();
  });

  it('follows configured policies', () => {
    const p = withDefaultPolicies({ postmortemDueDays: { SEV1: 2, SEV4: 30 } });
    expect(postmortemDueAt('SEV1', resolved, p)?.toISOString()).toBe('2024-05-03T10:00:00.000Z');
    expect(postmortemDueAt('SEV4', resolved, p)?.toISOString()).toBe('2024-05-31T10:00:00.000Z');
  });
});

describe('actionItemDueAt', () => {
  const created = new Date('2024-01-01T00:00:00Z');
  it.each([
    ['P0', '2024-01-08T00:00:00.000Z'],
    ['P1', '2024-01-31T00:00:00.000Z'],
    ['P2', '2024-03-31T00:00:00.000Z'],
    ['P3', '2024-06-29T00:00:00.000Z'],
  ] as const)('%s is due %s', (priority, due) => {
    expect(actionItemDueAt(priority, created).toISOString()).toBe(due);
  });
});

describe('withDefaultPolicies', () => {
  it('fills gaps from the defaults and keeps set values', () => {
    expect(withDefaultPolicies(null)).toEqual(DEFAULT_POLICIES);
    const p = withDefaultPolicies({ actionItemDueDays: { P0: 3 }, personDayCost: 900 });
    expect(p.actionItemDueDays).toEqual({ P0: 3, P1: 30, P2: 90, P3: 180 });
    expect(p.personDayCost).toBe(900);
    expect(p.hourlyResponderRate).toBe(150);
  });

  it('keeps an explicit null (not required)', () => {
    expect(withDefaultPolicies({ postmortemDueDays: { SEV3: null } }).postmortemDueDays.SEV3).toBeNull();
  });
});

describe('validatePolicies', () => {
  const valid = (): Policies => withDefaultPolicies({});
  const fields = (input: unknown): string[] => validatePolicies(input).map((e) => e.field);

  it('refuses non-objects', () => {
    expect(validatePolicies(null)).toEqual([{ field: 'input', reason: 'must be an object' }]);
    expect(validatePolicies([])).toEqual([{ field: 'input', reason: 'must be an object' }]);
    expect(fields({})).toEqual(['input.postmortemDueDays', 'input.actionItemDueDays', 'input.hourlyResponderRate', 'input.personDayCost']);
  });

  it('checks each due-days value: whole days 1–730, null only for postmortems', () => {
    expect(fields({ ...valid(), postmortemDueDays: { SEV1: 0, SEV2: 10, SEV3: 20, SEV4: null } })).toEqual(['input.postmortemDueDays.SEV1']);
    expect(fields({ ...valid(), postmortemDueDays: { SEV1: 5, SEV2: 10.5, SEV3: 20, SEV4: null } })).toEqual(['input.postmortemDueDays.SEV2']);
    expect(fields({ ...valid(), postmortemDueDays: { SEV1: 5, SEV2: 10, SEV3: 731, SEV4: null } })).toEqual(['input.postmortemDueDays.SEV3']);
    expect(fields({ ...valid(), postmortemDueDays: { SEV1: 5, SEV2: 10, SEV3: 730, SEV4: 730 } })).toEqual([]);
    expect(fields({ ...valid(), postmortemDueDays: { SEV1: 5, SEV2: 10, SEV3: 20 } })).toEqual(['input.postmortemDueDays.SEV4']);
    expect(fields({ ...valid(), actionItemDueDays: { P0: null, P1: 30, P2: 90, P3: 180 } })).toEqual(['input.actionItemDueDays.P0']);
    expect(fields({ ...valid(), actionItemDueDays: { P0: '7', P1: 30, P2: 90, P3: 180 } })).toEqual(['input.actionItemDueDays.P0']);
  });

  it('requires urgency to be monotonic, skipping severities without a postmortem', () => {
    const errs = validatePolicies({ ...valid(), actionItemDueDays: { P0: 30, P1: 7, P2: 90, P3: 180 } });
    expect(errs).toEqual([{ field: 'input.actionItemDueDays.P1', reason: expect.stringContaining("P0's 30 days") }]);
    expect(fields({ ...valid(), postmortemDueDays: { SEV1: 10, SEV2: 5, SEV3: 20, SEV4: null } })).toEqual(['input.postmortemDueDays.SEV2']);
    expect(fields({ ...valid(), postmortemDueDays: { SEV1: 5, SEV2: null, SEV3: 20, SEV4: null } })).toEqual([]);
    expect(fields({ ...valid(), actionItemDueDays: { P0: 7, P1: 7, P2: 7, P3: 7 } })).toEqual([]);
  });

  it('checks the cost settings', () => {
    expect(fields({ ...valid(), hourlyResponderRate: 0 })).toEqual([]);
    expect(fields({ ...valid(), hourlyResponderRate: -1 })).toEqual(['input.hourlyResponderRate']);
    expect(fields({ ...valid(), personDayCost: 0 })).toEqual(['input.personDayCost']);
    expect(fields({ ...valid(), personDayCost: Number.NaN })).toEqual(['input.personDayCost']);
    expect(fields({ ...valid(), personDayCost: 10_000_001 })).toEqual(['input.personDayCost']);
  });

  it('uses the given field prefix', () => {
    expect(validatePolicies({ ...valid(), personDayCost: 0 }, 'policies')[0].field).toBe('policies.personDayCost');
  });
});
