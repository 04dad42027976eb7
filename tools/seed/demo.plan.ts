// The demo year as plain data: which incidents happened when, how long they lasted, what
// the analysis found, how far each postmortem got and what became of each action item.
// Pure and deterministic (a fixed PRNG seed, anchored at the current UTC day), so every
// machine gets the same demo; demo.seed.ts then replays it through the API.
import {
  actionItemDueAt,
  ActionStatus,
  DEFAULT_POLICIES,
  isRepeat,
  MS_PER_DAY as DAY,
  MS_PER_HOUR as HOUR,
  MS_PER_MINUTE as MINUTE,
  Policies,
  PostmortemStatus,
  Priority,
  RepeatCandidate,
  ReviewVerdict,
  Severity,
  SEVERITIES,
  TimelineEventKind,
} from '@hindsight/domain';
import { DEMO_SERVICES, DEMO_TEAMS, DemoPerson, DemoTeam } from './demo.catalog';
import { ActionTemplate, Scenario, SCENARIOS, ScenarioContext } from './demo.scenarios';
import { Prng } from './prng';

/** Chosen among a few hundred for a balanced year: 2–3 SEV1s, overdue and due-soon items, every segment. */
export const DEMO_SEED = 24;
/** Every demo incident carries this label: it is how a second run recognises the demo. */
export const DEMO_LABEL = 'demo';
/** Incidents in the demo: 58 resolved over the past year and 2 still open. */
export const DEMO_INCIDENT_COUNT = 60;
const PAST_INCIDENTS = DEMO_INCIDENT_COUNT - 2;
const HISTORY_DAYS = 330;
/** The most recent incidents (days ago) and how far their postmortems got, so every state exists today. */
const RECENT: Record<number, PostmortemStatus> = { 1: 'DRAFT', 2: 'DRAFT', 4: 'IN_REVIEW', 6: 'IN_REVIEW', 8: 'PUBLISHED', 10: 'IN_REVIEW', 12: 'PUBLISHED', 14: 'DRAFT' };
const RECENT_DAYS_AGO = Object.keys(RECENT).map(Number);

export interface PlannedEvent {
  at: Date;
  kind: TimelineEventKind;
  description: string;
  evidenceUrl: string | null;
}

export interface PlannedHypothesis {
  statement: string;
  at: Date;
  /** Null while still open. */
  decision: { status: 'CONFIRMED' | 'REJECTED'; evidence: string; at: Date } | null;
}

export interface PlannedReview {
  reviewer: DemoPerson;
  requestedAt: Date;
  /** Verdicts in order; a CHANGES_REQUESTED is followed by an edit and a new request. */
  verdicts: { verdict: Exclude<ReviewVerdict, 'PENDING'>; comment: string | null; at: Date }[];
}

export interface PlannedPostmortem {
  status: PostmortemStatus;
  /** Successive edits of the sections, each a revision. */
  edits: { at: Date; sections: Record<string, string> }[];
  reviews: PlannedReview[];
  publishedAt: Date | null;
}

export interface PlannedAction {
  template: ActionTemplate;
  priority: Priority;
  createdAt: Date;
  dueAt: Date;
  assignee: DemoPerson | null;
  /** Who works the item: a member or the manager of the owning team. */
  worker: DemoPerson;
  externalUrl: string | null;
  rice: { reach: number; impact: number; confidence: number; effortDays: number } | null;
  dueChanges: { to: Date; reason: string; at: Date }[];
  /** The open status it is left in, or how it was closed. */
  status: ActionStatus;
  closedAt: Date | null;
  wontDoReason: string | null;
  /** Days from the moment of seeding, when the item is snoozed. */
  snooze: { days: number; reason: string } | null;
}

export interface PlannedIncident {
  scenario: Scenario;
  context: ScenarioContext;
  title: string;
  severity: Severity;
  status: 'INVESTIGATING' | 'IDENTIFIED' | 'MITIGATED' | 'RESOLVED' | 'CLOSED';
  summary: string;
  customerImpact: string;
  services: string[];
  dimensions: Scenario['dimensions'];
  segments: string[];
  regions: string[];
  commander: DemoPerson;
  startedAt: Date;
  detectedAt: Date;
  acknowledgedAt: Date;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  responderHours: number;
  slaCredits: number | null;
  impactFraction: number;
  usersAffected: number | null;
  failedRequests: number | null;
  /** Contributing factors besides the trigger (the scenario's, or its first few). */
  factors: Scenario['factors'];
  safeguards: Scenario['safeguards'];
  timeline: PlannedEvent[];
  hypotheses: PlannedHypothesis[];
  /** When the analysis (factors, safeguards) was written down. */
  analysedAt: Date;
  postmortem: PlannedPostmortem;
  noActionReason: string | null;
  actions: PlannedAction[];
}

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];
const START_HOURS = [2, 8, 9, 10, 10, 11, 13, 14, 14, 15, 16, 17, 20, 23];
const TEAM_OF_SERVICE = new Map(DEMO_SERVICES.map((s) => [s.name, s.team]));

