import { ActionItemsService } from '@hindsight/server-action-items';
import { CatalogService, type NewSlo } from '@hindsight/server-catalog';
import type { SessionActor } from '@hindsight/server-graphql';
import { AnalysisService, IncidentInput, IncidentsService } from '@hindsight/server-incidents';
import { InsightsModule, ReviewService, type ReliabilityFilterInput } from '@hindsight/server-insights';
import { ModuleHarness, selected, testModule } from '@hindsight/server-testing';
import { at, REVIEW_FIGURES, REVIEW_RANGE as RANGE, week } from './review.fixtures';

/**
 * The reliability review (issue 15) on the edge cases a page rarely shows: an empty previous
 * period, every incident unresolved, one segment, one team, a change detected on a
 * constructed series with its drivers, the outlook with too little history and with none,
 * overdue items at past period ends, error-budget burn. The insights room and the rooms it
 * reads (no API): writes go through the owning rooms' services as the mutations do, and the
 * review is ReviewService's, compared as the query selected it (drivers, services and burnt
 * services by id: the API's loaders turn them into objects). What a client meets (refusals,
 * the statements one review costs): insights.api.spec.ts.
 */

let room: ModuleHarness;
let admin: SessionActor;

const team = (name: string): Promise<string> => room.rows.team({ name });
const service = async (name: string, teamId: string): Promise<string> =>
  (await room.get(CatalogService).createService(admin, { name, kind: 'API', tier: 1, teamId, revenuePerMinute: null })).id;
const slo = async (input: NewSlo): Promise<string> => (await room.get(CatalogService).createSlo(admin, input)).id;

/** The DateTime fields of a mutation's input parsed, as the GraphQL scalar does. */
const dates = <T>(input: Record<string, unknown>): T =>
  Object.fromEntries(Object.entries(input).map(([k, v]) => [k, /(At|^from|^to)$/.test(k) && typeof v === 'string' ? new Date(v) : v])) as T;
const incident = async (input: Record<string, unknown>): Promise<string> =>
  (await room.get(IncidentsService).create(admin, dates<IncidentInput>({ title: 'incident', severity: 'SEV2', ...input }))).id;
const factor = (incidentId: string, category: string): Promise<unknown> =>
  room.get(AnalysisService).addContributingFactor(admin, incidentId, { category: category as never, description: 'factor' });

const REVIEW = `${REVIEW_FIGURES}
  changes { periodStart metric direction value baseline measure pValue method incidentIds services { serviceId count } factorCategories { category count } }
  outlook { method level history { monthStart incidents } months { monthStart expected low high } }
  budgetBurn { serviceId slo { id dimension } budgetMinutes remainingMinutes points { periodStart consumedMinutes consumedFraction } }`;

interface Figure { metric: string; value: number | null; previous: number | null; change: number | null; relativeChange: number | null; better: boolean | null; sparkline: (number | null)[] }
interface Stats { count: number; median: number | null; p90: number | null; max: number | null }
interface Review {
  current: { from: string; to: string; incidents: number; points: { periodStart: string; incidents: number }[]; timeToResolveMinutes: Stats };
  previous: { from: string; to: string; incidents: number; points: { periodStart: string; incidents: number }[] };
  headline: Figure[];
  series: { periodStart: string; incidents: number; timeToDetectMinutes: Stats; timeToMitigateMinutes: Stats; timeToResolveMinutes: Stats; cost: number;
    overdueActionItems: number; overdueP0P1ActionItems: number; repeatIncidents: number; budgetsExhausted: number }[];
  changes: { periodStart: string; metric: string; direction: string; value: number; baseline: number; measure: string; pValue: number; method: string;
    incidentIds: string[]; services: { serviceId: string; count: number }[]; factorCategories: { category: string; count: number }[] }[];
  outlook: { method: string; level: number; history: { monthStart: string; incidents: number }[]; months: { monthStart: string; expected: number; low: number; high: number }[] };
  budgetBurn: { serviceId: string; slo: { id: string; dimension: string }; budgetMinutes: number; remainingMinutes: number;
    points: { periodStart: string; consumedMinutes: number; consumedFraction: number }[] }[];
}

