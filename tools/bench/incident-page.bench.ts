// `npm run bench:incident`: the incident page (an incident with 200 timeline events, 20
// contributing factors, 10 safeguards, 10 hypotheses, 30 action items, reviews) through the
// API's GraphQL stack against a bare `http` + `pg` handler issuing the same statements and
// returning the same JSON, in one run on one database. Prints requests/s of each and the
// ratio (API ÷ bare) — the issue asks for ≥ 0.8.
import 'reflect-metadata';
import { Pool } from 'pg';
import { FactorCategory, formatReference, incidentCost, incidentDurations, isRepeat, withDefaultPolicies } from '@hindsight/domain';
import { benchPageAgainstBare, runBench } from './load.util';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200);
const FACTORS = Number(process.env['BENCH_FACTORS'] ?? 20);
const ACTION_ITEMS = Number(process.env['BENCH_ACTION_ITEMS'] ?? 30);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 1000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 10);

const QUERY = `query($id: ID) { incident(id: $id) {
  id reference title severity status summary startedAt detectedAt mitigatedAt resolvedAt timeToDetectMinutes timeToResolveMinutes cost isRepeat
  services { id name } commander { id name }
  timeline { id occurredAt kind description evidenceUrl source author { id name } }
  hypotheses { id statement status evidence }
  contributingFactors { id category description isTrigger }
  failedSafeguards { id kind expectedBehavior whyItFailed }
  actionItems { id title priority status dueAt ownerTeam { id name } assignee { id name } }
  postmortem { id status version summary dueAt reviews { verdict reviewer { id name } } }
} }`;

/** One realistic incident plus 20 earlier ones on the same services (for the repeat rule). */
async function seed(pool: Pool): Promise<string> {
  const q = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await pool.query(sql, params)).rows as T[];
  const users = (await q<{ id: string }>(`INSERT INTO users (email, name, role, password_hash)
    SELECT 'responder' || i || '@bench.local', 'Responder ' || i, 'COMMANDER', NULL FROM generate_series(1, 10) i RETURNING id`)).map((u) => u.id);
  const teams = (await q<{ id: string }>(`INSERT INTO teams (name, slug, manager_id) VALUES ('Payments', 'payments', $1), ('Platform', 'platform', $2) RETURNING id`, [users[0], users[1]])).map((t) => t.id);
  const services = (await q<{ id: string }>(`INSERT INTO services (name, kind, tier, team_id, revenue_per_minute)
    VALUES ('checkout-api', 'API', 1, $1, 120), ('ledger', 'DATASTORE', 1, $1, 40), ('gateway', 'INFRASTRUCTURE', 2, $2, NULL) RETURNING id`, [teams[0], teams[1]])).map((s) => s.id);
  const [incident] = await q<{ id: string }>(`INSERT INTO incidents (title, severity, status, summary, started_at, detected_at, mitigated_at, resolved_at, commander_id, responder_hours, sla_credits)
    VALUES ('Checkout failures after the payment client release', 'SEV1', 'RESOLVED', 'Payments failed for 40 minutes.', now() - interval '2 days',
            now() - interval '2 days' + interval '4 minutes', now() - interval '2 days' + interval '40 minutes', now() - interval '1 day', $1, 12, 500) RETURNING id`, [users[2]]);
  const id = incident.id;
  await q(`INSERT INTO incident_services (incident_id, service_id) SELECT $1, unnest($2::uuid[])`, [id, services]);
  const [pm] = await q<{ id: string }>(`INSERT INTO postmortems (incident_id, summary, impact, due_at, status) VALUES ($1, 'Summary', 'Impact', now() + interval '4 days', 'IN_REVIEW') RETURNING id`, [id]);
  await q(`INSERT INTO postmortem_reviews (postmortem_id, reviewer_id, verdict) VALUES ($1, $2, 'APPROVED'), ($1, $3, 'PENDING')`, [pm.id, users[3], users[4]]);
  await q(`INSERT INTO timeline_events (incident_id, occurred_at, kind, description, evidence_url, author_id)
    SELECT $1, now() - interval '2 days' + i * interval '30 seconds', (ARRAY['ALERT','PAGE','DIAGNOSIS','NOTE','MITIGATION'])[1 + i % 5],
           'Event ' || i || ': error rate at ' || (i % 17) || ' %', CASE WHEN i % 3 = 0 THEN 'https://grafana.example.com/d/' || i END, ($2::uuid[])[1 + i % 6]
      FROM generate_series(1, $3::int) i`, [id, users, EVENTS]);
  await q(`INSERT INTO contributing_factors (incident_id, category, description, is_trigger)
    SELECT $1, (ARRAY['RELEASE_REGRESSION','OBSERVABILITY_GAP','CAPACITY','PROCESS'])[1 + i % 4], 'Factor ' || i, i = 1 FROM generate_series(1, $2::int) i`, [id, FACTORS]);
  await q(`INSERT INTO failed_safeguards (incident_id, kind, expected_behavior, why_it_failed)
    SELECT $1, (ARRAY['CANARY','ALERTING','TESTING'])[1 + i % 3], 'Should have stopped it ' || i, 'Did not because ' || i FROM generate_series(1, 10) i`, [id]);
  await q(`INSERT INTO hypotheses (incident_id, statement, status, evidence, decided_at)
    SELECT $1, 'Hypothesis ' || i, CASE WHEN i % 2 = 0 THEN 'REJECTED' ELSE 'OPEN' END, CASE WHEN i % 2 = 0 THEN 'Logs disagree' END, CASE WHEN i % 2 = 0 THEN now() END
      FROM generate_series(1, 10) i`, [id]);
  await q(`INSERT INTO action_items (incident_id, title, kind, priority, owner_team_id, assignee_id, due_at)
    SELECT $1, 'Action ' || i, (ARRAY['PREVENT','DETECT','MITIGATE'])[1 + i % 3], (ARRAY['P0','P1','P2','P3'])[1 + i % 4], ($2::uuid[])[1 + i % 2],
           CASE WHEN i % 4 = 0 THEN NULL ELSE ($3::uuid[])[1 + i % 10] END, now() + i * interval '1 day'
      FROM generate_series(1, $4::int) i`, [id, teams, users, ACTION_ITEMS]);
  for (let i = 1; i <= 20; i++) {
    const [prior] = await q<{ id: string }>(`INSERT INTO incidents (title, severity, status, started_at) VALUES ('Earlier ' || $1::int, 'SEV3', 'CLOSED', now() - $1::int * interval '5 days') RETURNING id`, [i]);
    await q(`INSERT INTO incident_services (incident_id, service_id) VALUES ($1, $2)`, [prior.id, services[i % 3]]);
    await q(`INSERT INTO contributing_factors (incident_id, category, description) VALUES ($1, 'CAPACITY', 'Earlier factor')`, [prior.id]);
  }
  return id;
}

