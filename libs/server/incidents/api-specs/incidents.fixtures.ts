import type { ApiHarness } from '@hindsight/server-app/testing';

/** Small builders for the incidents tests: each goes through the public API, as a client would. */

export async function createUser(api: ApiHarness, adminToken: string, email: string, role: string): Promise<{ id: string; token: string }> {
  const password = `${role.toLowerCase()}-password-1`;
  const res = await api.gql<{ createUser: { id: string } }>(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
    { input: { email, name: email.split('@')[0], role, password } },
    adminToken,
  );
  if (!res.data) throw new Error(`createUser ${email}: ${JSON.stringify(res.errors)}`);
  return { id: res.data.createUser.id, token: await api.login(email, password) };
}

export async function createTeam(api: ApiHarness, adminToken: string, name: string): Promise<string> {
  const res = await api.gql<{ createTeam: { id: string } }>(`mutation($name: String!) { createTeam(input: { name: $name }) { id } }`, { name }, adminToken);
  if (!res.data) throw new Error(`createTeam ${name}: ${JSON.stringify(res.errors)}`);
  return res.data.createTeam.id;
}

export async function createService(api: ApiHarness, adminToken: string, name: string, teamId: string, revenuePerMinute: number | null = null): Promise<string> {
  const res = await api.gql<{ createService: { id: string } }>(
    `mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`,
    { input: { name, kind: 'API', tier: 1, teamId, revenuePerMinute } },
    adminToken,
  );
  if (!res.data) throw new Error(`createService ${name}: ${JSON.stringify(res.errors)}`);
  return res.data.createService.id;
}

export interface CreatedIncident {
  id: string;
  reference: string;
}

export async function createIncident(api: ApiHarness, token: string, input: Record<string, unknown>): Promise<CreatedIncident> {
  const res = await api.gql<{ createIncident: CreatedIncident }>(
    `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id reference } }`,
    { input: { severity: 'SEV2', startedAt: '2024-05-01T10:00:00Z', ...input } },
    token,
  );
  if (!res.data) throw new Error(`createIncident: ${JSON.stringify(res.errors)}`);
  return res.data.createIncident;
}

/**
 * The field an error names is the expected input path, or for values GraphQL itself refused
 * (enums, dates) after Mercurius JIT-compiled the operation, that path's last segment.
 */
export function namesField(actual: unknown, expected: string): boolean {
  const field = String(actual);
  const leaf = expected.split('.').pop() ?? expected;
  return field.startsWith(expected) || field === leaf || field.startsWith(`${leaf}.`);
}
