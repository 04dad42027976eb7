import { Client } from 'pg';
import {
  DEFAULT_POLICIES, FactorCategory, HISTOGRAM_OVERFLOW_BOUND, MINUTE_HISTOGRAM_BOUNDS, Severity,
} from '@hindsight/domain';
import { ActionItemsService } from '@hindsight/server-action-items';
import { CatalogService, type NewSlo } from '@hindsight/server-catalog';
import type { SessionActor } from '@hindsight/server-graphql';
import { AnalysisService, IncidentInput, IncidentsService } from '@hindsight/server-incidents';
import { InsightsModule, InsightsService, type ReliabilityFilterInput } from '@hindsight/server-insights';
import { ModuleHarness, selected, testModule } from '@hindsight/server-testing';
import { loadReferenceRows, ReferenceIncident, referenceFor, REPORT } from './reference.fixtures';

/**
 * Correctness of the insights on small data sets with known answers. Every figure is
 * asserted exactly: percentiles as the continuous-interpolation formula written out by hand
 * (rank = p × (n − 1)), costs from the PRODUCT.md 5 formula with the default hourly rate 150.
 * The insights room and the rooms it reads (no API): writes go through the owning rooms'
 * services as the mutations do, and the figures are InsightsService's, compared as the
 * queries selected them. What a client meets (refusals, sign-in, the REST exports):
 * insights.api.spec.ts.
 */

let room: ModuleHarness;
let db: Client;
let admin: SessionActor;


interface Stats { count: number; median: number | null; p90: number | null; max: number | null; histogram: { upperBound: number; count: number }[] }
interface Report {
  from: string; to: string; interval: string; incidents: number;
  points: { periodStart: string; incidents: number; bySeverity: { severity: Severity; count: number }[]; timeToResolveMinutes: Stats; cost: number }[];
  timeToDetectMinutes: Stats; timeToMitigateMinutes: Stats; timeToResolveMinutes: Stats;
  topFactorCategories: { category: FactorCategory; count: number }[]; repeatIncidents: number;
  actionItems: { open: number; overdue: number; done: number; doneOnTime: number; doneOnTimeRate: number | null; overdueAgeDays: Stats };
  postmortemsPublishedOnTimeRate: number | null; totalCost: number;
}


const team = (name: string): Promise<string> => room.rows.team({ name });

async function service(name: string, teamId: string, revenuePerMinute: number | null): Promise<string> {
  return (await room.get(CatalogService).createService(admin, { name, kind: 'API', tier: 1, teamId, revenuePerMinute })).id;
}

/** The DateTime fields of a mutation's input parsed, as the GraphQL scalar does. */
const dates = <T>(input: Record<string, unknown>): T =>
  Object.fromEntries(Object.entries(input).map(([k, v]) => [k, /(At|^from|^to|^at)$/.test(k) && typeof v === 'string' ? new Date(v) : v])) as T;

async function incident(input: Record<string, unknown>, factors: FactorCategory[] = []): Promise<{ id: string; factorIds: string[] }> {
  const { id } = await room.get(IncidentsService).create(admin, dates<IncidentInput>({ title: 'incident', severity: 'SEV2', ...input }));
  const factorIds: string[] = [];
  for (const category of factors) factorIds.push((await room.get(AnalysisService).addContributingFactor(admin, id, { category, description: `${category} factor` })).id);
  return { id, factorIds };
}

async function actionItem(incidentId: string, input: Record<string, unknown>): Promise<string> {
  return (await room.get(ActionItemsService).create(admin, incidentId, dates({ title: 'fix it', kind: 'PREVENT', priority: 'P2', ownerTeamId: teamA, ...input }))).id;
}

const complete = (id: string): Promise<unknown> => room.get(ActionItemsService).complete(admin, id, 'done', null);
const moveDue = (id: string, dueAt: Date): Promise<unknown> => room.get(ActionItemsService).changeDueDate(admin, id, dueAt, 'renegotiated');

const filterOf = (filter: Record<string, unknown>): ReliabilityFilterInput => dates<ReliabilityFilterInput>(filter);
const report = async (filter: Record<string, unknown>): Promise<Report> => selected<Report>(await room.get(InsightsService).reliabilityReport(filterOf(filter)), REPORT);

/** Continuous percentile of sorted values, written out: rank p × (n − 1), linear between neighbours. */
const pct = (sorted: number[], p: number): number => {
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  return lo === rank ? sorted[lo] : sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (rank - lo);
};

