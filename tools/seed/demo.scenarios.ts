// The kinds of incident the demo organisation has, written for Hindsight's demo (our own
// invented text). Each scenario is instantiated a few times over the demo year with its own
// dates, durations, regions and segments. The language is blameless: systems, conditions and
// safeguards, never a person as the cause — demo.seed.spec.ts runs every text through
// blamelessReview to keep it so.
import type { ActionKind, FactorCategory, Priority, SafeguardKind, SloDimension } from '@hindsight/domain';
import type { DemoTeam } from './demo.catalog';

/** What an instance of a scenario knows when its texts are written. */
export interface ScenarioContext {
  /** Affected services; the first is where it showed. */
  services: string[];
  service: string;
  region: string | null;
  /** " in eu-west-1", or "" when the incident was not regional. */
  where: string;
  segments: string[];
  /** A release or model version, e.g. 2025.14.3. */
  version: string;
  /** "47 minutes", "3 h 10 min": from start to mitigation. */
  duration: string;
  usersAffected: number | null;
}

type Text = (c: ScenarioContext) => string;

export type Addresses = { trigger: true } | { factor: number } | { safeguard: number };

export interface ActionTemplate {
  title: string;
  description: string;
  kind: ActionKind;
  priority: Priority;
  team: DemoTeam;
  addresses: Addresses;
  /** The completion note when it gets done, and the verification (needed at P0/P1). */
  done: string;
  verification: string;
}

export interface Scenario {
  key: string;
  /** Relative frequency over the year. */
  weight: number;
  /** Alternatives; each lists the affected services, the first being where it showed. */
  services: string[][];
  dimensions: SloDimension[];
  /** Weights of SEV1..SEV4. */
  severity: [number, number, number, number];
  regional: boolean;
  /** Chance that the incident is limited to customer segments, and which ones. */
  segments: { chance: number; choices: string[][] };
  /** Medians in minutes: start → detection, acknowledgement → mitigation, mitigation → resolution. */
  detectMinutes: number;
  mitigateMinutes: number;
  resolveMinutes: number;
  impactFraction: [number, number];
  titles: Text[];
  summary: Text;
  customerImpact: Text;
  trigger: { category: FactorCategory; description: Text };
  factors: { category: FactorCategory; description: string }[];
  safeguards: { kind: SafeguardKind; expectedBehavior: string; whyItFailed: string }[];
  hypotheses: { statement: Text; confirmed: boolean; evidence: string }[];
  timeline: {
    /** A change shortly before the start, when there was one. */
    change?: Text;
    detection: Text;
    diagnosis: Text;
    mitigation: Text;
    resolution: Text;
  };
  postmortem: {
    triggeringCause: Text;
    whatWentWell: string;
    whatWentPoorly: string;
    whereWeGotLucky: string;
    lessons: string;
  };
  actions: ActionTemplate[];
}

const segmentText = (c: ScenarioContext): string => (c.segments.length ? ` for ${c.segments.join(' and ')} customers` : '');
const usersText = (c: ScenarioContext, what: string): string => (c.usersAffected ? `About ${c.usersAffected.toLocaleString('en-GB')} ${what}.` : '');

