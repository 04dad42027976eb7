import { ApiHarness, ApiWorld, startApiWorld } from '@hindsight/server-app/testing';
import { Client } from 'pg';
import { Scenario } from '@hindsight/server-testing';

let t: ApiWorld;
let api: ApiHarness;
let world: Scenario;
let admin: string;
let viewer: string;
let teamId: string;
let otherTeamId: string;
let db: Client;

const SERVICE_FIELDS = `id name kind tier revenuePerMinute runbook team { id name } slos { id dimension objective windowDays segment service { id } }`;
const CREATE_SERVICE = `mutation($input: CreateServiceInput!) { createService(input: $input) { ${SERVICE_FIELDS} } }`;
const CREATE_SLO = `mutation($input: CreateSloInput!) { createSlo(input: $input) { id dimension objective windowDays segment service { id name } } }`;

beforeAll(async () => {
  ({ api, db, admin, world } = t = await startApiWorld());
  teamId = await world.team({ name: 'Payments' });
  otherTeamId = await world.team({ name: 'Search' });
  viewer = (await world.signedIn({ email: 'viewer@test.local', name: 'Vera Viewer' })).token;
});

afterAll(() => t?.close());

describe('services', () => {
  let serviceId: string;

  it('creates a service with a markdown runbook and lists it, with its team', async () => {
    const res = await api.gql<{ createService: { id: string; team: { id: string }; revenuePerMinute: number; runbook: string; slos: unknown[] } }>(
      CREATE_SERVICE,
      { input: { name: '  checkout-api ', kind: 'API', tier: 1, teamId, revenuePerMinute: 125.5, runbook: '# Checkout\n\n1. Page **payments**' } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    const created = res.data!.createService;
    serviceId = created.id;
    expect(created).toMatchObject({ name: 'checkout-api', kind: 'API', tier: 1, revenuePerMinute: 125.5, runbook: '# Checkout\n\n1. Page **payments**', team: { id: teamId }, slos: [] });

    const list = await api.gql<{ services: { id: string; name: string }[] }>(`{ services { id name team { name } } }`, {}, viewer);
    expect(list.data!.services).toEqual([{ id: serviceId, name: 'checkout-api', team: { name: 'Payments' } }]);

    const audit = await db.query(`SELECT actor_id, after FROM audit_log WHERE entity_type = 'Service' AND entity_id = $1 AND action = 'service.create'`, [serviceId]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].after.name).toBe('checkout-api');
  });

  it('shows the services of a team on Team.services', async () => {
    const res = await api.gql<{ teams: { id: string; services: { name: string }[] }[] }>(`{ teams { id services { name } } }`, {}, viewer);
    const byId = Object.fromEntries(res.data!.teams.map((t) => [t.id, t.services.map((s) => s.name)]));
    expect(byId[teamId]).toEqual(['checkout-api']);
    expect(byId[otherTeamId]).toEqual([]);
  });

  it.each([
    ['an empty name', { name: ' ' }, 'input.name'],
    ['a name taken in another case', { name: 'CHECKOUT-API' }, 'input.name'],
    ['tier 0', { tier: 0 }, 'input.tier'],
    ['tier 4', { tier: 4 }, 'input.tier'],
    ['a fractional tier', { tier: 1.5 }, 'input.tier'],
    ['a negative revenue', { revenuePerMinute: -1 }, 'input.revenuePerMinute'],
    ['an unknown team', { teamId: '00000000-0000-4000-8000-000000000000' }, 'input.teamId'],
    ['a team id that is no uuid', { teamId: 'payments' }, 'input.teamId'],
    ['a runbook over 100 kB', { runbook: 'x'.repeat(102401) }, 'input.runbook'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_label, patch, field) => {
    const before = await t.count('services');
    const auditBefore = await t.count('audit_log');
    const res = await api.gql(CREATE_SERVICE, { input: { name: 'ledger', kind: 'DATASTORE', tier: 2, teamId, ...patch } }, admin);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await t.count('services')).toBe(before);
    expect(await t.count('audit_log')).toBe(auditBefore);
  });

  it('refuses an unknown kind at the schema level', async () => {
    const res = await api.gql(CREATE_SERVICE, { input: { name: 'ledger', kind: 'MAINFRAME', tier: 2, teamId } }, admin);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lets only an ADMIN create or update services', async () => {
    const res = await api.gql(CREATE_SERVICE, { input: { name: 'ledger', kind: 'DATASTORE', tier: 2, teamId } }, viewer);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const upd = await api.gql(`mutation($id: ID!) { updateService(id: $id, input: { tier: 2 }) { id } }`, { id: serviceId }, viewer);
    expect(upd.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('updates only the fields sent, audits before and after, and refuses clearing a required field', async () => {
    const res = await api.gql<{ updateService: { tier: number; name: string; team: { id: string }; runbook: string | null } }>(
      `mutation($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) { name tier runbook team { id } } }`,
      { id: serviceId, input: { tier: 2, teamId: otherTeamId, runbook: null } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateService).toEqual({ name: 'checkout-api', tier: 2, runbook: null, team: { id: otherTeamId } });
    const audit = await db.query(`SELECT before, after FROM audit_log WHERE action = 'service.update' AND entity_id = $1`, [serviceId]);
    expect(audit.rows[0].before.tier).toBe(1);
    expect(audit.rows[0].after.tier).toBe(2);

    const cleared = await api.gql(`mutation($id: ID!) { updateService(id: $id, input: { name: null }) { id } }`, { id: serviceId }, admin);
    expect(cleared.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const bad = await api.gql(`mutation($id: ID!) { updateService(id: $id, input: { tier: 9 }) { id } }`, { id: serviceId }, admin);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.tier' });
    const missing = await api.gql(`mutation { updateService(id: "00000000-0000-4000-8000-000000000000", input: { tier: 2 }) { id } }`, {}, admin);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  describe('SLOs', () => {
    it('stores the objective as a fraction whether sent as 0.999 or 99.9, defaulting the window to 28 days', async () => {
      const pct = await api.gql<{ createSlo: { objective: number; windowDays: number; segment: string | null; service: { id: string } } }>(
        CREATE_SLO,
        { input: { serviceId, dimension: 'AVAILABILITY', objective: 99.9 } },
        admin,
      );
      expect(pct.errors).toBeUndefined();
      expect(pct.data!.createSlo).toMatchObject({ objective: 0.999, windowDays: 28, segment: null, service: { id: serviceId } });

      const frac = await api.gql<{ createSlo: { objective: number; windowDays: number; segment: string } }>(
        CREATE_SLO,
        { input: { serviceId, dimension: 'AVAILABILITY', objective: 0.9995, windowDays: 7, segment: ' enterprise ' } },
        admin,
      );
      expect(frac.data!.createSlo).toMatchObject({ objective: 0.9995, windowDays: 7, segment: 'enterprise' });

      const svc = await api.gql<{ services: { slos: { segment: string | null }[] }[] }>(`{ services { slos { segment } } }`, {}, viewer);
      expect(svc.data!.services[0].slos.map((s) => s.segment)).toEqual([null, 'enterprise']);
    });

    it.each([
      ['an objective of 100 %', { objective: 100 }, 'input.objective'],
      ['an objective of 1', { objective: 1 }, 'input.objective'],
      ['an objective of 0', { objective: 0 }, 'input.objective'],
      ['a negative objective', { objective: -0.5 }, 'input.objective'],
      ['a window of 0 days', { windowDays: 0 }, 'input.windowDays'],
      ['a window over a year', { windowDays: 366 }, 'input.windowDays'],
      ['an unknown service', { serviceId: '00000000-0000-4000-8000-000000000000' }, 'input.serviceId'],
      ['a duplicate dimension and segment', { dimension: 'AVAILABILITY', segment: 'Enterprise' }, 'input.segment'],
      ['a duplicate all-customers objective', { dimension: 'AVAILABILITY' }, 'input.dimension'],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_label, patch, field) => {
      const before = await t.count('slos');
      const res = await api.gql(CREATE_SLO, { input: { serviceId, dimension: 'LATENCY', objective: 0.99, ...patch } }, admin);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await t.count('slos')).toBe(before);
    });

    it('lets only an ADMIN create SLOs', async () => {
      const res = await api.gql(CREATE_SLO, { input: { serviceId, dimension: 'LATENCY', objective: 0.99 } }, viewer);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });
});
