// The demo organisation: people, teams, services and their SLOs. Invented for Hindsight's
// demo; any resemblance to a real company's systems is generic.
import type { Role, ServiceKind, SloDimension } from '@hindsight/domain';

export const DEMO_PASSWORD = 'demo-password';

export type DemoPerson = 'commander' | 'manager' | 'platformLead' | 'engineer' | 'viewer';

export const DEMO_USERS: Record<DemoPerson, { email: string; name: string; role: Role }> = {
  commander: { email: 'commander@demo.hindsight.local', name: 'Casey Commander', role: 'COMMANDER' },
  manager: { email: 'manager@demo.hindsight.local', name: 'Morgan Manager', role: 'MANAGER' },
  platformLead: { email: 'platform-lead@demo.hindsight.local', name: 'Priya Platform', role: 'MANAGER' },
  engineer: { email: 'engineer@demo.hindsight.local', name: 'Eli Engineer', role: 'COMMANDER' },
  viewer: { email: 'viewer@demo.hindsight.local', name: 'Lee Leadership', role: 'VIEWER' },
};

export type DemoTeam = 'payments' | 'platform' | 'ml-serving';

export const DEMO_TEAMS: Record<DemoTeam, { name: string; manager: DemoPerson; members: DemoPerson[] }> = {
  payments: { name: 'Payments', manager: 'manager', members: ['engineer'] },
  platform: { name: 'Platform', manager: 'platformLead', members: ['commander'] },
  'ml-serving': { name: 'ML Serving', manager: 'manager', members: [] },
};

export interface DemoSlo {
  dimension: SloDimension;
  /** A fraction: 0.999 for 99.9 %. */
  objective: number;
  windowDays?: number;
  segment?: string;
}

export interface DemoService {
  name: string;
  kind: ServiceKind;
  tier: 1 | 2 | 3;
  team: DemoTeam;
  revenuePerMinute: number | null;
  runbook: string | null;
  slos: DemoSlo[];
}

