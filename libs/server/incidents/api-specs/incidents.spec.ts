import { ApiHarness, ApiWorld, startApiWorld } from '@hindsight/server-app/testing';
import { Client } from 'pg';
import { Scenario, namesField } from '@hindsight/server-testing';

let t: ApiWorld;
let api: ApiHarness;
let world: Scenario;
let db: Client;
let commander: { id: string; token: string };
let viewer: { id: string; token: string };
let paymentsTeam: string;
let searchTeam: string;
let checkout: string;
let ledger: string;
let searchApi: string;

const INCIDENT_FIELDS = `id reference title severity status summary impactedDimensions segments regions
  customerImpact usersAffected failedRequests impactFraction labels
  startedAt detectedAt acknowledgedAt mitigatedAt resolvedAt timeToDetectMinutes timeToMitigateMinutes timeToResolveMinutes
  responderHours slaCredits cost isRepeat createdAt updatedAt
  services { id name } commander { id name }
  postmortem { id status dueAt version incident { id } }`;
const CREATE = `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { ${INCIDENT_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateIncidentInput!) { updateIncident(id: $id, input: $input) { ${INCIDENT_FIELDS} } }`;
const LIST = `query($filter: IncidentFilter, $first: Int, $after: String) {
  incidents(filter: $filter, first: $first, after: $after) { totalCount pageInfo { endCursor hasNextPage } nodes { id reference title } } }`;

type Incident = Record<string, unknown> & { id: string; reference: string; postmortem: { id: string; status: string; dueAt: string | null; version: number } };
type Page = { incidents: { totalCount: number; pageInfo: { endCursor: string | null; hasNextPage: boolean }; nodes: { id: string; reference: string; title: string }[] } };

beforeAll(async () => {
  ({ api, db, world } = t = await startApiWorld());
  commander = await world.signedIn({ email: 'casey@test.local', role: 'COMMANDER' });
  viewer = await world.signedIn({ email: 'vera@test.local', role: 'VIEWER' });
  paymentsTeam = await world.team({ name: 'Payments' });
  searchTeam = await world.team({ name: 'Search' });
  checkout = await world.service({ name: 'checkout-api', teamId: paymentsTeam, revenuePerMinute: 100 });
  ledger = await world.service({ name: 'ledger', teamId: paymentsTeam, revenuePerMinute: 50 });
  searchApi = await world.service({ name: 'search-api', teamId: searchTeam });
});

afterAll(() => t?.close());

