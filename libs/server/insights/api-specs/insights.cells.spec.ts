import { Client } from 'pg';
import { type ReportRows, factsReportRows, InsightsModule, InsightsService, reliabilityReportRows, ReportQuery, REPORT_SETTINGS, ReportScope } from '@hindsight/server-insights';
import { PoliciesService } from '@hindsight/server-settings';
import { ModuleHarness, testModule } from '@hindsight/server-testing';
import { asSelected, loadReferenceRows, ReferenceIncident, referenceFor } from './reference.fixtures';

/**
 * The report without a team or service filter reads incident_fact_cells (one row per UTC day ×
 * severity × segment set, kept by triggers on incident_facts) plus the partial days at the
 * edges of its range. On a random set of incidents: the cells always equal a rebuild from
 * scratch (after bulk and single writes, a repeat flag flipped, a rate change), incident_fact_teams
 * equals the facts' owning teams, and the report
 * equals the domain reference from the raw rows for ranges that do and do not fall on whole days.
 * The insights room alone (no API): the report is its service's, compared field by field.
 */

let room: ModuleHarness;
let db: Client;


/** The cells as stored and as rebuilt from scratch, arrays sorted (their order follows the scan), rows that differ. */
async function cellsDiffer(): Promise<number> {
  const norm = (source: string) => `SELECT day, severity, segment_keys, week_start, month_start, incidents, cents,
      ttd_count, ttd_max, ttd_bins, ARRAY(SELECT unnest(ttd_values) ORDER BY 1) AS ttd, ttm_count, ttm_max, ttm_bins, ARRAY(SELECT unnest(ttm_values) ORDER BY 1) AS ttm,
      ttr_count, ttr_max, ttr_bins, ARRAY(SELECT unnest(ttr_values) ORDER BY 1) AS ttr, categories, category_counts, repeats, pm_published, pm_on_time,
      ARRAY(SELECT unnest(pm_pending_due_ats) ORDER BY 1) AS pm, items_open, items_done, items_done_on_time, ARRAY(SELECT unnest(open_item_due_ats) ORDER BY 1) AS due
    FROM ${source}`;
  const stored = norm('incident_fact_cells');
  const rebuilt = norm(`insight_cells_build('-infinity', 'infinity', (SELECT rate FROM insight_cells_rate))`);
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ((${stored} EXCEPT ALL ${rebuilt}) UNION ALL (${rebuilt} EXCEPT ALL ${stored})) d`);
  return rows[0].n;
}

/** incident_fact_teams against the fact rows, one per owning team: rows missing, extra or different. */
async function teamRowsDiffer(): Promise<number> {
  const expected = `SELECT t AS team_id, f.* FROM incident_facts f, unnest(f.team_ids) AS t`;
  const stored = `SELECT * FROM incident_fact_teams`;
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ((${stored} EXCEPT ALL ${expected}) UNION ALL (${expected} EXCEPT ALL ${stored})) d`);
  return rows[0].n;
}

/** The service's report, with the fields of the reference (what the report query selects). */
const report = async <T>(filter: Record<string, unknown>, like: T): Promise<T> =>
  asSelected(await room.get(InsightsService).reliabilityReport({ ...filter, from: new Date(filter['from'] as string), to: new Date(filter['to'] as string) } as never), like);

/** The overdue ages move with the clock between the two reads: compared by count (their bins and percentiles are checked by insights.spec). */
const steady = (r: { actionItems: { overdueAgeDays: { count: number } } }) => ({ ...r, actionItems: { ...r.actionItems, overdueAgeDays: r.actionItems.overdueAgeDays.count } });