export const DEMO_SERVICES: DemoService[] = [
  {
    name: 'checkout-api', kind: 'API', tier: 1, team: 'payments', revenuePerMinute: 1800,
    runbook: [
      '# checkout-api',
      '',
      'Takes a basket to a paid order: prices, reserves stock, calls the card processor through `payments-ledger`.',
      '',
      '## First five minutes',
      '1. Check the **5xx ratio** and **p99 latency** panels on the checkout dashboard.',
      '2. If a deploy finished in the last hour, roll it back (`deployctl rollback checkout-api`) before diagnosing.',
      '3. If the card processor is slow, switch the `processor-fallback` flag on: orders queue and are charged later.',
      '',
      '## Useful links',
      '- Dashboard: https://grafana.example.com/d/checkout-api',
      '- Deploys: https://deploys.example.com/checkout-api',
    ].join('\n'),
    slos: [
      { dimension: 'AVAILABILITY', objective: 0.9995 },
      { dimension: 'AVAILABILITY', objective: 0.9999, segment: 'enterprise' },
      { dimension: 'AVAILABILITY', objective: 0.999, segment: 'eu' },
      { dimension: 'LATENCY', objective: 0.99 },
    ],
  },
  {
    name: 'payments-ledger', kind: 'DATASTORE', tier: 1, team: 'payments', revenuePerMinute: 900,
    runbook: '# payments-ledger\n\nDouble-entry ledger on PostgreSQL. Never restore over it: open a repair ticket and replay from the outbox.\n\n- Replication lag panel: https://grafana.example.com/d/ledger-replication',
    slos: [
      { dimension: 'CORRECTNESS', objective: 0.9999, windowDays: 30 },
      { dimension: 'AVAILABILITY', objective: 0.9995 },
    ],
  },
  {
    name: 'fraud-scoring', kind: 'MODEL', tier: 2, team: 'payments', revenuePerMinute: 300, runbook: null,
    slos: [
      { dimension: 'LATENCY', objective: 0.995 },
      { dimension: 'CORRECTNESS', objective: 0.99, windowDays: 7 },
    ],
  },
  {
    name: 'edge-gateway', kind: 'INFRASTRUCTURE', tier: 1, team: 'platform', revenuePerMinute: 2500,
    runbook: [
      '# edge-gateway',
      '',
      'TLS termination, routing and rate limits in front of every public API.',
      '',
      '- Certificates renew automatically 30 days before expiry; the `cert-expiry` alert fires at 14 days.',
      '- Rate-limit rules live in `edge-config`; a bad rule is reverted with `edgectl config revert`.',
    ].join('\n'),
    slos: [
      { dimension: 'AVAILABILITY', objective: 0.9999 },
      { dimension: 'AVAILABILITY', objective: 0.999, segment: 'free' },
      { dimension: 'LATENCY', objective: 0.995 },
    ],
  },
  {
    name: 'identity-service', kind: 'API', tier: 1, team: 'platform', revenuePerMinute: 1200,
    runbook: '# identity-service\n\nSign-in, sessions and SSO. If SSO sign-ins fail for one customer, check their IdP metadata before anything else.',
    slos: [
      { dimension: 'AVAILABILITY', objective: 0.9995 },
      { dimension: 'AVAILABILITY', objective: 0.9999, segment: 'enterprise' },
    ],
  },
  {
    name: 'web-storefront', kind: 'FRONTEND', tier: 2, team: 'platform', revenuePerMinute: 1500, runbook: null,
    slos: [
      { dimension: 'AVAILABILITY', objective: 0.999 },
      { dimension: 'LATENCY', objective: 0.99 },
    ],
  },
  {
    name: 'event-bus', kind: 'INFRASTRUCTURE', tier: 2, team: 'platform', revenuePerMinute: null,
    runbook: '# event-bus\n\nKafka cluster carrying order, stock and model-feature events. Consumer lag above 5 minutes pages the platform on-call.',
    slos: [
      { dimension: 'THROUGHPUT', objective: 0.999 },
      { dimension: 'FRESHNESS', objective: 0.995 },
    ],
  },
  {
    name: 'recommendations-api', kind: 'MODEL', tier: 2, team: 'ml-serving', revenuePerMinute: 600,
    runbook: '# recommendations-api\n\nServes the "you may also like" model. Falls back to best-sellers when the model or the feature store is unavailable.',
    slos: [
      { dimension: 'LATENCY', objective: 0.995 },
      { dimension: 'AVAILABILITY', objective: 0.999 },
      { dimension: 'AVAILABILITY', objective: 0.995, segment: 'free' },
      { dimension: 'CORRECTNESS', objective: 0.98, windowDays: 14 },
    ],
  },
  {
    name: 'feature-store', kind: 'FEATURE_STORE', tier: 2, team: 'ml-serving', revenuePerMinute: null,
    runbook: '# feature-store\n\nOnline store fed from the event bus; offline store rebuilt nightly. Freshness lag is the first thing to check when models misbehave.',
    slos: [{ dimension: 'FRESHNESS', objective: 0.99 }],
  },
  {
    name: 'search-ranking', kind: 'MODEL', tier: 2, team: 'ml-serving', revenuePerMinute: 500, runbook: null,
    slos: [
      { dimension: 'CORRECTNESS', objective: 0.99, windowDays: 14 },
      { dimension: 'CORRECTNESS', objective: 0.995, windowDays: 14, segment: 'eu' },
      { dimension: 'LATENCY', objective: 0.99 },
    ],
  },
  {
    name: 'training-pipeline', kind: 'PIPELINE', tier: 3, team: 'ml-serving', revenuePerMinute: null, runbook: null,
    slos: [{ dimension: 'FRESHNESS', objective: 0.95, windowDays: 28 }],
  },
];
