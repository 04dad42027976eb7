import { parseAlertPayload, severityFromAlert } from './alert-payload.parse';

const NOW = new Date('2026-11-20T12:00:00Z');

const alertmanagerBody = (status: 'firing' | 'resolved', overrides: Record<string, unknown> = {}) => ({
  version: '4',
  groupKey: '{}:{alertname="CheckoutErrors"}',
  status,
  receiver: 'hindsight',
  externalURL: 'https://alertmanager.example.com',
  commonLabels: { alertname: 'CheckoutErrors', severity: 'critical' },
  commonAnnotations: { summary: 'Checkout 5xx above 2 %', description: 'Error ratio 4.1 % for 5 minutes' },
  alerts: [
    { status, labels: { alertname: 'CheckoutErrors', service: 'checkout-api' }, annotations: {}, startsAt: '2026-11-20T11:40:00Z', endsAt: status === 'resolved' ? '2026-11-20T11:58:00Z' : '0001-01-01T00:00:00Z', generatorURL: 'https://prometheus.example.com/graph?g0.expr=x' },
    { status, labels: { alertname: 'CheckoutErrors', service: 'ledger' }, annotations: {}, startsAt: '2026-11-20T11:42:00Z', endsAt: status === 'resolved' ? '2026-11-20T11:55:00Z' : '0001-01-01T00:00:00Z' },
  ],
  ...overrides,
});

describe('parseAlertPayload: Alertmanager', () => {
  it('opens on the earliest start, names the group, and lists the services', () => {
    const r = parseAlertPayload('alertmanager', alertmanagerBody('firing'), NOW);
    expect(r).toEqual({
      ok: true,
      signal: {
        externalKey: 'alertmanager:{}:{alertname="CheckoutErrors"}',
        state: 'firing',
        title: 'CheckoutErrors: Checkout 5xx above 2 %',
        severity: 'SEV2',
        at: new Date('2026-11-20T11:40:00Z'),
        description: 'Error ratio 4.1 % for 5 minutes',
        url: 'https://prometheus.example.com/graph?g0.expr=x',
        serviceNames: ['checkout-api', 'ledger'],
      },
    });
  });

  it('resolves at the latest end, with the same key as the firing group', () => {
    const r = parseAlertPayload('alertmanager', alertmanagerBody('resolved'), NOW);
    expect(r.ok && r.signal.state).toBe('resolved');
    expect(r.ok && r.signal.at).toEqual(new Date('2026-11-20T11:58:00Z'));
    expect(r.ok && r.signal.externalKey).toBe('alertmanager:{}:{alertname="CheckoutErrors"}');
  });

  it('falls back to the receipt time for missing or zero times, and shortens long titles', () => {
    const body = alertmanagerBody('firing', { commonAnnotations: { summary: 'x'.repeat(300) } });
    (body.alerts as { startsAt?: string }[]).forEach((a) => delete a.startsAt);
    const r = parseAlertPayload('alertmanager', body, NOW);
    expect(r.ok && r.signal.at).toEqual(NOW);
    expect(r.ok && [...r.signal.title].length).toBe(200);
  });

  it.each([
    [{ groupKey: undefined }, 'groupKey'],
    [{ alerts: [] }, 'alerts'],
  ])('refuses a body without %j', (overrides, field) => {
    const r = parseAlertPayload('alertmanager', alertmanagerBody('firing', overrides), NOW);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]?.field).toBe(field);
  });
});

describe('parseAlertPayload: PagerDuty v3', () => {
  const event = (type: string, data: Record<string, unknown> = {}) => ({
    event: {
      id: 'evt-1', event_type: type, occurred_at: '2026-11-20T11:45:00Z',
      data: { id: 'Q1ABC', type: 'incident', title: 'Ledger writes timing out', html_url: 'https://acme.pagerduty.com/incidents/Q1ABC', urgency: 'high', service: { summary: 'ledger' }, ...data },
    },
  });

  it.each([
    ['incident.triggered', 'firing'],
    ['incident.acknowledged', 'acknowledged'],
    ['incident.resolved', 'resolved'],
  ])('%s is %s on the PagerDuty incident key', (type, state) => {
    const r = parseAlertPayload('pagerduty', event(type), NOW);
    expect(r.ok && r.signal).toMatchObject({ externalKey: 'pagerduty:Q1ABC', state, severity: 'SEV2', title: 'Ledger writes timing out', serviceNames: ['ledger'], url: 'https://acme.pagerduty.com/incidents/Q1ABC', at: new Date('2026-11-20T11:45:00Z') });
  });

  it('uses the priority when there is one, else the urgency', () => {
    expect(parseAlertPayload('pagerduty', event('incident.triggered', { priority: { summary: 'P1' } }), NOW)).toMatchObject({ signal: { severity: 'SEV1' } });
    expect(parseAlertPayload('pagerduty', event('incident.triggered', { urgency: 'low' }), NOW)).toMatchObject({ signal: { severity: 'SEV3' } });
  });

  it('refuses events that are not about an incident', () => {
    expect(parseAlertPayload('pagerduty', { event: { event_type: 'pagey.ping', data: {} } }, NOW)).toEqual({ ok: false, errors: [{ field: 'event.data.id', reason: expect.stringContaining('missing') }] });
    expect(parseAlertPayload('pagerduty', { messages: [] }, NOW).ok).toBe(false);
  });
});