const review = async (filter: Record<string, unknown>): Promise<Review> =>
  selected<Review>(await room.get(ReviewService).review(dates<ReliabilityFilterInput>(filter)), REVIEW);
const fig = (r: Review, metric: string): Figure => {
  const f = r.headline.find((h) => h.metric === metric);
  if (!f) throw new Error(`no headline ${metric}`);
  return f;
};

let steadyTeam: string;
let steadySvc: string;
let openTeam: string;
let openSvc: string;
let newTeam: string;
let emptyTeam: string;
let sloId: string;
const spike: string[] = [];

beforeAll(async () => {
  room = await testModule([InsightsModule]);
  admin = await room.actor('ADMIN');

  // "Steady": two quick incidents a week for seven weeks, then a week of twelve long ones.
  steadyTeam = await team('Steady');
  steadySvc = await service('steady-api', steadyTeam);
  await slo({ serviceId: steadySvc, dimension: 'LATENCY', objective: 0.99, windowDays: 7 });
  for (let k = 0; k < 7; k++) {
    for (const minutes of [30, 40]) {
      const start = at(week(k), 24 * 60 + minutes);
      const id = await incident({ serviceIds: [steadySvc], startedAt: start, resolvedAt: at(start, minutes) });
      await factor(id, 'CAPACITY');
    }
  }
  for (let j = 0; j < 12; j++) {
    const start = at(week(7), 60 * (j + 1));
    const id = await incident({ title: `spike ${j}`, severity: j === 0 ? 'SEV1' : 'SEV3', serviceIds: [steadySvc], startedAt: start, resolvedAt: at(start, 600 + 30 * j) });
    await factor(id, j % 2 ? 'RELEASE_REGRESSION' : 'CONFIG_CHANGE');
    spike.push(id);
  }

  // "Open": nothing before March; three incidents, none resolved, two for enterprise customers, all eating an availability SLO.
  openTeam = await team('Open');
  openSvc = await service('open-api', openTeam);
  sloId = await slo({ serviceId: openSvc, dimension: 'AVAILABILITY', objective: 99.9, windowDays: 28 });
  const open1 = await incident({ severity: 'SEV1', status: 'INVESTIGATING', serviceIds: [openSvc], segments: ['enterprise'], impactedDimensions: ['AVAILABILITY'], startedAt: at(week(4), 60) });
  await incident({ severity: 'SEV2', status: 'INVESTIGATING', serviceIds: [openSvc], segments: ['Enterprise'], impactedDimensions: ['AVAILABILITY'], startedAt: at(week(5), 60) });
  await incident({ severity: 'SEV3', status: 'INVESTIGATING', serviceIds: [openSvc], segments: ['eu'], startedAt: at(week(6), 60) });
  // A P1 item due in the third week, still open; a P2 item due then too, completed today: overdue at the third and fourth period ends, as known now.
  const item = async (priority: string, dueAt: string): Promise<string> =>
    (await room.get(ActionItemsService).create(admin, open1, dates({ title: 'fix it', kind: 'PREVENT', priority, ownerTeamId: openTeam, dueAt }))).id;
  await item('P1', at(week(6), 60 * 24 * 3));
  const done = await item('P2', at(week(6), 60 * 24 * 3));
  await room.get(ActionItemsService).complete(admin, done, 'done', null);

  // "New": incidents two months ago and last month only.
  newTeam = await team('New');
  const newSvc = await service('new-api', newTeam);
  const now = new Date();
  const monthStart = (k: number): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
  for (const hour of [1, 2, 3]) await incident({ serviceIds: [newSvc], startedAt: at(monthStart(-2).toISOString(), 9 * 1440 + hour * 60), resolvedAt: at(monthStart(-2).toISOString(), 9 * 1440 + hour * 60 + 10) });
  await incident({ serviceIds: [newSvc], startedAt: at(monthStart(-1).toISOString(), 1440), resolvedAt: at(monthStart(-1).toISOString(), 1450) });

  emptyTeam = await team('Empty');
}, 120_000);

afterAll(async () => {
  await room?.close();
});

