// Learning across incidents in the demo (issue 26, PRODUCT.md 5): near misses analysed like
// incidents (each resembles a kind of incident the demo year has, so its similar incidents
// are worth reading), ideas beside the commitments (one promoted, one dropped with a reason),
// and a theme named by hand and tagged onto the incidents it covers. Written through the API
// after the incident history, deterministic (no randomness: fixed texts, days before today).
import type { ActionKind, FactorCategory, PostmortemStatus, SafeguardKind, TimelineEventKind } from '@hindsight/domain';
import { MS_PER_DAY as DAY, MS_PER_HOUR as HOUR, MS_PER_MINUTE as MINUTE, normaliseEmail } from '@hindsight/domain';
import { DEMO_TEAMS, DEMO_USERS, DemoPerson, DemoTeam } from './demo.catalog';
import { DEMO_LABEL, PlannedIncident } from './demo.plan';
import { InProcessApi } from './in-process-api';

export interface DemoNearMiss {
  /** The scenario of the demo year it resembles: its incidents are its similar incidents. */
  like: string;
  daysAgo: number;
  title: string;
  summary: string;
  services: string[];
  trigger: { category: FactorCategory; description: string };
  factors: { category: FactorCategory; description: string }[];
  safeguards: { kind: SafeguardKind; expectedBehavior: string; whyItFailed: string }[];
  timeline: { afterMinutes: number; kind: TimelineEventKind; description: string }[];
  postmortem: { status: PostmortemStatus; reviewer: DemoPerson; lessons: string; whereWeGotLucky: string };
}

/** Near misses: nobody outside noticed, and each is reviewed (or being written) like an incident. */
export const DEMO_NEAR_MISSES: readonly DemoNearMiss[] = [
  {
    like: 'edge-certificate-expiry',
    daysAgo: 41,
    title: 'Custom-domain certificate renewed two days before expiry',
    summary: 'A routine check found the wildcard certificate for custom domains two days from expiry: the automatic renewal had been failing for three weeks. It was renewed by hand before any customer saw an error.',
    services: ['edge-gateway'],
    trigger: { category: 'CERTIFICATE_OR_SECRET', description: 'Automatic certificate renewal failed after the DNS credential it uses was rotated.' },
    factors: [{ category: 'OBSERVABILITY_GAP', description: 'Renewal failures were logged at warning level and not alerted on.' }],
    safeguards: [{ kind: 'ALERTING', expectedBehavior: 'An alert 14 days before any certificate expires.', whyItFailed: 'The expiry alert covered the primary domain only, not the custom-domain wildcard.' }],
    timeline: [
      { afterMinutes: 0, kind: 'DETECTION', description: 'The monthly certificate inventory showed the custom-domain wildcard expiring in two days.' },
      { afterMinutes: 25, kind: 'DIAGNOSIS', description: 'Renewer logs: DNS challenge rejected since the credential rotation three weeks ago.' },
      { afterMinutes: 70, kind: 'MITIGATION', description: 'Certificate renewed with the new credential and deployed to every edge node.' },
      { afterMinutes: 95, kind: 'RESOLUTION', description: 'New certificate served everywhere; expiry alert extended to every certificate the edge serves.' },
    ],
    postmortem: {
      status: 'PUBLISHED', reviewer: 'platformLead',
      lessons: 'An expiry alert must cover every certificate we serve, not the ones we remember. The credential rotation checklist now names every consumer of the DNS credential.',
      whereWeGotLucky: 'The monthly inventory happened to run two days before the expiry rather than after it.',
    },
  },
  {
    like: 'event-bus-disk',
    daysAgo: 19,
    title: 'Event-bus broker disks reached 91 % before retention was lowered',
    summary: 'Broker disk usage climbed to 91 % over a weekend after a new high-volume topic was created with the default retention. The capacity alert fired and retention was lowered before producers were throttled.',
    services: ['event-bus'],
    trigger: { category: 'CAPACITY', description: 'Broker disks filled towards their limit as a new topic accumulated a month of retention.' },
    factors: [{ category: 'CONFIG_CHANGE', description: 'The new topic was created with the default 30-day retention.' }],
    safeguards: [{ kind: 'CAPACITY_PLANNING', expectedBehavior: 'Topic creation estimates the disk a topic needs over its retention.', whyItFailed: 'Topic creation is self-service and asks for no estimate.' }],
    timeline: [
      { afterMinutes: 0, kind: 'ALERT', description: 'Alert: event-bus broker disk usage above 85 %.' },
      { afterMinutes: 15, kind: 'DIAGNOSIS', description: 'Most of the growth came from one topic created on Friday with 30-day retention.' },
      { afterMinutes: 40, kind: 'MITIGATION', description: 'Retention of the new topic lowered to 3 days; disk usage fell to 64 %.' },
      { afterMinutes: 90, kind: 'RESOLUTION', description: 'Disk usage stable; producers never throttled.' },
    ],
    postmortem: {
      status: 'IN_REVIEW', reviewer: 'platformLead',
      lessons: 'The disk alert at 85 % gave us the hours we needed; topic creation should ask for an expected volume.',
      whereWeGotLucky: 'It happened at a weekend, when producer traffic is lowest.',
    },
  },
  {
    like: 'checkout-release-regression',
    daysAgo: 9,
    title: 'Canary held a checkout release that multiplied database queries',
    summary: 'The canary for a checkout release showed database queries per request rising sevenfold for large baskets; the rollout stopped at 5 % of traffic and the release was rolled back.',
    services: ['checkout-api'],
    trigger: { category: 'RELEASE_REGRESSION', description: 'A release changed the pricing query to run once per basket line.' },
    factors: [{ category: 'OBSERVABILITY_GAP', description: 'Load tests use small baskets, so the per-line query pattern did not show before the canary.' }],
    safeguards: [{ kind: 'TESTING', expectedBehavior: 'Load tests exercise the basket sizes customers use.', whyItFailed: 'The load-test basket has three lines; real large baskets have forty.' }],
    timeline: [
      { afterMinutes: 0, kind: 'CHANGE', description: 'Checkout release started its canary at 5 % of traffic.' },
      { afterMinutes: 12, kind: 'ALERT', description: 'Alert: canary database queries per request seven times the baseline.' },
      { afterMinutes: 18, kind: 'MITIGATION', description: 'Rollout halted and the release rolled back automatically.' },
      { afterMinutes: 60, kind: 'RESOLUTION', description: 'Query pattern traced to the per-line pricing change; fix scheduled with a query-count test.' },
    ],
    postmortem: {
      status: 'DRAFT', reviewer: 'manager',
      lessons: 'The canary and its query-count signal worked; load tests should carry the baskets customers build.',
      whereWeGotLucky: 'The canary slice happened to include a large enterprise basket within minutes.',
    },
  },
];

