// DORA in the reliability report (issue 25; docs/dora.md): deployment frequency, change
// failure rate with its count and small-sample interval, failed deployment recovery time, per
// range and period, with the team / service / severity / segment filters — every figure
// compared to the digit with a reference computed here, from what the spec sent, without the
// domain's code; and the changes' daily rollup against a rebuild after every kind of write.
// The insights and changes rooms and the rooms they read (no API): changes arrive through the
// ingest service `POST /api/changes` calls, links and aliases through the changes room's
// services, and the figures are the insights room's, compared as the queries selected them.
// The CSV and JSON exports' DORA columns: insights.api.spec.ts.
import { Client } from 'pg';
import { CatalogService } from '@hindsight/server-catalog';
import { ChangeIngestService, ChangesModule, IncidentChangesService, ServiceAliasesService } from '@hindsight/server-changes';
import type { SessionActor } from '@hindsight/server-graphql';
import { IncidentInput, IncidentsService } from '@hindsight/server-incidents';
import { InsightsModule, InsightsService, ReviewService, type ReliabilityFilterInput } from '@hindsight/server-insights';
import { ModuleHarness, selected, testModule } from '@hindsight/server-testing';

let room: ModuleHarness;
/** One connection: the truncation below is rolled back on the connection that began it. */
let db: Client;
let admin: SessionActor;
/** The COMMANDER whose API token a deploy pipeline would send changes with. */
let deployer: SessionActor;
const svc: Record<string, string> = {};
const team: Record<string, string> = {};

const MIN = 60_000;
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const T0 = Date.parse('2026-02-28T00:00:00Z');

/** What the spec sent: every change and the incidents it was linked to. */
interface Sent { key: string; id?: string; service: string; production: boolean; finishedAt: number; links: string[] }
interface SentIncident { id?: string; service: string; severity: string; segments: string[]; mitigatedAt: number | null; resolvedAt: number | null; impactedDimensions?: string[]; kind?: 'NEAR_MISS' }
const sent: Sent[] = [];
const incidents: Record<string, SentIncident> = {};

async function deploy(key: string, service: string, finishedAt: number, environment = 'production'): Promise<Sent> {
  const answer = await room.get(ChangeIngestService).fromToken(deployer, { 'content-type': 'application/json' }, { id: key, service, environment, version: key, finishedAt: iso(finishedAt) });
  if (!answer.change) throw new Error(JSON.stringify(answer));
  const known = sent.find((s) => s.key === key);
  if (known) { known.finishedAt = finishedAt; return known; }
  const row: Sent = { key, id: answer.change.id, service, production: environment === 'production', finishedAt, links: [] };
  sent.push(row);
  return row;
}

async function incident(key: string, i: SentIncident, startedAt: number): Promise<void> {
  const input = {
    title: key, severity: i.severity, serviceIds: [svc[i.service]], segments: i.segments, impactedDimensions: i.impactedDimensions ?? [], ...(i.kind ? { kind: i.kind } : {}),
    startedAt: new Date(startedAt), detectedAt: new Date(startedAt + 5 * MIN),
    ...(i.mitigatedAt !== null ? { mitigatedAt: new Date(i.mitigatedAt) } : {}), ...(i.resolvedAt !== null ? { resolvedAt: new Date(i.resolvedAt) } : {}),
  };
  i.id = (await room.get(IncidentsService).create(admin, input as IncidentInput)).id;
  incidents[key] = i;
}

async function link(incidentKey: string, change: Sent, role: 'TRIGGERING' | 'CONTRIBUTING'): Promise<void> {
  await room.get(IncidentChangesService).link(admin, incidents[incidentKey].id as string, change.id as string, role);
  change.links.push(incidentKey);
}

// --- the reference, written out from the definitions (PRODUCT.md 5, docs/dora.md) ----------