describe('reliabilityReview', () => {
  it('compares with the period of equal length before `from`, same filters and interval', async () => {
    const r = await review({ ...RANGE, teamId: steadyTeam });
    expect(r.previous.from).toBe(week(0));
    expect(r.previous.to).toBe(week(4));
    expect(r.current.points.map((p) => p.periodStart)).toEqual([week(4), week(5), week(6), week(7)]);
    expect(r.series.map((p) => p.periodStart)).toEqual(r.current.points.map((p) => p.periodStart));
    expect(r.series.map((p) => p.incidents)).toEqual([2, 2, 2, 12]);
    expect(fig(r, 'INCIDENTS')).toEqual({ metric: 'INCIDENTS', value: 18, previous: 8, change: 10, relativeChange: 1.25, better: false, sparkline: [2, 2, 2, 12] });
    expect(fig(r, 'INCIDENTS_SEV1')).toMatchObject({ value: 1, previous: 0, change: 1, relativeChange: null, better: false });
    // Resolve times: previous 4 × (30, 40) → median 35; current 3 × (30, 40) and 600…930.
    expect(fig(r, 'TTR_MEDIAN')).toMatchObject({ previous: 35, better: false });
    expect(fig(r, 'TTR_MEDIAN').sparkline).toEqual([35, 35, 35, 765]);
    expect(r.series[3].timeToResolveMinutes).toEqual({ count: 12, median: 765, p90: 897, max: 930 });
    // No detection or mitigation recorded: undefined, not zero, and not comparable.
    expect(fig(r, 'TTD_MEDIAN')).toMatchObject({ value: null, previous: null, change: null, relativeChange: null, better: null });
    expect(r.series[0].timeToDetectMinutes).toEqual({ count: 0, median: null, p90: null, max: null });
    // The six CAPACITY incidents of the range follow earlier ones; of the spike, all but the first CONFIG_CHANGE and the first RELEASE_REGRESSION.
    expect(fig(r, 'REPEAT_INCIDENTS')).toMatchObject({ value: 6 + 10, previous: 7, sparkline: [2, 2, 2, 10] });
  });

  it('marks the week of the spike, with the incidents, services and factor categories that drove it', async () => {
    const r = await review({ ...RANGE, teamId: steadyTeam });
    const byMetric = Object.fromEntries(r.changes.map((c) => [c.metric, c]));
    expect(r.changes.every((c) => c.periodStart === week(7))).toBe(true);
    expect(Object.keys(byMetric).sort()).toEqual(['INCIDENTS', 'TTR_MEDIAN']);
    const count = byMetric.INCIDENTS;
    // Baseline: the 8 weeks before; the first of them (from Mon 29 January) is observed from February, the month of the first incident:
    // 14 incidents in 7 × 7 + 4 days, so 14 × 7 / 53 expected in the week.
    expect(count).toMatchObject({ direction: 'WORSE', value: 12, baseline: expect.closeTo((14 * 7) / 53, 12) });
    expect(count.pValue).toBeLessThan(0.01);
    expect(count.method).toContain('Poisson');
    // The most severe first, then the costliest (all cost 0 here: then by start).
    expect(count.incidentIds).toEqual([spike[0], spike[1], spike[2], spike[3], spike[4]]);
    const ttr = byMetric.TTR_MEDIAN;
    expect(ttr).toMatchObject({ direction: 'WORSE', value: 765, baseline: 35 });
    // 12 values all above the 14 of the seven weeks before (7 × 30, 7 × 40: ties, so the normal approximation):
    // U = 168, mean 84, variance 12 × 14 / 12 × (27 − 2 × (7³ − 7) / (26 × 25)), continuity-corrected.
    const z = (168 - 84 - 0.5) / Math.sqrt(14 * (27 - 672 / 650));
    expect(z).toBeCloseTo(4.37944, 5);
    expect(ttr.pValue).toBeGreaterThan(1.1e-5);
    expect(ttr.pValue).toBeLessThan(1.3e-5);
    expect(ttr.method).toContain('Mann-Whitney');
    // The longest resolutions first.
    expect(ttr.incidentIds).toEqual([spike[11], spike[10], spike[9], spike[8], spike[7]]);
    expect(ttr.services).toEqual([{ serviceId: steadySvc, count: 12 }]);
    expect(ttr.factorCategories).toEqual([{ category: 'CONFIG_CHANGE', count: 6 }, { category: 'RELEASE_REGRESSION', count: 6 }]);
  });

  it('handles an empty previous period and incidents that are all unresolved', async () => {
    const r = await review({ ...RANGE, teamId: openTeam });
    expect(r.previous.incidents).toBe(0);
    expect(fig(r, 'INCIDENTS')).toMatchObject({ value: 3, previous: 0, change: 3, relativeChange: null, better: false });
    for (const metric of ['TTR_MEDIAN', 'TTR_P90', 'TTM_MEDIAN', 'TTD_P90']) {
      expect(fig(r, metric)).toMatchObject({ value: null, previous: null, change: null, relativeChange: null, better: null });
    }
    expect(fig(r, 'TTR_MEDIAN').sparkline).toEqual([null, null, null, null]);
    expect(fig(r, 'COST')).toMatchObject({ value: 0, previous: 0, change: 0, better: null });
    expect(fig(r, 'POSTMORTEMS_ON_TIME_RATE')).toMatchObject({ value: null, previous: null, better: null });
    expect(r.changes).toEqual([]);
  });

  it('counts items open and past due at each period end, as known now', async () => {
    const r = await review({ ...RANGE, teamId: openTeam });
    // Due in the third week: overdue at the ends of the third and fourth weeks; the P2 was completed today, after both.
    expect(r.series.map((p) => p.overdueActionItems)).toEqual([0, 0, 2, 2]);
    expect(r.series.map((p) => p.overdueP0P1ActionItems)).toEqual([0, 0, 1, 1]);
    expect(fig(r, 'OVERDUE_P0_P1')).toMatchObject({ value: 1, previous: 0, change: 1, better: false, sparkline: [0, 0, 1, 1] });
  });

  it('burns the error budget of the SLOs in scope, per period', async () => {
    const r = await review({ ...RANGE, teamId: openTeam });
    expect(r.budgetBurn).toHaveLength(1);
    const burn = r.budgetBurn[0];
    expect(burn.slo).toEqual({ id: sloId, dimension: 'AVAILABILITY' });
    expect(burn.serviceId).toBe(openSvc);
    expect(burn.budgetMinutes).toBeCloseTo(40.32, 9);
    // Unresolved since week(4) + 1 h: the first week loses its first hour, the others burn whole.
    expect(burn.points.map((p) => p.consumedMinutes)).toEqual([10020, 10080, 10080, 10080]);
    expect(burn.points[1].consumedFraction).toBeCloseTo(10080 / 40.32, 6);
    expect(burn.remainingMinutes).toBeCloseTo(40.32 - 28 * 1440 + 60, 6);
    expect(fig(r, 'BUDGETS_EXHAUSTED')).toMatchObject({ value: 1, previous: 0, better: false, sparkline: [1, 1, 1, 1] });
    // Another team's review holds only its own SLOs; no incident of theirs impacts latency: nothing burnt.
    const steady = (await review({ ...RANGE, teamId: steadyTeam })).budgetBurn;
    expect(steady.map((b) => [b.serviceId, b.slo.dimension, b.budgetMinutes])).toEqual([[steadySvc, 'LATENCY', expect.closeTo(100.8, 9)]]);
    expect(steady[0].points.map((p) => p.consumedMinutes)).toEqual([0, 0, 0, 0]);
  });

  it('filters to one segment', async () => {
    const r = await review({ ...RANGE, teamId: openTeam, segment: 'ENTERPRISE' });
    expect(r.series.map((p) => p.incidents)).toEqual([1, 1, 0, 0]);
    expect(fig(r, 'INCIDENTS')).toMatchObject({ value: 2, previous: 0 });
    expect(fig(r, 'INCIDENTS_SEV3')).toMatchObject({ value: 0, previous: 0, change: 0, better: null });
    // The SLO has no segment: a segment's review lists only that segment's SLOs.
    expect(r.budgetBurn).toEqual([]);
  });

  it('forecasts from the plain mean when there is too little history, and nothing without history', async () => {
    const r = await review({ ...RANGE, teamId: newTeam });
    expect(r.outlook.history.map((h) => h.incidents)).toEqual([3, 1]);
    expect(r.outlook.method).toMatch(/^mean of the last 2 months/);
    expect(r.outlook.level).toBe(0.8);
    expect(r.outlook.months).toHaveLength(3);
    const now = new Date();
    expect(r.outlook.months[0].monthStart).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString());
    // mean 2, sd √2, σ = √2 × √(1 + 1/2) = √3; z(0.9) = 1.2815515…
    for (const m of r.outlook.months) {
      expect(m.expected).toBe(2);
      expect(m.low).toBe(0);
      expect(m.high).toBeCloseTo(2 + 1.2815515655446004 * Math.sqrt(3), 5);
    }
    const none = await review({ ...RANGE, teamId: emptyTeam });
    expect(none.outlook.history).toEqual([]);
    expect(none.outlook.months).toEqual([]);
    expect(none.headline).toHaveLength(20);
    expect(fig(none, 'INCIDENTS')).toMatchObject({ value: 0, previous: 0, change: 0, relativeChange: null, better: null, sparkline: [0, 0, 0, 0] });
  });

  it("does not read a scope's first incidents as a change: before them there is no history, not zero incidents", async () => {
    const now = new Date();
    const r = await review({ from: new Date(now.getTime() - 26 * 7 * 86_400_000).toISOString(), to: now.toISOString(), interval: 'WEEK', teamId: newTeam });
    // Three in one week after 26 + weeks of nothing would be a burst (p = 2 × (1/9)³) if those weeks counted.
    expect(r.series.map((p) => p.incidents).filter((n) => n > 0).sort()).toEqual([1, 3]);
    expect(r.changes).toEqual([]);
  });

  it('fits the outlook on all time for the filters, not the selected range', async () => {
    const r = await review({ ...RANGE, teamId: steadyTeam });
    // First incident in February 2024: every complete month since, zeros included.
    expect(r.outlook.history[0]).toEqual({ monthStart: '2024-02-01T00:00:00.000Z', incidents: 8 });
    expect(r.outlook.history[1]).toEqual({ monthStart: '2024-03-01T00:00:00.000Z', incidents: 18 });
    expect(r.outlook.history.slice(2).every((h) => h.incidents === 0)).toBe(true);
    expect(r.outlook.method).toMatch(/^Holt-Winters, additive, 12-month season/);
    for (const m of r.outlook.months) expect(m.low).toBeGreaterThanOrEqual(0);
  });

  it('ranks a busy period by its order statistics: a bounded answer, the same verdict', async () => {
    const busyTeam = await team('Busy');
    const busySvc = await service('busy-api', busyTeam);
    for (let k = 0; k < 8; k++) {
      for (const minutes of [30, 40, 50]) {
        const start = at(week(k), 24 * 60 + minutes);
        await incident({ serviceIds: [busySvc], startedAt: start, resolvedAt: at(start, minutes) });
      }
    }
    // 240 incidents in week 8, resolved in 100 … 339 minutes: more values than the tests rank one by one.
    for (let j = 0; j < 240; j++) {
      const start = at(week(8), j * 20);
      await incident({ serviceIds: [busySvc], startedAt: start, resolvedAt: at(start, 100 + j) });
    }
    // One week against a previous range of one week: the baseline still reaches the eight weeks before.
    const r = await review({ from: week(8), to: week(9), interval: 'WEEK', teamId: busyTeam });
    // The report's own figure is exact; the change's median is the median of the 200 order statistics that stand for the 240.
    expect(r.series[0].timeToResolveMinutes).toMatchObject({ count: 240, median: 219.5 });
    const ttr = r.changes.find((c) => c.metric === 'TTR_MEDIAN');
    expect(ttr).toMatchObject({ direction: 'WORSE', baseline: 40 });
    expect(ttr?.value).toBeGreaterThan(215);
    expect(ttr?.value).toBeLessThan(224);
    expect(ttr?.pValue).toBeLessThan(1e-6);
    expect(r.changes.find((c) => c.metric === 'INCIDENTS')).toMatchObject({ direction: 'WORSE', value: 240, baseline: 3 });
  }, 120_000);
});
