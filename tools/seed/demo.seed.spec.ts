import { blamelessReview, SEVERITIES, validateIncidentInput, validateTimelineEventInput } from '@hindsight/domain';
import type { ResolvedConfig } from '@hindsight/server-config';
import type { Client } from 'pg';
import { DEMO_INCIDENT_COUNT, DEMO_LABEL, planDemo } from './demo.plan';
import { DemoSeedResult, seedDemo } from './demo.seed';
import { DEMO_NEAR_MISSES, DEMO_THEME } from './demo.learning';
import { InProcessApi, startInProcessApi } from './in-process-api';
import { seedTestWorld, SeedTestWorld } from './seed-test.world';

/** Every demo incident, near misses included. */
const DEMO_ALL = DEMO_INCIDENT_COUNT + DEMO_NEAR_MISSES.length;

describe('demo plan', () => {
  const now = new Date('2026-03-18T10:20:00Z');
  const plan = planDemo(now);

  it('is the same on every run for the same day', () => {
    const again = planDemo(new Date('2026-03-18T10:20:00Z'));
    expect(again.map((p) => [p.title, p.severity, p.startedAt.toISOString(), p.actions.length])).toEqual(
      plan.map((p) => [p.title, p.severity, p.startedAt.toISOString(), p.actions.length]),
    );
  });

  it('spans most of a year, mostly SEV3/SEV4 with a few SEV1/SEV2, two incidents still open', () => {
    expect(plan).toHaveLength(DEMO_INCIDENT_COUNT);
    const days = (now.getTime() - Math.min(...plan.map((p) => p.startedAt.getTime()))) / 86_400_000;
    expect(days).toBeGreaterThan(270);
    expect(days).toBeLessThan(366);
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, plan.filter((p) => p.severity === s).length]));
    expect(bySeverity.SEV1).toBeGreaterThanOrEqual(1);
    expect(bySeverity.SEV1 + bySeverity.SEV2).toBeLessThan(bySeverity.SEV3 + bySeverity.SEV4);
    expect(plan.filter((p) => p.resolvedAt === null).map((p) => p.status).sort()).toEqual(['IDENTIFIED', 'MITIGATED']);
    for (const s of ['enterprise', 'eu', 'free']) expect(plan.some((p) => p.segments.includes(s))).toBe(true);
  });

  it('plans only inputs the API accepts: ordered milestones, valid events, nothing after now', () => {
    for (const p of plan) {
      expect(validateIncidentInput({ ...p, impactedDimensions: p.dimensions, labels: [DEMO_LABEL] }, 'create')).toEqual([]);
      for (const e of p.timeline) {
        expect(validateTimelineEventInput({ occurredAt: e.at, kind: e.kind, description: e.description, evidenceUrl: e.evidenceUrl })).toEqual([]);
        expect(e.at.getTime()).toBeLessThan(now.getTime());
      }
      for (const a of p.actions) {
        expect(a.createdAt.getTime()).toBeLessThan(now.getTime());
        if (a.closedAt) expect(a.closedAt.getTime()).toBeGreaterThan(a.createdAt.getTime());
      }
    }
  });

  it('speaks of systems and conditions, never of a person as the cause (blamelessReview finds nothing)', () => {
    const texts = plan.flatMap((p) => [
      p.title, p.summary, p.customerImpact, p.scenario.trigger.description(p.context), p.noActionReason ?? '',
      ...p.factors.map((f) => f.description),
      ...p.safeguards.flatMap((g) => [g.expectedBehavior, g.whyItFailed]),
      ...p.timeline.map((e) => e.description),
      ...p.hypotheses.flatMap((h) => [h.statement, h.decision?.evidence ?? '']),
      ...p.postmortem.edits.flatMap((e) => Object.values(e.sections)),
      ...p.postmortem.reviews.flatMap((r) => r.verdicts.map((v) => v.comment ?? '')),
      ...p.actions.flatMap((a) => [a.template.title, a.template.description, a.template.done, a.template.verification, a.wontDoReason ?? '', a.snooze?.reason ?? '', ...a.dueChanges.map((c) => c.reason)]),
    ]);
    const findings = texts.flatMap((text) => blamelessReview(text).map((f) => `${f.phrase} in "${text.slice(0, 80)}"`));
    expect(findings).toEqual([]);
  });
});

