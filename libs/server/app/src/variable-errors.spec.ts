// A bad variable is reported against the schema's field name (input.severity), whatever the
// client called its variable, and the same before and after Mercurius JIT-compiles the query.
import { ApiHarness, startApi } from './testing';

let api: ApiHarness;
let token: string;
beforeAll(async () => {
  api = await startApi();
  token = await api.login();
});
afterAll(async () => {
  await api.close();
});

const CREATE = `mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }`;

it('names the input field of a bad enum on every run of the same operation', async () => {
  const fields: unknown[] = [];
  for (let run = 0; run < 4; run++) {
    const res = await api.gql(CREATE, { i: { title: 'Checkout errors', severity: 'SEVX', startedAt: '2026-01-01T00:00:00Z' } }, token);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    fields.push(res.errors?.[0]?.extensions?.field);
  }
  expect(fields).toEqual(['input.severity', 'input.severity', 'input.severity', 'input.severity']);
});

it('names a missing required input field', async () => {
  const res = await api.gql(CREATE, { i: { severity: 'SEV2', startedAt: '2026-01-01T00:00:00Z' } }, token);
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
});

it('names a variable passed inside an input object, and a missing required argument', async () => {
  const inline = await api.gql(`mutation($sev: Severity!) { createIncident(input: { title: "x", severity: $sev, startedAt: "2026-01-01T00:00:00Z" }) { id } }`, { sev: 'LOUD' }, token);
  expect(inline.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.severity' });
  const missing = await api.gql(CREATE, {}, token);
  expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
});