const team1 = (i: ReferenceIncident) => i.teamIds.includes(team1Id);
let team1Id: string;
const enterprise = (i: ReferenceIncident) => i.segments.some((s) => s.trim().toLowerCase() === 'enterprise');
const CASES: [string, Record<string, unknown>, (i: ReferenceIncident) => boolean][] = [
  ['everyone, whole days, weekly', { from: '2024-01-01T00:00:00Z', to: '2024-07-01T00:00:00Z' }, () => true],
  ['everyone, partial days at both edges, monthly', { from: '2024-02-10T13:17:00.123Z', to: '2024-09-03T05:00:00Z', interval: 'MONTH' }, () => true],
  ['inside one day', { from: '2024-03-05T02:00:00Z', to: '2024-03-05T20:00:00Z' }, () => true],
  ['a segment, partial days', { from: '2024-01-15T06:00:00Z', to: '2024-11-20T18:30:00Z', segment: ' ENTERPRISE ' }, enterprise],
  ['one team (incident_fact_teams), partial days', { from: '2024-01-15T06:00:00Z', to: '2024-11-20T18:30:00Z', teamId: 'team-1' }, team1],
  ['two severities and a segment', { from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z', severities: ['SEV1', 'SEV3'], segment: 'eu' },
    (i) => ['SEV1', 'SEV3'].includes(i.severity) && i.segments.some((s) => s.trim().toLowerCase() === 'eu')],
];

async function expectReference(): Promise<void> {
  const policies = await room.get(PoliciesService).current();
  const rows = await loadReferenceRows(db, policies.hourlyResponderRate, new Date());
  for (const [label, filter, keep] of CASES) {
    const shape = referenceFor(rows, new Date(filter['from'] as string), new Date(filter['to'] as string), (filter['interval'] as 'MONTH' | undefined) ?? 'WEEK', keep);
    const actual = await report(filter['teamId'] ? { ...filter, teamId: team1Id } : filter, shape);
    const expected = referenceFor(rows, new Date(filter['from'] as string), new Date(filter['to'] as string), (filter['interval'] as 'MONTH' | undefined) ?? 'WEEK', keep);
    expect({ label, report: steady(actual) }).toEqual({ label, report: steady(expected) });
  }
}

/**
 * The cells' rows against incident_facts' for the same scopes and the same `now`, in one
 * snapshot: every figure equal to the digit, the overdue ages' percentiles and max included
 * (the API comparison above can only count them: they move with the clock between two reads).
 */
async function expectCellsEqualFacts(): Promise<void> {
  const rate = Number((await db.query(`SELECT rate FROM insight_cells_rate`)).rows[0].rate);
  const now = new Date();
  const query: ReportQuery = async (sql, params) => (await db.query(sql, params)).rows;
  await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  try {
    await db.query(REPORT_SETTINGS);
    for (const [label, filter] of CASES.filter(([, f]) => !f['teamId'])) {
      const scope: ReportScope = {
        from: new Date(filter['from'] as string), to: new Date(filter['to'] as string), interval: (filter['interval'] as 'MONTH' | undefined) ?? 'WEEK',
        severities: (filter['severities'] as ReportScope['severities']) ?? null, segment: ((filter['segment'] as string | undefined) ?? '').trim() || null,
      };
      // Periods in any order (the API places them by date).
      const ordered = (r: ReportRows) => ({ ...r, periods: [...r.periods].sort((a, b) => (a.period ?? Infinity) - (b.period ?? Infinity)) });
      expect({ label, rows: ordered(await reliabilityReportRows(query, scope, now, rate)) }).toEqual({ label, rows: ordered(await factsReportRows(query, scope, now, rate)) });
    }
  } finally {
    await db.query('COMMIT');
  }
}

beforeAll(async () => {
  room = await testModule([InsightsModule]);
  db = new Client({ connectionString: room.db.url });
  await db.connect();
  // 1,500 incidents over 2024 in set-based statements (each a bulk write for the triggers); times in whole ms, as the API and the reference's Dates hold them.
  await db.query(`SELECT setseed(0.14)`);
  await db.query(`INSERT INTO teams (name, slug) SELECT 'Team ' || t, 'team-' || t FROM generate_series(1, 4) t`);
  team1Id = (await db.query<{ id: string }>(`SELECT id FROM teams WHERE slug = 'team-1'`)).rows[0].id;
  await db.query(`INSERT INTO services (name, kind, tier, team_id, revenue_per_minute)
    SELECT 'svc-' || s, 'API', 1, (SELECT id FROM teams WHERE slug = 'team-' || (1 + s % 4)), CASE WHEN s % 3 = 0 THEN NULL ELSE s * 7.25 END
      FROM generate_series(0, 11) s`);
  await db.query(`INSERT INTO incidents (title, severity, status, segments, started_at, detected_at, mitigated_at, resolved_at, responder_hours, sla_credits, impact_fraction)
    SELECT 'i' || n, (ARRAY['SEV1','SEV2','SEV3','SEV4'])[1 + floor(random() * 4)::int],
           CASE WHEN n % 51 = 0 THEN 'INVESTIGATING' ELSE 'RESOLVED' END,
           CASE n % 4 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY['enterprise'] WHEN 2 THEN ARRAY[' Enterprise ', 'eu'] ELSE ARRAY['eu'] END,
           st, CASE WHEN n % 5 <> 0 THEN st + d END, CASE WHEN n % 3 <> 0 THEN st + d + m END, CASE WHEN n % 51 <> 0 THEN st + d + m + r END,
           CASE WHEN n % 2 = 0 THEN round((random() * 8)::numeric, 2) END, CASE WHEN n % 9 = 0 THEN round((random() * 900)::numeric, 2) END,
           CASE WHEN n % 7 = 0 THEN 0.5 ELSE 1 END
      FROM (SELECT n, date_trunc('milliseconds', timestamptz '2024-01-01' + random() * interval '366 days') AS st, date_trunc('milliseconds', exp(random() * 4) * interval '1 minute') AS d,
                   date_trunc('milliseconds', exp(random() * 6) * interval '1 minute') AS m, date_trunc('milliseconds', exp(random() * 8) * interval '1 minute') AS r
              FROM generate_series(1, 1500) n) g`);
  // Open outages (every 51st: neither mitigated nor resolved) only on services without revenue: their cost would grow between the report and the reference.
  await db.query(`INSERT INTO incident_services (incident_id, service_id)
    SELECT i.id, s.id FROM incidents i JOIN services s ON s.name = 'svc-' || (i.number % 12) OR (i.number % 6 = 0 AND i.number % 51 <> 0 AND s.name = 'svc-' || ((i.number + 5) % 12))`);
  await db.query(`INSERT INTO contributing_factors (incident_id, category, description, is_trigger)
    SELECT id, (ARRAY['CAPACITY','NETWORK','BAD_DATA','CONFIG_CHANGE'])[1 + floor(random() * 4)::int], 'f', false FROM incidents WHERE number % 2 = 0`);
  // Postmortems due 10 days after resolution (some of them in the future), a third published around their due date.
  await db.query(`INSERT INTO postmortems (incident_id, status, due_at, published_at)
    SELECT id, CASE WHEN number % 3 = 0 THEN 'PUBLISHED' ELSE 'DRAFT' END, due, CASE WHEN number % 3 = 0 THEN date_trunc('milliseconds', coalesce(due, resolved_at, started_at) + (random() - 0.7) * interval '10 days') END
      FROM (SELECT *, CASE WHEN resolved_at IS NOT NULL AND severity <> 'SEV4' THEN date_trunc('milliseconds', greatest(resolved_at, now() - interval '100 days' * random())) + interval '240 hours' END AS due FROM incidents) i`);
  // Open items due in the past and in the future, done items on time and late.
  await db.query(`INSERT INTO action_items (incident_id, title, kind, priority, status, owner_team_id, due_at, completed_at, completion_note)
    SELECT i.id, 'fix', 'PREVENT', 'P2', CASE WHEN i.number % 4 = 0 THEN 'DONE' ELSE 'OPEN' END, (SELECT id FROM teams WHERE slug = 'team-1'),
           date_trunc('milliseconds', now() + (random() - 0.8) * interval '400 days'), CASE WHEN i.number % 4 = 0 THEN date_trunc('milliseconds', now() - random() * interval '30 days') END,
           CASE WHEN i.number % 4 = 0 THEN 'done' END
      FROM incidents i WHERE i.number % 3 <> 1`);
}, 120_000);

afterAll(async () => {
  await db.end();
  await room.close();
});

describe('incident_fact_cells', () => {
  it('equal a rebuild from scratch after the bulk writes, and the report equals the reference', async () => {
    expect((await db.query(`SELECT count(*)::int AS n FROM incident_fact_cells`)).rows[0].n).toBeGreaterThan(1000);
    expect(await cellsDiffer()).toBe(0);
    expect(await teamRowsDiffer()).toBe(0);
    await expectReference();
    await expectCellsEqualFacts();
  });

  it('stay exact after single writes: start moved to another day, severity and segments changed, a factor that flips a later repeat, an incident deleted, revenue changed, items completed', async () => {
    const ids = (await db.query<{ id: string }>(`SELECT id FROM incidents ORDER BY number LIMIT 12`)).rows.map((r) => r.id);
    await db.query(`UPDATE incidents SET started_at = started_at - interval '3 days 7 hours' WHERE id = $1`, [ids[0]]);
    await db.query(`UPDATE incidents SET severity = 'SEV1', segments = ARRAY['Enterprise'] WHERE id = $1`, [ids[1]]);
    await db.query(`INSERT INTO contributing_factors (incident_id, category, description, is_trigger) VALUES ($1, 'SECURITY', 'f', false), ($2, 'SECURITY', 'f', false)`, [ids[2], ids[3]]);
    await db.query(`DELETE FROM incidents WHERE id = $1`, [ids[4]]);
    await db.query(`UPDATE services SET revenue_per_minute = 999 WHERE name = 'svc-5'`);
    await db.query(`UPDATE action_items SET status = 'DONE', completed_at = now(), completion_note = 'done' WHERE incident_id = $1`, [ids[5]]);
    await db.query(`UPDATE postmortems SET status = 'PUBLISHED', published_at = now() WHERE incident_id = $1`, [ids[6]]);
    await db.query(`UPDATE incidents SET resolved_at = started_at + interval '90 minutes', mitigated_at = NULL WHERE id = $1`, [ids[7]]);
    // A service moved to another team: its incidents change owning teams.
    await db.query(`UPDATE services SET team_id = (SELECT id FROM teams WHERE slug = 'team-1') WHERE name = 'svc-2'`);
    expect(await cellsDiffer()).toBe(0);
    expect(await teamRowsDiffer()).toBe(0);
    await expectReference();
    await expectCellsEqualFacts();
  });

  it('are repriced in the transaction that changes the hourly rate', async () => {
    await room.get(PoliciesService).update(await room.actor('ADMIN'), { hourlyResponderRate: 333.33 });
    expect((await db.query(`SELECT rate FROM insight_cells_rate`)).rows[0].rate).toBe(333.33);
    expect(await cellsDiffer()).toBe(0);
    await expectReference();
  });

  it('are not used when priced at another rate than the one in force: the report reads the incident rows', async () => {
    await db.query(`ALTER TABLE settings DISABLE TRIGGER settings_insight_cells_reprice`);
    try {
      // Cells priced at a rate of 1 (their cents made visibly wrong for the rate in force).
      await db.query(`UPDATE insight_cells_rate SET rate = 1`);
      await db.query(`UPDATE incident_fact_cells SET cents = cents + 12345`);
      await expectReference();
    } finally {
      await db.query(`UPDATE incident_fact_cells SET cents = cents - 12345`);
      await db.query(`UPDATE insight_cells_rate SET rate = 333.33`);
      await db.query(`ALTER TABLE settings ENABLE TRIGGER settings_insight_cells_reprice`);
    }
  });

  it('are emptied and rebuilt with the rollup after a TRUNCATE', async () => {
    await db.query(`TRUNCATE contributing_factors CASCADE`);
    expect(await cellsDiffer()).toBe(0);
    await db.query(`TRUNCATE incidents CASCADE`);
    expect((await db.query(`SELECT count(*)::int AS n FROM incident_fact_cells`)).rows[0].n).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM incident_fact_teams`)).rows[0].n).toBe(0);
  });
});