describe('npm run seed (demo organisation through the API)', () => {
  let world: SeedTestWorld;
  let config: ResolvedConfig;
  let pg: Client;
  let first: DemoSeedResult;
  /** One API over the seeded database for the tests that ask it, as the web app would. */
  let api: InProcessApi;

  const count = async (sql: string): Promise<number> => Number((await pg.query<{ n: string }>(sql)).rows[0].n);
  const byStatus = async (table: string): Promise<Record<string, number>> =>
    Object.fromEntries((await pg.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM ${table} GROUP BY status`)).rows.map((r) => [r.status, Number(r.n)]));
  /** Everything the seed writes, so a second run can be shown to change nothing. */
  const snapshot = async (): Promise<unknown[]> =>
    (await pg.query(`
      SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM teams) AS teams, (SELECT count(*) FROM team_members) AS members,
             (SELECT count(*) FROM services) AS services, (SELECT count(*) FROM slos) AS slos, (SELECT count(*) FROM incidents) AS incidents,
             (SELECT count(*) FROM timeline_events) AS events, (SELECT count(*) FROM action_items) AS items,
             (SELECT count(*) FROM postmortem_revisions) AS revisions, (SELECT count(*) FROM audit_log) AS audit,
             (SELECT count(*) FROM runbooks) AS runbooks, (SELECT count(*) FROM runbook_feedback) AS feedback,
             (SELECT max(updated_at) FROM incidents) AS incidents_at, (SELECT max(updated_at) FROM action_items) AS items_at,
             (SELECT max(updated_at) FROM postmortems) AS postmortems_at`)).rows;

  beforeAll(async () => {
    world = await seedTestWorld('seed');
    ({ config, pg } = world);
    first = await seedDemo(config, () => undefined);
    api = await startInProcessApi(config);
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    await world?.close();
  });

  it('creates the demo users, teams, services with per-segment SLOs and a year of incidents', async () => {
    expect(first.history).toBe('created');
    expect(await count(`SELECT count(*) AS n FROM users WHERE email LIKE '%@demo.hindsight.local'`)).toBe(5);
    expect((await pg.query(`SELECT slug FROM teams ORDER BY slug`)).rows.map((r) => r.slug)).toEqual(['ml-serving', 'payments', 'platform']);
    expect(await count(`SELECT count(*) AS n FROM services`)).toBe(11);
    expect((await pg.query(`SELECT DISTINCT segment FROM slos WHERE segment IS NOT NULL ORDER BY segment`)).rows.map((r) => r.segment)).toEqual(['enterprise', 'eu', 'free']);
    expect(await count(`SELECT count(*) AS n FROM incidents WHERE '${DEMO_LABEL}' = ANY(labels)`)).toBe(DEMO_ALL);
    expect(await count(`SELECT count(*) AS n FROM incidents WHERE kind = 'INCIDENT'`)).toBe(DEMO_INCIDENT_COUNT);
    expect(await count(`SELECT count(*) AS n FROM incidents WHERE started_at < now() - interval '270 days'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM incidents WHERE resolved_at IS NULL`)).toBe(2);
    expect(await count(`SELECT count(DISTINCT incident_id) AS n FROM timeline_events`)).toBe(DEMO_ALL);
    expect(await count(`SELECT count(*) AS n FROM contributing_factors WHERE is_trigger`)).toBe(DEMO_ALL);
  });

  it('leaves postmortems in every state, published ones with approved reviews and a backdated publication', async () => {
    const pm = await byStatus('postmortems');
    expect(pm.DRAFT).toBeGreaterThan(0);
    expect(pm.IN_REVIEW).toBeGreaterThan(0);
    expect(pm.PUBLISHED).toBeGreaterThan(DEMO_INCIDENT_COUNT / 3);
    expect(pm.DRAFT + pm.IN_REVIEW + pm.PUBLISHED).toBe(DEMO_ALL);
    expect(await count(`SELECT count(*) AS n FROM postmortems WHERE status = 'PUBLISHED' AND published_at < now() - interval '30 days'`)).toBeGreaterThan(10);
    expect(await count(`SELECT count(*) AS n FROM postmortem_reviews r JOIN postmortems p ON p.id = r.postmortem_id WHERE p.status = 'PUBLISHED' AND r.verdict <> 'APPROVED'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM postmortems WHERE status <> 'PUBLISHED' AND due_at < now()`)).toBeGreaterThan(0);
  });

  it('leaves action items done on time and late, won\'t do, open, overdue, due soon, snoozed and with due-date changes', async () => {
    expect(await count(`SELECT count(*) AS n FROM action_items`)).toBe(first.actionItems);
    const items = await byStatus('action_items');
    for (const s of ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'WONT_DO']) expect(items[s]).toBeGreaterThan(0);
    const open = `status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED')`;
    expect(await count(`SELECT count(*) AS n FROM action_items WHERE ${open} AND due_at < now()`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM action_items WHERE ${open} AND due_at BETWEEN now() AND now() + interval '7 days'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM action_items WHERE status = 'DONE' AND completed_at <= due_at`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM action_items WHERE status = 'DONE' AND completed_at > due_at`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM action_items WHERE status = 'DONE' AND completed_at < now() - interval '60 days'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM action_items WHERE snoozed_until > now()`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM action_item_due_changes WHERE changed_at < now() - interval '1 day'`)).toBeGreaterThan(0);
  });

  it('gives services runbooks, some due for review, some with feedback from incidents and a linked item', async () => {
    expect(await count(`SELECT count(DISTINCT service_id) AS n FROM runbooks`)).toBeGreaterThanOrEqual(6);
    expect(await count(`SELECT count(*) AS n FROM runbooks WHERE review_due_at <= now()`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM runbooks WHERE review_due_at > now()`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM runbooks WHERE version > 1`)).toBeGreaterThan(0);
    // createService makes the first runbook from a service's text; the seed builds on it rather than writing it twice.
    expect(await count(`SELECT count(*) AS n FROM (SELECT 1 FROM runbooks GROUP BY service_id, mitigation HAVING count(*) > 1) d`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM services s WHERE s.runbook IS NOT NULL AND NOT EXISTS (SELECT 1 FROM runbooks r WHERE r.service_id = s.id AND r.mitigation = s.runbook)`)).toBe(0);
    expect(await count(`SELECT count(DISTINCT verdict) AS n FROM runbook_feedback`)).toBeGreaterThanOrEqual(4);
    expect(await count(`SELECT count(*) AS n FROM action_items WHERE addresses_runbook_id IS NOT NULL AND kind = 'PROCESS'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM runbook_feedback f JOIN incidents i ON i.id = f.incident_id WHERE f.created_at <> i.resolved_at`)).toBe(0);
  });

  it('has near misses, ideas (one committed, one dropped), a named theme and fixes that held or recurred', async () => {
    expect(await count(`SELECT count(*) AS n FROM incidents WHERE kind = 'NEAR_MISS'`)).toBe(DEMO_NEAR_MISSES.length);
    expect(await count(`SELECT count(*) AS n FROM incidents i JOIN postmortems p ON p.incident_id = i.id WHERE i.kind = 'NEAR_MISS' AND p.status = 'PUBLISHED'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM action_items WHERE NOT committed AND status = 'OPEN'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM action_items WHERE NOT committed AND status = 'WONT_DO' AND wont_do_reason IS NOT NULL`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'action-item.commit'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM incident_themes x JOIN themes t ON t.id = x.theme_id WHERE t.name = '${DEMO_THEME.name}'`)).toBeGreaterThan(1);
    const token = await api.tokenFor((await pg.query(`SELECT id FROM users WHERE email = 'viewer@demo.hindsight.local'`)).rows[0].id);
    const to = new Date();
    const from = new Date(to.getTime() - 365 * 86_400_000);
    const { reliabilityReport: r } = await api.gql<{ reliabilityReport: { nearMisses: { nearMisses: number; reviewed: number }; fixesHeld: { held: number; recurred: number }[]; themes: unknown[] } }>(
      token, `query($f: ReliabilityFilter!) { reliabilityReport(filter: $f) { nearMisses { nearMisses reviewed } fixesHeld { held recurred } themes(first: 5) { key label } } }`, { f: { from, to } },
    );
    expect(r.nearMisses.nearMisses).toBe(DEMO_NEAR_MISSES.length);
    expect(r.nearMisses.reviewed).toBeGreaterThan(0);
    expect(r.fixesHeld.reduce((n, t) => n + t.held, 0)).toBeGreaterThan(0);
    expect(r.themes.length).toBeGreaterThan(0);
  }, 60_000);

  it('ranks like incidents of the demo in each other\'s top 3, with reasons (the demo\'s fixed pairs)', async () => {
    // Each near miss resembles a kind of incident of the year (same service, same trigger category);
    // and the latest incident of each recurring kind finds an earlier one of its kind.
    type Sim = { incident: { similar: { reasons: string[]; incident: { id: string } }[] } };
    const kindOf = async (id: string): Promise<string> =>
      (await pg.query(`SELECT f.category || '/' || (SELECT min(s.name) FROM incident_services x JOIN services s ON s.id = x.service_id WHERE x.incident_id = i.id AND s.name = ANY($2)) AS k
                         FROM incidents i JOIN contributing_factors f ON f.incident_id = i.id AND f.is_trigger WHERE i.id = $1`, [id, PAIR_SERVICES])).rows[0].k;
    const PAIR_SERVICES = ['edge-gateway', 'event-bus', 'checkout-api', 'feature-store'];
    const token = await api.tokenFor((await pg.query(`SELECT id FROM users WHERE email = 'viewer@demo.hindsight.local'`)).rows[0].id);
    const subjects = (await pg.query<{ id: string; title: string }>(
      `SELECT id, title FROM incidents WHERE kind = 'NEAR_MISS'
       UNION ALL
       (SELECT DISTINCT ON (f.category) i.id, i.title FROM incidents i JOIN contributing_factors f ON f.incident_id = i.id AND f.is_trigger
         WHERE i.kind = 'INCIDENT' AND f.category IN ('CERTIFICATE_OR_SECRET', 'FEATURE_STORE_LAG')
         ORDER BY f.category, i.started_at DESC)`,
    )).rows;
    expect(subjects.length).toBe(DEMO_NEAR_MISSES.length + 2);
    for (const s of subjects) {
      const { incident } = await api.gql<Sim>(token, `query($id: ID!) { incident(id: $id) { similar(first: 3) { reasons incident { id } } } }`, { id: s.id });
      const want = await kindOf(s.id);
      const kinds = await Promise.all(incident.similar.map((m) => kindOf(m.incident.id)));
      expect({ subject: s.title, found: kinds.includes(want) }).toEqual({ subject: s.title, found: true });
      for (const m of incident.similar) expect(m.reasons.length).toBeGreaterThan(0);
    }
  }, 60_000);

  it('records every change in the audit log, by the demo users', async () => {
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'incident.create'`)).toBe(DEMO_ALL);
    expect(await count(`SELECT count(DISTINCT actor_id) AS n FROM audit_log`)).toBeGreaterThanOrEqual(4);
  });

  it('changes nothing when run again', async () => {
    const before = await snapshot();
    const again = await seedDemo(config, () => undefined);
    expect(again.history).toBe('present');
    expect(await snapshot()).toEqual(before);
  }, 120_000);
});