const BOUNDS = [...MINUTE_HISTOGRAM_BOUNDS, HISTOGRAM_OVERFLOW_BOUND];
const bins = (counts: Record<number, number>): { upperBound: number; count: number }[] => BOUNDS.map((upperBound) => ({ upperBound, count: counts[upperBound] ?? 0 }));
const sev = (s1: number, s2: number, s3: number, s4: number) => [
  { severity: 'SEV1', count: s1 }, { severity: 'SEV2', count: s2 }, { severity: 'SEV3', count: s3 }, { severity: 'SEV4', count: s4 },
];
/** A report without the overdue ages' values, which grow with the clock between two requests (their count and bins stay). */
const steady = (r: Report): Report => ({
  ...r,
  actionItems: { ...r.actionItems, overdueAgeDays: { ...r.actionItems.overdueAgeDays, median: null, p90: null, max: null } },
});
const at = (iso: string, plusMinutes = 0): string => new Date(new Date(iso).getTime() + plusMinutes * 60_000).toISOString();
const DAY = 86_400_000;

let teamA: string;
let teamB: string;
let svcA1: string;
let svcA2: string;
let svcB: string;
const inc: Record<string, { id: string; factorIds: string[] }> = {};
const items: Record<string, string> = {};

beforeAll(async () => {
  room = await testModule([InsightsModule]);
  db = new Client({ connectionString: room.db.url });
  await db.connect();
  admin = await room.actor('ADMIN');
  teamA = await team('Alpha');
  teamB = await team('Beta');
  svcA1 = await service('a1', teamA, 100);
  svcA2 = await service('a2', teamA, null);
  svcB = await service('b', teamB, 10);

  // History before the range: a repeat candidate only.
  inc.I0 = await incident({ serviceIds: [svcA1], startedAt: '2023-12-31T23:59:59Z', resolvedAt: '2024-01-01T00:30:00Z' }, ['CONFIG_CHANGE']);
  // Week of Mon 2024-01-01.
  inc.I1 = await incident({
    severity: 'SEV1', serviceIds: [svcA1], segments: ['enterprise'], startedAt: '2024-01-02T10:00:00Z',
    detectedAt: at('2024-01-02T10:00:00Z', 5), mitigatedAt: at('2024-01-02T10:00:00Z', 30), resolvedAt: at('2024-01-02T10:00:00Z', 60),
    responderHours: 2, slaCredits: 500,
  }, ['CAPACITY']);
  // Sunday 23:50, resolved on Monday: counts in the week it started.
  inc.I2 = await incident({
    severity: 'SEV2', serviceIds: [svcA1], startedAt: '2024-01-07T23:50:00Z', detectedAt: '2024-01-08T00:00:00Z', resolvedAt: '2024-01-08T01:50:00Z',
  }, ['CAPACITY', 'CONFIG_CHANGE']);
  // Week of Mon 2024-01-08: the first at exactly Monday 00:00.
  inc.I3 = await incident({ severity: 'SEV3', serviceIds: [svcB], segments: ['eu'], startedAt: '2024-01-08T00:00:00Z', resolvedAt: '2024-01-08T00:15:00Z' }, ['NETWORK']);
  inc.I4 = await incident({ severity: 'SEV2', status: 'INVESTIGATING', serviceIds: [svcA2], segments: ['Enterprise'], startedAt: '2024-01-09T12:00:00Z', responderHours: 1 });
  inc.I5 = await incident({
    severity: 'SEV4', serviceIds: [svcA1, svcB], startedAt: '2024-01-10T00:00:00Z', detectedAt: '2024-01-10T00:01:00Z', resolvedAt: '2024-01-10T00:07:00Z',
  }, ['NETWORK', 'CAPACITY']);
  // At `to`: outside [from, to).
  inc.I6 = await incident({ severity: 'SEV1', serviceIds: [svcB], startedAt: '2024-01-29T00:00:00Z', resolvedAt: '2024-01-29T01:00:00Z' }, ['NETWORK']);

  // I1's postmortem published before its due date (resolved + 5 days); I2's and I3's are past due.
  await db.query(`UPDATE postmortems SET status = 'PUBLISHED', published_at = '2024-01-05T00:00:00Z' WHERE incident_id = $1`, [inc.I1.id]);

  const now = Date.now();
  // Done on time: due in the future, moved further out, completed now.
  items.onTime = await actionItem(inc.I1.id, { dueAt: new Date(now + 10 * DAY).toISOString(), addressesFactorId: inc.I1.factorIds[0], effortDays: 2 });
  await moveDue(items.onTime, new Date(now + 20 * DAY));
  await complete(items.onTime);
  // Late: due in the future, the date then moved into the past, completed after it.
  items.late = await actionItem(inc.I1.id, { dueAt: new Date(now + 10 * DAY).toISOString() });
  await moveDue(items.late, new Date(now - DAY));
  await complete(items.late);
  // Rescued: overdue, then given a new date, completed before it.
  items.rescued = await actionItem(inc.I3.id, { dueAt: new Date(now - 5 * DAY).toISOString(), ownerTeamId: teamB });
  await moveDue(items.rescued, new Date(now + 5 * DAY));
  await complete(items.rescued);
  // Open: two overdue (2 and 10 days), one not yet due; one WONT_DO (neither open nor done).
  items.overdue2 = await actionItem(inc.I1.id, { dueAt: new Date(now - 2 * DAY).toISOString() });
  items.overdue10 = await actionItem(inc.I3.id, { dueAt: new Date(now - 10 * DAY).toISOString(), ownerTeamId: teamB });
  items.notDue = await actionItem(inc.I2.id, { dueAt: new Date(now + 3 * DAY).toISOString() });
  items.wontDo = await actionItem(inc.I2.id, { dueAt: new Date(now + 3 * DAY).toISOString() });
  await room.get(ActionItemsService).update(admin, items.wontDo, { status: 'WONT_DO' }, { reason: 'superseded' });
}, 120_000);