const Z = 1.959963984540054;
function wilson(k: number, n: number): [number, number] {
  const p = k / n;
  const centre = (p + (Z * Z) / (2 * n)) / (1 + (Z * Z) / n);
  const half = (Z / (1 + (Z * Z) / n)) * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n));
  return [k === 0 ? 0 : Math.max(0, centre - half), k === n ? 1 : Math.min(1, centre + half)];
}
const pct = (sorted: number[], p: number): number | null => {
  if (!sorted.length) return null;
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  return lo === rank ? sorted[lo] : sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (rank - lo);
};
const BOUNDS = [5, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080, 43200, Number.MAX_VALUE];

interface Scope { from: number; to: number; teamId?: string; serviceId?: string; severities?: string[]; segment?: string }
const serviceTeam = (name: string): string | undefined => ({ a1: team.A, a2: team.A, b: team.B } as Record<string, string>)[name];

function reference(s: Scope, from = s.from, to = s.to) {
  const covered = sent.filter((c) => c.production && c.finishedAt >= from && c.finishedAt < to
    && (!s.serviceId || svc[c.service] === s.serviceId) && (!s.teamId || serviceTeam(c.service) === s.teamId));
  const counts = (i: SentIncident) => i.kind !== 'NEAR_MISS' && (!s.severities || s.severities.includes(i.severity)) && (!s.segment || i.segments.some((g) => g.trim().toLowerCase() === s.segment?.toLowerCase()));
  const failed = covered.map((c) => c.links.map((k) => incidents[k]).filter(counts)).filter((l) => l.length > 0).map((l, _i, _a) => l);
  const failedChanges = covered.filter((c) => c.links.map((k) => incidents[k]).some(counts));
  const minutes = failedChanges.map((c) => {
    const ends = c.links.map((k) => incidents[k]).filter(counts).map((i) => i.mitigatedAt ?? i.resolvedAt);
    return ends.some((e) => e === null) ? null : Math.max(0, (Math.max(...(ends as number[])) - c.finishedAt) / MIN);
  }).filter((m): m is number => m !== null).sort((a, b) => a - b);
  const n = covered.length;
  const k = failed.length;
  const days = (Math.min(to, Date.now()) - from) / DAY;
  const interval = n > 0 && n < 30 ? wilson(k, n) : null;
  return {
    deployments: n, deploymentsPerDay: days > 0 ? n / days : 0, failedChanges: k, changeFailureRate: n ? k / n : null,
    changeFailureRateLow: interval?.[0] ?? null, changeFailureRateHigh: interval?.[1] ?? null, changeFailureRateTooFewToTell: n < 5,
    recoveryMedianMinutes: pct(minutes, 0.5), recoveryP90Minutes: pct(minutes, 0.9), days,
    recoveryMinutes: {
      count: minutes.length, median: pct(minutes, 0.5), p90: pct(minutes, 0.9), max: minutes.length ? minutes[minutes.length - 1] : null,
      histogram: BOUNDS.map((upperBound, b) => ({ upperBound, count: minutes.filter((m) => m <= upperBound && (b === 0 || m > BOUNDS[b - 1])).length })),
    },
  };
}

const DORA = `deployments deploymentsPerDay changeFailureRate failedChanges recoveryMedianMinutes recoveryP90Minutes
  changeFailureRateLow changeFailureRateHigh changeFailureRateTooFewToTell days recoveryMinutes { count median p90 max histogram { upperBound count } }`;
type Dora = ReturnType<typeof reference>;
interface Report { dora: Dora; points: { periodStart: string; dora: Dora }[] }

async function report(s: Scope, interval = 'WEEK'): Promise<Report> {
  const f = { from: new Date(s.from), to: new Date(s.to), interval, teamId: s.teamId, serviceId: s.serviceId, severities: s.severities, segment: s.segment } as ReliabilityFilterInput;
  return selected<Report>(await room.get(InsightsService).reliabilityReport(f), `dora { ${DORA} } points { periodStart dora { ${DORA} } }`);
}

/** The report's DORA figures, whole range and per period, against the reference. */
async function expectExact(s: Scope, interval: 'WEEK' | 'MONTH' = 'WEEK'): Promise<Report> {
  const r = await report(s, interval);
  expect(r.dora).toEqual(reference(s));
  for (const p of r.points) {
    const start = Date.parse(p.periodStart);
    const d = new Date(start);
    const end = interval === 'WEEK' ? start + 7 * DAY : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    expect(p.dora).toEqual(reference(s, Math.max(start, s.from), Math.min(end, s.to)));
  }
  return r;
}