const DUE_CHANGE_REASONS = [
  'Waiting on the vendor release that includes the fix.',
  'Re-scoped after the capacity review; the first part ships separately.',
  'Team on the peak-season change freeze for two weeks.',
  'Depends on the platform migration, which moved by a sprint.',
  'Agreed with the incident commander: lower urgency since the mitigation is holding.',
];
const PULL_IN_REASON = 'Brought forward to land before the peak-season code freeze.';
const SNOOZE_REASONS = [
  'Waiting for the staging environment rebuild to test this safely.',
  'Owner on call this week; picking it up right after the rotation.',
  'Blocked on a dependency upgrade scheduled for next week.',
];
const WONT_DO_REASONS = [
  'Superseded by the platform-wide change tracked in a later incident.',
  'The service is being retired next quarter; the risk is accepted until then.',
  'Cost outweighs the benefit after the mitigation shipped; revisit if it recurs.',
];
const CHANGES_REQUESTED_COMMENTS = [
  'Please add the customer numbers to the impact section and link the dashboard.',
  'The timeline skips the first 20 minutes; can we add what the responders saw then?',
  'Could the lessons say what we will measure to know the fix works?',
];

const startOfUtcDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const plus = (d: Date, ms: number): Date => new Date(d.getTime() + ms);
const minDate = (...ds: Date[]): Date => new Date(Math.min(...ds.map((d) => d.getTime())));
const maxDate = (...ds: Date[]): Date => new Date(Math.max(...ds.map((d) => d.getTime())));
const round = (n: number, step: number): number => Math.round(n / step) * step;

