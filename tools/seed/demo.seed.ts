// Seeds the demo organisation through the real API (in-process): demo users and teams,
// services with SLOs, and a year of incidents with timelines, analyses, postmortems in
// every state and action items in every condition (demo.plan.ts). Idempotent: users, teams
// and services are matched by email, slug and name; the incident history is only written
// into an installation that has no incident yet, so a second run changes nothing.
import { MS_PER_DAY, MS_PER_MINUTE, normaliseEmail, type Policies } from '@hindsight/domain';
import type { ResolvedConfig } from '@hindsight/server-config';
import type { EntityManager } from 'typeorm';
import { DEMO_PASSWORD, DEMO_SERVICES, DEMO_TEAMS, DEMO_USERS, DemoPerson, DemoTeam } from './demo.catalog';
import { DEMO_INCIDENT_COUNT, DEMO_LABEL, PlannedAction, PlannedIncident, planDemo } from './demo.plan';
import { InProcessApi, startInProcessApi } from './in-process-api';
import { seedRunbooks } from './demo.runbooks';
import { seedLearning } from './demo.learning';

export interface DemoSeedResult {
  /** created: the demo history was written now; present: a demo was already there; skipped: the installation has incidents of its own. */
  history: 'created' | 'present' | 'skipped';
  incidents: number;
  actionItems: number;
}

interface Ids {
  users: Record<DemoPerson, string>;
  teams: Record<DemoTeam, string>;
  services: Record<string, string>;
}

type Tokens = Record<DemoPerson | 'admin', string>;