async function rollupMatchesRebuild(): Promise<void> {
  const kept = await db.query(`SELECT service_id, day::text, changes FROM insight_change_days WHERE changes <> 0 ORDER BY 1, 2`);
  const rebuilt = await db.query(`SELECT service_id, (finished_at AT TIME ZONE 'UTC')::date::text AS day, count(*)::int AS changes FROM changes WHERE production GROUP BY 1, 2 ORDER BY 1, 2`);
  expect(kept.rows).toEqual(rebuilt.rows);
  expect(rebuilt.rows.length).toBeGreaterThan(0);
}

// A range with partial days at both ends, Monday 2 March 06:00 to Monday 30 March 18:00.
const FROM = Date.parse('2026-03-02T06:00:00Z');
const TO = Date.parse('2026-03-30T18:00:00Z');

beforeAll(async () => {
  room = await testModule([InsightsModule, ChangesModule]);
  db = new Client({ connectionString: room.db.url });
  await db.connect();
  admin = await room.actor('ADMIN');
  const bot = { email: 'deployer@test.local', name: 'deployer', role: 'COMMANDER' as const };
  deployer = { ...bot, id: await room.rows.user(bot), teamIds: [], via: 'api-token' };
  for (const name of ['A', 'B']) team[name] = await room.rows.team({ name });
  for (const [name, t] of [['a1', 'A'], ['a2', 'A'], ['b', 'B']]) svc[name] = (await room.get(CatalogService).createService(admin, { name, teamId: team[t], kind: 'API', tier: 1, revenuePerMinute: null })).id;

  // a1: every 13 hours from 28 February, past both ends of the range (56 changes); a2: 4; b: 12; 3 unmatched; 5 on staging.
  const a1 = [];
  for (let i = 0; i < 56; i++) a1.push(await deploy(`a1-${i}`, 'a1', T0 + i * 13 * 60 * MIN));
  const a2 = [];
  for (const h of [80, 200, 330, 500]) a2.push(await deploy(`a2-${h}`, 'a2', T0 + h * 60 * MIN + 17_000));
  const b = [];
  for (let i = 0; i < 12; i++) b.push(await deploy(`b-${i}`, 'b', FROM + i * 2 * DAY + 3 * 60 * MIN));
  for (let i = 0; i < 3; i++) await deploy(`mystery-${i}`, 'mystery-svc', FROM + (i + 1) * 5 * DAY);
  for (let i = 0; i < 5; i++) await deploy(`a1-staging-${i}`, 'a1', FROM + i * DAY + MIN, 'staging');

  const at = (c: Sent, minutes: number): number => c.finishedAt + minutes * MIN;
  // Triggered 35 minutes after a1-10, mitigated 90 minutes after it, resolved later.
  await incident('IA', { service: 'a1', severity: 'SEV1', segments: [], mitigatedAt: at(a1[10], 90), resolvedAt: at(a1[10], 300) }, at(a1[10], 35));
  await link('IA', a1[10], 'TRIGGERING');
  // Not production: never a failed change.
  await link('IA', sent.find((s) => s.key === 'a1-staging-2') as Sent, 'CONTRIBUTING');
  // a2 finished after IA recovered: linked as contributing, recovers in 0 minutes.
  await link('IA', a2[3], 'CONTRIBUTING');
  // Resolved without a mitigation: recovery ends at resolution.
  await incident('IB', { service: 'a1', severity: 'SEV2', segments: ['Enterprise '], mitigatedAt: null, resolvedAt: at(a1[20], 2000) }, at(a1[20], 10));
  await link('IB', a1[20], 'TRIGGERING');
  await link('IB', a1[19], 'CONTRIBUTING');
  // a1-20 is linked to two incidents: it recovers when the later one does.
  await incident('ID', { service: 'a1', severity: 'SEV3', segments: ['eu'], mitigatedAt: at(a1[20], 3500), resolvedAt: null }, at(a1[20], 60));
  await link('ID', a1[20], 'CONTRIBUTING');
  // Not recovered: a failed change left out of the distribution.
  await incident('IC', { service: 'b', severity: 'SEV2', segments: ['enterprise'], mitigatedAt: null, resolvedAt: null }, at(b[4], 20));
  await link('IC', b[4], 'TRIGGERING');
  await link('IC', b[5], 'CONTRIBUTING');
  // A change before the range, linked: outside the range's figures.
  await incident('IE', { service: 'a1', severity: 'SEV2', segments: [], mitigatedAt: at(a1[1], 45), resolvedAt: at(a1[1], 60) }, at(a1[1], 5));
  await link('IE', a1[1], 'TRIGGERING');
  // A near miss (no customer impact) does not make a change failed.
  await incident('INM', { service: 'a1', severity: 'SEV3', segments: [], mitigatedAt: at(a1[25], 20), resolvedAt: at(a1[25], 30), kind: 'NEAR_MISS' }, at(a1[25], 3));
  await link('INM', a1[25], 'TRIGGERING');
  for (const k of [30, 31, 40, 44]) {
    await incident(`I${k}`, { service: 'a1', severity: 'SEV2', segments: [], mitigatedAt: at(a1[k], 7 * k), resolvedAt: at(a1[k], 9 * k) }, at(a1[k], 3));
    await link(`I${k}`, a1[k], 'TRIGGERING');
  }
}, 120_000);