/** Proposed during the write-up, not (yet) committed: ideas stay visible and are promoted or dropped. */
const IDEAS: { title: string; description: string; kind: ActionKind; team: DemoTeam }[] = [
  { title: 'Run a game day for this failure mode', description: 'Rehearse detection and mitigation of this failure in staging once a quarter.', kind: 'PROCESS', team: 'platform' },
  { title: 'Graph queries per request on the service dashboard', description: 'A change in query count would show before the connection pool runs out.', kind: 'DETECT', team: 'payments' },
  { title: 'Add a synthetic check from a second region', description: 'Regional slowdowns would show in synthetic checks, not only in real-user monitoring.', kind: 'DETECT', team: 'platform' },
  { title: 'Share sale forecasts with the owners of dependent services', description: 'Teams downstream of a sale could scale ahead of the traffic.', kind: 'PROCESS', team: 'ml-serving' },
];

/** The theme named by hand in the demo and the scenarios whose incidents are tagged with it. */
export const DEMO_THEME = { name: 'Traffic beyond forecast', scenarios: ['fraud-scoring-capacity', 'credential-stuffing', 'event-bus-disk'] } as const;

export interface DemoLearningIds {
  users: Record<DemoPerson, string>;
  teams: Record<DemoTeam, string>;
  services: Record<string, string>;
}

export interface DemoLearningResult {
  nearMisses: number;
  ideas: number;
  committed: number;
  dropped: number;
  tagged: number;
}