const q = {
  users: `query { users { id email } }`,
  createUser: `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
  teams: `query { teams { id slug members { id } } }`,
  createTeam: `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`,
  addTeamMember: `mutation($teamId: ID!, $userId: ID!) { addTeamMember(teamId: $teamId, userId: $userId) { id } }`,
  services: `query { services { id name slos { dimension segment } } }`,
  createService: `mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`,
  createSlo: `mutation($input: CreateSloInput!) { createSlo(input: $input) { id } }`,
  policies: `query { policies { postmortemDueDays { SEV1 SEV2 SEV3 SEV4 } actionItemDueDays { P0 P1 P2 P3 } hourlyResponderRate personDayCost } }`,
  createIncident: `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`,
  addTimelineEvent: `mutation($id: ID!, $input: TimelineEventInput!) { addTimelineEvent(incidentId: $id, input: $input) { id } }`,
  addHypothesis: `mutation($id: ID!, $statement: String!) { addHypothesis(incidentId: $id, statement: $statement) { id } }`,
  decideHypothesis: `mutation($id: ID!, $status: HypothesisStatus!, $evidence: String!) { decideHypothesis(id: $id, status: $status, evidence: $evidence) { id } }`,
  addFactor: `mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(incidentId: $id, input: $input) { id } }`,
  addSafeguard: `mutation($id: ID!, $input: FailedSafeguardInput!) { addFailedSafeguard(incidentId: $id, input: $input) { id } }`,
  createActionItem: `mutation($id: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $id, input: $input) { id } }`,
  updateActionItem: `mutation($id: ID!, $input: UpdateActionItemInput!, $reason: String) { updateActionItem(id: $id, input: $input, reason: $reason) { id } }`,
  completeActionItem: `mutation($id: ID!, $note: String!, $verification: String) { completeActionItem(id: $id, note: $note, verification: $verification) { id } }`,
  changeDueDate: `mutation($id: ID!, $dueAt: DateTime!, $reason: String!) { changeActionItemDueDate(id: $id, dueAt: $dueAt, reason: $reason) { id } }`,
  snooze: `mutation($id: ID!, $until: DateTime!, $reason: String!) { snoozeActionItem(id: $id, until: $until, reason: $reason) { id } }`,
  updatePostmortem: `mutation($id: ID!, $v: Int!, $input: PostmortemInput!) { updatePostmortem(incidentId: $id, expectedVersion: $v, input: $input) { version } }`,
  requestReview: `mutation($id: ID!, $reviewerIds: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $reviewerIds) { id } }`,
  review: `mutation($id: ID!, $verdict: ReviewVerdict!, $comment: String) { reviewPostmortem(incidentId: $id, verdict: $verdict, comment: $comment) { id } }`,
  publish: `mutation($id: ID!) { publishPostmortem(incidentId: $id) { id } }`,
} as const;

const PEOPLE = Object.keys(DEMO_USERS) as DemoPerson[];
const TEAMS = Object.keys(DEMO_TEAMS) as DemoTeam[];

export async function seedDemo(config: ResolvedConfig, log: (line: string) => void = console.log): Promise<DemoSeedResult> {
  const api = await startInProcessApi(config);
  try {
    const admin = await api.tokenFor(api.admin.id);
    const users = await ensureUsers(api, admin);
    const teams = await ensureTeams(api, admin, users);
    log(`seed: demo users and teams ready (password for demo users: ${DEMO_PASSWORD})`);

    const [{ total, demo }] = (await api.ds.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE $1 = ANY(labels))::int AS demo FROM incidents`,
      [DEMO_LABEL],
    )) as { total: number; demo: number }[];
    if (demo > 0) {
      if (demo < DEMO_INCIDENT_COUNT) {
        log(`seed: WARNING the demo history is incomplete (${demo} of ${DEMO_INCIDENT_COUNT} incidents; an earlier run stopped part-way). Reset the database (drop it, run migrations) and seed again for the full demo.`);
      } else {
        log(`seed: demo history already present (${demo} incidents); nothing to do`);
      }
      return { history: 'present', incidents: demo, actionItems: 0 };
    }
    if (total > 0) {
      log(`seed: this installation has ${total} incidents of its own; the demo history is only added to an empty installation`);
      return { history: 'skipped', incidents: 0, actionItems: 0 };
    }

    const services = await ensureServices(api, admin, teams);
    const policies = (await api.gql<{ policies: Policies }>(admin, q.policies)).policies;
    const tokens = { admin } as Tokens;
    for (const p of PEOPLE) tokens[p] = await api.tokenFor(users[p]);
    const ids: Ids = { users, teams, services };

    const plan = planDemo(new Date(), policies);
    let actionItems = 0;
    const incidentIds: string[] = [];
    for (const [i, incident] of plan.entries()) {
      const replayed = await replayIncident(api, tokens, ids, incident);
      actionItems += replayed.actionItems;
      incidentIds.push(replayed.incidentId);
      if ((i + 1) % 10 === 0) log(`seed: ${i + 1} of ${plan.length} demo incidents`);
    }
    const changes = await seedChanges(api, admin, services, plan, incidentIds, new Date());
    log(`seed: ${changes.deploys} demo deploys, ${changes.linked} of them linked to incidents as their trigger`);
    const runbooks = await seedRunbooks(api, tokens, services, new Date());
    actionItems += runbooks.actionItems;
    const learning = await seedLearning(api, tokens, ids, plan, incidentIds, new Date());
    actionItems += learning.ideas;
    log(`seed: ${learning.nearMisses} near misses, ${learning.ideas} ideas (${learning.committed} committed, ${learning.dropped} dropped), ${learning.tagged} incidents tagged with a named theme`);
    log(`seed: demo history ready: ${plan.length} incidents, ${learning.nearMisses} near misses, ${actionItems} action items, ${DEMO_SERVICES.length} services, ${runbooks.runbooks} runbooks`);
    return { history: 'created', incidents: plan.length, actionItems };
  } finally {
    await api.close();
  }
}

async function ensureUsers(api: InProcessApi, admin: string): Promise<Record<DemoPerson, string>> {
  const existing = new Map((await api.gql<{ users: { id: string; email: string }[] }>(admin, q.users)).users.map((u) => [u.email, u.id]));
  const ids = {} as Record<DemoPerson, string>;
  for (const p of PEOPLE) {
    const u = DEMO_USERS[p];
    ids[p] = existing.get(normaliseEmail(u.email) ?? u.email) ?? (await api.gql<{ createUser: { id: string } }>(admin, q.createUser, { input: { ...u, password: DEMO_PASSWORD } })).createUser.id;
  }
  return ids;
}