afterAll(async () => {
  await db?.end();
  await room?.close();
});

describe('DORA figures of the reliability report', () => {
  it('equal the reference over a range with partial days, whole and per week', async () => {
    const r = await expectExact({ from: FROM, to: TO });
    // The set-up leaves something to count, so equality is not of two empty figures.
    expect(r.dora.deployments).toBeGreaterThan(50);
    expect(r.dora.failedChanges).toBe(10);
    expect(r.dora.recoveryMinutes.count).toBeGreaterThan(3);
    expect(r.points).toHaveLength(5);
  });

  it('equal the reference by month, over whole days, and within one day', async () => {
    await expectExact({ from: Date.parse('2026-02-01T00:00:00Z'), to: Date.parse('2026-05-01T00:00:00Z') }, 'MONTH');
    await expectExact({ from: Date.parse('2026-03-03T00:00:00Z'), to: Date.parse('2026-03-10T00:00:00Z') });
    const day = await expectExact({ from: Date.parse('2026-03-06T01:00:00Z'), to: Date.parse('2026-03-06T23:00:00Z') });
    expect(day.dora.deployments).toBeGreaterThan(0);
  });

  it('follow the team and service filters; unmatched changes count only company-wide', async () => {
    const all = await expectExact({ from: FROM, to: TO });
    const a = await expectExact({ from: FROM, to: TO, teamId: team.A });
    const bTeam = await expectExact({ from: FROM, to: TO, teamId: team.B });
    expect(all.dora.deployments - a.dora.deployments - bTeam.dora.deployments).toBe(3);
    await expectExact({ from: FROM, to: TO, serviceId: svc.a1 });
    await expectExact({ from: FROM, to: TO, serviceId: svc.b });
  });

  it('give the count and an interval while the count is small, and say too few to tell below 5', async () => {
    const a = (await report({ from: FROM, to: TO, teamId: team.A })).dora;
    expect(a.deployments).toBeGreaterThanOrEqual(30);
    expect([a.changeFailureRateLow, a.changeFailureRateHigh, a.changeFailureRateTooFewToTell]).toEqual([null, null, false]);
    const b = (await report({ from: FROM, to: TO, serviceId: svc.b })).dora;
    expect(b.deployments).toBe(12);
    expect(b.changeFailureRate).toBe(2 / 12);
    expect(b.changeFailureRateLow).toBe(wilson(2, 12)[0]);
    expect(b.changeFailureRateHigh).toBe(wilson(2, 12)[1]);
    expect(b.changeFailureRateTooFewToTell).toBe(false);
    const a2 = (await report({ from: FROM, to: TO, serviceId: svc.a2 })).dora;
    expect(a2.deployments).toBeLessThan(5);
    expect(a2.changeFailureRateTooFewToTell).toBe(true);
    const none = (await report({ from: Date.parse('2025-01-01T00:00:00Z'), to: Date.parse('2025-02-01T00:00:00Z') })).dora;
    expect(none).toMatchObject({ deployments: 0, deploymentsPerDay: 0, failedChanges: 0, changeFailureRate: null, recoveryMedianMinutes: null, recoveryP90Minutes: null });
  });

  it('narrow failed changes by the incidents\' severities and segment', async () => {
    const sev1 = await expectExact({ from: FROM, to: TO, severities: ['SEV1'] });
    expect(sev1.dora.failedChanges).toBe(2);
    const enterprise = await expectExact({ from: FROM, to: TO, segment: 'ENTERPRISE' });
    expect(enterprise.dora.failedChanges).toBe(4);
    await expectExact({ from: FROM, to: TO, severities: ['SEV2', 'SEV3'], teamId: team.A });
  });

  it('keep the daily rollup exact through re-runs, matching, deletion and truncation', async () => {
    await rollupMatchesRebuild();
    // A re-run moves a change to another day.
    await deploy('a1-12', 'a1', Date.parse('2026-03-20T12:00:00Z'));
    // An alias matches the unmatched changes to b.
    await room.get(ServiceAliasesService).setAliases(admin, svc.b, ['mystery-svc']);
    for (const s of sent.filter((c) => c.service === 'mystery-svc')) s.service = 'b';
    await rollupMatchesRebuild();
    await expectExact({ from: FROM, to: TO, teamId: team.B });
    await expectExact({ from: FROM, to: TO });
    // Production flipped and a change deleted by hand.
    expect((await db.query(`UPDATE changes SET production = false WHERE source_key = 'id:a1-33'`)).rowCount).toBe(1);
    expect((await db.query(`DELETE FROM changes WHERE source_key IN ('id:a1-34', 'id:a1-35')`)).rowCount).toBe(2);
    (sent.find((c) => c.key === 'a1-33') as Sent).production = false;
    sent.splice(sent.findIndex((c) => c.key === 'a1-34'), 2);
    await rollupMatchesRebuild();
    await expectExact({ from: FROM, to: TO, teamId: team.A });
    await db.query(`BEGIN; TRUNCATE changes CASCADE; `);
    expect((await db.query(`SELECT count(*)::int AS n FROM insight_change_days WHERE changes <> 0`)).rows[0].n).toBe(0);
    await db.query('ROLLBACK');
    await rollupMatchesRebuild();
  });
});