const q = {
  createIncident: `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`,
  addTimelineEvent: `mutation($id: ID!, $input: TimelineEventInput!) { addTimelineEvent(incidentId: $id, input: $input) { id } }`,
  addFactor: `mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(incidentId: $id, input: $input) { id } }`,
  addSafeguard: `mutation($id: ID!, $input: FailedSafeguardInput!) { addFailedSafeguard(incidentId: $id, input: $input) { id } }`,
  updatePostmortem: `mutation($id: ID!, $v: Int!, $input: PostmortemInput!) { updatePostmortem(incidentId: $id, expectedVersion: $v, input: $input) { version } }`,
  requestReview: `mutation($id: ID!, $reviewerIds: [ID!]!) { requestPostmortemReview(incidentId: $id, reviewerIds: $reviewerIds) { id } }`,
  review: `mutation($id: ID!, $verdict: ReviewVerdict!) { reviewPostmortem(incidentId: $id, verdict: $verdict) { id } }`,
  publish: `mutation($id: ID!) { publishPostmortem(incidentId: $id) { id } }`,
  createActionItem: `mutation($id: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $id, input: $input) { id } }`,
  commit: `mutation($id: ID!, $team: ID!, $priority: Priority!) { commitActionItem(id: $id, ownerTeamId: $team, priority: $priority) { id } }`,
  drop: `mutation($id: ID!, $reason: String!) { dropActionItemIdea(id: $id, reason: $reason) { id } }`,
  createTheme: `mutation($name: String!) { createTheme(name: $name) { id } }`,
  tag: `mutation($themeId: ID!, $incidentId: ID!) { tagIncidentWithTheme(themeId: $themeId, incidentId: $incidentId) { id } }`,
} as const;

/** Near misses, ideas and a named theme on top of the demo year (`plan[i]` was written as `incidentIds[i]`). */
export async function seedLearning(
  api: InProcessApi,
  tokens: Record<DemoPerson | 'admin', string>,
  ids: DemoLearningIds,
  plan: readonly PlannedIncident[],
  incidentIds: readonly string[],
  now: Date,
): Promise<DemoLearningResult> {
  const commander = tokens.commander;
  for (const n of DEMO_NEAR_MISSES) await replayNearMiss(api, tokens, ids, n, now);

  // Ideas on the most recent resolved incidents whose write-up is still open: one promoted, one dropped.
  const open = plan.map((p, i) => ({ p, id: incidentIds[i] })).filter(({ p }) => p.resolvedAt && p.postmortem.status !== 'PUBLISHED').slice(-IDEAS.length);
  const ideaIds: string[] = [];
  for (const [k, { p, id }] of open.entries()) {
    const idea = IDEAS[k];
    const { createActionItem } = await api.gql<{ createActionItem: { id: string } }>(commander, q.createActionItem, {
      id, input: { title: idea.title, description: idea.description, kind: idea.kind, priority: 'P3', ownerTeamId: ids.teams[idea.team], committed: false },
    });
    ideaIds.push(createActionItem.id);
    const createdAt = new Date(Math.min(p.analysedAt.getTime() + HOUR, now.getTime() - HOUR));
    await api.ds.query(`UPDATE action_items SET created_at = $2, updated_at = $2 WHERE id = $1`, [createActionItem.id, createdAt]);
  }
  let committed = 0;
  let dropped = 0;
  if (ideaIds.length >= 2) {
    const promoted = IDEAS[0];
    await api.gql(tokens[DEMO_TEAMS[promoted.team].manager], q.commit, { id: ideaIds[0], team: ids.teams[promoted.team], priority: 'P2' });
    committed++;
    await api.gql(tokens[DEMO_TEAMS[IDEAS[1].team].manager], q.drop, { id: ideaIds[1], reason: 'Covered by the query-count budget already committed after the earlier checkout incident.' });
    dropped++;
  }

  const { createTheme } = await api.gql<{ createTheme: { id: string } }>(commander, q.createTheme, { name: DEMO_THEME.name });
  let tagged = 0;
  for (const [i, p] of plan.entries()) {
    if (!(DEMO_THEME.scenarios as readonly string[]).includes(p.scenario.key)) continue;
    await api.gql(commander, q.tag, { themeId: createTheme.id, incidentId: incidentIds[i] });
    tagged++;
  }
  return { nearMisses: DEMO_NEAR_MISSES.length, ideas: ideaIds.length, committed, dropped, tagged };
}