async function ensureTeams(api: InProcessApi, admin: string, users: Record<DemoPerson, string>): Promise<Record<DemoTeam, string>> {
  const existing = new Map((await api.gql<{ teams: { id: string; slug: string; members: { id: string }[] }[] }>(admin, q.teams)).teams.map((t) => [t.slug, t]));
  const ids = {} as Record<DemoTeam, string>;
  for (const slug of TEAMS) {
    const t = DEMO_TEAMS[slug];
    const memberIds = t.members.map((m) => users[m]);
    const found = existing.get(slug);
    if (!found) {
      ids[slug] = (await api.gql<{ createTeam: { id: string } }>(admin, q.createTeam, { input: { name: t.name, managerId: users[t.manager], memberIds } })).createTeam.id;
      continue;
    }
    ids[slug] = found.id;
    const have = new Set(found.members.map((m) => m.id));
    for (const userId of memberIds.filter((id) => !have.has(id))) await api.gql(admin, q.addTeamMember, { teamId: found.id, userId });
  }
  return ids;
}

async function ensureServices(api: InProcessApi, admin: string, teams: Record<DemoTeam, string>): Promise<Record<string, string>> {
  type Row = { id: string; name: string; slos: { dimension: string; segment: string | null }[] };
  const existing = new Map((await api.gql<{ services: Row[] }>(admin, q.services)).services.map((s) => [s.name.toLowerCase(), s]));
  const ids: Record<string, string> = {};
  for (const s of DEMO_SERVICES) {
    const found = existing.get(s.name);
    const id = found?.id ?? (await api.gql<{ createService: { id: string } }>(admin, q.createService, {
      input: { name: s.name, kind: s.kind, tier: s.tier, teamId: teams[s.team], revenuePerMinute: s.revenuePerMinute, runbook: s.runbook },
    })).createService.id;
    ids[s.name] = id;
    const have = new Set((found?.slos ?? []).map((slo) => `${slo.dimension}/${slo.segment ?? ''}`));
    for (const slo of s.slos.filter((o) => !have.has(`${o.dimension}/${o.segment ?? ''}`))) {
      await api.gql(admin, q.createSlo, { input: { serviceId: id, dimension: slo.dimension, objective: slo.objective, windowDays: slo.windowDays ?? null, segment: slo.segment ?? null } });
    }
  }
  return ids;
}

/** Replays one planned incident through the API, then backdates its history. Returns its action item count. */
/**
 * Deploys for the DORA figures (docs/dora.md), through POST /api/changes as a CI system would
 * send them: each service deploys to production every 2–3 days over the last 180 days (and to
 * staging now and then), and every third resolved incident gets the deploy that triggered it,
 * 25 minutes before it started, linked as TRIGGERING. Deterministic: the same on every machine.
 */
async function seedChanges(
  api: InProcessApi, admin: string, services: Record<string, string>, plan: readonly PlannedIncident[], incidentIds: readonly string[], now: Date,
): Promise<{ deploys: number; linked: number }> {
  const { createApiToken } = await api.gql<{ createApiToken: { token: string } }>(admin, `mutation { createApiToken(name: "demo deploys", scope: READ_WRITE) { token } }`);
  const deploy = async (id: string, service: string, finishedAt: Date, environment = 'production'): Promise<string> => {
    const res = await fetch(`${api.origin}/api/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${createApiToken.token}` },
      body: JSON.stringify({ id, service, environment, version: `v${id.split('-').pop()}`, finishedAt: finishedAt.toISOString(), startedAt: new Date(finishedAt.getTime() - 6 * 60_000).toISOString() }),
    });
    const body = (await res.json()) as { change?: { id: string } | null; message?: string };
    if (res.status !== 200 || !body.change) throw new Error(`seed: POST /api/changes answered ${res.status}: ${body.message ?? JSON.stringify(body)}`);
    return body.change.id;
  };
  let deploys = 0;
  for (const [s, name] of Object.keys(services).entries()) {
    const every = 2 + (s % 2);
    for (let k = 0; k * every < 180; k++) {
      const at = new Date(now.getTime() - (180 - k * every) * MS_PER_DAY + ((s * 37 + k * 53) % 600) * MS_PER_MINUTE);
      if (at >= now) break;
      await deploy(`demo-${name}-${k}`, name, at, k % 7 === 3 ? 'staging' : 'production');
      deploys++;
    }
  }
  let linked = 0;
  for (const [i, p] of plan.entries()) {
    if (i % 3 !== 0 || !p.resolvedAt || p.startedAt.getTime() < now.getTime() - 180 * MS_PER_DAY) continue;
    const changeId = await deploy(`demo-trigger-${p.services[0]}-${i}`, p.services[0], new Date(p.startedAt.getTime() - 25 * 60_000));
    deploys++;
    await api.gql(admin, `mutation($i: ID!, $c: ID!) { linkChangeToIncident(incidentId: $i, changeId: $c, role: TRIGGERING) { id } }`, { i: incidentIds[i], c: changeId });
    linked++;
  }
  return { deploys, linked };
}

