import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { SqlCounter } from '@hindsight/server-db';
import { Scenario } from '@hindsight/server-testing';
import { REPORT } from './reference.fixtures';
import { at, REVIEW_FIGURES, REVIEW_RANGE, week } from './review.fixtures';

/**
 * The insights as a client meets them: a bad filter refused naming the field to fix, a
 * caller who is not signed in refused, the reliability report served as JSON (the GraphQL
 * shape) and CSV, and the statements one reliability review costs with its loaders. The
 * figures themselves are the insights room's (insights.spec.ts, review.spec.ts); here a few
 * incidents of two teams are enough to see them exported.
 */

const counter = new SqlCounter();
let api: ApiHarness;
let token: string;

interface Stats { count: number; median: number | null; p90: number | null; max: number | null; histogram: { upperBound: number; count: number }[] }
interface Report {
  incidents: number; points: { periodStart: string; incidents: number; timeToResolveMinutes: Stats; cost: number }[];
  actionItems: { overdueAgeDays: Stats } & Record<string, unknown>;
}

const report = async (filter: Record<string, unknown>): Promise<Report> =>
  (await new Scenario(api, token).ok<{ reliabilityReport: Report }>(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { ${REPORT} } }`, { f: filter })).reliabilityReport;

/** Continuous percentile of sorted values, written out: rank p × (n − 1), linear between neighbours. */
const pct = (sorted: number[], p: number): number => {
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  return lo === rank ? sorted[lo] : sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (rank - lo);
};
/** A report without the overdue ages' values, which grow with the clock between two requests (their count and bins stay). */
const steady = (r: Report): Report => ({
  ...r,
  actionItems: { ...r.actionItems, overdueAgeDays: { ...r.actionItems.overdueAgeDays, median: null, p90: null, max: null } },
});

const RANGE = { from: '2024-01-01T00:00:00Z', to: '2024-01-29T00:00:00Z' };
let teamA: string;
let teamB: string;

beforeAll(async () => {
  api = await startApi({}, { sqlCounter: counter });
  token = await api.login();
  const world = new Scenario(api, token);
  teamA = await world.team({ name: 'Alpha' });
  teamB = await world.team({ name: 'Beta' });
  const a1 = await world.service({ name: 'a1', teamId: teamA, revenuePerMinute: 100 });
  const b = await world.service({ name: 'b', teamId: teamB, revenuePerMinute: 10 });
  // Team B's week of Mon 2024-01-08: a SEV3 on b resolved in 15 minutes, a SEV4 on a1 and b resolved in 7.
  await world.incident({ severity: 'SEV3', serviceIds: [b], segments: ['eu'], startedAt: '2024-01-08T00:00:00Z', resolvedAt: '2024-01-08T00:15:00Z' });
  await world.incident({ severity: 'SEV4', serviceIds: [a1, b], startedAt: '2024-01-10T00:00:00Z', detectedAt: '2024-01-10T00:01:00Z', resolvedAt: '2024-01-10T00:07:00Z' });
  // Team A's alone: not in team B's export.
  await world.incident({ severity: 'SEV1', serviceIds: [a1], startedAt: '2024-01-02T10:00:00Z', resolvedAt: '2024-01-02T11:00:00Z' });
}, 60_000);

afterAll(async () => {
  await api?.close();
});

describe('reliabilityReport', () => {
  it('refuses bad filters with the field to fix', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'filter.to'],
      [{ from: '2024-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'filter.to'],
      [{ from: '2000-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'filter.to'],
      [{ ...RANGE, teamId: '00000000-0000-0000-0000-000000000000' }, 'filter.teamId'],
      [{ ...RANGE, teamId: 'nope' }, 'filter.teamId'],
      [{ ...RANGE, serviceId: '00000000-0000-0000-0000-000000000000' }, 'filter.serviceId'],
    ];
    for (const [filter, field] of cases) {
      const res = await api.gql(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents } }`, { f: filter }, token);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const anonymous = await api.gql(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents } }`, { f: RANGE }, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a selection of only what other libraries derive from the filter the same, without the figures, and checks the filter', async () => {
    // The Reliability page asks for these in queries of their own: the incident rows are not read for them.
    const derived = 'from to interval nearMisses { nearMisses incidents } runbooks { incidents coveredIncidents } nudgeResponses { step nudges }';
    const world = new Scenario(api, token);
    const alone = await world.ok<{ reliabilityReport: Record<string, unknown> }>(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { ${derived} } }`, { f: RANGE });
    const withFigures = await world.ok<{ reliabilityReport: Record<string, unknown> & { incidents: number } }>(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents ${derived} } }`, { f: RANGE });
    const { incidents, ...rest } = withFigures.reliabilityReport;
    expect(incidents).toBe(3);
    expect(alone.reliabilityReport).toEqual(rest);
    const bad = await api.gql(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { ${derived} } }`, { f: { ...RANGE, teamId: 'nope' } }, token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.teamId' });
  });
});