describe('DORA in the reliability review', () => {
  const REVIEW = `
    headline { metric value previous change better sparkline }
    current { points { periodStart } }
    shippedOnEmptyBudget { incidentId serviceId slo { id } changeId version finishedAt remainingMinutes budgetMinutes }`;
  interface Review {
    headline: { metric: string; value: number | null; previous: number | null; change: number | null; better: boolean | null; sparkline: (number | null)[] }[];
    current: { points: { periodStart: string }[] };
    shippedOnEmptyBudget: { incidentId: string; serviceId: string; slo: { id: string }; changeId: string; version: string | null; finishedAt: string; remainingMinutes: number; budgetMinutes: number }[];
  }
  const answer = (s: Scope) => room.get(ReviewService).review({ from: new Date(s.from), to: new Date(s.to), teamId: s.teamId, serviceId: s.serviceId } as ReliabilityFilterInput);
  const review = async (s: Scope): Promise<Review> => selected<Review>(await answer(s), REVIEW);

  it('compares each DORA figure with the previous period of equal length, its sparkline per week', async () => {
    for (const scope of [{ from: FROM, to: TO }, { from: FROM, to: TO, teamId: team.A }]) {
      const r = await review(scope);
      const previous = reference(scope, FROM - (TO - FROM), FROM);
      const current = reference(scope);
      const fig = (m: string) => r.headline.find((h) => h.metric === m);
      const pairs: [string, number | null, number | null][] = [
        ['DEPLOYMENTS_PER_DAY', current.deploymentsPerDay, previous.deploymentsPerDay],
        ['CHANGE_FAILURE_RATE', current.changeFailureRate, previous.changeFailureRate],
        ['RECOVERY_MEDIAN', current.recoveryMedianMinutes, previous.recoveryMedianMinutes],
        ['RECOVERY_P90', current.recoveryP90Minutes, previous.recoveryP90Minutes],
      ];
      for (const [metric, value, before] of pairs) {
        expect(fig(metric)).toMatchObject({ value, previous: before });
        const change = value === null || before === null ? null : Math.round((value - before) * 1e9) / 1e9;
        expect(fig(metric)?.change).toBe(change);
        // More deployments a day is better; a higher failure rate or a slower recovery is worse.
        const better = change === null || change === 0 ? null : metric === 'DEPLOYMENTS_PER_DAY' ? change > 0 : change < 0;
        expect(fig(metric)?.better).toBe(better);
      }
      expect(previous.deployments).toBeGreaterThan(0);
      const weeks = r.current.points.map((p) => Date.parse(p.periodStart));
      expect(fig('DEPLOYMENTS_PER_DAY')?.sparkline).toEqual(weeks.map((w) => reference(scope, Math.max(w, FROM), Math.min(w + 7 * DAY, TO)).deploymentsPerDay));
      expect(fig('CHANGE_FAILURE_RATE')?.sparkline).toEqual(weeks.map((w) => reference(scope, Math.max(w, FROM), Math.min(w + 7 * DAY, TO)).changeFailureRate));
    }
  });

  it('flags an incident whose triggering change shipped on an empty error budget', async () => {
    // 99.9 % over 30 days on b: 43.2 minutes of budget. A 60-minute outage on b empties it; b-7 ships two days later and triggers IG.
    const slo = (await room.get(CatalogService).createSlo(admin, { serviceId: svc.b, dimension: 'AVAILABILITY', objective: 0.999, windowDays: 30 })).id;
    const b6 = sent.find((c) => c.key === 'b-6') as Sent;
    const b7 = sent.find((c) => c.key === 'b-7') as Sent;
    await incident('IF', { service: 'b', severity: 'SEV2', segments: [], mitigatedAt: null, resolvedAt: b6.finishedAt + 70 * MIN, impactedDimensions: ['AVAILABILITY'] }, b6.finishedAt + 10 * MIN);
    await incident('IG', { service: 'b', severity: 'SEV3', segments: [], mitigatedAt: b7.finishedAt + 30 * MIN, resolvedAt: b7.finishedAt + 40 * MIN }, b7.finishedAt + 5 * MIN);
    await link('IG', b7, 'TRIGGERING');
    // A contributing change is no trigger, and IC's trigger (b-4) shipped before the outage: budget left.
    await link('IG', sent.find((c) => c.key === 'b-8') as Sent, 'CONTRIBUTING');

    const budget = (1 - 0.999) * 30 * 1440;
    for (const scope of [{ from: FROM, to: TO }, { from: FROM, to: TO, teamId: team.B }, { from: FROM, to: TO, serviceId: svc.b }]) {
      const raw = await answer(scope);
      const r = selected<Review>(raw, REVIEW);
      expect(r.shippedOnEmptyBudget).toHaveLength(1);
      const [flag] = r.shippedOnEmptyBudget;
      expect(flag).toMatchObject({ incidentId: incidents.IG.id, serviceId: svc.b, slo: { id: slo }, changeId: b7.id, version: 'b-7', finishedAt: iso(b7.finishedAt) });
      expect(flag.budgetMinutes).toBeCloseTo(budget, 9);
      expect(flag.remainingMinutes).toBeCloseTo(budget - 60, 9);
      // Nothing names a person, in any field the service answers: the flag is about the incident, the service and the change.
      expect(JSON.stringify(raw.shippedOnEmptyBudget)).not.toMatch(/deployer|@test\.local/);
    }
    expect((await review({ from: FROM, to: TO, teamId: team.A })).shippedOnEmptyBudget).toEqual([]);
    // Before the outage nothing was flagged: the range ending before IG starts holds no such incident.
    expect((await review({ from: FROM, to: b7.finishedAt })).shippedOnEmptyBudget).toEqual([]);
  });
});
