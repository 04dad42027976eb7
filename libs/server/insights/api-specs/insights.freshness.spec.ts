import { Client } from 'pg';
import type { FactorCategory, Severity } from '@hindsight/domain';
import { ActionItemsService } from '@hindsight/server-action-items';
import { CatalogService } from '@hindsight/server-catalog';
import type { SessionActor } from '@hindsight/server-graphql';
import { AnalysisService, IncidentInput, IncidentsService } from '@hindsight/server-incidents';
import { InsightsModule, InsightsService } from '@hindsight/server-insights';
import { PoliciesService } from '@hindsight/server-settings';
import { ModuleHarness, testModule } from '@hindsight/server-testing';
import { asSelected, loadReferenceRows, ReferenceIncident, referenceFor } from './reference.fixtures';

/**
 * The report reads the rollup incident_facts, kept by triggers in the writing transactions.
 * After each kind of write the report must equal the domain reference computed from the raw
 * rows (incidents, services, factors, items, postmortems, the policy rate in force) — in
 * particular a write to one incident that flips the repeat flag of a LATER one. The insights
 * room and the rooms it reads (no API): every write goes through the owning room's service,
 * as the mutations do, and the report is the insights service's.
 */

let room: ModuleHarness;
let db: Client;
let admin: SessionActor;


interface Report {
  incidents: number;
  repeatIncidents: number;
  totalCost: number;
  timeToResolveMinutes: { count: number; max: number | null };
  actionItems: { open: number; overdue: number; done: number; doneOnTime: number; overdueAgeDays: { count: number } };
  postmortemsPublishedOnTimeRate: number | null;
}


const FROM = new Date('2023-09-01T00:00:00Z');
const TO = new Date('2024-06-01T00:00:00Z');
const DAY = 86_400_000;

let teamA: string;
let teamB: string;
let svcA: string;
let svcB: string;

const service = async (name: string, teamId: string, revenuePerMinute: number | null): Promise<string> =>
  (await room.get(CatalogService).createService(admin, { name, kind: 'API', tier: 1, teamId, revenuePerMinute })).id;

/** The mutations' input as the service takes it: the DateTime fields parsed, as the GraphQL scalar does. */
const parsed = (input: Record<string, unknown>): IncidentInput =>
  Object.fromEntries(Object.entries(input).map(([k, v]) => [k, k.endsWith('At') && typeof v === 'string' ? new Date(v) : v])) as IncidentInput;

const incident = async (input: Record<string, unknown>): Promise<string> =>
  (await room.get(IncidentsService).create(admin, parsed({ title: 'incident', severity: 'SEV2' as Severity, ...input }))).id;

async function factor(incidentId: string, category: FactorCategory): Promise<string> {
  return (await room.get(AnalysisService).addContributingFactor(admin, incidentId, { category, description: `${category} factor` })).id;
}

const updateIncident = (id: string, input: Record<string, unknown>): Promise<unknown> => room.get(IncidentsService).update(admin, id, parsed(input));

const createItem = async (incidentId: string, input: { title: string; kind: 'PREVENT' | 'DETECT'; priority: 'P1' | 'P2'; ownerTeamId: string; dueAt: Date }): Promise<string> =>
  (await room.get(ActionItemsService).create(admin, incidentId, input)).id;

/** The service's report, with the fields `like` has (what the report query selects); `like` defaults to the reference's shape. */
async function report(filter: Record<string, unknown> = {}, like?: unknown): Promise<Report> {
  const value = await room.get(InsightsService).reliabilityReport({ from: FROM, to: TO, ...filter });
  return asSelected(value, like ?? (await reference(filter, () => true, new Date()))) as Report;
}

/** The domain reference from the raw rows, with the hourly rate in force. */
async function reference(filter: Record<string, unknown>, keep: (i: ReferenceIncident) => boolean, now: Date) {
  const policies = await room.get(PoliciesService).current();
  const rows = await loadReferenceRows(db, policies.hourlyResponderRate, now);
  return referenceFor(rows, FROM, TO, (filter['interval'] as 'MONTH' | undefined) ?? 'WEEK', keep);
}

/** The report equals the reference for everyone, one team and one segment (overdue ages compared by count: they move with the clock). */
async function expectFresh(): Promise<Report> {
  const filters: [Record<string, unknown>, (i: ReferenceIncident) => boolean][] = [
    [{}, () => true],
    [{ teamId: teamA }, (i) => i.teamIds.includes(teamA)],
    [{ segment: 'enterprise', interval: 'MONTH' }, (i) => i.segments.some((s) => s.trim().toLowerCase() === 'enterprise')],
  ];
  let whole: Report | undefined;
  for (const [filter, keep] of filters) {
    const expected = await reference(filter, keep, new Date());
    const actual = await report(filter, expected);
    const ages = (r: { actionItems: { overdueAgeDays: { count: number } } }) => ({ ...r, actionItems: { ...r.actionItems, overdueAgeDays: r.actionItems.overdueAgeDays.count } });
    expect(ages(actual)).toEqual(ages(expected));
    whole ??= actual;
  }
  return whole as Report;
}

