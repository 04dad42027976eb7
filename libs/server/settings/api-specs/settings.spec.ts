import { ApiHarness, ApiWorld, startApiWorld } from '@hindsight/server-app/testing';
import { DEFAULT_POLICIES } from '@hindsight/domain';
import { Client } from 'pg';

let t: ApiWorld;
let api: ApiHarness;
let db: Client;
let admin: string;
let manager: string;

const POLICIES = `postmortemDueDays { SEV1 SEV2 SEV3 SEV4 } actionItemDueDays { P0 P1 P2 P3 } hourlyResponderRate personDayCost runbookReviewDays fixHoldDays`;
const UPDATE = `mutation($input: PoliciesInput!) { updatePolicies(input: $input) { ${POLICIES} } }`;
const REVIEW = `query($text: String!) { blamelessReview(text: $text) { phrase start end suggestion rule } }`;

beforeAll(async () => {
  ({ api, db, admin } = t = await startApiWorld());
  manager = (await t.world.signedIn({ email: 'mia@test.local', name: 'Mia Manager', role: 'MANAGER', password: 'manager-password' })).token;
});

afterAll(() => t?.close());

describe('policies', () => {
  it('answers the defaults of PRODUCT.md 4 to anyone signed in, and nothing to anonymous callers', async () => {
    const res = await api.gql<{ policies: unknown }>(`{ policies { ${POLICIES} } }`, {}, manager);
    expect(res.data!.policies).toEqual(DEFAULT_POLICIES);
    const anonymous = await api.gql(`{ policies { personDayCost } }`, {}, null);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets an ADMIN change some values, keeps the rest, stores and audits the change', async () => {
    const res = await api.gql<{ updatePolicies: { postmortemDueDays: Record<string, number | null>; actionItemDueDays: Record<string, number>; hourlyResponderRate: number } }>(
      UPDATE,
      { input: { postmortemDueDays: { SEV4: 30 }, actionItemDueDays: { P0: 3 }, hourlyResponderRate: 210.5 } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    const expected = {
      postmortemDueDays: { SEV1: 5, SEV2: 10, SEV3: 20, SEV4: 30 },
      actionItemDueDays: { P0: 3, P1: 30, P2: 90, P3: 180 },
      hourlyResponderRate: 210.5,
      personDayCost: 1200,
      runbookReviewDays: 90,
      fixHoldDays: 90,
    };
    expect(res.data!.updatePolicies).toEqual(expected);
    expect((await api.gql<{ policies: unknown }>(`{ policies { ${POLICIES} } }`, {}, manager)).data!.policies).toEqual(expected);
    const stored = await db.query(`SELECT value, updated_by FROM settings WHERE key = 'policies'`);
    expect(stored.rows[0].value).toEqual(expected);
    const audit = await db.query(`SELECT before, after FROM audit_log WHERE action = 'policies.update'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].before.hourlyResponderRate).toBe(150);
    expect(audit.rows[0].after.hourlyResponderRate).toBe(210.5);
  });

  it('sets a severity back to "no postmortem required" with null', async () => {
    const res = await api.gql<{ updatePolicies: { postmortemDueDays: { SEV4: number | null } } }>(UPDATE, { input: { postmortemDueDays: { SEV4: null } } }, admin);
    expect(res.data!.updatePolicies.postmortemDueDays.SEV4).toBeNull();
  });

  it.each([
    ['a P0 later than the P1', { actionItemDueDays: { P0: 45 } }, 'input.actionItemDueDays.P1'],
    ['0 days', { actionItemDueDays: { P2: 0 } }, 'input.actionItemDueDays.P2'],
    ['more than two years', { postmortemDueDays: { SEV3: 731 } }, 'input.postmortemDueDays.SEV3'],
    ['a SEV2 due sooner than the SEV1', { postmortemDueDays: { SEV2: 2 } }, 'input.postmortemDueDays.SEV2'],
    ['clearing a priority', { actionItemDueDays: { P3: null } }, 'input.actionItemDueDays.P3'],
    ['a negative hourly rate', { hourlyResponderRate: -1 }, 'input.hourlyResponderRate'],
    ['a person-day cost of 0', { personDayCost: 0 }, 'input.personDayCost'],
    ['a cleared person-day cost', { personDayCost: null }, 'input.personDayCost'],
  ])('refuses %s with BAD_USER_INPUT and changes nothing', async (_label, input, field) => {
    const before = await db.query(`SELECT value FROM settings WHERE key = 'policies'`);
    const audits = await t.count('audit_log');
    const res = await api.gql(UPDATE, { input }, admin);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect((await db.query(`SELECT value FROM settings WHERE key = 'policies'`)).rows).toEqual(before.rows);
    expect(await t.count('audit_log')).toBe(audits);
  });

  it('refuses fractional days at the schema level', async () => {
    const res = await api.gql(UPDATE, { input: { actionItemDueDays: { P1: 1.5 } } }, admin);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lets only an ADMIN change policies', async () => {
    const res = await api.gql(UPDATE, { input: { personDayCost: 1 } }, manager);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('blamelessReview', () => {
  it('flags blame-laden phrases with offsets and a suggestion', async () => {
    const text = 'The outage was human error: Alice forgot to run the migration.';
    const res = await api.gql<{ blamelessReview: { phrase: string; start: number; end: number; suggestion: string; rule: string }[] }>(REVIEW, { text }, manager);
    const findings = res.data!.blamelessReview;
    expect(findings.map((f) => [f.phrase, f.rule])).toEqual([
      ['human error', 'human-error'],
      ['Alice forgot to', 'person-forgot'],
    ]);
    for (const f of findings) {
      expect(text.slice(f.start, f.end)).toBe(f.phrase);
      expect(f.suggestion.length).toBeGreaterThan(20);
    }
  });

  it('finds nothing in system-focused prose', async () => {
    const text = 'The deploy pipeline failed to roll back because the canary had no traffic; we added a synthetic load step.';
    const res = await api.gql<{ blamelessReview: unknown[] }>(REVIEW, { text }, manager);
    expect(res.data!.blamelessReview).toEqual([]);
  });

  it('refuses a text over 100 kB', async () => {
    const res = await api.gql(REVIEW, { text: 'x'.repeat(102401) }, manager);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
  });
});