export const SCENARIOS: Scenario[] = [
  {
    key: 'checkout-release-regression',
    weight: 6,
    services: [['checkout-api'], ['checkout-api'], ['checkout-api', 'payments-ledger']],
    dimensions: ['AVAILABILITY', 'LATENCY'],
    severity: [0.8, 2, 5, 3],
    regional: false,
    segments: { chance: 0.35, choices: [['enterprise'], ['eu'], ['enterprise', 'eu']] },
    detectMinutes: 4, mitigateMinutes: 25, resolveMinutes: 60,
    impactFraction: [0.15, 0.6],
    titles: [
      (c) => `Checkout errors after ${c.service} release ${c.version}`,
      (c) => `Elevated 5xx on ${c.service} following deploy ${c.version}`,
      () => 'Orders failing at payment step after checkout release',
    ],
    summary: (c) =>
      `Release ${c.version} of ${c.service} changed how basket lines are priced, issuing one database query per line instead of one per basket. ` +
      `Large baskets exhausted the connection pool and checkout requests failed with 5xx${segmentText(c)} until the release was rolled back.`,
    customerImpact: (c) => `Customers with large baskets could not complete checkout and saw a generic error page. ${usersText(c, 'shoppers hit at least one failed checkout')}`,
    trigger: { category: 'RELEASE_REGRESSION', description: (c) => `Release ${c.version} introduced a per-line pricing query that multiplied database load for large baskets.` },
    factors: [
      { category: 'CAPACITY', description: 'The checkout connection pool (40 per host) was sized for the previous query pattern and had no headroom for a tenfold increase.' },
      { category: 'OBSERVABILITY_GAP', description: 'Queries per request were not graphed, so the change in query count was invisible until the pool ran out.' },
    ],
    safeguards: [
      { kind: 'CANARY', expectedBehavior: 'The canary should expose a regression before the release reaches all hosts.', whyItFailed: 'The 10-minute canary at 5 % of traffic saw almost no baskets above 20 lines, the only ones affected.' },
      { kind: 'AUTO_ROLLBACK', expectedBehavior: 'Automatic rollback when error ratio rises after a deploy.', whyItFailed: 'Rollback was keyed on p50 latency only; the error ratio was not one of its signals.' },
    ],
    hypotheses: [
      { statement: (c) => `Release ${c.version} is the trigger: errors began two minutes after it reached all hosts.`, confirmed: true, evidence: 'Rolling back on one host group removed its errors while the others kept failing.' },
      { statement: () => 'The card processor is slow and checkout threads are waiting on it.', confirmed: false, evidence: "Processor latency stayed at its usual 180 ms median throughout; the waits were on our own database pool." },
    ],
    timeline: {
      change: (c) => `Deploy of ${c.service} ${c.version} reached 100 % of hosts.`,
      detection: (c) => `Alert: ${c.service} 5xx ratio above 2 % for 5 minutes.`,
      diagnosis: () => 'Connection pool saturation on every checkout host; query count per request up from 3 to about 60 for large baskets.',
      mitigation: (c) => `Rolled back ${c.service} to the previous release; error ratio back under 0.1 % within four minutes.`,
      resolution: () => 'Failed orders were retried from the outbox; no double charges found by the ledger reconciliation.',
    },
    postmortem: {
      triggeringCause: (c) => `Release ${c.version} moved basket pricing into a loop that queried the price table once per line. The pool limits that had been comfortable for years were reached within minutes for baskets with many lines.`,
      whatWentWell: '- The alert fired within minutes and paged the right team.\n- Rolling back was one command and took four minutes.\n- The outbox let us retry every failed order without double charges.',
      whatWentPoorly: '- The canary traffic did not include the basket sizes that triggered the problem.\n- Automatic rollback did not consider error ratio.\n- We had no graph of queries per request, so diagnosis took longer than the rollback.',
      whereWeGotLucky: 'The release went out on a weekday morning, outside a sales campaign, when large baskets are rare.',
      lessons: 'A canary only tests the traffic it sees. Error ratio belongs in every rollback decision, and query counts are worth a graph next to latency.',
    },
    actions: [
      { title: 'Add error ratio to the automatic rollback signals', description: 'Roll back when the 5xx ratio after a deploy exceeds twice the previous hour for 3 minutes.', kind: 'PREVENT', priority: 'P1', team: 'platform', addresses: { safeguard: 1 }, done: 'Deploy controller now watches 5xx ratio alongside latency.', verification: 'Game day: a deliberately failing build was rolled back after 3 minutes without a human.' },
      { title: 'Replay large-basket traffic in the checkout canary', description: 'Send a synthetic mix including 50-line baskets to the canary for its whole duration.', kind: 'DETECT', priority: 'P2', team: 'payments', addresses: { safeguard: 0 }, done: 'Synthetic large-basket journey runs against every canary.', verification: 'A test release with the old per-line query failed its canary.' },
      { title: 'Graph queries per request for checkout endpoints', description: 'Export a per-endpoint query count histogram and add it to the checkout dashboard.', kind: 'DETECT', priority: 'P3', team: 'payments', addresses: { factor: 1 }, done: 'Histogram exported and added to the dashboard.', verification: 'Panel shows the expected 3 queries per request at steady state.' },
    ],
  },
  {
    key: 'card-processor-latency',
    weight: 4,
    services: [['checkout-api'], ['checkout-api', 'fraud-scoring']],
    dimensions: ['LATENCY', 'AVAILABILITY'],
    severity: [0.3, 1.5, 4, 2],
    regional: true,
    segments: { chance: 0.25, choices: [['eu']] },
    detectMinutes: 6, mitigateMinutes: 35, resolveMinutes: 120,
    impactFraction: [0.1, 0.4],
    titles: [
      (c) => `Card payments slow${c.where}: processor latency`,
      (c) => `Checkout timeouts while card processor degraded${c.where}`,
    ],
    summary: (c) =>
      `Our card processor's authorisation latency rose from about 200 ms to several seconds${c.where}. ${c.service} retried timed-out authorisations, which doubled the load on the processor and kept our worker threads busy, so checkout slowed down for everyone${segmentText(c)}.`,
    customerImpact: (c) => `Checkout took up to 30 seconds and some payments were declined with "try again later". ${usersText(c, 'customers saw a slow or failed payment')}`,
    trigger: { category: 'DEPENDENCY_OUTAGE', description: () => 'The card processor had a partial outage of its authorisation service.' },
    factors: [
      { category: 'CONFIG_CHANGE', description: 'Three retries with no backoff turned each slow authorisation into four concurrent ones.' },
      { category: 'PROCESS', description: 'Switching on the processor fallback needed a change approval, which took 20 minutes to obtain out of hours.' },
    ],
    safeguards: [
      { kind: 'CIRCUIT_BREAKER', expectedBehavior: 'Stop calling the processor when most calls time out, and queue orders for later charging.', whyItFailed: 'The breaker opened only at 90 % failures; timeouts peaked at 60 %.' },
      { kind: 'RUNBOOK', expectedBehavior: 'Tell the on-call engineer when and how to enable the fallback.', whyItFailed: 'The runbook described the fallback flag but not that it was pre-approved for processor incidents.' },
    ],
    hypotheses: [
      { statement: () => 'The card processor is degraded.', confirmed: true, evidence: "The processor's status page confirmed elevated authorisation latency in the same window." },
      { statement: (c) => `A deploy of ${c.service} slowed request handling.`, confirmed: false, evidence: 'No deploy in the previous 24 hours; latency was entirely in outbound calls.' },
    ],
    timeline: {
      detection: (c) => `Alert: ${c.service} p99 latency above 5 s${c.where}.`,
      diagnosis: () => 'Outbound authorisation calls timing out after 10 s; retries doubling the request rate to the processor.',
      mitigation: () => 'Enabled the processor-fallback flag: orders accepted and queued for charging.',
      resolution: () => 'Processor recovered; queued orders charged, 0.4 % declined and customers emailed.',
    },
    postmortem: {
      triggeringCause: () => 'A partial outage of the card processor made authorisations slow. Our retry policy, with no backoff, multiplied the load on the processor while it was already struggling.',
      whatWentWell: '- The fallback worked as designed once enabled: no orders were lost.\n- Customer support had a prepared message within 15 minutes.',
      whatWentPoorly: '- The circuit breaker threshold was too high to ever open in a partial outage.\n- Getting approval for the fallback flag took longer than the diagnosis.',
      whereWeGotLucky: 'The processor recovered on its own within the hour.',
      lessons: 'Retries need backoff and a budget. Pre-approve the mitigations we already trust, so using them needs no meeting.',
    },
    actions: [
      { title: 'Exponential backoff and a retry budget for processor calls', description: 'At most one retry, with jittered backoff, and no retries when over 20 % of calls fail.', kind: 'PREVENT', priority: 'P1', team: 'payments', addresses: { factor: 0 }, done: 'Retry policy replaced with a budgeted, jittered backoff.', verification: 'Load test against a stub processor at 60 % timeouts: request rate to the stub stayed flat.' },
      { title: 'Lower the processor circuit-breaker threshold to 40 % failures', description: 'Open the breaker at 40 % failures over 30 s and route orders to the charging queue.', kind: 'MITIGATE', priority: 'P1', team: 'payments', addresses: { safeguard: 0 }, done: 'Breaker threshold lowered and alert added when it opens.', verification: 'Fault injection in staging opened the breaker within 35 s.' },
      { title: 'Pre-approve the processor fallback in the change policy', description: 'Record the fallback flag as a standard change for processor incidents and update the runbook.', kind: 'PROCESS', priority: 'P2', team: 'payments', addresses: { factor: 1 }, done: 'Standard change registered; runbook updated.', verification: 'Runbook reviewed in the next on-call handover.' },
    ],
  },
  {
    key: 'edge-certificate-expiry',
    weight: 2,
    services: [['edge-gateway'], ['edge-gateway', 'identity-service']],
    dimensions: ['AVAILABILITY'],
    severity: [1, 3, 2, 0],
    regional: false,
    segments: { chance: 0.6, choices: [['enterprise']] },
    detectMinutes: 12, mitigateMinutes: 30, resolveMinutes: 45,
    impactFraction: [0.05, 0.3],
    titles: [
      () => 'TLS certificate expired on custom customer domains',
      (c) => `Expired certificate on ${c.service} broke API access${segmentText(c)}`,
    ],
    summary: (c) =>
      `The TLS certificate served on customers' custom API domains expired. Automatic renewal had been failing for three weeks because the DNS challenge used a credential that had been rotated. API clients rejected the connection${segmentText(c)}.`,
    customerImpact: (c) => `Integrations calling our API through custom domains failed with TLS errors. ${usersText(c, 'API clients were affected')}`,
    trigger: { category: 'CERTIFICATE_OR_SECRET', description: () => 'The wildcard certificate for custom domains reached its expiry date without having been renewed.' },
    factors: [
      { category: 'OBSERVABILITY_GAP', description: 'Renewal failures were logged but not alerted on; the expiry alert was routed to a channel retired in a reorganisation.' },
      { category: 'PROCESS', description: 'The credential rotation checklist did not list the certificate renewer as a consumer of the DNS credential.' },
    ],
    safeguards: [
      { kind: 'ALERTING', expectedBehavior: 'Warn the platform on-call 14 days before any certificate expires.', whyItFailed: 'The alert fired on time into a Slack channel nobody watched any more.' },
    ],
    hypotheses: [
      { statement: () => 'A certificate has expired.', confirmed: true, evidence: 'openssl s_client showed notAfter as this morning 06:00 UTC.' },
    ],
    timeline: {
      detection: () => 'Support ticket from an enterprise customer: "certificate has expired" errors from our API.',
      diagnosis: () => 'Renewer logs show DNS-01 challenge failures every night for 21 days: credential rejected.',
      mitigation: () => 'Issued and deployed a certificate manually with a fresh DNS credential.',
      resolution: () => 'Renewer reconfigured with the new credential; a dry-run renewal succeeded.',
    },
    postmortem: {
      triggeringCause: () => 'The certificate renewer authenticated to our DNS provider with a credential that was rotated during a routine secret rotation. Each nightly renewal attempt failed, and the certificate expired once the 30-day renewal margin ran out.',
      whatWentWell: '- Once diagnosed, a manual certificate was issued in minutes.\n- The customer who reported it gave us exact timestamps and error text.',
      whatWentPoorly: '- We learned about the expiry from a customer, not from our alert.\n- Three weeks of renewal failures were visible in logs only.',
      whereWeGotLucky: 'Only custom domains used this certificate; the main API domain is renewed by a different mechanism.',
      lessons: 'Alert routing needs an owner after reorganisations. Every consumer of a secret belongs in its rotation checklist.',
    },
    actions: [
      { title: 'Page on certificate renewal failures, not only on expiry', description: 'Two consecutive failed renewals page the platform on-call.', kind: 'DETECT', priority: 'P0', team: 'platform', addresses: { safeguard: 0 }, done: 'Renewal failure alert pages via the platform rotation.', verification: 'Broke the renewer credential in staging: page arrived after the second failed attempt.' },
      { title: 'Audit alert routes for retired channels', description: 'List every alert whose destination is archived or has no members, and re-home it.', kind: 'PROCESS', priority: 'P1', team: 'platform', addresses: { factor: 0 }, done: '37 alerts re-homed; a weekly check now flags archived destinations.', verification: 'Weekly check ran and reported zero orphaned routes.' },
      { title: 'Add certificate renewer to the DNS credential rotation checklist', description: 'Make the renewer a registered consumer, so rotations update it.', kind: 'PROCESS', priority: 'P2', team: 'platform', addresses: { factor: 1 }, done: 'Checklist updated; renewer now reads the credential from the vault.', verification: 'Rotated the credential in staging; the next renewal succeeded.' },
    ],
  },
  {
    key: 'edge-rate-limit-config',
    weight: 3,
    services: [['edge-gateway'], ['edge-gateway', 'web-storefront']],
    dimensions: ['AVAILABILITY'],
    severity: [0, 1, 4, 2],
    regional: true,
    segments: { chance: 0.6, choices: [['free'], ['free', 'eu']] },
    detectMinutes: 8, mitigateMinutes: 15, resolveMinutes: 20,
    impactFraction: [0.05, 0.35],
    titles: [
      (c) => `Legitimate traffic throttled by new rate-limit rule${c.where}`,
      (c) => `429 responses spike on ${c.service}${c.where}`,
    ],
    summary: (c) =>
      `A new rate-limit rule meant as 600 requests per minute per client was read by the gateway as 600 per hour. Busy clients received 429 responses${c.where}${segmentText(c)} until the rule was reverted.`,
    customerImpact: (c) => `Pages loaded partially and API clients received "too many requests". ${usersText(c, 'clients were throttled at least once')}`,
    trigger: { category: 'CONFIG_CHANGE', description: () => 'A rate-limit rule with an ambiguous time unit was applied to all edge nodes.' },
    factors: [
      { category: 'PROCESS', description: 'Rate-limit rules are applied to every node at once; there is no staged rollout for edge configuration.' },
    ],
    safeguards: [
      { kind: 'TESTING', expectedBehavior: 'A dry run should show how many clients a new rule would throttle.', whyItFailed: 'The gateway has no dry-run mode for rate-limit rules.' },
      { kind: 'CODE_REVIEW', expectedBehavior: 'Review should catch a limit that is 60 times too strict.', whyItFailed: "The rule format has a bare number with the unit set elsewhere, so the diff looked correct." },
    ],
    hypotheses: [
      { statement: () => 'The new rate-limit rule is throttling normal clients.', confirmed: true, evidence: 'All 429s carried the new rule id in the gateway logs.' },
      { statement: () => 'A bot is driving traffic that triggers the existing limits.', confirmed: false, evidence: 'Request rate per client was normal; the throttled clients were our largest legitimate integrations.' },
    ],
    timeline: {
      change: () => 'Edge configuration change applied: new per-client rate-limit rule.',
      detection: (c) => `Alert: 429 ratio on ${c.service} above 5 %${c.where}.`,
      diagnosis: () => 'Gateway logs: every 429 came from the new rule; effective limit was 10 requests per minute.',
      mitigation: () => 'Reverted the edge configuration change.',
      resolution: () => 'Rule reissued with an explicit unit after a 24-hour shadow period.',
    },
    postmortem: {
      triggeringCause: () => 'The rate-limit rule format carries a bare number whose unit defaults to per-hour. The new rule intended per-minute, so the effective limit was 60 times stricter than planned, on all nodes at once.',
      whatWentWell: '- The 429 alert fired quickly and the log line named the rule.\n- Revert was a single command.',
      whatWentPoorly: '- There was no way to preview a rule against live traffic.\n- The unit is implicit in the rule format.',
      whereWeGotLucky: 'The change went out during low traffic hours in most regions.',
      lessons: 'Configuration that can reject traffic deserves the same staged rollout as code. Make units explicit in the format.',
    },
    actions: [
      { title: 'Shadow mode for new rate-limit rules', description: 'New rules log what they would throttle for 24 hours before enforcing.', kind: 'PREVENT', priority: 'P1', team: 'platform', addresses: { safeguard: 0 }, done: 'Rules now start in shadow mode by default.', verification: 'Two later rules spent 24 h in shadow; their reports matched the enforced behaviour.' },
      { title: 'Require an explicit unit in rate-limit rules', description: 'Reject rules without a per-second/minute/hour unit at validation time.', kind: 'PREVENT', priority: 'P2', team: 'platform', addresses: { safeguard: 1 }, done: 'Schema validation rejects bare numbers.', verification: 'CI rejected a test rule without a unit.' },
      { title: 'Stage edge configuration changes by region', description: 'Apply edge config to one region, wait 15 minutes, then the rest.', kind: 'PREVENT', priority: 'P2', team: 'platform', addresses: { factor: 0 }, done: 'Edge config pipeline now deploys region by region.', verification: 'Pipeline run log shows staged rollout for the last five changes.' },
    ],
  },
  {
    key: 'feature-store-lag',
    weight: 5,
    services: [['feature-store', 'recommendations-api'], ['feature-store', 'search-ranking'], ['feature-store', 'fraud-scoring']],
    dimensions: ['FRESHNESS', 'CORRECTNESS'],
    severity: [0, 0.5, 4, 4],
    regional: false,
    segments: { chance: 0.2, choices: [['free']] },
    detectMinutes: 50, mitigateMinutes: 60, resolveMinutes: 240,
    impactFraction: [0.05, 0.3],
    titles: [
      (c) => `Stale features served to ${c.services[1] ?? 'models'}: feature-store lag`,
      () => 'Online feature store lagging behind the event bus',
      (c) => `Degraded ${c.services[1] ?? 'model'} quality from stale features`,
    ],
    summary: (c) =>
      `Online ingestion into the feature store fell behind the event bus after a partition rebalance, reaching four hours of lag on some partitions. ${c.services[1] ?? 'Downstream models'} kept serving on stale features, which quietly lowered prediction quality${segmentText(c)}.`,
    customerImpact: (c) => `Recommendations and scores were based on hours-old behaviour; click-through fell by about 12 % while the lag lasted. ${usersText(c, 'sessions received lower-quality results')}`,
    trigger: { category: 'FEATURE_STORE_LAG', description: () => 'Feature-store ingestion lag grew to four hours on a third of the partitions.' },
    factors: [
      { category: 'INFRASTRUCTURE', description: 'An event-bus partition rebalance left two ingestion workers owning most of the hot partitions.' },
      { category: 'OBSERVABILITY_GAP', description: 'Freshness was measured as an average across partitions, which hid the worst ones.' },
    ],
    safeguards: [
      { kind: 'ALERTING', expectedBehavior: 'Alert when any partition is more than 15 minutes behind.', whyItFailed: 'The alert used average lag, which stayed under its threshold.' },
      { kind: 'DATA_VALIDATION', expectedBehavior: 'Models should refuse or flag features older than their freshness budget.', whyItFailed: 'Feature timestamps were not checked at serving time.' },
    ],
    hypotheses: [
      { statement: () => 'The feature store is serving stale values.', confirmed: true, evidence: 'Feature timestamps for affected users were 3–4 hours old.' },
      { statement: (c) => `A new ${c.services[1] ?? 'model'} version is worse.`, confirmed: false, evidence: 'The model version had not changed in nine days; offline evaluation on fresh features was unchanged.' },
    ],
    timeline: {
      detection: (c) => `Business metric alert: ${c.services[1] ?? 'model'} click-through 12 % below forecast.`,
      diagnosis: () => 'Per-partition lag shows 11 of 32 partitions more than 3 hours behind; two workers own them all.',
      mitigation: () => 'Scaled ingestion workers from 8 to 16 and forced a rebalance; lag falling.',
      resolution: () => 'All partitions under one minute of lag; click-through back to forecast.',
    },
    postmortem: {
      triggeringCause: () => 'After an event-bus partition rebalance, ingestion work was spread unevenly and some partitions fell hours behind. Models read the latest stored values, which were hours old, without any sign that they were stale.',
      whatWentWell: '- The business metric alert caught what the technical alerts did not.\n- Scaling the workers was safe and immediate.',
      whatWentPoorly: '- The freshness alert averaged away the problem.\n- Nothing at serving time knew how old a feature was.',
      whereWeGotLucky: 'The fraud model, which reads the same features, was in a low-traffic period.',
      lessons: 'Freshness is a worst-case property: measure the maximum, not the mean. Models should know the age of what they read.',
    },
    actions: [
      { title: 'Alert on maximum partition lag in the feature store', description: 'Page when any partition is more than 15 minutes behind for 10 minutes.', kind: 'DETECT', priority: 'P1', team: 'ml-serving', addresses: { safeguard: 0 }, done: 'Max-lag alert in place; average-lag alert removed.', verification: 'Paused one ingestion worker in staging: page after 12 minutes.' },
      { title: 'Reject features older than the freshness budget at serving time', description: 'Fall back to defaults and count stale reads when a feature is older than its budget.', kind: 'MITIGATE', priority: 'P2', team: 'ml-serving', addresses: { safeguard: 1 }, done: 'Serving layer checks feature age and falls back.', verification: 'Stale-read counter visible on the dashboard; fallback exercised in a test.' },
      { title: 'Balance partition ownership after rebalances', description: 'Use a sticky, load-aware assignor for ingestion consumers.', kind: 'PREVENT', priority: 'P2', team: 'platform', addresses: { factor: 0 }, done: 'Load-aware assignor rolled out.', verification: 'Forced rebalance left no worker with more than 1.3× average load.' },
    ],
  },
  {
    key: 'search-model-version',
    weight: 3,
    services: [['search-ranking']],
    dimensions: ['CORRECTNESS'],
    severity: [0, 1, 4, 2],
    regional: false,
    segments: { chance: 0.8, choices: [['eu']] },
    detectMinutes: 600, mitigateMinutes: 40, resolveMinutes: 90,
    impactFraction: [0.1, 0.4],
    titles: [
      (c) => `Search relevance drop after ranking model ${c.version}`,
      (c) => `Poor search results in non-English catalogues${segmentText(c)}`,
    ],
    summary: (c) =>
      `Ranking model ${c.version} was trained with a new tokenizer that split compound words differently. Searches in German and Dutch returned far less relevant results${segmentText(c)}, while the English metrics used to approve the model stayed flat.`,
    customerImpact: (c) => `Search-to-purchase conversion fell by about a fifth for affected languages. ${usersText(c, 'searches were affected')}`,
    trigger: { category: 'MODEL_VERSION', description: (c) => `Model ${c.version} changed tokenisation of compound words.` },
    factors: [
      { category: 'BAD_DATA', description: 'The training sample under-represented non-English queries after a sampling change.' },
      { category: 'PROCESS', description: 'Model approval looked at a single global relevance metric.' },
    ],
    safeguards: [
      { kind: 'CANARY', expectedBehavior: 'Shadow evaluation should block a model that is worse for any major language.', whyItFailed: 'Shadow metrics were aggregated across all languages; English dominated the average.' },
    ],
    hypotheses: [
      { statement: (c) => `Model ${c.version} ranks non-English queries worse.`, confirmed: true, evidence: 'Offline replay of German queries: NDCG 0.61 against 0.78 for the previous model.' },
      { statement: () => 'The catalogue import for EU shops is incomplete.', confirmed: false, evidence: 'Catalogue counts matched the source feeds.' },
    ],
    timeline: {
      change: (c) => `Ranking model ${c.version} promoted to 100 % of traffic.`,
      detection: () => 'Analytics flagged search conversion in DE and NL down 18 % day over day.',
      diagnosis: () => 'Per-language replay shows the new tokenizer splitting compound words.',
      mitigation: () => 'Pinned the previous model version for all traffic.',
      resolution: () => 'Conversion back to baseline; retraining scheduled with a corrected sample.',
    },
    postmortem: {
      triggeringCause: (c) => `Model ${c.version} shipped with a tokenizer change that splits compound words. Non-English queries lost most of their relevance signal, and the global evaluation metric did not show it.`,
      whatWentWell: '- Pinning the previous model is a one-line change and took effect in minutes.\n- Analytics spotted the drop the next morning.',
      whatWentPoorly: '- Detection took about ten hours.\n- Approval relied on one averaged metric.',
      whereWeGotLucky: 'The release happened on a quiet weekday rather than before a holiday sale.',
      lessons: 'Evaluate models per segment that matters to customers, and set a floor per segment, not only an average.',
    },
    actions: [
      { title: 'Per-language gates in model shadow evaluation', description: 'Block promotion when any language with more than 2 % of traffic drops more than 3 % NDCG.', kind: 'PREVENT', priority: 'P1', team: 'ml-serving', addresses: { safeguard: 0 }, done: 'Promotion pipeline evaluates per language.', verification: 'Re-ran the faulty model through the pipeline: promotion blocked on DE and NL.' },
      { title: 'Stratify training samples by language', description: 'Keep each language at least at its traffic share in the training sample.', kind: 'PREVENT', priority: 'P2', team: 'ml-serving', addresses: { factor: 0 }, done: 'Sampler stratifies by language.', verification: 'Sample composition report matches traffic shares.' },
    ],
  },
  {
    key: 'ledger-failover',
    weight: 2,
    services: [['payments-ledger', 'checkout-api']],
    dimensions: ['AVAILABILITY', 'CORRECTNESS'],
    severity: [1, 2, 2, 0],
    regional: true,
    segments: { chance: 0.2, choices: [['enterprise']] },
    detectMinutes: 2, mitigateMinutes: 20, resolveMinutes: 300,
    impactFraction: [0.3, 1],
    titles: [
      (c) => `Payment writes failing during ledger database failover${c.where}`,
      () => 'Ledger primary failover left replicas out of sync',
    ],
    summary: (c) =>
      `A planned minor-version upgrade of the ${c.service} database triggered a failover. Writes failed for several minutes while the new primary caught up, and a reconciliation job running at the same time recorded some payments twice, which took hours to correct${segmentText(c)}.`,
    customerImpact: (c) => `Checkout failed for a few minutes and a small number of customers saw a duplicate pending charge that was reversed the same day. ${usersText(c, 'customers were affected')}`,
    trigger: { category: 'INFRASTRUCTURE', description: () => 'The database failover during a planned upgrade took longer than the client timeouts.' },
    factors: [
      { category: 'PROCESS', description: 'The maintenance window overlapped the nightly reconciliation batch, which is not safe to run across a failover.' },
      { category: 'CAPACITY', description: 'The standby had less memory than the primary, so warming its cache after promotion was slow.' },
    ],
    safeguards: [
      { kind: 'RUNBOOK', expectedBehavior: 'The upgrade runbook should pause batch jobs before a failover.', whyItFailed: 'The runbook predated the reconciliation batch and did not mention it.' },
      { kind: 'BACKUP', expectedBehavior: 'Point-in-time recovery to confirm the state before the failover.', whyItFailed: 'It worked, but restoring a copy for comparison took three hours.' },
    ],
    hypotheses: [
      { statement: () => 'The failover is taking longer than the write timeout.', confirmed: true, evidence: 'Promotion completed after 94 s; client write timeout is 30 s.' },
      { statement: () => 'Replication lag before the upgrade caused data loss.', confirmed: false, evidence: 'WAL positions show the standby fully caught up at the moment of promotion.' },
    ],
    timeline: {
      change: (c) => `Planned minor-version upgrade of the ${c.service} database started.`,
      detection: (c) => `Alert: ${c.service} write error ratio above 1 %${c.where}.`,
      diagnosis: () => 'Standby promoted after 94 s; reconciliation batch retried its writes against both old and new primary.',
      mitigation: () => 'Paused the reconciliation batch; write errors stopped once the new primary warmed up.',
      resolution: () => 'Duplicate ledger entries identified and reversed; customers notified.',
    },
    postmortem: {
      triggeringCause: () => 'A planned database upgrade caused a failover that took 94 seconds, longer than the 30-second write timeout. A reconciliation batch running at the same time retried its writes across the failover and recorded some payments twice.',
      whatWentWell: '- Failover itself was automatic and lost no committed data.\n- The ledger invariants check flagged the duplicates within the hour.',
      whatWentPoorly: '- The maintenance window overlapped a batch that is unsafe across a failover.\n- Comparing against a restored copy was slow.',
      whereWeGotLucky: 'The upgrade happened at 02:00 UTC when checkout volume is lowest.',
      lessons: 'Maintenance plans need a list of everything that runs in the window. Idempotency keys on ledger writes would have made the retries harmless.',
    },
    actions: [
      { title: 'Idempotency keys for reconciliation ledger writes', description: 'Every reconciliation write carries a deterministic key; duplicates are refused by a unique index.', kind: 'PREVENT', priority: 'P0', team: 'payments', addresses: { factor: 0 }, done: 'Unique idempotency key added to ledger writes.', verification: 'Replayed the incident batch twice in staging: no duplicate entries.' },
      { title: 'Add batch-job pause to the database upgrade runbook', description: 'List and pause scheduled jobs that write to the ledger before any failover.', kind: 'PROCESS', priority: 'P1', team: 'payments', addresses: { safeguard: 0 }, done: 'Runbook updated with a pre-flight job list.', verification: 'Used during the next upgrade; no batch ran across the failover.' },
      { title: 'Match standby memory to the primary', description: 'Resize the standby so its cache can hold the working set after promotion.', kind: 'REPAIR', priority: 'P2', team: 'platform', addresses: { factor: 1 }, done: 'Standby resized to match the primary.', verification: 'Failover drill: p99 write latency normal 40 s after promotion.' },
    ],
  },
  {
    key: 'sso-metadata-cache',
    weight: 2,
    services: [['identity-service']],
    dimensions: ['AVAILABILITY'],
    severity: [0, 2, 3, 1],
    regional: false,
    segments: { chance: 0.9, choices: [['enterprise']] },
    detectMinutes: 40, mitigateMinutes: 30, resolveMinutes: 60,
    impactFraction: [0.02, 0.1],
    titles: [
      () => 'Enterprise SSO sign-ins failing after customer key rotation',
      (c) => `SAML assertions rejected by ${c.service}${segmentText(c)}`,
    ],
    summary: (c) =>
      `A customer's identity provider rotated its signing key. ${c.service} cached identity-provider metadata for 24 hours, a setting raised from one hour in an earlier cost-reduction change, so it kept rejecting assertions signed with the new key${segmentText(c)}.`,
    customerImpact: (c) => `Employees of the affected enterprise customers could not sign in with SSO; password sign-in was unaffected. ${usersText(c, 'sign-in attempts failed')}`,
    trigger: { category: 'CONFIG_CHANGE', description: () => 'The identity-provider metadata cache lifetime had been raised from 1 hour to 24 hours.' },
    factors: [
      { category: 'CERTIFICATE_OR_SECRET', description: 'The customer rotated their signing key without overlap, a supported but uncommon practice.' },
      { category: 'OBSERVABILITY_GAP', description: 'Signature failures were counted globally, so one customer failing completely was a small bump overall.' },
    ],
    safeguards: [
      { kind: 'ALERTING', expectedBehavior: 'Alert when one customer has a high SSO failure ratio.', whyItFailed: 'Alerts were on the global failure ratio only.' },
    ],
    hypotheses: [
      { statement: () => 'Our cached metadata is outdated for this customer.', confirmed: true, evidence: 'Cached key fingerprint differed from the one in the published metadata.' },
      { statement: (c) => `A ${c.service} deploy changed SAML validation.`, confirmed: false, evidence: 'No deploy in the window; other customers signing in normally.' },
    ],
    timeline: {
      detection: () => 'Customer success escalation: an enterprise customer reports that no employee can sign in with SSO.',
      diagnosis: () => 'Assertion signature failures for one tenant only; cached metadata 19 hours old.',
      mitigation: () => 'Flushed the metadata cache for the tenant; sign-ins succeeding.',
      resolution: () => 'Cache lifetime set back to 1 hour and refresh-on-signature-failure enabled.',
    },
    postmortem: {
      triggeringCause: () => 'Identity-provider metadata was cached for 24 hours. When a customer rotated its signing key, we kept validating against the old key until the cache expired or was flushed.',
      whatWentWell: '- Once suspected, a single cache flush fixed it.\n- Customer success escalated quickly and with good detail.',
      whatWentPoorly: '- Alerting could not see a single tenant failing.\n- The cost change that raised the cache lifetime did not consider key rotation.',
      whereWeGotLucky: 'The customer had a break-glass password account and kept working.',
      lessons: 'Per-tenant failure ratios matter for enterprise features. Cache settings on security metadata need a note of what they trade away.',
    },
    actions: [
      { title: 'Refresh IdP metadata once on signature failure', description: 'On a signature failure, refetch metadata (rate-limited) and retry validation once.', kind: 'PREVENT', priority: 'P1', team: 'platform', addresses: { trigger: true }, done: 'Refresh-on-failure shipped.', verification: 'Rotated the key of a test IdP: first sign-in after rotation succeeded.' },
      { title: 'Per-tenant SSO failure alert', description: 'Alert when a tenant with more than 20 sign-ins an hour has over 50 % failures.', kind: 'DETECT', priority: 'P2', team: 'platform', addresses: { safeguard: 0 }, done: 'Per-tenant alert added.', verification: 'Synthetic tenant with forced failures triggered the alert.' },
    ],
  },
  {
    key: 'storefront-cdn-routing',
    weight: 3,
    services: [['web-storefront'], ['web-storefront', 'edge-gateway']],
    dimensions: ['LATENCY', 'AVAILABILITY'],
    severity: [0, 0.5, 3, 4],
    regional: true,
    segments: { chance: 0.1, choices: [['eu']] },
    detectMinutes: 25, mitigateMinutes: 40, resolveMinutes: 120,
    impactFraction: [0.05, 0.25],
    titles: [
      (c) => `Storefront slow${c.where}: CDN routing to a distant point of presence`,
      (c) => `Slow page loads on ${c.service}${c.where}`,
    ],
    summary: (c) =>
      `Our CDN provider routed traffic${c.where} to a point of presence on another continent after a peering change on their side. Storefront pages took three to five times longer to load, and some image requests timed out.`,
    customerImpact: (c) => `Pages loaded slowly and some product images were missing. ${usersText(c, 'visitors had a degraded experience')}`,
    trigger: { category: 'NETWORK', description: () => "A peering change at the CDN provider sent regional traffic to a distant point of presence." },
    factors: [
      { category: 'DEPENDENCY_OUTAGE', description: 'The CDN provider did not report the routing change on its status page until 90 minutes in.' },
      { category: 'OBSERVABILITY_GAP', description: 'Synthetic checks ran from a single region, so the slowdown was only visible in real-user monitoring.' },
    ],
    safeguards: [
      { kind: 'ALERTING', expectedBehavior: 'Alert on regional page-load regressions.', whyItFailed: 'Real-user monitoring had dashboards but no alerts; synthetics ran from one region only.' },
    ],
    hypotheses: [
      { statement: () => 'Regional traffic is reaching a distant CDN point of presence.', confirmed: true, evidence: 'Response headers showed a PoP on another continent for clients in the region.' },
      { statement: (c) => `A frontend release made ${c.service} heavier.`, confirmed: false, evidence: 'Bundle size unchanged; the slowdown was network time, not rendering.' },
    ],
    timeline: {
      detection: (c) => `Real-user monitoring: median page load${c.where} up from 1.8 s to 7.2 s (noticed on the dashboard).`,
      diagnosis: () => 'Traceroutes from regional probes end at a distant point of presence.',
      mitigation: () => 'Shifted regional DNS to the secondary CDN.',
      resolution: () => 'Provider fixed the peering; traffic moved back to the primary CDN.',
    },
    postmortem: {
      triggeringCause: () => 'A peering change at our CDN provider sent traffic from one region to a far-away point of presence, adding hundreds of milliseconds to every request.',
      whatWentWell: '- The secondary CDN was configured and worked when we shifted traffic to it.\n- The provider engaged quickly once we opened a ticket.',
      whatWentPoorly: '- We found out from a dashboard, not an alert.\n- Synthetic checks only ran from one region.',
      whereWeGotLucky: 'The secondary CDN contract had been renewed the month before.',
      lessons: 'Watch the experience from where customers are. A secondary provider is only useful if switching to it is practised.',
    },
    actions: [
      { title: 'Run synthetic checks from every serving region', description: 'Add probes in each region we serve and alert on regional p75 page load.', kind: 'DETECT', priority: 'P2', team: 'platform', addresses: { safeguard: 0 }, done: 'Probes added in five regions with alerts.', verification: 'Injected latency in one region: alert fired within 10 minutes.' },
      { title: 'Automate CDN failover per region', description: 'Switch a region to the secondary CDN when its p75 load time doubles for 15 minutes.', kind: 'MITIGATE', priority: 'P3', team: 'platform', addresses: { trigger: true }, done: 'Automated failover implemented behind a flag.', verification: 'Drill switched one region and back without errors.' },
    ],
  },
  {
    key: 'event-bus-disk',
    weight: 3,
    services: [['event-bus'], ['event-bus', 'feature-store']],
    dimensions: ['THROUGHPUT', 'FRESHNESS'],
    severity: [0, 1, 4, 3],
    regional: true,
    segments: { chance: 0, choices: [] },
    detectMinutes: 5, mitigateMinutes: 45, resolveMinutes: 180,
    impactFraction: [0.1, 0.5],
    titles: [
      (c) => `Event bus brokers out of disk${c.where}`,
      () => 'Producers blocked: event-bus disk usage at 100 %',
    ],
    summary: (c) =>
      `A new high-volume topic was created with the cluster's default retention of 30 days instead of the 1 day its team intended. Broker disks filled${c.where}, producers were blocked and downstream consumers, including the feature store, stopped receiving events.`,
    customerImpact: () => 'Order confirmation emails and stock updates were delayed by up to an hour; no events were lost.',
    trigger: { category: 'CAPACITY', description: () => 'Broker disks reached 100 % usage.' },
    factors: [
      { category: 'CONFIG_CHANGE', description: 'A new topic was created with the default 30-day retention.' },
      { category: 'PROCESS', description: 'Topic creation is self-service with no capacity estimate.' },
    ],
    safeguards: [
      { kind: 'CAPACITY_PLANNING', expectedBehavior: 'Projected disk usage should be reviewed when a topic is created.', whyItFailed: 'No projection exists in the self-service flow.' },
      { kind: 'ALERTING', expectedBehavior: 'Warn when brokers are on track to fill within 24 hours.', whyItFailed: 'The disk alert is a static 90 % threshold, which left 40 minutes at the new write rate.' },
    ],
    hypotheses: [
      { statement: () => 'A new topic is filling the broker disks.', confirmed: true, evidence: 'One topic held 62 % of broker disk, created four days earlier.' },
      { statement: () => 'Log compaction has stopped.', confirmed: false, evidence: 'Compaction threads were healthy and current.' },
    ],
    timeline: {
      detection: (c) => `Alert: ${c.service} broker disk usage above 90 %${c.where}.`,
      diagnosis: () => 'Topic created four days ago with 30-day retention is writing 2 TB a day.',
      mitigation: () => 'Reduced the new topic to 1-day retention; segments deleted and producers unblocked.',
      resolution: () => 'Consumers caught up; feature-store lag back under a minute.',
    },
    postmortem: {
      triggeringCause: () => 'A high-volume topic created with the default 30-day retention grew by about 2 TB a day until broker disks were full, at which point producers blocked.',
      whatWentWell: '- The disk alert gave enough time to find the topic.\n- No events were lost: producers retried until space was freed.',
      whatWentPoorly: '- Defaults that suit small topics are dangerous for large ones.\n- The static threshold gave little warning at a steep growth rate.',
      whereWeGotLucky: 'It happened on a weekday afternoon with the platform team at their desks.',
      lessons: 'Self-service needs guardrails sized to the worst case. Alert on time-to-full, not only on a percentage.',
    },
    actions: [
      { title: 'Alert on projected time until broker disk is full', description: 'Page when linear projection says a broker fills within 12 hours.', kind: 'DETECT', priority: 'P1', team: 'platform', addresses: { safeguard: 1 }, done: 'Time-to-full alert live.', verification: 'Replayed the incident write rate in staging: alert fired 11 hours before full.' },
      { title: 'Require expected volume when creating a topic', description: 'The self-service form asks for expected daily volume and sets retention to fit the budget.', kind: 'PREVENT', priority: 'P2', team: 'platform', addresses: { safeguard: 0 }, done: 'Form now computes retention from volume.', verification: 'Three topics created since with appropriate retention.' },
      { title: 'Lower the default topic retention to 3 days', description: 'Longer retention becomes an explicit choice.', kind: 'PREVENT', priority: 'P3', team: 'platform', addresses: { factor: 0 }, done: 'Cluster default changed.', verification: 'New topic created with 3-day retention by default.' },
    ],
  },
  {
    key: 'price-feed-bad-data',
    weight: 2,
    services: [['checkout-api', 'web-storefront']],
    dimensions: ['CORRECTNESS'],
    severity: [0.5, 2, 2, 0],
    regional: false,
    segments: { chance: 0.3, choices: [['eu'], ['free']] },
    detectMinutes: 35, mitigateMinutes: 25, resolveMinutes: 600,
    impactFraction: [0.02, 0.1],
    titles: [
      () => 'Products listed at zero price after supplier feed import',
      (c) => `Incorrect prices on ${c.services[1] ?? c.service} from a malformed supplier feed`,
    ],
    summary: (c) =>
      `A supplier price feed arrived with an empty price column for one category. The importer read empty values as zero, and about 300 products were shown and sold at a price of zero${segmentText(c)} until the category was hidden.`,
    customerImpact: () => 'Some orders were placed at a zero price; they were honoured as a goodwill gesture. Product pages for the category were hidden for a few hours.',
    trigger: { category: 'BAD_DATA', description: () => 'A supplier feed had an empty price column for one category.' },
    factors: [
      { category: 'PROCESS', description: 'Feed imports apply directly to the live catalogue without a review step for large changes.' },
    ],
    safeguards: [
      { kind: 'DATA_VALIDATION', expectedBehavior: 'Reject imports with missing or zero prices, or with price changes above a threshold.', whyItFailed: 'The importer only validated the file format, not the values.' },
      { kind: 'FEATURE_FLAG', expectedBehavior: 'Allow a category to be hidden instantly.', whyItFailed: 'Worked, but the flag was not described anywhere in the runbook, so finding it took 15 minutes.' },
    ],
    hypotheses: [
      { statement: () => 'The latest supplier feed has bad prices.', confirmed: true, evidence: 'The feed file had an empty price column for 312 rows.' },
      { statement: () => 'A currency conversion job wrote zeros.', confirmed: false, evidence: 'Conversion rates table unchanged since the previous day.' },
    ],
    timeline: {
      change: () => 'Nightly supplier price feed import completed.',
      detection: () => 'Customer support: several customers asking whether zero-price products are a mistake.',
      diagnosis: () => '312 products in one category have price 0 since the nightly import.',
      mitigation: () => 'Category hidden with the catalogue feature flag.',
      resolution: () => 'Prices restored from the previous feed; category visible again.',
    },
    postmortem: {
      triggeringCause: () => 'A supplier feed arrived with an empty price column for one category. The importer converted empty values to zero and published them straight to the live catalogue.',
      whatWentWell: '- The feature flag hid the category immediately once found.\n- Restoring from the previous feed was straightforward.',
      whatWentPoorly: '- Validation covered format but not values.\n- There is no hold on large catalogue changes.',
      whereWeGotLucky: 'The category was low-volume and the import ran at night.',
      lessons: 'Validate data by meaning, not only by shape. Large changes to what customers see deserve a pause.',
    },
    actions: [
      { title: 'Validate supplier feed values before import', description: 'Reject rows with missing or zero prices and hold imports changing more than 5 % of prices.', kind: 'PREVENT', priority: 'P0', team: 'payments', addresses: { safeguard: 0 }, done: 'Value validation and a change-size hold added to the importer.', verification: 'Replayed the faulty feed: import held with a clear report.' },
      { title: 'Document catalogue feature flags in the storefront runbook', description: 'List every kill switch with when to use it.', kind: 'PROCESS', priority: 'P3', team: 'platform', addresses: { safeguard: 1 }, done: 'Runbook section added.', verification: 'Reviewed by the on-call rotation.' },
    ],
  },
  {
    key: 'credential-stuffing',
    weight: 2,
    services: [['identity-service', 'edge-gateway']],
    dimensions: ['AVAILABILITY', 'LATENCY'],
    severity: [0, 1, 3, 1],
    regional: false,
    segments: { chance: 0.5, choices: [['free']] },
    detectMinutes: 7, mitigateMinutes: 30, resolveMinutes: 240,
    impactFraction: [0.1, 0.4],
    titles: [
      () => 'Sign-in latency from a credential-stuffing wave',
      (c) => `${c.service} overloaded by automated sign-in attempts`,
    ],
    summary: (c) =>
      `An automated credential-stuffing campaign sent about 40 times the usual sign-in volume. Password hashing saturated ${c.service} CPUs and legitimate sign-ins slowed down or failed${segmentText(c)}.`,
    customerImpact: (c) => `Sign-in took up to 20 seconds and some attempts timed out. No account was taken over. ${usersText(c, 'customers had a slow or failed sign-in')}`,
    trigger: { category: 'ABNORMAL_TRAFFIC', description: () => 'Sign-in attempts rose to 40 times normal volume from rotating residential IP addresses.' },
    factors: [
      { category: 'SECURITY', description: 'Per-IP rate limits do not slow attacks spread across many addresses.' },
      { category: 'CAPACITY', description: 'Sign-in shares CPU with session refresh, so both slowed together.' },
    ],
    safeguards: [
      { kind: 'RATE_LIMITING', expectedBehavior: 'Throttle automated sign-in attempts before they reach password hashing.', whyItFailed: 'Limits were per IP; the campaign used thousands of addresses.' },
    ],
    hypotheses: [
      { statement: () => 'This is a credential-stuffing campaign.', confirmed: true, evidence: '98 % of failed attempts used passwords from known breach lists; user agents rotated in a fixed pattern.' },
      { statement: () => 'A marketing email drove a sign-in spike.', confirmed: false, evidence: 'No campaign was sent that day; success ratio was 0.3 % instead of the usual 85 %.' },
    ],
    timeline: {
      detection: (c) => `Alert: ${c.service} CPU above 90 % and sign-in p99 above 5 s.`,
      diagnosis: () => 'Failed sign-ins at 40× baseline, success ratio 0.3 %, spread over 11,000 addresses.',
      mitigation: () => 'Enabled a proof-of-work challenge for sign-ins from unrecognised devices.',
      resolution: () => 'Campaign subsided; challenge kept on with a lower trigger.',
    },
    postmortem: {
      triggeringCause: () => 'An automated campaign tried breached credentials at 40 times our normal sign-in volume. Each attempt costs a password hash, so the service ran out of CPU.',
      whatWentWell: '- The attack was recognised within minutes.\n- No account was compromised: breached-password checks held.',
      whatWentPoorly: '- Our only throttle was per IP.\n- Session refresh slowed down with sign-in because they share a pool.',
      whereWeGotLucky: 'The challenge feature had been built for another purpose and was ready to use.',
      lessons: 'Expensive operations need protection that does not depend on where the request comes from.',
    },
    actions: [
      { title: 'Device-aware sign-in throttling', description: 'Throttle by account and device fingerprint, not only IP, before hashing.', kind: 'PREVENT', priority: 'P1', team: 'platform', addresses: { safeguard: 0 }, done: 'Throttling by account and fingerprint deployed.', verification: 'Replay of the attack pattern in staging kept hashing CPU under 40 %.' },
      { title: 'Separate session refresh from sign-in capacity', description: 'Run session refresh in its own pool so sign-in load cannot starve it.', kind: 'MITIGATE', priority: 'P2', team: 'platform', addresses: { factor: 1 }, done: 'Separate pool deployed.', verification: 'Load test: refresh latency unchanged at 10× sign-in load.' },
    ],
  },
  {
    key: 'training-pipeline-stall',
    weight: 3,
    services: [['training-pipeline'], ['training-pipeline', 'recommendations-api']],
    dimensions: ['FRESHNESS'],
    severity: [0, 0, 1, 5],
    regional: false,
    segments: { chance: 0, choices: [] },
    detectMinutes: 3000, mitigateMinutes: 60, resolveMinutes: 480,
    impactFraction: [0.01, 0.05],
    titles: [
      () => 'Nightly model training silently stopped running',
      (c) => `${c.service} produced no new model for several days`,
    ],
    summary: () =>
      'The nightly training job was scheduled on spot instances that were reclaimed during startup. The scheduler recorded the run as cancelled rather than failed, so no alert fired and models went several days without retraining.',
    customerImpact: () => 'Recommendations did not reflect new products for several days. No errors were visible to customers.',
    trigger: { category: 'INFRASTRUCTURE', description: () => 'Spot instances for the training job were reclaimed before it started.' },
    factors: [
      { category: 'OBSERVABILITY_GAP', description: 'Alerts fired on failed runs only; a run that never started produced no signal.' },
    ],
    safeguards: [
      { kind: 'ALERTING', expectedBehavior: 'Alert when a daily job has not succeeded in 26 hours.', whyItFailed: 'The alert matched failed runs; cancelled runs were not counted.' },
    ],
    hypotheses: [
      { statement: () => 'The training job has not run since spot instances were reclaimed.', confirmed: true, evidence: 'Scheduler history shows cancelled runs on each night since the reclaim event.' },
    ],
    timeline: {
      detection: () => 'Noticed during the weekly model review: latest model is four days old.',
      diagnosis: () => 'Scheduler marks runs as cancelled when their spot instances are reclaimed before start.',
      mitigation: () => 'Ran training manually on on-demand instances.',
      resolution: () => 'New model promoted; job now falls back to on-demand capacity.',
    },
    postmortem: {
      triggeringCause: () => 'Spot capacity for the training job was reclaimed before each run started, and the scheduler recorded cancelled runs. Nothing watched for the absence of a successful run.',
      whatWentWell: '- The weekly model review caught it.\n- A manual run on on-demand capacity worked first time.',
      whatWentPoorly: '- Four days passed without a signal.',
      whereWeGotLucky: 'The catalogue changed little that week.',
      lessons: 'Alert on the absence of success, not only on the presence of failure.',
    },
    actions: [
      { title: 'Alert when a daily job has not succeeded in 26 hours', description: 'A dead-man switch per scheduled job.', kind: 'DETECT', priority: 'P2', team: 'ml-serving', addresses: { safeguard: 0 }, done: 'Dead-man switch added for all ML pipelines.', verification: 'Disabled the job in staging: alert after 26 hours.' },
      { title: 'Fall back to on-demand capacity for training', description: 'If spot capacity is unavailable for 30 minutes, use on-demand.', kind: 'MITIGATE', priority: 'P3', team: 'ml-serving', addresses: { trigger: true }, done: 'Fallback configured in the scheduler.', verification: 'Simulated reclaim: job ran on on-demand within 35 minutes.' },
    ],
  },
  {
    key: 'fraud-scoring-capacity',
    weight: 3,
    services: [['fraud-scoring', 'checkout-api']],
    dimensions: ['LATENCY', 'AVAILABILITY'],
    severity: [0.3, 1.5, 3, 2],
    regional: true,
    segments: { chance: 0.4, choices: [['enterprise'], ['eu'], ['enterprise']] },
    detectMinutes: 5, mitigateMinutes: 30, resolveMinutes: 90,
    impactFraction: [0.1, 0.5],
    titles: [
      () => 'Fraud scoring timeouts during sale traffic',
      (c) => `${c.service} at maximum replicas${c.where}: checkout slowed`,
    ],
    summary: (c) =>
      `Traffic during a flash sale was three times the forecast. ${c.service} reached its autoscaling maximum${c.where}, scoring latency grew past the checkout timeout and orders were sent to manual review instead of being approved automatically${segmentText(c)}.`,
    customerImpact: (c) => `Orders were accepted but confirmation was delayed by up to two hours while manual review caught up. ${usersText(c, 'orders went to manual review')}`,
    trigger: { category: 'CAPACITY', description: (c) => `${c.service} hit its autoscaling ceiling of 40 replicas.` },
    factors: [
      { category: 'ABNORMAL_TRAFFIC', description: 'The flash sale drew three times the forecast traffic.' },
      { category: 'PROCESS', description: 'Sale forecasts were not shared with the team owning the fraud model.' },
    ],
    safeguards: [
      { kind: 'CAPACITY_PLANNING', expectedBehavior: 'Raise scaling limits ahead of planned sales.', whyItFailed: 'The sale was not on the capacity calendar.' },
      { kind: 'CIRCUIT_BREAKER', expectedBehavior: 'Approve low-risk orders with a simple rule set when scoring is slow.', whyItFailed: 'The fallback rules existed but sent everything to manual review.' },
    ],
    hypotheses: [
      { statement: (c) => `${c.service} is capacity-bound.`, confirmed: true, evidence: 'Replicas pinned at the maximum; CPU at 95 %.' },
      { statement: (c) => `A new ${c.service} model is slower.`, confirmed: false, evidence: 'Per-request latency at low load unchanged from last week.' },
    ],
    timeline: {
      detection: (c) => `Alert: ${c.service} p99 above 800 ms${c.where}; manual review queue growing.`,
      diagnosis: () => 'Autoscaler at its maximum of 40 replicas; traffic three times the forecast.',
      mitigation: () => 'Raised the replica limit to 100; latency back under 200 ms.',
      resolution: () => 'Manual review queue drained; all held orders confirmed.',
    },
    postmortem: {
      triggeringCause: (c) => `A flash sale brought three times the expected traffic and ${c.service} reached its autoscaling ceiling. Scoring slowed past the checkout timeout and orders fell back to manual review.`,
      whatWentWell: '- No orders were lost: the fallback to manual review held.\n- Raising the limit took effect within minutes.',
      whatWentPoorly: '- The fraud team did not know about the sale.\n- The fallback was much more conservative than it needed to be.',
      whereWeGotLucky: 'The manual review team was fully staffed that day.',
      lessons: 'Planned traffic peaks belong on a shared calendar. Fallbacks should degrade gracefully, not all the way to manual.',
    },
    actions: [
      { title: 'Shared capacity calendar for sales and campaigns', description: 'Marketing adds planned peaks; owning teams get a reminder a week before.', kind: 'PROCESS', priority: 'P2', team: 'payments', addresses: { factor: 1 }, done: 'Calendar in place with reminders.', verification: 'The next two campaigns were on it a week ahead.' },
      { title: 'Rule-based approval of low-risk orders when scoring is slow', description: 'Approve orders under a value threshold from known customers when scoring times out.', kind: 'MITIGATE', priority: 'P1', team: 'payments', addresses: { safeguard: 1 }, done: 'Low-risk fallback rules live.', verification: 'Load test with scoring disabled: 70 % of orders auto-approved by rules.' },
      { title: 'Raise fraud-scoring autoscaling ceiling and add headroom alert', description: 'Maximum 120 replicas; alert when above 80 % of the maximum.', kind: 'REPAIR', priority: 'P2', team: 'ml-serving', addresses: { trigger: true }, done: 'Limits raised and alert added.', verification: 'Alert tested by lowering the ceiling in staging.' },
    ],
  },
  {
    key: 'transient-5xx-unknown',
    weight: 3,
    services: [['web-storefront'], ['recommendations-api'], ['identity-service']],
    dimensions: ['AVAILABILITY'],
    severity: [0, 0, 1, 6],
    regional: true,
    segments: { chance: 0, choices: [] },
    detectMinutes: 3, mitigateMinutes: 8, resolveMinutes: 10,
    impactFraction: [0.01, 0.1],
    titles: [
      (c) => `Brief 5xx burst on ${c.service}${c.where}`,
      (c) => `Short error spike on ${c.service}, cause not found`,
    ],
    summary: (c) =>
      `${c.service} returned errors for a few minutes${c.where}. The errors stopped on their own before anyone acted, and the investigation found no change or dependency that explains them.`,
    customerImpact: () => 'A small share of requests failed for a few minutes; retries mostly succeeded.',
    trigger: { category: 'UNKNOWN', description: () => 'No trigger identified; the errors stopped without intervention.' },
    factors: [
      { category: 'OBSERVABILITY_GAP', description: 'Request logs are sampled at 1 %, too few to see which requests failed.' },
    ],
    safeguards: [],
    hypotheses: [
      { statement: () => 'A node was recycled by the autoscaler during the burst.', confirmed: false, evidence: 'No scaling events in the window.' },
    ],
    timeline: {
      detection: (c) => `Alert: ${c.service} error ratio above 1 %${c.where}.`,
      diagnosis: () => 'No deploys, config changes or dependency alerts in the window.',
      mitigation: () => 'Errors stopped without intervention.',
      resolution: () => 'Closed after a day of normal error rates; logging improvements proposed.',
    },
    postmortem: {
      triggeringCause: () => 'Not found. The errors lasted a few minutes and stopped on their own; our sampled logs did not hold enough detail to identify them.',
      whatWentWell: '- The alert fired and was acknowledged quickly.',
      whatWentPoorly: '- We could not explain what happened.',
      whereWeGotLucky: 'The burst was short.',
      lessons: 'Keep full logs for failed requests even when successful ones are sampled.',
    },
    actions: [
      { title: 'Log every failed request unsampled', description: 'Keep 100 % of 5xx request logs for 14 days.', kind: 'DETECT', priority: 'P3', team: 'platform', addresses: { factor: 0 }, done: 'Failed requests logged unsampled.', verification: 'A forced 500 in staging appears in the logs.' },
    ],
  },
];
