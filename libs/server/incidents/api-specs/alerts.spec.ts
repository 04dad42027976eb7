// Alert webhooks (Alertmanager, PagerDuty, Opsgenie) open and advance incidents, once per alert.
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { must } from '@hindsight/server-testing';

let api: ApiHarness;
let admin: string;
let commanderToken: string;
let viewerToken: string;


async function post(source: string, body: unknown, token: string | null = commanderToken, raw?: string) {
  const res = await fetch(`${api.url}/api/alerts/${source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw ?? JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { incident?: { id: string; reference: string } | null; changes?: string[]; field?: string; message?: string } };
}

const INCIDENT = `query($id: ID) { incident(id: $id) { reference title severity status summary startedAt acknowledgedAt mitigatedAt resolvedAt services { name }
  timeline { kind description evidenceUrl source } postmortem { status } } }`;

const alertmanager = (status: 'firing' | 'resolved', groupKey = '{}:{alertname="CheckoutErrors"}') => ({
  version: '4', groupKey, status, receiver: 'hindsight',
  commonLabels: { alertname: 'CheckoutErrors', severity: 'critical' },
  commonAnnotations: { summary: 'Checkout 5xx above 2 %', description: 'Error ratio 4.1 % for 5 minutes' },
  alerts: [{ status, labels: { alertname: 'CheckoutErrors', service: 'Checkout-API' }, startsAt: '2026-11-20T11:40:00Z', endsAt: status === 'resolved' ? '2026-11-20T11:58:00Z' : '0001-01-01T00:00:00Z', generatorURL: 'https://prometheus.example.com/graph?g0.expr=x' }],
});

const incidentCount = async () => (await must<{ incidents: { totalCount: number } }>(api, '{ incidents { totalCount } }', {}, admin)).incidents.totalCount;

beforeAll(async () => {
  api = await startApi();
  admin = await api.login();
  const user = async (email: string, role: string) =>
    (await must<{ createUser: { id: string } }>(api, `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, { i: { email, name: email, role, password: 'alert-intake-password' } }, admin)).createUser.id;
  const commander = await user('oncall-bot@test.local', 'COMMANDER');
  const viewer = await user('viewer@test.local', 'VIEWER');
  const token = async (userId: string) => (await must<{ createApiToken: { token: string } }>(api, `mutation($u: ID) { createApiToken(name: "alerts", userId: $u) { token } }`, { u: userId }, admin)).createApiToken.token;
  commanderToken = await token(commander);
  viewerToken = await token(viewer);
  const team = await must<{ createTeam: { id: string } }>(api, `mutation { createTeam(input: { name: "Payments" }) { id } }`, {}, admin);
  await must(api, `mutation($t: ID!) { createService(input: { name: "checkout-api", kind: API, tier: 1, teamId: $t }) { id } }`, { t: team.createTeam.id }, admin);
});
afterAll(async () => {
  await api.close();
});