async function replayNearMiss(api: InProcessApi, tokens: Record<DemoPerson | 'admin', string>, ids: DemoLearningIds, n: DemoNearMiss, now: Date): Promise<void> {
  const commander = tokens.commander;
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - n.daysAgo * DAY + 10 * HOUR);
  const at = (m: number): Date => new Date(day.getTime() + m * MINUTE);
  const last = n.timeline[n.timeline.length - 1].afterMinutes;
  const { createIncident } = await api.gql<{ createIncident: { id: string } }>(commander, q.createIncident, {
    input: {
      title: n.title, kind: 'NEAR_MISS', severity: 'SEV4', status: n.postmortem.status === 'PUBLISHED' ? 'CLOSED' : 'RESOLVED', summary: n.summary,
      serviceIds: n.services.map((s) => ids.services[s]), commanderId: ids.users.commander, labels: [DEMO_LABEL],
      startedAt: at(0), detectedAt: at(0), acknowledgedAt: at(5), mitigatedAt: at(n.timeline.find((e) => e.kind === 'MITIGATION')?.afterMinutes ?? last), resolvedAt: at(last),
      responderHours: 2,
    },
  });
  const id = createIncident.id;
  for (const e of n.timeline) await api.gql(commander, q.addTimelineEvent, { id, input: { occurredAt: at(e.afterMinutes), kind: e.kind, description: e.description } });
  await api.gql(commander, q.addFactor, { id, input: { ...n.trigger, isTrigger: true } });
  for (const f of n.factors) await api.gql(commander, q.addFactor, { id, input: { ...f, isTrigger: false } });
  for (const g of n.safeguards) await api.gql(commander, q.addSafeguard, { id, input: g });
  await api.gql(commander, q.updatePostmortem, {
    id, v: 1, input: { summary: n.summary, triggeringCause: n.trigger.description, whereWeGotLucky: n.postmortem.whereWeGotLucky, lessons: n.postmortem.lessons },
  });
  if (n.postmortem.status !== 'DRAFT') {
    await api.gql(commander, q.requestReview, { id, reviewerIds: [ids.users[n.postmortem.reviewer]] });
    if (n.postmortem.status === 'PUBLISHED') {
      await api.gql(tokens[n.postmortem.reviewer], q.review, { id, verdict: 'APPROVED' });
      await api.gql(commander, q.publish, { id });
    }
  }
  // As demo.seed.ts does: the API stamped today; the history says when.
  const written = at(last + 24 * 60);
  await api.ds.transaction(async (em) => {
    await em.query(`UPDATE incidents SET created_at = $2, updated_at = $3 WHERE id = $1`, [id, at(0), written]);
    await em.query(`UPDATE timeline_events SET created_at = occurred_at WHERE incident_id = $1`, [id]);
    await em.query(`UPDATE contributing_factors SET created_at = $2 WHERE incident_id = $1`, [id, at(last + 60)]);
    await em.query(`UPDATE failed_safeguards SET created_at = $2 WHERE incident_id = $1`, [id, at(last + 60)]);
    await em.query(
      `UPDATE postmortems SET created_at = $2, updated_at = $3, published_at = CASE WHEN published_at IS NULL THEN NULL ELSE $4::timestamptz END WHERE incident_id = $1`,
      [id, at(0), written, at(last + 3 * 24 * 60)],
    );
    await em.query(`UPDATE postmortem_revisions SET created_at = $2 WHERE postmortem_id = (SELECT id FROM postmortems WHERE incident_id = $1) AND version > 1`, [id, written]);
    await em.query(
      `UPDATE postmortem_reviews SET requested_at = $2, decided_at = CASE WHEN decided_at IS NULL THEN NULL ELSE $3::timestamptz END
        WHERE postmortem_id = (SELECT id FROM postmortems WHERE incident_id = $1) AND reviewer_id = (SELECT id FROM users WHERE email = $4)`,
      [id, at(last + 2 * 24 * 60), at(last + 3 * 24 * 60 - 60), normaliseEmail(DEMO_USERS[n.postmortem.reviewer].email)],
    );
  });
}