afterAll(async () => {
  await db.end();
  await room.close();
});

const RANGE = { from: '2024-01-01T00:00:00Z', to: '2024-01-29T00:00:00Z' };

describe('reliabilityReport', () => {
  let r: Report;
  beforeAll(async () => { r = await report(RANGE); });

  it('covers incidents started in [from, to), with one point per week, empty weeks included', () => {
    expect(r.incidents).toBe(5);
    expect(r.interval).toBe('WEEK');
    expect(r.points.map((p) => [p.periodStart, p.incidents])).toEqual([
      ['2024-01-01T00:00:00.000Z', 2], ['2024-01-08T00:00:00.000Z', 3], ['2024-01-15T00:00:00.000Z', 0], ['2024-01-22T00:00:00.000Z', 0],
    ]);
    expect(r.points.map((p) => p.bySeverity)).toEqual([sev(1, 1, 0, 0), sev(0, 1, 1, 1), sev(0, 0, 0, 0), sev(0, 0, 0, 0)]);
  });

  it('gives each point its time-to-resolve distribution (the Sunday incident in its own week)', () => {
    // week 1: I1 60, I2 120 (started Sunday 23:50, resolved Monday); week 2: I5 7, I3 15, I4 unresolved (left out)
    expect(r.points[0].timeToResolveMinutes).toEqual({ count: 2, median: 90, p90: pct([60, 120], 0.9), max: 120, histogram: bins({ 60: 1, 120: 1 }) });
    expect(r.points[1].timeToResolveMinutes).toEqual({ count: 2, median: 11, p90: pct([7, 15], 0.9), max: 15, histogram: bins({ 15: 2 }) });
    expect(r.points[2].timeToResolveMinutes).toEqual({ count: 0, median: null, p90: null, max: null, histogram: bins({}) });
  });

  it('reports TTD, TTM and TTR as distributions with continuous percentiles', () => {
    expect(r.timeToResolveMinutes).toEqual({ count: 4, median: pct([7, 15, 60, 120], 0.5), p90: pct([7, 15, 60, 120], 0.9), max: 120, histogram: bins({ 15: 2, 60: 1, 120: 1 }) });
    expect(r.timeToResolveMinutes.median).toBe(37.5);
    expect(r.timeToDetectMinutes).toEqual({ count: 3, median: 5, p90: pct([1, 5, 10], 0.9), max: 10, histogram: bins({ 5: 2, 15: 1 }) });
    expect(r.timeToMitigateMinutes).toEqual({ count: 1, median: 30, p90: 30, max: 30, histogram: bins({ 30: 1 }) });
  });

  it('prices each incident: revenue to mitigation (else resolution) × services, responder hours, credits', () => {
    const i1 = 30 * 100 + 2 * 150 + 500; // mitigated after 30 min, 2 responder hours, 500 credits
    const i2 = 120 * 100; // no mitigation: outage to resolution; no hours, no credits
    const i3 = 15 * 10;
    const i4 = 1 * 150; // unresolved, but its service has no revenue figure: hours only
    const i5 = 7 * (100 + 10); // two services' revenue adds up
    expect(r.points.map((p) => p.cost)).toEqual([i1 + i2, i3 + i4 + i5, 0, 0]);
    expect(r.totalCost).toBe(i1 + i2 + i3 + i4 + i5);
  });

  it('counts incidents per factor category and the repeats', () => {
    expect(r.topFactorCategories).toEqual([{ category: 'CAPACITY', count: 3 }, { category: 'NETWORK', count: 2 }, { category: 'CONFIG_CHANGE', count: 1 }]);
    // I2 repeats I1 (a1, CAPACITY); I5 repeats I3 (b, NETWORK) and I1/I2 (a1, CAPACITY). I1 does not repeat I0 (other category).
    expect(r.repeatIncidents).toBe(2);
  });

  it('reports the action items of the covered incidents, done on time by the due date in force at completion', async () => {
    const { open, overdue, done, doneOnTime, doneOnTimeRate, overdueAgeDays } = r.actionItems;
    expect({ open, overdue, done, doneOnTime, doneOnTimeRate }).toEqual({ open: 3, overdue: 2, done: 3, doneOnTime: 2, doneOnTimeRate: 2 / 3 });
    expect(overdueAgeDays.count).toBe(2);
    // Ages grow with the clock: 2 and 10 days when the items were made, a little more now.
    expect(overdueAgeDays.median).toBeGreaterThanOrEqual(6);
    expect(overdueAgeDays.median).toBeLessThan(6.01);
    expect(overdueAgeDays.histogram.map((b) => b.count)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('rates postmortems published within policy among those due', () => {
    // I1 published before due; I2 (SEV2) and I3 (SEV3) past due unpublished; I4 unresolved and I5 (SEV4) have no due date.
    expect(r.postmortemsPublishedOnTimeRate).toBe(1 / 3);
  });

  it('filters by team (owning team of any affected service), service, severities and segment', async () => {
    const b = await report({ ...RANGE, teamId: teamB });
    expect(b.incidents).toBe(2); // I3 (b), I5 (a1 + b)
    expect(b.totalCost).toBe(15 * 10 + 7 * 110);
    expect(b.actionItems).toMatchObject({ open: 1, overdue: 1, done: 1, doneOnTime: 1 });
    const a2 = await report({ ...RANGE, serviceId: svcA2 });
    expect([a2.incidents, a2.totalCost, a2.timeToResolveMinutes.count]).toEqual([1, 150, 0]);
    const severe = await report({ ...RANGE, severities: ['SEV1', 'SEV2'] });
    expect(severe.incidents).toBe(3);
    expect(severe.points.map((p) => p.incidents)).toEqual([2, 1, 0, 0]);
    // "enterprise" matches "Enterprise" (segments are typed by people).
    const ent = await report({ ...RANGE, segment: 'enterprise' });
    expect(ent.incidents).toBe(2);
    expect(ent.totalCost).toBe(3800 + 150);
    expect(ent.timeToResolveMinutes).toMatchObject({ count: 1, median: 60, p90: 60 });
  });

  it('has monthly points starting the 1st, the first one before `from` when from is mid-month', async () => {
    const m = await report({ from: '2023-12-15T00:00:00Z', to: '2024-02-01T00:00:00Z', interval: 'MONTH' });
    expect(m.points.map((p) => [p.periodStart, p.incidents])).toEqual([['2023-12-01T00:00:00.000Z', 1], ['2024-01-01T00:00:00.000Z', 6]]);
  });

  it('agrees with the domain reference computed from the raw rows, for several filters', async () => {
    const rows = await loadReferenceRows(db, DEFAULT_POLICIES.hourlyResponderRate, new Date());
    const filters: [Record<string, unknown>, (i: ReferenceIncident) => boolean][] = [
      [{}, () => true],
      [{ teamId: teamA }, (i) => i.teamIds.includes(teamA)],
      [{ segment: 'ENTERPRISE' }, (i) => i.segments.some((s) => s.toLowerCase() === 'enterprise')],
      [{ severities: ['SEV2', 'SEV3'], interval: 'MONTH' }, (i) => ['SEV2', 'SEV3'].includes(i.severity)],
    ];
    for (const [filter, keep] of filters) {
      const from = new Date('2023-12-01T00:00:00Z');
      const to = new Date('2024-03-01T00:00:00Z');
      const expected = referenceFor(rows, from, to, (filter['interval'] as 'MONTH' | undefined) ?? 'WEEK', keep);
      const actual = await report({ from: from.toISOString(), to: to.toISOString(), ...filter });
      const { overdueAgeDays: ages, ...health } = actual.actionItems;
      const { overdueAgeDays: expectedAges, ...expectedHealth } = expected.actionItems;
      expect(health).toEqual(expectedHealth);
      expect(ages.count).toBe(expectedAges.count);
      expect({ ...actual, actionItems: null }).toEqual({ ...expected, actionItems: null });
    }
  });
});

describe('repeat incidents at the 90-day boundary', () => {
  it('counts a prior incident 89 and exactly 90 days back, not 91', async () => {
    const t0 = new Date('2025-01-01T06:00:00Z').getTime();
    const cases = [89, 90, 91];
    for (const days of cases) {
      const svc = await service(`repeat-${days}`, teamB, null);
      await incident({ serviceIds: [svc], startedAt: new Date(t0).toISOString() }, ['BAD_DATA']);
      await incident({ serviceIds: [svc], startedAt: new Date(t0 + days * DAY).toISOString() }, ['BAD_DATA']);
    }
    const r = await report({ from: new Date(t0 + 80 * DAY).toISOString(), to: new Date(t0 + 100 * DAY).toISOString() });
    expect(r.incidents).toBe(3);
    expect(r.repeatIncidents).toBe(2);
  });
});

describe('segmentComparison', () => {
  it('puts the segment next to everyone for the same filter', async () => {
    const c = selected<{ segment: string; segmentReport: Report; everyone: Report }>(
      await room.get(InsightsService).segmentComparison(filterOf(RANGE), ' Enterprise '),
      `segment segmentReport { ${REPORT} } everyone { ${REPORT} }`,
    );
    expect(c.segment).toBe('Enterprise');
    expect([c.segmentReport.incidents, c.segmentReport.totalCost]).toEqual([2, 3950]);
    expect(steady(c.everyone)).toEqual(steady(await report(RANGE)));
    expect(steady(c.segmentReport)).toEqual(steady(await report({ ...RANGE, segment: 'enterprise' })));
    await expect(room.get(InsightsService).segmentComparison(filterOf({ ...RANGE, segment: 'eu' }), 'eu')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'filter.segment' } });
  });
});

describe('errorBudgets', () => {
  let svcE: string;
  const AT = '2024-03-29T00:00:00Z'; // 28-day window opens 2024-03-01T00:00Z; 7-day window 2024-03-22T00:00Z
  beforeAll(async () => {
    svcE = await service('e', teamA, null);
    for (const input of [
      { serviceId: svcE, dimension: 'AVAILABILITY', objective: 99.9 }, // stored as 0.999, window 28
      { serviceId: svcE, dimension: 'AVAILABILITY', objective: 0.99, windowDays: 7, segment: 'enterprise' },
    ] as NewSlo[]) await room.get(CatalogService).createSlo(admin, input);
    const avail = { serviceIds: [svcE], impactedDimensions: ['AVAILABILITY'] };
    // Straddles the window's start: 60 of its 120 minutes are inside.
    await incident({ ...avail, startedAt: '2024-02-29T23:00:00Z', resolvedAt: '2024-03-01T01:00:00Z' });
    // Two overlapping incidents, 00:00–00:40 and 00:20–01:00: 60 minutes, not 80.
    await incident({ ...avail, segments: ['Enterprise'], startedAt: '2024-03-10T00:00:00Z', resolvedAt: '2024-03-10T00:40:00Z' });
    await incident({ ...avail, startedAt: '2024-03-10T00:20:00Z', resolvedAt: '2024-03-10T01:00:00Z' });
    // Unresolved, 30 minutes before `at`: consumes up to `at` (the window's end).
    await incident({ ...avail, segments: ['enterprise'], status: 'INVESTIGATING', startedAt: '2024-03-28T23:30:00Z' });
    // None of these count: after `at`, before the window, another dimension.
    await incident({ ...avail, startedAt: '2024-03-29T01:00:00Z' });
    await incident({ ...avail, startedAt: '2024-02-01T00:00:00Z', resolvedAt: '2024-02-02T00:00:00Z' });
    await incident({ serviceIds: [svcE], impactedDimensions: ['LATENCY'], startedAt: '2024-03-15T00:00:00Z', resolvedAt: '2024-03-15T05:00:00Z' });
  });

  // slo.serviceId: what the API resolves to slo.service with a loader.
  const SELECTION = `slo { objective windowDays segment serviceId } windowStart at budgetMinutes consumedMinutes remainingMinutes`;
  const errorBudgets = async (serviceId: string | null, segment: string | null, at: string | null) =>
    selected<Record<string, unknown>[]>(await room.get(InsightsService).errorBudgets(serviceId, segment, at === null ? null : new Date(at)), SELECTION);

  it('computes budget, consumed (overlaps at both window edges, merged, unresolved to at) and a negative remainder', async () => {
    expect(await errorBudgets(svcE, null, AT)).toEqual([
      {
        slo: { objective: 0.999, windowDays: 28, segment: null, serviceId: svcE }, windowStart: '2024-03-01T00:00:00.000Z', at: '2024-03-29T00:00:00.000Z',
        budgetMinutes: 40.32, consumedMinutes: 60 + 60 + 30, remainingMinutes: -109.68,
      },
      {
        // Only incidents listing the segment, inside the 7-day window: the unresolved one.
        slo: { objective: 0.99, windowDays: 7, segment: 'enterprise', serviceId: svcE }, windowStart: '2024-03-22T00:00:00.000Z', at: '2024-03-29T00:00:00.000Z',
        budgetMinutes: 100.8, consumedMinutes: 30, remainingMinutes: 70.8,
      },
    ]);
  });

  it('filters by segment, and refuses an unknown service', async () => {
    expect((await errorBudgets(null, 'ENTERPRISE', AT)).map((b) => (b['slo'] as { segment: string }).segment)).toEqual(['enterprise']);
    await expect(room.get(InsightsService).errorBudgets('00000000-0000-0000-0000-000000000000', null, null)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'serviceId' } });
  });
});