let earlier: string;
let later: string;

beforeAll(async () => {
  room = await testModule([InsightsModule]);
  db = new Client({ connectionString: room.db.url });
  await db.connect();
  admin = await room.actor('ADMIN');
  teamA = await room.rows.team({ name: 'Alpha' });
  teamB = await room.rows.team({ name: 'Beta' });
  svcA = await service('a', teamA, 100);
  svcB = await service('b', teamB, 10);
  // The later incident has a CAPACITY factor; the earlier one, 20 days before on the same service, none yet.
  earlier = await incident({ serviceIds: [svcA], startedAt: '2024-02-01T10:00:00Z', resolvedAt: '2024-02-01T11:00:00Z' });
  later = await incident({ serviceIds: [svcA], segments: ['Enterprise'], startedAt: '2024-02-21T10:00:00Z', mitigatedAt: '2024-02-21T10:30:00Z', resolvedAt: '2024-02-21T12:00:00Z', responderHours: 3 });
  await factor(later, 'CAPACITY');
  await incident({ severity: 'SEV1', serviceIds: [svcB], startedAt: '2024-03-05T00:00:00Z', resolvedAt: '2024-03-05T02:00:00Z', slaCredits: 250 });
}, 60_000);

afterAll(async () => {
  await db.end();
  await room.close();
});

describe('the report stays exact after every kind of write', () => {
  it('starts equal to the reference, no repeat yet', async () => {
    const r = await expectFresh();
    expect(r.incidents).toBe(3);
    expect(r.repeatIncidents).toBe(0);
  });

  it('counts a new incident (with its services and factors)', async () => {
    const id = await incident({ severity: 'SEV3', serviceIds: [svcA, svcB], segments: [' enterprise '], startedAt: '2024-04-02T08:00:00Z', detectedAt: '2024-04-02T08:10:00Z', resolvedAt: '2024-04-02T09:00:00Z' });
    await factor(id, 'NETWORK');
    const r = await expectFresh();
    expect(r.incidents).toBe(4);
  });

  it('follows a changed resolvedAt', async () => {
    const before = await report();
    await updateIncident(earlier, { resolvedAt: '2024-02-03T11:00:00Z' });
    const r = await expectFresh();
    expect(r.timeToResolveMinutes.max).toBe(2 * 24 * 60 + 60);
    expect(r.timeToResolveMinutes.max).not.toBe(before.timeToResolveMinutes.max);
  });

  it('flips the repeat flag of a LATER incident when a factor is added to an earlier one, and back when the earlier one moves out of the window', async () => {
    await factor(earlier, 'CAPACITY');
    expect((await expectFresh()).repeatIncidents).toBe(1);
    // 91 days before the later incident: no longer within 90 days.
    const moved = new Date(new Date('2024-02-21T10:00:00Z').getTime() - 91 * DAY).toISOString();
    await updateIncident(earlier, { startedAt: moved });
    expect((await expectFresh()).repeatIncidents).toBe(0);
    // Exactly 90 days before: a repeat again.
    await updateIncident(earlier, { startedAt: new Date(new Date('2024-02-21T10:00:00Z').getTime() - 90 * DAY).toISOString() });
    expect((await expectFresh()).repeatIncidents).toBe(1);
  });

  it('un-flags the later incident when the earlier one leaves the shared service, or its factor is removed, or it is deleted', async () => {
    await updateIncident(earlier, { serviceIds: [svcB] });
    expect((await expectFresh()).repeatIncidents).toBe(0);
    await updateIncident(earlier, { serviceIds: [svcA, svcB] });
    expect((await expectFresh()).repeatIncidents).toBe(1);
    await db.query(`DELETE FROM contributing_factors WHERE incident_id = $1`, [earlier]);
    expect((await expectFresh()).repeatIncidents).toBe(0);
    await factor(earlier, 'CAPACITY');
    expect((await expectFresh()).repeatIncidents).toBe(1);
    await db.query(`DELETE FROM incidents WHERE id = $1`, [earlier]);
    const r = await expectFresh();
    expect(r.repeatIncidents).toBe(0);
    expect(r.incidents).toBe(3);
  });

  it('reprices the incidents of a service whose revenue changes, and moves them with a new owning team', async () => {
    const before = await report();
    await room.get(CatalogService).updateService(admin, svcA, { revenuePerMinute: 250 });
    const r = await expectFresh();
    expect(r.totalCost).toBeGreaterThan(before.totalCost);
    await room.get(CatalogService).updateService(admin, svcB, { teamId: teamA });
    expect((await report({ teamId: teamA })).incidents).toBe(3);
    await expectFresh();
  });

  it('counts an action item created, completed, and one left overdue', async () => {
    const item = await createItem(later, { title: 'fix it', kind: 'PREVENT', priority: 'P2', ownerTeamId: teamA, dueAt: new Date(Date.now() + 5 * DAY) });
    expect((await expectFresh()).actionItems.open).toBe(1);
    await room.get(ActionItemsService).complete(admin, item, 'done', null);
    const r = await expectFresh();
    expect(r.actionItems).toMatchObject({ open: 0, done: 1, doneOnTime: 1 });
    await createItem(later, { title: 'late', kind: 'DETECT', priority: 'P1', ownerTeamId: teamA, dueAt: new Date(Date.now() - 3 * DAY) });
    expect((await expectFresh()).actionItems).toMatchObject({ open: 1, overdue: 1 });
  });

  it('rates a postmortem once published', async () => {
    // Published before its due date (written directly: the publish rules are not what is tested here).
    const { rowCount } = await db.query(`UPDATE postmortems SET status = 'PUBLISHED', published_at = due_at - interval '1 hour' WHERE incident_id = $1 AND due_at IS NOT NULL`, [later]);
    expect(rowCount).toBe(1);
    const r = await expectFresh();
    expect(r.postmortemsPublishedOnTimeRate).not.toBeNull();
  });

  it('prices responder hours at the hourly rate in force after a policy change', async () => {
    const before = await report();
    await room.get(PoliciesService).update(admin, { hourlyResponderRate: 400 });
    const r = await expectFresh();
    // The later incident's 3 responder hours, 250 more per hour.
    expect(r.totalCost).toBeCloseTo(before.totalCost + 3 * 250, 6);
  });
});