async function replayIncident(api: InProcessApi, tokens: Tokens, ids: Ids, p: PlannedIncident): Promise<{ actionItems: number; incidentId: string }> {
  const commander = tokens[p.commander];
  const { createIncident } = await api.gql<{ createIncident: { id: string } }>(commander, q.createIncident, {
    input: {
      title: p.title, severity: p.severity, status: p.status, summary: p.summary, serviceIds: p.services.map((s) => ids.services[s]),
      impactedDimensions: p.dimensions, segments: p.segments, regions: p.regions, commanderId: ids.users[p.commander],
      startedAt: p.startedAt, detectedAt: p.detectedAt, acknowledgedAt: p.acknowledgedAt, mitigatedAt: p.mitigatedAt, resolvedAt: p.resolvedAt,
      responderHours: p.responderHours, slaCredits: p.slaCredits, customerImpact: p.customerImpact, usersAffected: p.usersAffected,
      failedRequests: p.failedRequests, impactFraction: p.impactFraction, labels: [DEMO_LABEL],
    },
  });
  const incidentId = createIncident.id;

  for (const e of p.timeline) {
    await api.gql(commander, q.addTimelineEvent, { id: incidentId, input: { occurredAt: e.at, kind: e.kind, description: e.description, evidenceUrl: e.evidenceUrl } });
  }
  const hypotheses: { id: string; at: Date; decidedAt: Date | null }[] = [];
  for (const h of p.hypotheses) {
    const { addHypothesis } = await api.gql<{ addHypothesis: { id: string } }>(commander, q.addHypothesis, { id: incidentId, statement: h.statement });
    if (h.decision) await api.gql(commander, q.decideHypothesis, { id: addHypothesis.id, status: h.decision.status, evidence: h.decision.evidence });
    hypotheses.push({ id: addHypothesis.id, at: h.at, decidedAt: h.decision?.at ?? null });
  }

  // Analysis: the trigger first, then the other factors and the safeguards that did not hold.
  const addFactor = async (input: { category: string; description: string; isTrigger: boolean }): Promise<string> =>
    (await api.gql<{ addContributingFactor: { id: string } }>(commander, q.addFactor, { id: incidentId, input })).addContributingFactor.id;
  const triggerId = await addFactor({ category: p.scenario.trigger.category, description: p.scenario.trigger.description(p.context), isTrigger: true });
  const factorIds: string[] = [];
  for (const f of p.factors) factorIds.push(await addFactor({ ...f, isTrigger: false }));
  const safeguardIds: string[] = [];
  for (const g of p.safeguards) {
    safeguardIds.push((await api.gql<{ addFailedSafeguard: { id: string } }>(commander, q.addSafeguard, { id: incidentId, input: g })).addFailedSafeguard.id);
  }

  const actionIds: string[] = [];
  for (const a of p.actions) {
    const target = a.template.addresses;
    const addressesFactorId = 'trigger' in target ? triggerId : 'factor' in target ? (factorIds[target.factor] ?? triggerId) : null;
    const addressesSafeguardId = 'safeguard' in target ? (safeguardIds[target.safeguard] ?? null) : null;
    const { createActionItem } = await api.gql<{ createActionItem: { id: string } }>(commander, q.createActionItem, {
      id: incidentId,
      input: {
        title: a.template.title, description: a.template.description, kind: a.template.kind, priority: a.priority,
        ownerTeamId: ids.teams[a.template.team], assigneeId: a.assignee ? ids.users[a.assignee] : null, dueAt: a.dueAt,
        addressesFactorId: addressesSafeguardId ? null : addressesFactorId, addressesSafeguardId, externalUrl: a.externalUrl, ...(a.rice ?? {}),
      },
    });
    actionIds.push(createActionItem.id);
  }

  const revisionTimes = await replayPostmortem(api, tokens, ids, p, incidentId);
  for (const [i, a] of p.actions.entries()) await replayActionOutcome(api, tokens, a, actionIds[i]);

  await api.ds.transaction((em) => backdate(em, p, incidentId, hypotheses, revisionTimes, actionIds));
  return { actionItems: p.actions.length, incidentId };
}