describe('Alertmanager', () => {
  let id: string;

  it('a firing group opens an incident on the labelled service, with the alert on the timeline', async () => {
    const res = await post('alertmanager', alertmanager('firing'));
    expect(res.status).toBe(200);
    expect(res.body.changes).toEqual(['created']);
    id = res.body.incident!.id;
    const { incident } = await must<{ incident: Record<string, unknown> }>(api, INCIDENT, { id }, admin);
    expect(incident).toMatchObject({
      title: 'CheckoutErrors: Checkout 5xx above 2 %', severity: 'SEV2', status: 'INVESTIGATING', summary: 'Error ratio 4.1 % for 5 minutes',
      startedAt: '2026-11-20T11:40:00.000Z', services: [{ name: 'checkout-api' }], postmortem: { status: 'DRAFT' },
      timeline: [{ kind: 'ALERT', source: 'WEBHOOK', evidenceUrl: 'https://prometheus.example.com/graph?g0.expr=x', description: expect.stringContaining('Alert fired') }],
    });
  });

  it('repeated notifications of the same group change nothing', async () => {
    const before = await incidentCount();
    const res = await post('alertmanager', alertmanager('firing'));
    expect(res.body).toMatchObject({ incident: { id }, changes: [] });
    expect(await incidentCount()).toBe(before);
  });

  it('resolution marks the incident mitigated (the commander resolves it), once', async () => {
    const res = await post('alertmanager', alertmanager('resolved'));
    expect(res.body.changes).toEqual(['mitigated']);
    const again = await post('alertmanager', alertmanager('resolved'));
    expect(again.body.changes).toEqual([]);
    const { incident } = await must<{ incident: { status: string; mitigatedAt: string; resolvedAt: string | null; timeline: { kind: string }[] } }>(api, INCIDENT, { id }, admin);
    expect(incident).toMatchObject({ status: 'MITIGATED', mitigatedAt: '2026-11-20T11:58:00.000Z', resolvedAt: null });
    expect(incident.timeline.map((e) => e.kind)).toEqual(['ALERT', 'MITIGATION']);
  });

  it('five concurrent deliveries of a new group open one incident', async () => {
    const before = await incidentCount();
    const results = await Promise.all(Array.from({ length: 5 }, () => post('alertmanager', alertmanager('firing', '{}:{alertname="LedgerLag"}'))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.body.incident?.id)).size).toBe(1);
    expect(results.filter((r) => r.body.changes?.includes('created'))).toHaveLength(1);
    expect(await incidentCount()).toBe(before + 1);
  });
});

describe('PagerDuty and Opsgenie', () => {
  it('triggered → acknowledged → resolved sets the milestones in order', async () => {
    const event = (type: string, at: string) => ({ event: { event_type: type, occurred_at: at, data: { id: 'PD42', title: 'Ledger writes timing out', urgency: 'high', priority: { summary: 'P1' }, html_url: 'https://acme.pagerduty.com/incidents/PD42', service: { summary: 'checkout-api' } } } });
    const opened = await post('pagerduty', event('incident.triggered', '2026-11-21T08:00:00Z'));
    await post('pagerduty', event('incident.acknowledged', '2026-11-21T08:03:00Z'));
    await post('pagerduty', event('incident.resolved', '2026-11-21T08:30:00Z'));
    const { incident } = await must<{ incident: Record<string, unknown> }>(api, INCIDENT, { id: opened.body.incident!.id }, admin);
    expect(incident).toMatchObject({ severity: 'SEV1', status: 'MITIGATED', startedAt: '2026-11-21T08:00:00.000Z', acknowledgedAt: '2026-11-21T08:03:00.000Z', mitigatedAt: '2026-11-21T08:30:00.000Z' });
  });

  it('an Opsgenie alert opens an incident; a close of an alert never seen opens nothing', async () => {
    const created = await post('opsgenie', { action: 'Create', alert: { alertId: 'og-1', message: 'Feature store lag above 10 min', priority: 'P3', tags: ['service:checkout-api'], createdAt: 1763639000000 } });
    expect(created.body.changes).toEqual(['created']);
    const before = await incidentCount();
    const unknown = await post('opsgenie', { action: 'Close', alert: { alertId: 'og-never-seen', message: 'x' } });
    expect(unknown.body).toEqual({ incident: null, changes: [] });
    expect(await incidentCount()).toBe(before);
  });
});

describe('refusals', () => {
  it('401 without a token, 403 for a VIEWER, nothing written', async () => {
    const before = await incidentCount();
    expect((await post('alertmanager', alertmanager('firing', 'k1'), null)).status).toBe(401);
    const viewer = await post('alertmanager', alertmanager('firing', 'k2'), viewerToken);
    expect(viewer.status).toBe(403);
    expect(await incidentCount()).toBe(before);
  });

  it('400 naming the field for an unknown source, a body of the wrong shape, or broken JSON', async () => {
    expect(await post('nagios', {})).toMatchObject({ status: 400, body: { field: 'source' } });
    expect(await post('alertmanager', { status: 'firing', alerts: [] })).toMatchObject({ status: 400, body: { field: 'groupKey' } });
    const broken = await post('alertmanager', null, commanderToken, '{"groupKey": ');
    expect(broken.status).toBe(400);
  });
});
