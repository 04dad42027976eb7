import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { Scenario } from '@hindsight/server-testing';
import { REPORT } from './reference.fixtures';

/**
 * The insights as a client meets them: a bad filter refused naming the field to fix, a
 * caller who is not signed in refused, and the reliability report served as JSON (the
 * GraphQL shape) and CSV. The figures themselves are the insights room's (insights.spec.ts);
 * here a few incidents of two teams are enough to see them exported.
 */

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
let teamB: string;

beforeAll(async () => {
  api = await startApi();
  token = await api.login();
  const world = new Scenario(api, token);
  const teamA = await world.team({ name: 'Alpha' });
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
    // The DORA figures (dora, points[].dora) are checked against their reference in api-specs/dora.api.spec.ts.
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
});