describe('exports', () => {
  const get = (path: string, auth: string | null = token) => fetch(`${api.url}${path}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });

  it('serves the report as JSON (the GraphQL shape) and CSV', async () => {
    const qs = `from=${RANGE.from}&to=${RANGE.to}&teamId=${teamB}`;
    const json = await get(`/api/reports/reliability.json?${qs}`);
    expect(json.status).toBe(200);
    // The DORA figures (dora, points[].dora) are checked against their reference in dora.spec.ts.
    const { dora, ...exported } = (await json.json()) as Omit<Report, 'points'> & { dora: unknown; points: (Report['points'][number] & { dora: unknown })[] };
    expect(dora).toMatchObject({ deployments: 0, failedChanges: 0 });
    const points = exported.points.map(({ dora: _dora, ...p }) => p);
    expect(steady({ ...exported, points } as Report)).toEqual(steady(await report({ ...RANGE, teamId: teamB })));

    const csv = await get(`/api/reports/reliability.csv?${qs}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toBe([
      'period_start,incidents,sev1,sev2,sev3,sev4,ttr_count,ttr_median_minutes,ttr_p90_minutes,ttr_max_minutes,cost,' +
        'deployments,deployments_per_day,failed_changes,change_failure_rate,change_failure_rate_low,change_failure_rate_high,recovery_count,recovery_median_minutes,recovery_p90_minutes',
      `2024-01-01T00:00:00.000Z,0,0,0,0,0,0,,,,0,0,0,0,,,,0,,`,
      `2024-01-08T00:00:00.000Z,2,0,0,1,1,2,11,${pct([7, 15], 0.9)},15,920,0,0,0,,,,0,,`,
      `2024-01-15T00:00:00.000Z,0,0,0,0,0,0,,,,0,0,0,0,,,,0,,`,
      `2024-01-22T00:00:00.000Z,0,0,0,0,0,0,,,,0,0,0,0,,,,0,,`,
      `total,2,0,0,1,1,2,11,${pct([7, 15], 0.9)},15,920,0,0,0,,,,0,,`,
      '',
    ].join('\r\n'));
  });

  it('answers 401 without a token and 400 with the field for bad parameters', async () => {
    expect((await get(`/api/reports/reliability.csv?from=${RANGE.from}&to=${RANGE.to}`, null)).status).toBe(401);
    for (const [qs, field] of [
      [`to=${RANGE.to}`, 'from'],
      [`from=yesterday&to=${RANGE.to}`, 'from'],
      [`from=${RANGE.to}&to=${RANGE.from}`, 'to'],
      [`from=${RANGE.from}&to=${RANGE.to}&interval=DAY`, 'interval'],
      [`from=${RANGE.from}&to=${RANGE.to}&severities=SEV1,SEV9`, 'severities'],
      [`from=${RANGE.from}&to=${RANGE.to}&teamId=00000000-0000-0000-0000-000000000000`, 'teamId'],
    ]) {
      const res = await get(`/api/reports/reliability.json?${qs}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ field });
    }
  });

  it('carry the DORA figures of changes sent to /api/changes and linked to an incident', async () => {
    // Four weeks of June 2023, away from the other tests' incidents: team A's a2 gets four production
    // deploys and one on staging; the first triggers a SEV1 mitigated 75 minutes after it finished.
    const world = new Scenario(api, token);
    const a2 = await world.service({ name: 'a2', teamId: teamA });
    const bot = await world.person({ role: 'COMMANDER' });
    const deployToken = (await world.ok<{ createApiToken: { token: string } }>(`mutation($u: ID) { createApiToken(name: "ci", userId: $u) { token } }`, { u: bot.id })).createApiToken.token;
    const deploy = async (key: string, finishedAt: string, environment = 'production'): Promise<string> => {
      const res = await fetch(`${api.url}/api/changes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${deployToken}` },
        body: JSON.stringify({ id: key, service: 'a2', environment, version: key, finishedAt }),
      });
      const answer = (await res.json()) as { change: { id: string } };
      expect(res.status).toBe(200);
      return answer.change.id;
    };
    const first = await deploy('a2-1', '2023-06-06T09:30:00Z');
    for (const [key, at] of [['a2-2', '2023-06-13T12:00:00Z'], ['a2-3', '2023-06-20T12:00:00Z'], ['a2-4', '2023-06-27T12:00:00Z']]) await deploy(key, at);
    await deploy('a2-staging', '2023-06-07T12:00:00Z', 'staging');
    const triggered = await world.incident({ severity: 'SEV1', serviceIds: [a2], startedAt: '2023-06-06T10:00:00Z', mitigatedAt: '2023-06-06T10:45:00Z', resolvedAt: '2023-06-06T11:00:00Z' });
    await world.ok(`mutation($i: ID!, $c: ID!) { linkChangeToIncident(incidentId: $i, changeId: $c, role: TRIGGERING) { id } }`, { i: triggered.id, c: first });

    // One failed change of four (a small count: its Wilson interval, too few to tell), recovered in 75 minutes.
    const Z = 1.959963984540054;
    const centre = (0.25 + (Z * Z) / 8) / (1 + (Z * Z) / 4);
    const half = (Z / (1 + (Z * Z) / 4)) * Math.sqrt((0.25 * 0.75) / 4 + (Z * Z) / 64);
    const bounds = [5, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080, 43200, Number.MAX_VALUE];
    const expected = {
      deployments: 4, deploymentsPerDay: 4 / 28, failedChanges: 1, changeFailureRate: 0.25,
      changeFailureRateLow: Math.max(0, centre - half), changeFailureRateHigh: Math.min(1, centre + half), changeFailureRateTooFewToTell: true,
      recoveryMedianMinutes: 75, recoveryP90Minutes: 75, days: 28,
      recoveryMinutes: { count: 1, median: 75, p90: 75, max: 75, histogram: bounds.map((upperBound) => ({ upperBound, count: upperBound === 120 ? 1 : 0 })) },
    };
    const qs = `from=2023-06-05T00:00:00Z&to=2023-07-03T00:00:00Z&teamId=${teamA}`;
    const json = (await (await get(`/api/reports/reliability.json?${qs}`)).json()) as { dora: unknown; points: { dora: unknown }[] };
    expect(json.dora).toEqual(expected);
    const DORA = `deployments deploymentsPerDay changeFailureRate failedChanges recoveryMedianMinutes recoveryP90Minutes
      changeFailureRateLow changeFailureRateHigh changeFailureRateTooFewToTell days recoveryMinutes { count median p90 max histogram { upperBound count } }`;
    const { reliabilityReport } = await world.ok<{ reliabilityReport: { points: { dora: unknown }[] } }>(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { points { dora { ${DORA} } } } }`,
      { f: { from: '2023-06-05T00:00:00Z', to: '2023-07-03T00:00:00Z', teamId: teamA } });
    expect(json.points.map((p) => p.dora)).toEqual(reliabilityReport.points.map((p) => p.dora));
    expect(json.points.map((p) => (p.dora as { deployments: number }).deployments)).toEqual([1, 1, 1, 1]);

    const lines = (await (await get(`/api/reports/reliability.csv?${qs}`)).text()).trimEnd().split('\r\n');
    const header = lines[0].split(',');
    const total = lines[lines.length - 1].split(',');
    const column = (name: string): string => total[header.indexOf(name)];
    expect(total[0]).toBe('total');
    expect([
      column('deployments'), column('deployments_per_day'), column('failed_changes'), column('change_failure_rate'),
      column('change_failure_rate_low'), column('change_failure_rate_high'), column('recovery_count'), column('recovery_median_minutes'), column('recovery_p90_minutes'),
    ]).toEqual([
      '4', String(4 / 28), '1', '0.25', String(expected.changeFailureRateLow), String(expected.changeFailureRateHigh), '1', '75', '75',
    ]);
    expect(lines).toHaveLength(1 + 4 + 1);
  });
});