type Row = Record<string, unknown>;
const byKey = <T extends Row>(rows: T[], key: string): Map<unknown, T[]> => {
  const m = new Map<unknown, T[]>();
  for (const r of rows) (m.get(r[key]) ?? m.set(r[key], []).get(r[key]))?.push(r);
  return m;
};

/**
 * The statements the API's resolvers and loaders issue for QUERY, assembled by hand. No caller
 * look-up: the API serves a known caller from its actor cache (libs/server/identity).
 */
async function incidentPage(pool: Pool, incidentId: string): Promise<string> {
  const q = async <T extends Row>(sql: string, params: unknown[] = []): Promise<T[]> => (await pool.query(sql, params)).rows as T[];
  const user = (u: Row | undefined) => (u ? { id: u['id'], name: u['name'] } : null);
  const [i] = await q(`SELECT id, number, title, severity, status, summary, started_at AS "startedAt", detected_at AS "detectedAt", mitigated_at AS "mitigatedAt",
    resolved_at AS "resolvedAt", commander_id AS "commanderId", responder_hours AS "responderHours", sla_credits AS "slaCredits", impact_fraction AS "impactFraction"
    FROM incidents WHERE id = $1`, [incidentId]);
  const ids = [incidentId];
  const [links, settings, candidates, timeline, hypotheses, factors, safeguards, items, [pm]] = await Promise.all([
    q(`SELECT x.incident_id AS "incidentId", s.id AS "serviceId", s.revenue_per_minute::float8 AS "revenuePerMinute" FROM incident_services x JOIN services s ON s.id = x.service_id WHERE x.incident_id = ANY($1::uuid[]) ORDER BY lower(s.name), s.id`, [ids]),
    q(`SELECT value FROM settings WHERE key = 'policies'`),
    q(`SELECT s.id AS "subjectId", c.id, c.started_at AS "startedAt",
          ARRAY(SELECT service_id::text FROM incident_services WHERE incident_id = c.id) AS "serviceIds",
          ARRAY(SELECT DISTINCT category FROM contributing_factors WHERE incident_id = c.id) AS "factorCategories"
         FROM incidents s CROSS JOIN LATERAL (SELECT s.id, s.started_at UNION SELECT p.id, p.started_at FROM incident_services mine
           JOIN incident_services other ON other.service_id = mine.service_id AND other.incident_id <> s.id JOIN incidents p ON p.id = other.incident_id
          WHERE mine.incident_id = s.id AND p.started_at < s.started_at AND p.started_at >= s.started_at - make_interval(hours => 2161)) c
        WHERE s.id = ANY($1::uuid[])`, [ids]),
    q(`SELECT id, occurred_at AS "occurredAt", kind, description, evidence_url AS "evidenceUrl", source, author_id AS "authorId" FROM timeline_events WHERE incident_id = ANY($1::uuid[]) ORDER BY occurred_at, created_at, id`, [ids]),
    q(`SELECT id, statement, status, evidence FROM hypotheses WHERE incident_id = ANY($1::uuid[]) ORDER BY created_at, id`, [ids]),
    q(`SELECT id, category, description, is_trigger AS "isTrigger" FROM contributing_factors WHERE incident_id = ANY($1::uuid[]) ORDER BY is_trigger DESC, created_at, id`, [ids]),
    q(`SELECT id, kind, expected_behavior AS "expectedBehavior", why_it_failed AS "whyItFailed" FROM failed_safeguards WHERE incident_id = ANY($1::uuid[]) ORDER BY created_at, id`, [ids]),
    q(`SELECT id, title, priority, status, due_at AS "dueAt", owner_team_id AS "ownerTeamId", assignee_id AS "assigneeId" FROM action_items WHERE incident_id = ANY($1::uuid[]) ORDER BY due_at, id`, [ids]),
    q(`SELECT p.id, p.status, p.version, p.summary, p.due_at AS "dueAt" FROM postmortems p WHERE p.incident_id = ANY($1::uuid[])`, [ids]),
  ]);
  const reviews = await q(`SELECT reviewer_id AS "reviewerId", verdict FROM postmortem_reviews WHERE postmortem_id = ANY($1::uuid[]) ORDER BY requested_at, reviewer_id`, [[pm['id']]]);
  const userIds = [...new Set([i['commanderId'], ...timeline.map((e) => e['authorId']), ...items.map((a) => a['assigneeId']), ...reviews.map((r) => r['reviewerId'])].filter(Boolean))];
  const [services, users, teams] = await Promise.all([
    q(`SELECT id, name FROM services WHERE id = ANY($1::uuid[])`, [links.map((l) => l['serviceId'])]),
    q(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [userIds]),
    q(`SELECT id, name FROM teams WHERE id = ANY($1::uuid[])`, [[...new Set(items.map((a) => a['ownerTeamId']))]]),
  ]);
  const usersById = new Map(users.map((u) => [u['id'], u]));
  const teamsById = new Map(teams.map((t) => [t['id'], t]));
  const policies = withDefaultPolicies((settings[0]?.['value'] as object | undefined) ?? {});
  const times = i as unknown as { startedAt: Date; detectedAt: Date | null; mitigatedAt: Date | null; resolvedAt: Date | null };
  const durations = incidentDurations(times);
  const cands = byKey(candidates, 'subjectId').get(incidentId) ?? [];
  const asCandidate = (c: Row) => ({ id: c['id'] as string, startedAt: c['startedAt'] as Date, serviceIds: c['serviceIds'] as string[], factorCategories: c['factorCategories'] as FactorCategory[] });
  const self = cands.find((c) => c['id'] === incidentId);
  return JSON.stringify({
    data: {
      incident: {
        id: i['id'], reference: formatReference(i['number'] as number), title: i['title'], severity: i['severity'], status: i['status'], summary: i['summary'],
        startedAt: times.startedAt, detectedAt: times.detectedAt, mitigatedAt: times.mitigatedAt, resolvedAt: times.resolvedAt,
        timeToDetectMinutes: durations.timeToDetectMinutes, timeToResolveMinutes: durations.timeToResolveMinutes,
        cost: incidentCost({ times, revenuePerMinuteOfAffectedServices: links.map((l) => l['revenuePerMinute'] as number | null), impactFraction: i['impactFraction'] as number,
          responderHours: i['responderHours'] as number | null, hourlyRate: policies.hourlyResponderRate, slaCredits: i['slaCredits'] as number | null }, new Date()),
        isRepeat: self ? isRepeat(asCandidate(self), cands.filter((c) => c !== self).map(asCandidate)) : false,
        services: services.map((s) => ({ id: s['id'], name: s['name'] })),
        commander: user(usersById.get(i['commanderId'])),
        timeline: timeline.map(({ authorId, ...e }) => ({ ...e, author: user(usersById.get(authorId)) })),
        hypotheses, contributingFactors: factors, failedSafeguards: safeguards,
        actionItems: items.map(({ ownerTeamId, assigneeId, ...a }) => ({ ...a, ownerTeam: teamsById.get(ownerTeamId), assignee: user(usersById.get(assigneeId)) })),
        postmortem: { ...pm, reviews: reviews.map((r) => ({ verdict: r['verdict'], reviewer: user(usersById.get(r['reviewerId'])) })) },
      },
    },
  });
}

runBench(() =>
  benchPageAgainstBare({
    label: `incident page: ${EVENTS} timeline events, ${FACTORS} factors, ${ACTION_ITEMS} action items`,
    seed,
    request: (incidentId) => ({ query: QUERY, variables: { id: incidentId } }),
    bare: incidentPage,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
  }),
);