describe('createIncident', () => {
  it('declares an incident with a sequential reference, its DRAFT postmortem, durations, cost and an audit entry', async () => {
    const res = await api.gql<{ createIncident: Incident }>(
      CREATE,
      {
        input: {
          title: '  Checkout errors after deploy ',
          severity: 'SEV1',
          summary: 'Payments **failed** for 20 minutes.',
          serviceIds: [checkout, ledger, checkout],
          impactedDimensions: ['AVAILABILITY', 'LATENCY'],
          segments: [' enterprise', 'eu'],
          regions: ['eu-west-1'],
          commanderId: commander.id,
          startedAt: '2024-05-01T10:00:00Z',
          detectedAt: '2024-05-01T10:05:00Z',
          acknowledgedAt: '2024-05-01T10:06:00Z',
          mitigatedAt: '2024-05-01T10:20:00Z',
          resolvedAt: '2024-05-01T11:00:00Z',
          responderHours: 4,
          slaCredits: 250,
          customerImpact: 'Card payments declined in the EU',
          usersAffected: 1200,
          failedRequests: 3_000_000_000,
          impactFraction: 0.5,
          labels: ['payments', ' deploy'],
        },
      },
      commander.token,
    );
    expect(res.errors).toBeUndefined();
    const incident = res.data!.createIncident;
    expect(incident).toMatchObject({
      reference: expect.stringMatching(/^INC-\d+$/),
      title: 'Checkout errors after deploy',
      severity: 'SEV1',
      status: 'INVESTIGATING',
      impactedDimensions: ['AVAILABILITY', 'LATENCY'],
      segments: ['enterprise', 'eu'],
      regions: ['eu-west-1'],
      commander: { id: commander.id },
      timeToDetectMinutes: 5,
      timeToMitigateMinutes: 20,
      timeToResolveMinutes: 60,
      isRepeat: false,
      customerImpact: 'Card payments declined in the EU',
      usersAffected: 1200,
      failedRequests: 3_000_000_000,
      impactFraction: 0.5,
      labels: ['payments', 'deploy'],
      // 20 outage minutes (to mitigation) × (100 + 50) × half the traffic + 4 h × 150 (default rate) + 250 credits
      cost: 20 * 150 * 0.5 + 4 * 150 + 250,
    });
    expect((incident['services'] as { id: string }[]).map((s) => s.id).sort()).toEqual([checkout, ledger].sort());
    // SEV1: due 5 days after resolution (default policy).
    expect(incident.postmortem).toMatchObject({ status: 'DRAFT', version: 1, dueAt: '2024-05-06T11:00:00.000Z', incident: { id: incident.id } });

    const audit = await db.query(`SELECT action, actor_id FROM audit_log WHERE entity_id IN ($1, $2) ORDER BY id`, [incident.id, incident.postmortem.id]);
    expect(audit.rows).toEqual([
      { action: 'incident.create', actor_id: commander.id },
      { action: 'postmortem.create', actor_id: commander.id },
    ]);

    const byRef = await api.gql<{ incident: { id: string } }>(`query($r: String) { incident(reference: $r) { id } }`, { r: incident.reference.toLowerCase() }, viewer.token);
    expect(byRef.data!.incident.id).toBe(incident.id);
    const byId = await api.gql<{ incident: { reference: string } }>(`query($id: ID) { incident(id: $id) { reference } }`, { id: incident.id }, viewer.token);
    expect(byId.data!.incident.reference).toBe(incident.reference);
    const missing = await api.gql<{ incident: null }>(`{ a: incident(id: "nope") { id } b: incident(reference: "INC-999999") { id } }`, {}, viewer.token);
    expect(missing.data).toEqual({ a: null, b: null });
  });

  it('leaves the postmortem without a due date while unresolved, and for SEV4', async () => {
    const open = await api.gql<{ createIncident: Incident }>(CREATE, { input: { title: 'Open', severity: 'SEV2', startedAt: '2024-05-02T10:00:00Z' } }, commander.token);
    expect(open.data!.createIncident.postmortem.dueAt).toBeNull();
    const sev4 = await api.gql<{ createIncident: Incident }>(
      CREATE,
      { input: { title: 'Minor', severity: 'SEV4', startedAt: '2024-05-02T10:00:00Z', resolvedAt: '2024-05-02T11:00:00Z' } },
      commander.token,
    );
    expect(sev4.data!.createIncident.postmortem.dueAt).toBeNull();
  });

  it('refuses viewers and anonymous callers', async () => {
    const input = { title: 'x', severity: 'SEV3', startedAt: '2024-05-01T10:00:00Z' };
    const asViewer = await api.gql(CREATE, { input }, viewer.token);
    expect(asViewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await api.gql(CREATE, { input });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  const base = { title: 'Valid', severity: 'SEV2', startedAt: '2024-05-01T10:00:00Z' };
  it.each([
    ['a title over 200 characters', { title: 'x'.repeat(201) }, 'input.title'],
    ['a blank title', { title: '   ' }, 'input.title'],
    ['a summary over 100 kB', { summary: 'x'.repeat(102_401) }, 'input.summary'],
    ['an unknown severity', { severity: 'SEV9' }, 'input.severity'],
    ['an unknown dimension', { impactedDimensions: ['UPTIME'] }, 'input.impactedDimensions'],
    ['milestones out of order', { detectedAt: '2024-05-01T09:00:00Z' }, 'input.detectedAt'],
    ['resolution before mitigation', { mitigatedAt: '2024-05-01T12:00:00Z', resolvedAt: '2024-05-01T11:00:00Z' }, 'input.resolvedAt'],
    ['negative responder hours', { responderHours: -1 }, 'input.responderHours'],
    ['an impact fraction above 1', { impactFraction: 1.5 }, 'input.impactFraction'],
    ['a fractional user count', { usersAffected: 2.5 }, 'input.usersAffected'],
    ['an unknown service', { serviceIds: ['00000000-0000-4000-8000-000000000000'] }, 'input.serviceIds'],
    ['a malformed service id', { serviceIds: ['checkout'] }, 'input.serviceIds'],
    ['an unknown commander', { commanderId: '00000000-0000-4000-8000-000000000000' }, 'input.commanderId'],
    ['an invalid date', { startedAt: 'yesterday' }, 'input.startedAt'],
  ])('refuses %s with BAD_USER_INPUT on the field and writes nothing', async (_case, change, field) => {
    const before = [await t.count('incidents'), await t.count('postmortems'), await t.count('audit_log')];
    const res = await api.gql(CREATE, { input: { ...base, ...change } }, commander.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(namesField(res.errors?.[0].extensions?.field, field)).toBe(true);
    expect([await t.count('incidents'), await t.count('postmortems'), await t.count('audit_log')]).toEqual(before);
  });

  it('gives 20 concurrent creations distinct, consecutive references', async () => {
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => world.as(commander.token).incident({ title: `Concurrent ${i}`, startedAt: '2024-06-01T00:00:00Z' })),
    );
    const numbers = created.map((c) => Number(c.reference.slice('INC-'.length))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(20);
    expect(numbers[19] - numbers[0]).toBe(19);
  });
});

describe('updateIncident', () => {
  let id: string;
  beforeAll(async () => {
    ({ id } = await world.as(commander.token).incident({ title: 'To update', severity: 'SEV2', startedAt: '2024-07-01T10:00:00Z', serviceIds: [checkout] }));
  });

  it('changes only the fields sent, replaces services, and moves the postmortem due date with resolution and severity', async () => {
    const res = await api.gql<{ updateIncident: Incident }>(
      UPDATE,
      { id, input: { status: 'RESOLVED', resolvedAt: '2024-07-01T12:00:00Z', serviceIds: [searchApi], summary: 'Now resolved' } },
      commander.token,
    );
    expect(res.errors).toBeUndefined();
    const updated = res.data!.updateIncident;
    expect(updated).toMatchObject({ title: 'To update', status: 'RESOLVED', summary: 'Now resolved', services: [{ id: searchApi }], timeToResolveMinutes: 120 });
    expect(updated.postmortem.dueAt).toBe('2024-07-11T12:00:00.000Z'); // SEV2: 10 days

    const sev1 = await api.gql<{ updateIncident: Incident }>(UPDATE, { id, input: { severity: 'SEV1' } }, commander.token);
    expect(sev1.data!.updateIncident.postmortem.dueAt).toBe('2024-07-06T12:00:00.000Z');

    const cleared = await api.gql<{ updateIncident: Incident }>(UPDATE, { id, input: { summary: null, resolvedAt: null } }, commander.token);
    expect(cleared.data!.updateIncident).toMatchObject({ summary: null, resolvedAt: null, postmortem: { dueAt: null } });

    const audit = await db.query(`SELECT before, after FROM audit_log WHERE entity_id = $1 AND action = 'incident.update' ORDER BY id`, [id]);
    expect(audit.rows).toHaveLength(3);
    expect(audit.rows[0].before.serviceIds).toEqual([checkout]);
    expect(audit.rows[0].after.serviceIds).toEqual([searchApi]);
  });

  it('checks milestone order against the stored milestones', async () => {
    await api.gql(UPDATE, { id, input: { mitigatedAt: '2024-07-01T11:00:00Z' } }, commander.token);
    const res = await api.gql(UPDATE, { id, input: { detectedAt: '2024-07-01T11:30:00Z' } }, commander.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.mitigatedAt' });
    const cleared = await api.gql(UPDATE, { id, input: { title: null } }, commander.token);
    expect(cleared.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    const { rows } = await db.query(`SELECT detected_at FROM incidents WHERE id = $1`, [id]);
    expect(rows[0].detected_at).toBeNull();
  });

  it('answers NOT_FOUND for an unknown incident and FORBIDDEN for a viewer', async () => {
    const unknown = await api.gql(UPDATE, { id: '00000000-0000-4000-8000-000000000000', input: { title: 'x' } }, commander.token);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const asViewer = await api.gql(UPDATE, { id, input: { title: 'x' } }, viewer.token);
    expect(asViewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('isRepeat', () => {
  it('marks an incident whose service had an incident with a factor of the same category in the previous 90 days', async () => {
    const factor = `mutation($id: ID!, $c: FactorCategory!) { addContributingFactor(incidentId: $id, input: { category: $c, description: "d" }) { id } }`;
    const first = await world.as(commander.token).incident({ title: 'First cert expiry', startedAt: '2025-01-01T00:00:00Z', serviceIds: [ledger] });
    const second = await world.as(commander.token).incident({ title: 'Second cert expiry', startedAt: '2025-03-01T00:00:00Z', serviceIds: [ledger, searchApi] });
    const other = await world.as(commander.token).incident({ title: 'Capacity', startedAt: '2025-03-02T00:00:00Z', serviceIds: [ledger] });
    const late = await world.as(commander.token).incident({ title: 'Much later', startedAt: '2025-06-15T00:00:00Z', serviceIds: [ledger] });
    for (const i of [first, second, late]) await api.gql(factor, { id: i.id, c: 'CERTIFICATE_OR_SECRET' }, commander.token);
    await api.gql(factor, { id: other.id, c: 'CAPACITY' }, commander.token);
    const res = await api.gql<Record<string, { isRepeat: boolean }>>(
      `query($a: ID, $b: ID, $c: ID, $d: ID) { a: incident(id: $a) { isRepeat } b: incident(id: $b) { isRepeat } c: incident(id: $c) { isRepeat } d: incident(id: $d) { isRepeat } }`,
      { a: first.id, b: second.id, c: other.id, d: late.id },
      viewer.token,
    );
    expect(res.data).toEqual({ a: { isRepeat: false }, b: { isRepeat: true }, c: { isRepeat: false }, d: { isRepeat: false } });
  });
});

describe('incidents list', () => {
  const tag = 'zebra';
  let ids: string[];

  beforeAll(async () => {
    // Eight incidents, some sharing a start time, so paging must break ties by id.
    ids = [];
    for (let i = 0; i < 8; i++) {
      const startedAt = new Date(Date.UTC(2023, 0, 1 + Math.floor(i / 2))).toISOString();
      const c = await world.as(commander.token).incident({
        title: `${tag} outage ${i}`,
        severity: i % 2 ? 'SEV3' : 'SEV2',
        startedAt,
        serviceIds: i < 3 ? [searchApi] : [checkout],
        segments: i === 5 ? ['Enterprise'] : [],
      });
      ids.push(c.id);
    }
  });

  it('pages in a stable order with no duplicates and a total count', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: { data: Page | null; errors?: unknown } = await api.gql<Page>(LIST, { filter: { search: tag }, first: 3, after }, viewer.token);
      expect(res.errors).toBeUndefined();
      const page: Page['incidents'] = res.data!.incidents;
      expect(page.totalCount).toBe(8);
      seen.push(...page.nodes.map((n) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(8);
    const { rows } = await db.query(`SELECT id FROM incidents WHERE id = ANY($1::uuid[]) ORDER BY started_at DESC, id DESC`, [ids]);
    expect(seen).toEqual(rows.map((r: { id: string }) => r.id));
  });

  it.each([
    ['severities', { severities: ['SEV3'] }, 4],
    ['statuses', { statuses: ['RESOLVED'] }, 0],
    ['serviceIds', () => ({ serviceIds: [searchApi] }), 3],
    ['teamIds (owning team of any affected service)', () => ({ teamIds: [paymentsTeam] }), 5],
    ['segment, case-insensitive', { segment: 'enterprise' }, 1],
    ['startedAfter/startedBefore', { startedAfter: '2023-01-02T00:00:00Z', startedBefore: '2023-01-04T00:00:00Z' }, 4],
  ])('filters by %s', async (_name, filter, expected) => {
    const f = typeof filter === 'function' ? filter() : filter;
    const res = await api.gql<Page>(LIST, { filter: { search: tag, ...f }, first: 100 }, viewer.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.incidents.totalCount).toBe(expected);
    expect(res.data!.incidents.nodes).toHaveLength(expected);
  });

  it('finds incidents by postmortem text and by reference', async () => {
    const pm = await api.gql(
      `mutation($id: ID!) { updatePostmortem(incidentId: $id, expectedVersion: 1, input: { lessons: "The flux capacitor overheated under load" }) { version } }`,
      { id: ids[4] },
      commander.token,
    );
    expect(pm.errors).toBeUndefined();
    const res = await api.gql<Page>(LIST, { filter: { search: 'capacitors overheating' } }, viewer.token);
    expect(res.data!.incidents.nodes.map((n) => n.id)).toEqual([ids[4]]);
    const { rows } = await db.query(`SELECT number FROM incidents WHERE id = $1`, [ids[6]]);
    const byRef = await api.gql<Page>(LIST, { filter: { search: `INC-${rows[0].number}` } }, viewer.token);
    expect(byRef.data!.incidents.nodes.map((n) => n.id)).toEqual([ids[6]]);
  });

  it('bounds the page size and refuses foreign cursors', async () => {
    const big = await api.gql(LIST, { first: 101 }, viewer.token);
    expect(big.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const cursor = await api.gql(LIST, { after: 'not-a-cursor' }, viewer.token);
    expect(cursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const forged = await api.gql(LIST, { after: Buffer.from(JSON.stringify(['soon', 'x'])).toString('base64url') }, viewer.token);
    expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const badFilter = await api.gql(LIST, { filter: { teamIds: ['payments'] } }, viewer.token);
    expect(badFilter.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.teamIds' });
  });
});