describe('concurrent writes', () => {
  /** Runs `first` and `second` in two transactions, the second started while the first is open, then commits both. */
  async function interleaved(first: (c: Client) => Promise<unknown>, second: (c: Client) => Promise<unknown>): Promise<void> {
    const [c1, c2] = [new Client({ connectionString: room.db.url }), new Client({ connectionString: room.db.url })];
    await Promise.all([c1.connect(), c2.connect()]);
    try {
      await c1.query('BEGIN');
      await first(c1);
      await c2.query('BEGIN');
      // Waits for the first transaction (the rollup's locks); without them it would compute from a snapshot lacking the first write.
      const pending = second(c2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await c1.query('COMMIT');
      await pending;
      await c2.query('COMMIT');
    } finally {
      await Promise.all([c1.end(), c2.end()]);
    }
  }

  it('keeps both of two transactions writing one incident (an item completed, its postmortem published)', async () => {
    const id = await incident({ serviceIds: [svcB], startedAt: '2024-05-02T00:00:00Z', resolvedAt: '2024-05-02T01:00:00Z' });
    const item = await createItem(id, { title: 'fix it', kind: 'PREVENT', priority: 'P2', ownerTeamId: teamB, dueAt: new Date(Date.now() + 5 * DAY) });
    const before = await report();
    await interleaved(
      (c) => c.query(`UPDATE action_items SET status = 'DONE', completed_at = now(), completion_note = 'done' WHERE id = $1`, [item]),
      (c) => c.query(`UPDATE postmortems SET status = 'PUBLISHED', published_at = due_at - interval '1 hour' WHERE incident_id = $1`, [id]),
    );
    const r = await expectFresh();
    expect(r.actionItems.done).toBe(before.actionItems.done + 1);
    expect(r.postmortemsPublishedOnTimeRate).not.toBe(before.postmortemsPublishedOnTimeRate);
  });

  it('un-flags a later incident when two transactions each remove one of its two earlier causes', async () => {
    const first = await incident({ serviceIds: [svcB], startedAt: '2024-05-10T00:00:00Z', resolvedAt: '2024-05-10T01:00:00Z' });
    const second = await incident({ serviceIds: [svcB], startedAt: '2024-05-11T00:00:00Z', resolvedAt: '2024-05-11T01:00:00Z' });
    const last = await incident({ serviceIds: [svcB], startedAt: '2024-05-20T00:00:00Z', resolvedAt: '2024-05-20T01:00:00Z' });
    await factor(last, 'BAD_DATA');
    const f1 = await factor(first, 'BAD_DATA');
    const f2 = await factor(second, 'BAD_DATA');
    const before = (await expectFresh()).repeatIncidents;
    await interleaved(
      (c) => c.query(`DELETE FROM contributing_factors WHERE id = $1`, [f1]),
      (c) => c.query(`DELETE FROM contributing_factors WHERE id = $1`, [f2]),
    );
    // `second` was a repeat of `first` and `last` of both: neither is any more.
    expect((await expectFresh()).repeatIncidents).toBe(before - 2);
  });
});

describe('TRUNCATE', () => {
  it('rebuilds the rollup after a table is emptied', async () => {
    await db.query(`TRUNCATE contributing_factors CASCADE`);
    expect((await expectFresh()).repeatIncidents).toBe(0);
    await db.query(`TRUNCATE action_items CASCADE`);
    expect((await expectFresh()).actionItems.done).toBe(0);
    await db.query(`TRUNCATE incidents CASCADE`);
    expect((await expectFresh()).incidents).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM incident_fact_services`)).rows[0].n).toBe(0);
  });
});