describe('ROI and cost savings', () => {
  it('prices ActionItem.roi from past incidents of its category and service, null without inputs', async () => {
    // Anchor the look-back at a completion on 2024-01-20: I1 (3800) and I2 (12000) share a1 and CAPACITY; I5 too (770).
    await db.query(`UPDATE action_items SET completed_at = '2024-01-20T00:00:00Z' WHERE id = $1`, [items.onTime]);
    // ActionItem.roi: the API's loader batches the items of a page into this one call.
    const [a, b] = (await room.get(InsightsService).roi([items.onTime, items.late])).map((roi) => ({ roi }));
    const avoidedPerYear = 3; // three such incidents in the 365 days up to completion
    const averageCost = (3800 + 12000 + 770) / 3;
    expect(a.roi).toBe((avoidedPerYear * averageCost) / (2 * DEFAULT_POLICIES.personDayCost));
    expect(b.roi).toBeNull(); // no addressed factor, no effort
  });

  it('compares incidents and cost before and after completion in equal windows', async () => {
    await db.query(`UPDATE action_items SET completed_at = '2024-01-09T00:00:00Z' WHERE id = $1`, [items.onTime]);
    const costSavings = selected(
      await room.get(InsightsService).costSavings(dates({ from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z', windowDays: 7 })),
      `items { actionItem { id } category windowDays incidentsBefore incidentsAfter costBefore costAfter savings } incidentsBefore incidentsAfter costBefore costAfter savings`,
    );
    // Before [01-02, 01-09): I1 and I2 (a1, CAPACITY). After [01-09, 01-16): I5 (a1 + b, CAPACITY).
    const item = { actionItem: { id: items.onTime }, category: 'CAPACITY', windowDays: 7, incidentsBefore: 2, incidentsAfter: 1, costBefore: 15800, costAfter: 770, savings: 15030 };
    expect(costSavings).toEqual({ items: [item], incidentsBefore: 2, incidentsAfter: 1, costBefore: 15800, costAfter: 770, savings: 15030 });
    const other = await room.get(InsightsService).costSavings(dates({ from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z', teamId: teamB }));
    expect(other.items).toEqual([]);
  });
});