/** Edits, review round(s) and publication as planned; returns when each revision was written. */
async function replayPostmortem(api: InProcessApi, tokens: Tokens, ids: Ids, p: PlannedIncident, incidentId: string): Promise<Date[]> {
  const commander = tokens[p.commander];
  const pm = p.postmortem;
  let version = 1;
  const revisionTimes: Date[] = [];
  const edit = async (input: Record<string, string | null>, at: Date): Promise<void> => {
    version = (await api.gql<{ updatePostmortem: { version: number } }>(commander, q.updatePostmortem, { id: incidentId, v: version, input })).updatePostmortem.version;
    revisionTimes.push(at);
  };
  for (const [i, e] of pm.edits.entries()) {
    const last = i === pm.edits.length - 1;
    await edit(last && p.noActionReason ? { ...e.sections, noActionReason: p.noActionReason } : e.sections, e.at);
  }
  if (pm.status === 'DRAFT') return revisionTimes;

  await api.gql(commander, q.requestReview, { id: incidentId, reviewerIds: pm.reviews.map((r) => ids.users[r.reviewer]) });
  for (const r of pm.reviews) {
    for (const [i, v] of r.verdicts.entries()) {
      await api.gql(tokens[r.reviewer], q.review, { id: incidentId, verdict: v.verdict, comment: v.comment });
      if (v.verdict === 'CHANGES_REQUESTED' && i < r.verdicts.length - 1) {
        // The commander answers the review with an edit, then asks the reviewer to look again.
        const answeredAt = new Date((v.at.getTime() + r.verdicts[i + 1].at.getTime()) / 2);
        await edit({ lessons: `${p.scenario.postmortem.lessons}\n\nDashboard for this incident: https://grafana.example.com/d/${p.context.service}` }, answeredAt);
        await api.gql(commander, q.requestReview, { id: incidentId, reviewerIds: [ids.users[r.reviewer]] });
      }
    }
  }
  if (pm.status === 'PUBLISHED') await api.gql(commander, q.publish, { id: incidentId });
  return revisionTimes;
}

async function replayActionOutcome(api: InProcessApi, tokens: Tokens, a: PlannedAction, id: string): Promise<void> {
  const worker = tokens[a.worker];
  const manager = tokens[DEMO_TEAMS[a.template.team].manager];
  for (const change of a.dueChanges) await api.gql(worker, q.changeDueDate, { id, dueAt: change.to, reason: change.reason });
  if (a.status === 'DONE') {
    await api.gql(worker, q.updateActionItem, { id, input: { status: 'IN_PROGRESS' } });
    const needsVerification = a.priority === 'P0' || a.priority === 'P1';
    await api.gql(worker, q.completeActionItem, { id, note: a.template.done, verification: needsVerification ? a.template.verification : null });
  } else if (a.status === 'WONT_DO') {
    await api.gql(manager, q.updateActionItem, { id, input: { status: 'WONT_DO' }, reason: a.wontDoReason });
  } else if (a.status !== 'OPEN') {
    await api.gql(worker, q.updateActionItem, { id, input: { status: a.status } });
  }
  // A snooze (at most 14 days from now) pauses the reminders; P0/P1 snoozes need the team's manager.
  if (a.snooze) await api.gql(manager, q.snooze, { id, until: new Date(Date.now() + a.snooze.days * MS_PER_DAY), reason: a.snooze.reason });
}