describe('reliabilityReview', () => {
  const ok = <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => new Scenario(api, token).ok<T>(query, variables);
  // review.spec.ts's selection with what the API's loaders add: the drivers and the services as objects.
  const REVIEW = `${REVIEW_FIGURES}
    changes { periodStart metric direction value baseline measure pValue method incidents { id title } services { service { id name } count } factorCategories { category count } }
    outlook { method level history { monthStart incidents } months { monthStart expected low high } }
    budgetBurn { service { id name } slo { id dimension } budgetMinutes remainingMinutes points { periodStart consumedMinutes consumedFraction } }`;
  interface Review {
    previous?: { from: string };
    headline: { metric: string; value: number | null; previous: number | null }[];
    series: { periodStart: string; incidents: number }[];
    changes: { incidents: { id: string; title: string }[] }[];
    budgetBurn: unknown[];
  }
  const review = async (filter: Record<string, unknown>, selection = REVIEW): Promise<Review> =>
    (await ok<{ reliabilityReview: Review }>(`query($f: ReliabilityFilter!) { reliabilityReview(filter: $f) { ${selection} } }`, { f: filter })).reliabilityReview;
  let steadyTeam: string;
  let openTeam: string;

  // The world of review.spec.ts's "Steady" and "Open" teams, written as a client would: a spike with drivers, and SLOs.
  beforeAll(async () => {
    const world = new Scenario(api, token);
    const slo = (serviceId: string, dimension: string, objective: number, windowDays: number): Promise<unknown> =>
      ok(`mutation($input: CreateSloInput!) { createSlo(input: $input) { id } }`, { input: { serviceId, dimension, objective, windowDays } });
    const factor = (incidentId: string, category: string): Promise<unknown> =>
      ok(`mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(incidentId: $id, input: $input) { id } }`, { id: incidentId, input: { category, description: 'factor' } });
    steadyTeam = await world.team({ name: 'Steady' });
    const steadySvc = await world.service({ name: 'steady-api', teamId: steadyTeam });
    await slo(steadySvc, 'LATENCY', 0.99, 7);
    for (let k = 0; k < 7; k++) {
      for (const minutes of [30, 40]) {
        const start = at(week(k), 24 * 60 + minutes);
        await factor((await world.incident({ title: 'incident', serviceIds: [steadySvc], startedAt: start, resolvedAt: at(start, minutes) })).id, 'CAPACITY');
      }
    }
    for (let j = 0; j < 12; j++) {
      const start = at(week(7), 60 * (j + 1));
      const { id } = await world.incident({ title: `spike ${j}`, severity: j === 0 ? 'SEV1' : 'SEV3', serviceIds: [steadySvc], startedAt: start, resolvedAt: at(start, 600 + 30 * j) });
      await factor(id, j % 2 ? 'RELEASE_REGRESSION' : 'CONFIG_CHANGE');
    }
    openTeam = await world.team({ name: 'Open' });
    const openSvc = await world.service({ name: 'open-api', teamId: openTeam });
    await slo(openSvc, 'AVAILABILITY', 99.9, 28);
    const open1 = await world.incident({ title: 'incident', severity: 'SEV1', status: 'INVESTIGATING', serviceIds: [openSvc], segments: ['enterprise'], impactedDimensions: ['AVAILABILITY'], startedAt: at(week(4), 60) });
    await world.incident({ title: 'incident', severity: 'SEV2', status: 'INVESTIGATING', serviceIds: [openSvc], segments: ['Enterprise'], impactedDimensions: ['AVAILABILITY'], startedAt: at(week(5), 60) });
    await world.incident({ title: 'incident', severity: 'SEV3', status: 'INVESTIGATING', serviceIds: [openSvc], segments: ['eu'], startedAt: at(week(6), 60) });
    await world.actionItem(open1.id, { title: 'fix it', priority: 'P1', ownerTeamId: openTeam, dueAt: at(week(6), 60 * 24 * 3) });
    const done = await world.actionItem(open1.id, { title: 'fix it', priority: 'P2', ownerTeamId: openTeam, dueAt: at(week(6), 60 * 24 * 3) });
    await ok(`mutation($id: ID!) { completeActionItem(id: $id, note: "done") { id } }`, { id: done.id });
    // Some sixty writes through the API: minutes, not seconds, when the machine is shared.
  }, 240_000);

  it('costs a fixed number of statements, whatever the number of periods, changes, drivers and SLOs', async () => {
    // The caller is recognised from the API's cache for 5 s; a request just before each count
    // keeps a re-read of the caller (after a slow review on a busy machine) out of it.
    const recognised = () => ok('{ me { id } }');
    const statements = async (filter: Record<string, unknown>): Promise<{ count: number; review: Review }> => {
      await recognised();
      counter.reset();
      const r = await review(filter);
      return { count: counter.count, review: r };
    };
    const few = await statements({ ...REVIEW_RANGE, teamId: openTeam });
    const many = await statements({ ...REVIEW_RANGE, teamId: steadyTeam });
    const everything = await statements({ from: week(0), to: week(8), interval: 'WEEK' });
    expect(few.review.changes).toHaveLength(0);
    expect(many.review.changes.flatMap((c) => c.incidents)).toHaveLength(10);
    expect(everything.review.budgetBurn).toHaveLength(2);
    expect(everything.review.series).toHaveLength(8);
    // Ten driver incidents and their service cost two statements more than no change at all: the drivers' statement and one incident batch.
    expect(many.count).toBe(few.count + 2);
    // Eight periods, more incidents and no team to check cost no more.
    expect(everything.count).toBeLessThanOrEqual(many.count);
    // Its own statements on top of the two reports: the filter's check, the policies, the periods (with its SET), the SLOs, their incidents,
    // the items, the monthly history, the DORA rows of the baseline and the range, the triggering changes' budgets, the drivers,
    // one incident and one service batch.
    await recognised();
    counter.reset();
    await ok(`query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { incidents } }`, { f: { ...REVIEW_RANGE, teamId: steadyTeam } });
    expect(many.count).toBeLessThanOrEqual(2 * counter.count + 13);
  });

  it('refuses bad input with BAD_USER_INPUT naming the field', async () => {
    const res = await api.gql(`query($f: ReliabilityFilter!) { reliabilityReview(filter: $f) { headline { metric } } }`, { f: { ...REVIEW_RANGE, teamId: '00000000-0000-4000-8000-000000000000' } }, token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.teamId' });
    // Decades of weeks are refused with the interval to use; decades of months are reported.
    const decades = { from: '2004-01-01T00:00:00Z', to: '2024-04-01T00:00:00Z' };
    const weekly = await api.gql(`query($f: ReliabilityFilter!) { reliabilityReview(filter: $f) { headline { metric } } }`, { f: { ...decades, interval: 'WEEK' } }, token);
    expect(weekly.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    expect(weekly.errors?.[0].message).toContain('use interval MONTH');
    const monthly = await review({ ...decades, interval: 'MONTH', teamId: steadyTeam }, 'previous { from } headline { metric value previous } series { periodStart incidents }');
    expect(monthly.series).toHaveLength(243);
    expect(monthly.previous?.from).toBe('1983-10-01T00:00:00.000Z');
    expect(monthly.headline.find((h) => h.metric === 'INCIDENTS')).toMatchObject({ value: 26, previous: 0 });
    const unauthenticated = await api.gql(`query($f: ReliabilityFilter!) { reliabilityReview(filter: $f) { headline { metric } } }`, { f: REVIEW_RANGE });
    expect(unauthenticated.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