export function formatDuration(minutes: number): string {
  const m = Math.max(1, Math.round(minutes));
  if (m < 60) return `${m} minutes`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

function peopleOf(team: DemoTeam): DemoPerson[] {
  const t = DEMO_TEAMS[team];
  return [...t.members, t.manager];
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  t.setUTCDate(t.getUTCDate() + 4 - (t.getUTCDay() || 7));
  return Math.ceil(((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / DAY + 1) / 7);
}

function dashboardUrl(service: string, from: Date, to: Date): string {
  return `https://grafana.example.com/d/${service}?from=${from.getTime()}&to=${to.getTime()}`;
}

/** The whole demo, deterministic for a given day. `now` must be the real current time. */
export function planDemo(now: Date, policies: Policies = DEFAULT_POLICIES, seed = DEMO_SEED): PlannedIncident[] {
  const rng = new Prng(seed);
  const today = startOfUtcDay(now);

  // Slightly more incidents early in the year than lately (the action items are working),
  // plus a fixed set of recent ones so today's queues have something in every state.
  const daysAgo = [
    ...RECENT_DAYS_AGO,
    ...Array.from({ length: PAST_INCIDENTS - RECENT_DAYS_AGO.length }, () => 16 + Math.floor((HISTORY_DAYS - 16) * Math.pow(rng.next(), 0.8))),
  ].sort((a, b) => b - a);

  const weights = SCENARIOS.map((s) => s.weight);
  const prior: RepeatCandidate[] = [];
  const incidents = daysAgo.map((ago, i) => {
    const day = new Date(today.getTime() - ago * DAY);
    const startedAt = plus(day, rng.pick(START_HOURS) * HOUR + rng.int(0, 59) * MINUTE);
    // Repeats (PRODUCT.md 5) happen, but a handful, not every other incident: redraw most
    // scenarios that would repeat a recent one.
    let scenario = SCENARIOS[rng.weighted(weights)];
    let services = rng.pick(scenario.services);
    const repeatAllowed = rng.chance(0.08);
    for (let attempt = 0; attempt < 40 && !repeatAllowed && isRepeat(repeatCandidate(scenario, services, startedAt), prior); attempt++) {
      scenario = SCENARIOS[rng.weighted(weights)];
      services = rng.pick(scenario.services);
    }
    prior.push(repeatCandidate(scenario, services, startedAt));
    return planIncident(rng, scenario, services, startedAt, now, policies, i, null, RECENT[ago] ?? null);
  });

  // Two incidents are still being worked on as the demo is seeded.
  const scenario = (key: string): Scenario => SCENARIOS.find((s) => s.key === key) ?? SCENARIOS[0];
  const open = [
    planIncident(rng, scenario('fraud-scoring-capacity'), scenario('fraud-scoring-capacity').services[0], plus(now, -5 * HOUR), now, policies, PAST_INCIDENTS, 'MITIGATED'),
    planIncident(rng, scenario('event-bus-disk'), ['event-bus', 'feature-store'], plus(now, -50 * MINUTE), now, policies, PAST_INCIDENTS + 1, 'IDENTIFIED'),
  ];
  return [...incidents, ...open];
}

/** The categories every instance records (SEV3 and SEV4 analyses are shorter; see factorsFor). */
function repeatCandidate(scenario: Scenario, services: string[], startedAt: Date): RepeatCandidate {
  return { startedAt, serviceIds: services, factorCategories: [scenario.trigger.category, ...scenario.factors.slice(0, 1).map((f) => f.category)] };
}

/** Serious incidents get the full analysis; small ones name the trigger and perhaps one factor. */
function factorsFor(scenario: Scenario, severity: Severity): Scenario['factors'] {
  return scenario.factors.slice(0, { SEV1: 9, SEV2: 9, SEV3: 1, SEV4: 1 }[severity]);
}

function planIncident(
  rng: Prng,
  scenario: Scenario,
  services: string[],
  startedAt: Date,
  now: Date,
  policies: Policies,
  index: number,
  openStatus: 'IDENTIFIED' | 'MITIGATED' | null,
  postmortemStatus: PostmortemStatus | null = null,
): PlannedIncident {
  let severity = SEVERITIES[rng.weighted(scenario.severity)];
  // The open ones are serious enough to show the full response.
  if (openStatus && (severity === 'SEV4' || severity === 'SEV3')) severity = 'SEV2';
  const segments = rng.chance(scenario.segments.chance) ? rng.pick(scenario.segments.choices) : [];
  const region = scenario.regional && rng.chance(0.65) ? (segments.includes('eu') ? 'eu-west-1' : rng.pick(REGIONS)) : null;
  const commander: DemoPerson = index % 3 === 2 ? 'engineer' : 'commander';
  const sevIndex = SEVERITIES.indexOf(severity);

  // Long-tailed durations: most incidents are short, a few run for hours or days.
  const ttd = Math.max(1, rng.logNormal(scenario.detectMinutes, 0.9));
  const tta = Math.max(1, rng.logNormal(3, 0.7));
  const ttm = Math.max(3, rng.logNormal(scenario.mitigateMinutes * [0.8, 0.9, 1, 1.2][sevIndex], 0.8));
  const ttr = Math.max(5, rng.logNormal(scenario.resolveMinutes, 1.1));
  const detectedAt = plus(startedAt, ttd * MINUTE);
  const acknowledgedAt = plus(detectedAt, tta * MINUTE);
  let mitigatedAt: Date | null = plus(acknowledgedAt, ttm * MINUTE);
  let resolvedAt: Date | null = plus(mitigatedAt, ttr * MINUTE);
  if (openStatus) {
    // Anchored to now: the open incidents started minutes or hours ago.
    const span = now.getTime() - startedAt.getTime();
    if (detectedAt.getTime() > now.getTime() - span * 0.5) detectedAt.setTime(startedAt.getTime() + span * 0.1);
    if (acknowledgedAt.getTime() > now.getTime() - span * 0.4) acknowledgedAt.setTime(detectedAt.getTime() + span * 0.05);
    mitigatedAt = openStatus === 'MITIGATED' ? plus(acknowledgedAt, span * 0.3) : null;
    resolvedAt = null;
  } else if (resolvedAt.getTime() > now.getTime() - 2 * HOUR) {
    resolvedAt = plus(now, -2 * HOUR);
    if (mitigatedAt.getTime() > resolvedAt.getTime()) mitigatedAt = resolvedAt;
  }

  const impactMinutes = ((mitigatedAt ?? now).getTime() - startedAt.getTime()) / MINUTE;
  const usersAffected = [rng.int(20_000, 180_000), rng.int(3_000, 40_000), rng.int(200, 8_000), rng.chance(0.5) ? rng.int(20, 600) : null][sevIndex];
  const version = `${startedAt.getUTCFullYear()}.${isoWeek(startedAt)}.${rng.int(1, 9)}`;
  const context: ScenarioContext = {
    services,
    service: services[0],
    region,
    where: region ? ` in ${region}` : '',
    segments,
    version,
    duration: formatDuration(impactMinutes),
    usersAffected,
  };

  const responders = [8, 5, 3, 1.5][sevIndex];
  const handsOnHours = Math.min(12, ((resolvedAt ?? now).getTime() - startedAt.getTime()) / HOUR);
  const responderHours = round(responders * handsOnHours + [16, 10, 6, 2][sevIndex], 0.5);
  const slaCredits = segments.includes('enterprise') && sevIndex <= 1 ? round(rng.between(2_000, 20_000), 100) : null;
  const impactFraction = Math.round(rng.between(...scenario.impactFraction) * 100) / 100;

  const timeline = planTimeline(rng, scenario, context, severity, { startedAt, detectedAt, acknowledgedAt, mitigatedAt, resolvedAt }, commander);
  const hypotheses = planHypotheses(rng, scenario, context, acknowledgedAt, mitigatedAt ?? now, openStatus !== null);
  const analysedAt = resolvedAt ? minDate(plus(resolvedAt, rng.between(2, 20) * HOUR), plus(now, -HOUR)) : plus(now, -5 * MINUTE);

  const dueDays = policies.postmortemDueDays[severity];
  const postmortem = planPostmortem(rng, scenario, context, severity, resolvedAt, dueDays, now, TEAM_OF_SERVICE.get(services[0]) ?? 'platform', postmortemStatus);
  const actions = openStatus ? [] : planActions(rng, scenario, severity, postmortem, analysedAt, now, policies);
  const noActionReason = actions.length === 0 && postmortem.status !== 'DRAFT'
    ? 'The alerting and fallback behaved as designed and the cause is understood; no change is worth its cost for an event this small.'
    : null;

  const title = rng.pick(scenario.titles)(context);
  const finalStatus = openStatus ?? (postmortem.status === 'PUBLISHED' || (severity === 'SEV4' && postmortem.status === 'DRAFT' && rng.chance(0.5)) ? 'CLOSED' : 'RESOLVED');
  return {
    scenario,
    context,
    title: title.length > 200 ? `${title.slice(0, 197)}...` : title,
    severity,
    status: finalStatus,
    summary: scenario.summary(context),
    customerImpact: scenario.customerImpact(context).trim(),
    services,
    dimensions: scenario.dimensions,
    segments,
    regions: region ? [region] : [],
    commander,
    startedAt,
    detectedAt,
    acknowledgedAt,
    mitigatedAt,
    resolvedAt,
    responderHours,
    slaCredits,
    impactFraction,
    usersAffected,
    failedRequests: usersAffected === null ? null : usersAffected * rng.int(2, 14),
    factors: factorsFor(scenario, severity),
    safeguards: severity === 'SEV4' ? scenario.safeguards.slice(0, 1) : scenario.safeguards,
    timeline,
    hypotheses,
    analysedAt,
    postmortem,
    noActionReason,
    actions,
  };
}

function planTimeline(
  rng: Prng,
  scenario: Scenario,
  c: ScenarioContext,
  severity: Severity,
  m: { startedAt: Date; detectedAt: Date; acknowledgedAt: Date; mitigatedAt: Date | null; resolvedAt: Date | null },
  commander: DemoPerson,
): PlannedEvent[] {
  const t = scenario.timeline;
  const events: PlannedEvent[] = [];
  const serious = severity !== 'SEV4';
  const team = DEMO_TEAMS[TEAM_OF_SERVICE.get(c.service) ?? 'platform'].name;
  const until = m.mitigatedAt ?? plus(m.acknowledgedAt, 30 * MINUTE);
  const between = (share: number): Date => plus(m.acknowledgedAt, (until.getTime() - m.acknowledgedAt.getTime()) * share);
  if (t.change) {
    const at = plus(m.startedAt, -rng.int(2, 15) * MINUTE);
    events.push({ at, kind: 'CHANGE', description: t.change(c), evidenceUrl: `https://deploys.example.com/${c.service}/${c.version}` });
  }
  const detection = t.detection(c);
  events.push({
    at: m.detectedAt,
    kind: detection.startsWith('Alert:') ? 'ALERT' : 'DETECTION',
    description: detection,
    evidenceUrl: dashboardUrl(c.service, plus(m.startedAt, -30 * MINUTE), plus(m.detectedAt, 30 * MINUTE)),
  });
  events.push({
    at: m.acknowledgedAt,
    kind: 'PAGE',
    description: `${team} on-call acknowledged the page; ${commander === 'engineer' ? 'Eli' : 'Casey'} took incident command.`,
    evidenceUrl: null,
  });
  if (severity === 'SEV1' || severity === 'SEV2') {
    events.push({ at: between(0.15), kind: 'ESCALATION', description: 'Escalated to the duty manager and the secondary on-call; incident channel opened.', evidenceUrl: null });
  }
  if (serious) {
    events.push({ at: between(0.25), kind: 'COMMUNICATION', description: `Status page: investigating degraded service on ${c.service}${c.where}.`, evidenceUrl: 'https://status.example.com/' });
  }
  events.push({ at: between(0.6), kind: 'DIAGNOSIS', description: t.diagnosis(c), evidenceUrl: `https://logs.example.com/search?service=${c.service}&from=${m.startedAt.getTime()}` });
  if (m.mitigatedAt) {
    events.push({ at: m.mitigatedAt, kind: 'MITIGATION', description: t.mitigation(c), evidenceUrl: null });
    if (serious) {
      events.push({ at: plus(m.mitigatedAt, rng.int(5, 20) * MINUTE), kind: 'COMMUNICATION', description: 'Status page: a fix is in place and we are monitoring.', evidenceUrl: 'https://status.example.com/' });
    }
  }
  if (m.resolvedAt) events.push({ at: m.resolvedAt, kind: 'RESOLUTION', description: t.resolution(c), evidenceUrl: null });
  return events.filter((e) => !m.resolvedAt || e.at.getTime() <= m.resolvedAt.getTime() || e.kind === 'RESOLUTION');
}

function planHypotheses(rng: Prng, scenario: Scenario, c: ScenarioContext, from: Date, to: Date, open: boolean): PlannedHypothesis[] {
  const span = to.getTime() - from.getTime();
  return scenario.hypotheses.map((h, i) => {
    const at = plus(from, span * (0.3 + 0.1 * i));
    // While an incident is still open, the leading hypothesis may not be decided yet.
    const decided = !open || (!h.confirmed && rng.chance(0.5));
    return {
      statement: h.statement(c),
      at,
      decision: decided ? { status: h.confirmed ? 'CONFIRMED' : 'REJECTED', evidence: h.evidence, at: plus(from, span * (0.55 + 0.1 * i)) } : null,
    };
  });
}

function sections(scenario: Scenario, c: ScenarioContext): Record<string, string> {
  const numbers = c.usersAffected ? `\n\n- Users affected: about ${c.usersAffected.toLocaleString('en-GB')}\n- Time to mitigate: ${c.duration}` : `\n\n- Time to mitigate: ${c.duration}`;
  const p = scenario.postmortem;
  return {
    summary: scenario.summary(c),
    impact: `${scenario.customerImpact(c).trim()}${numbers}`,
    triggeringCause: p.triggeringCause(c),
    whatWentWell: p.whatWentWell,
    whatWentPoorly: p.whatWentPoorly,
    whereWeGotLucky: p.whereWeGotLucky,
    lessons: p.lessons,
  };
}

function planPostmortem(
  rng: Prng,
  scenario: Scenario,
  c: ScenarioContext,
  severity: Severity,
  resolvedAt: Date | null,
  dueDays: number | null,
  now: Date,
  team: DemoTeam,
  forcedStatus: PostmortemStatus | null,
): PlannedPostmortem {
  const full = sections(scenario, c);
  const early = { summary: full.summary, impact: full.impact };
  if (!resolvedAt) {
    return { status: 'DRAFT', edits: [{ at: plus(now, -10 * MINUTE), sections: { summary: `Working notes while the incident is open. ${scenario.timeline.diagnosis(c)}` } }], reviews: [], publishedAt: null };
  }
  const sinceResolved = (now.getTime() - resolvedAt.getTime()) / DAY;
  const firstEdit = minDate(plus(resolvedAt, rng.between(3, 30) * HOUR), plus(now, -50 * MINUTE));
  let status: PostmortemStatus;
  if (forcedStatus) {
    status = forcedStatus;
  } else if (dueDays === null) {
    // Not required (SEV4): some teams write one anyway.
    status = rng.chance(0.45) && sinceResolved > 3 ? 'PUBLISHED' : 'DRAFT';
  } else if (sinceResolved > dueDays + 12) {
    // A few old write-ups never got finished: the chase keeps asking for them.
    status = rng.chance(0.07) ? 'DRAFT' : 'PUBLISHED';
  } else {
    status = (['DRAFT', 'IN_REVIEW', 'PUBLISHED'] as const)[rng.weighted([3, 3, sinceResolved > 3 ? 3 : 0])];
  }
  if (status === 'DRAFT') {
    const edits: PlannedPostmortem['edits'] = [{ at: firstEdit, sections: early }];
    if (rng.chance(0.4)) edits.push({ at: minDate(plus(firstEdit, rng.between(2, 30) * HOUR), plus(now, -40 * MINUTE)), sections: full });
    return { status, edits, reviews: [], publishedAt: null };
  }

  // Published mostly within the policy, sometimes late; reviews happen in the days before.
  const deadline = dueDays ?? 10;
  const onTime = rng.chance(0.82);
  const publishDay = onTime ? rng.between(Math.min(2, deadline * 0.5), deadline - 0.2) : deadline + rng.between(1, 9);
  const publishedAt = status === 'PUBLISHED' ? minDate(plus(resolvedAt, publishDay * DAY), plus(now, -30 * MINUTE)) : null;
  const reviewStart = publishedAt
    ? maxDate(plus(firstEdit, HOUR), plus(publishedAt, -rng.between(20, 60) * HOUR))
    : minDate(plus(firstEdit, rng.between(4, 48) * HOUR), plus(now, -30 * MINUTE));
  const fullAt = plus(reviewStart, -Math.min(3 * HOUR, (reviewStart.getTime() - firstEdit.getTime()) / 2));
  const decisionEnd = publishedAt ?? now;
  const reviewers: DemoPerson[] = severity === 'SEV1' || severity === 'SEV2' ? ['manager', 'platformLead'] : [DEMO_TEAMS[team].manager];
  const askChanges = rng.chance(0.25);
  const reviews: PlannedReview[] = reviewers.map((reviewer, i) => {
    const share = (k: number): Date => plus(reviewStart, (decisionEnd.getTime() - reviewStart.getTime()) * k);
    if (status === 'IN_REVIEW') {
      // Waiting: the first reviewer may have answered already.
      if (i > 0 || rng.chance(0.5)) return { reviewer, requestedAt: reviewStart, verdicts: [] };
      const verdict = askChanges ? 'CHANGES_REQUESTED' : 'APPROVED';
      return { reviewer, requestedAt: reviewStart, verdicts: [{ verdict, comment: verdict === 'APPROVED' ? null : rng.pick(CHANGES_REQUESTED_COMMENTS), at: share(0.5) }] };
    }
    if (i === 0 && askChanges) {
      return {
        reviewer, requestedAt: reviewStart,
        verdicts: [
          { verdict: 'CHANGES_REQUESTED', comment: rng.pick(CHANGES_REQUESTED_COMMENTS), at: share(0.3) },
          { verdict: 'APPROVED', comment: 'Thanks, reads well now.', at: share(0.8) },
        ],
      };
    }
    return { reviewer, requestedAt: reviewStart, verdicts: [{ verdict: 'APPROVED', comment: rng.chance(0.3) ? 'Clear and blameless. Approved.' : null, at: share(0.5 + 0.1 * i) }] };
  });
  return { status, edits: [{ at: firstEdit, sections: early }, { at: fullAt, sections: full }], reviews, publishedAt };
}

function planActions(
  rng: Prng,
  scenario: Scenario,
  severity: Severity,
  postmortem: PlannedPostmortem,
  analysedAt: Date,
  now: Date,
  policies: Policies,
): PlannedAction[] {
  let templates = scenario.actions;
  if (severity === 'SEV4') templates = rng.chance(0.55) ? [templates[templates.length - 1]] : [];
  else if (severity === 'SEV3') templates = templates.slice(0, rng.int(1, templates.length));
  // Items are proposed while the postmortem is written; publishing needs them in place.
  const created = postmortem.publishedAt ? minDate(analysedAt, plus(postmortem.publishedAt, -2 * HOUR)) : analysedAt;
  return templates.map((template, i) => {
    const createdAt = plus(created, i * 7 * MINUTE);
    // A SEV1 makes everything more urgent than the template's usual priority.
    const priority: Priority = severity === 'SEV1' && template.priority !== 'P0' ? (['P0', 'P0', 'P1', 'P2'] as const)[Number(template.priority[1])] : template.priority;
    const originalDue = actionItemDueAt(priority, createdAt, policies);
    const people = peopleOf(template.team);
    const assignee = rng.chance(0.8) ? rng.pick(people) : null;
    const worker = assignee ?? DEMO_TEAMS[template.team].manager;
    const action: PlannedAction = {
      template, priority, createdAt, dueAt: originalDue, assignee, worker,
      externalUrl: rng.chance(0.6) ? `https://tracker.example.com/${template.team.toUpperCase().replace('-', '')}-${rng.int(100, 2999)}` : null,
      rice: rng.chance(0.6) ? { reach: rng.int(1, 12), impact: rng.pick([0.5, 1, 2, 3]), confidence: rng.pick([0.5, 0.8, 1]), effortDays: rng.pick([1, 2, 3, 5, 8, 13]) } : null,
      dueChanges: [], status: 'OPEN', closedAt: null, wontDoReason: null, snooze: null,
    };
    const span = originalDue.getTime() - createdAt.getTime();
    const r = rng.next();
    if (originalDue.getTime() < now.getTime()) {
      if (r < 0.66) {
        // Done: mostly on time, some late.
        if (rng.chance(0.68)) {
          action.closedAt = plus(createdAt, span * rng.between(0.25, 0.97));
        } else {
          if (rng.chance(0.5)) {
            // Extended once, then finished after the original date but inside the new one.
            const to = plus(originalDue, rng.int(10, 40) * DAY);
            action.dueChanges.push({ to, reason: rng.pick(DUE_CHANGE_REASONS), at: plus(originalDue, -rng.int(1, 4) * DAY) });
            action.closedAt = plus(originalDue, (to.getTime() - originalDue.getTime()) * rng.between(0.2, 0.9));
          } else {
            action.closedAt = plus(originalDue, rng.between(1, 25) * DAY);
          }
        }
        action.status = 'DONE';
      } else if (r < 0.78) {
        action.status = 'WONT_DO';
        action.wontDoReason = rng.pick(WONT_DO_REASONS);
        action.closedAt = plus(createdAt, span * rng.between(0.2, 1.2));
      } else {
        // Still open past its date: the overdue list leadership asks about.
        action.status = rng.pick(['OPEN', 'IN_PROGRESS', 'IN_PROGRESS', 'BLOCKED'] as const);
        if (rng.chance(0.45)) {
          const to = plus(originalDue, rng.int(7, 30) * DAY);
          action.dueChanges.push({ to, reason: rng.pick(DUE_CHANGE_REASONS), at: plus(originalDue, -rng.int(0, 3) * DAY) });
        }
        if (rng.chance(0.2)) action.snooze = { days: rng.int(3, 10), reason: rng.pick(SNOOZE_REASONS) };
      }
    } else if (r < 0.25 && now.getTime() - createdAt.getTime() > DAY) {
      action.status = 'DONE';
      action.closedAt = plus(createdAt, (now.getTime() - createdAt.getTime()) * rng.between(0.3, 0.9));
    } else {
      action.status = rng.pick(['OPEN', 'OPEN', 'IN_PROGRESS', 'IN_PROGRESS', 'BLOCKED'] as const);
      const pulledIn = plus(startOfUtcDay(now), rng.int(1, 3) * DAY + 17 * HOUR);
      if (priority !== 'P0' && rng.chance(0.2) && pulledIn.getTime() < originalDue.getTime()) {
        action.dueChanges.push({ to: pulledIn, reason: PULL_IN_REASON, at: plus(createdAt, (now.getTime() - createdAt.getTime()) * 0.5) });
      }
      if (rng.chance(0.15)) action.snooze = { days: rng.int(2, 7), reason: rng.pick(SNOOZE_REASONS) };
    }
    action.dueChanges = action.dueChanges.map((ch) => ({ ...ch, at: minDate(maxDate(ch.at, plus(createdAt, HOUR)), plus(now, -HOUR)) }));
    if (action.closedAt) action.closedAt = minDate(action.closedAt, plus(now, -HOUR));
    return action;
  });
}