/**
 * History touch-up. The API stamps rows with the time of the request (created_at,
 * completed_at, published_at, decided_at, ...), which is right for real use but would put a
 * whole demo year on today's date. These statements move only those timestamps to when the
 * planned history says each thing happened; every value and rule was applied by the API
 * above, and the audit log keeps the true time of seeding.
 */
async function backdate(
  em: EntityManager,
  p: PlannedIncident,
  incidentId: string,
  hypotheses: { id: string; at: Date; decidedAt: Date | null }[],
  revisionTimes: Date[],
  actionIds: string[],
): Promise<void> {
  const pm = p.postmortem;
  const lastEdit = revisionTimes.length ? revisionTimes[revisionTimes.length - 1] : p.detectedAt;
  const touchedAt = new Date(Math.max(lastEdit.getTime(), pm.publishedAt?.getTime() ?? 0, p.resolvedAt?.getTime() ?? p.detectedAt.getTime()));
  await em.query(`UPDATE incidents SET created_at = $2, updated_at = $3 WHERE id = $1`, [incidentId, p.detectedAt, touchedAt]);
  await em.query(`UPDATE timeline_events SET created_at = occurred_at WHERE incident_id = $1`, [incidentId]);
  for (const h of hypotheses) await em.query(`UPDATE hypotheses SET created_at = $2, decided_at = $3 WHERE id = $1`, [h.id, h.at, h.decidedAt]);
  await em.query(`UPDATE contributing_factors SET created_at = $2 WHERE incident_id = $1`, [incidentId, p.analysedAt]);
  await em.query(`UPDATE failed_safeguards SET created_at = $2 WHERE incident_id = $1`, [incidentId, p.analysedAt]);
  const [postmortem] = (await em.query(`SELECT id FROM postmortems WHERE incident_id = $1`, [incidentId])) as { id: string }[];
  await em.query(
    `UPDATE postmortems SET created_at = $2, updated_at = $3, published_at = CASE WHEN published_at IS NULL THEN NULL ELSE $4::timestamptz END WHERE id = $1`,
    [postmortem.id, p.detectedAt, pm.publishedAt ?? lastEdit, pm.publishedAt],
  );
  // The first edit is version 2 (version 1 is the empty postmortem created with the incident).
  for (const [i, at] of revisionTimes.entries()) {
    await em.query(`UPDATE postmortem_revisions SET created_at = $3 WHERE postmortem_id = $1 AND version = $2`, [postmortem.id, i + 2, at]);
  }
  for (const r of pm.reviews) {
    const last = r.verdicts[r.verdicts.length - 1];
    await em.query(
      `UPDATE postmortem_reviews SET requested_at = $3, decided_at = CASE WHEN decided_at IS NULL THEN NULL ELSE $4::timestamptz END
        WHERE postmortem_id = $1 AND reviewer_id = (SELECT id FROM users WHERE email = $2)`,
      [postmortem.id, normaliseEmail(DEMO_USERS[r.reviewer].email), r.requestedAt, last?.at ?? null],
    );
  }
  for (const [i, a] of p.actions.entries()) {
    const lastChange = a.dueChanges.length ? a.dueChanges[a.dueChanges.length - 1].at : a.createdAt;
    await em.query(
      `UPDATE action_items SET created_at = $2, completed_at = CASE WHEN completed_at IS NULL THEN NULL ELSE $3::timestamptz END,
         updated_at = CASE WHEN snoozed_until IS NULL THEN $4 ELSE updated_at END WHERE id = $1`,
      [actionIds[i], a.createdAt, a.closedAt, a.closedAt ?? lastChange],
    );
    for (const [k, change] of a.dueChanges.entries()) {
      await em.query(
        `UPDATE action_item_due_changes SET changed_at = $3 WHERE id = (SELECT id FROM action_item_due_changes WHERE action_item_id = $1 ORDER BY id OFFSET $2 LIMIT 1)`,
        [actionIds[i], k, change.at],
      );
    }
  }
}