describe('parseAlertPayload: Opsgenie', () => {
  const body = (action: string) => ({
    action,
    alert: { alertId: 'og-42', message: 'Feature store lag above 10 min', priority: 'P2', tags: ['team:ml', 'service:feature-store'], entity: 'fs-prod', createdAt: 1763639000000, updatedAt: 1763640800000 },
  });

  it('maps Create, Acknowledge and Close', () => {
    expect(parseAlertPayload('opsgenie', body('Create'), NOW)).toMatchObject({ ok: true, signal: { externalKey: 'opsgenie:og-42', state: 'firing', severity: 'SEV2', serviceNames: ['feature-store'], at: new Date(1763639000000) } });
    expect(parseAlertPayload('opsgenie', body('Acknowledge'), NOW)).toMatchObject({ signal: { state: 'acknowledged', at: new Date(1763640800000) } });
    expect(parseAlertPayload('opsgenie', body('Close'), NOW)).toMatchObject({ signal: { state: 'resolved' } });
  });

  it('falls back to the entity when no service tag is given', () => {
    const b = body('Create');
    b.alert.tags = [];
    expect(parseAlertPayload('opsgenie', b, NOW)).toMatchObject({ signal: { serviceNames: ['fs-prod'] } });
  });
});

describe('parseAlertPayload: links', () => {
  const BAD: [string, unknown][] = [
    ['a newline', 'https://prometheus.example.com/graph\n[x](javascript:alert(1))'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD4='],
    ['a space', 'https://prometheus.example.com/graph?g0.expr=up == 0'],
    ['over-long', `https://prometheus.example.com/${'a'.repeat(2100)}`],
    ['not text', { href: 'https://x.example' }],
  ];

  it.each(BAD)('refuses an Alertmanager generatorURL with %s, naming the field', (_what, url) => {
    const body = alertmanagerBody('firing');
    (body.alerts[0] as Record<string, unknown>)['generatorURL'] = url;
    expect(parseAlertPayload('alertmanager', body, NOW)).toEqual({ ok: false, errors: [{ field: 'alerts[0].generatorURL', reason: expect.any(String) }] });
  });

  it.each(BAD)('refuses an Alertmanager externalURL with %s', (_what, url) => {
    expect(parseAlertPayload('alertmanager', alertmanagerBody('firing', { externalURL: url }), NOW)).toEqual({ ok: false, errors: [{ field: 'externalURL', reason: expect.any(String) }] });
  });

  it.each(BAD)('refuses a PagerDuty html_url with %s', (_what, url) => {
    const body = { event: { event_type: 'incident.triggered', data: { id: 'Q1', title: 'x', html_url: url } } };
    expect(parseAlertPayload('pagerduty', body, NOW)).toEqual({ ok: false, errors: [{ field: 'event.data.html_url', reason: expect.any(String) }] });
  });

  it('takes no link as no link, and the external URL when the alert has none', () => {
    const body = alertmanagerBody('firing');
    delete (body.alerts[0] as Record<string, unknown>)['generatorURL'];
    expect(parseAlertPayload('alertmanager', body, NOW)).toMatchObject({ ok: true, signal: { url: 'https://alertmanager.example.com' } });
    expect(parseAlertPayload('alertmanager', { ...body, externalURL: '' }, NOW)).toMatchObject({ ok: true, signal: { url: null } });
  });
});

describe('parseAlertPayload: bad input', () => {
  it('names the unknown source and a non-object body', () => {
    expect(parseAlertPayload('nagios', {}, NOW)).toEqual({ ok: false, errors: [{ field: 'source', reason: 'must be one of alertmanager, pagerduty, opsgenie' }] });
    expect(parseAlertPayload('opsgenie', [1, 2], NOW)).toEqual({ ok: false, errors: [{ field: 'body', reason: 'must be a JSON object' }] });
  });
});

describe('severityFromAlert', () => {
  it.each([
    ['SEV1', 'SEV1'], ['sev-3', 'SEV3'], ['P1', 'SEV1'], ['p5', 'SEV4'], ['critical', 'SEV2'], ['warning', 'SEV3'], ['info', 'SEV4'], ['bogus', null], [undefined, null], [42, null],
  ])('%p → %p', (input, expected) => {
    expect(severityFromAlert(input)).toBe(expected);
  });
});
