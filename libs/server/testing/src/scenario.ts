import { GqlClient, must } from './gql';

/** A person the scenario created, with what signing in needs. */
export interface Person {
  id: string;
  email: string;
  name: string;
  role: string;
  password: string;
}

/** A person the scenario made, with a session token of theirs. */
export type SignedIn = Person & { token: string };

export interface PersonInput {
  role?: string;
  name?: string;
  email?: string;
  password?: string;
}

export interface CreatedIncident {
  id: string;
  reference: string;
}

let counter = 0;
/** Distinct default names across every scenario of a test file (one database per file). */
const next = (): number => ++counter;

/**
 * Builds the world a test needs through the public API, as a client would: one call per thing,
 * sensible defaults, any field overridden. Acts as the person whose token it holds (the
 * bootstrapped ADMIN for `Scenario.asAdmin`); `as(token)` acts as someone else.
 *
 *   const world = await Scenario.asAdmin(api);
 *   const lead = await world.person({ role: 'MANAGER' });
 *   const teamId = await world.team({ managerId: lead.id });
 *   const incident = await world.incident({ serviceIds: [await world.service({ teamId })] });
 */
export class Scenario {
  constructor(
    readonly api: GqlClient,
    readonly token: string,
  ) {}

  /** Acting as the administrator `startApi` bootstraps. */
  static async asAdmin(api: GqlClient): Promise<Scenario> {
    return new Scenario(api, await api.login());
  }

  /** The same builder acting as the holder of `token`. */
  as(token: string): Scenario {
    return new Scenario(this.api, token);
  }

  /** An operation that must succeed, as this scenario's person. */
  ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    return must<T>(this.api, query, variables, this.token);
  }

  /**
   * A person (VIEWER unless said otherwise), named after the e-mail's local part when one is
   * given; the password is `<role>-password-1` by default.
   */
  async person(input: PersonInput = {}): Promise<Person> {
    const role = input.role ?? 'VIEWER';
    const n = next();
    const email = input.email ?? `${role.toLowerCase()}-${n}@scenario.test`;
    const name = input.name ?? (input.email ? email.split('@')[0] : `${role[0]}${role.slice(1).toLowerCase()} ${n}`);
    const password = input.password ?? `${role.toLowerCase()}-password-1`;
    const { createUser } = await this.ok<{ createUser: { id: string } }>(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input: { email, name, role, password } });
    return { id: createUser.id, email, name, role, password };
  }

  /** A person and their session token. */
  async signedIn(input: PersonInput = {}): Promise<SignedIn> {
    const person = await this.person(input);
    return { ...person, token: await this.signIn(person) };
  }

  /**
   * People keyed as the test names them, made in the order given, each `<key>@<domain>`: a role
   * (`{ lead: 'MANAGER' }`) or what `person` takes (`{ lead: { role: 'MANAGER', name: 'Mia' } }`).
   */
  async people<K extends string>(cast: Record<K, string | PersonInput>, domain = 'scenario.test'): Promise<Record<K, Person>> {
    const made = {} as Record<K, Person>;
    for (const key of Object.keys(cast) as K[]) {
      const input = cast[key];
      made[key] = await this.person({ email: `${key}@${domain}`, ...(typeof input === 'string' ? { role: input } : input) });
    }
    return made;
  }

  /** The people `people` makes, each signed in: the cast of a spec that acts as each of them. */
  async signedInPeople<K extends string>(cast: Record<K, string | PersonInput>, domain = 'scenario.test'): Promise<Record<K, SignedIn>> {
    const made = await this.people(cast, domain);
    const signed = {} as Record<K, SignedIn>;
    for (const key of Object.keys(made) as K[]) signed[key] = { ...made[key], token: await this.signIn(made[key]) };
    return signed;
  }

  /** An API token that acts as `userId` (as this scenario's person when none is given). */
  async apiToken(userId?: string, name = 'test token'): Promise<string> {
    const { createApiToken } = await this.ok<{ createApiToken: { token: string } }>(`mutation($n: String!, $u: ID) { createApiToken(name: $n, userId: $u) { token } }`, { n: name, u: userId ?? null });
    return createApiToken.token;
  }

  /** A session token of someone the scenario made. */
  signIn(person: Pick<Person, 'email' | 'password'>): Promise<string> {
    return this.api.login(person.email, person.password);
  }

  async team(input: { name?: string; memberIds?: string[]; managerId?: string | null } = {}): Promise<string> {
    const { createTeam } = await this.ok<{ createTeam: { id: string } }>(`mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`, {
      input: { name: input.name ?? `Team ${next()}`, ...(input.memberIds ? { memberIds: input.memberIds } : {}), ...(input.managerId ? { managerId: input.managerId } : {}) },
    });
    return createTeam.id;
  }

  /** A tier-1 API service of `teamId` (a new team when none is given). */
  async service(input: { teamId?: string; name?: string; kind?: string; tier?: number; revenuePerMinute?: number | null; runbook?: string } = {}): Promise<string> {
    const { teamId, name, ...rest } = input;
    const { createService } = await this.ok<{ createService: { id: string } }>(`mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`, {
      input: { kind: 'API', tier: 1, ...rest, name: name ?? `service-${next()}`, teamId: teamId ?? (await this.team()) },
    });
    return createService.id;
  }

  /** A SEV2 incident started 2024-05-01T10:00Z; any CreateIncidentInput field overrides. */
  async incident(input: Record<string, unknown> = {}): Promise<CreatedIncident> {
    const { createIncident } = await this.ok<{ createIncident: CreatedIncident }>(`mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id reference } }`, {
      input: { title: `Incident ${next()}`, severity: 'SEV2', startedAt: '2024-05-01T10:00:00Z', ...input },
    });
    return createIncident;
  }

  /** A P2 PREVENT item of the incident, owned by `ownerTeamId` (a new team when none is given). */
  async actionItem(incidentId: string, input: Record<string, unknown> = {}): Promise<{ id: string }> {
    const ownerTeamId = input['ownerTeamId'] ?? (await this.team());
    const { createActionItem } = await this.ok<{ createActionItem: { id: string } }>(
      `mutation($id: ID!, $input: CreateActionItemInput!) { createActionItem(incidentId: $id, input: $input) { id } }`,
      { id: incidentId, input: { title: `Action item ${next()}`, kind: 'PREVENT', priority: 'P2', ...input, ownerTeamId } },
    );
    return createActionItem;
  }

  /** Writes the incident's postmortem draft (its next version); returns the version it now has. */
  async postmortem(incidentId: string, input: Record<string, unknown> = {}): Promise<{ version: number }> {
    const { incident } = await this.ok<{ incident: { postmortem: { version: number } } }>(`query($id: ID) { incident(id: $id) { postmortem { version } } }`, { id: incidentId });
    const { updatePostmortem } = await this.ok<{ updatePostmortem: { version: number } }>(
      `mutation($id: ID!, $v: Int!, $input: PostmortemInput!) { updatePostmortem(incidentId: $id, expectedVersion: $v, input: $input) { version } }`,
      { id: incidentId, v: incident.postmortem.version, input: { summary: 'What happened, in short.', ...input } },
    );
    return updatePostmortem;
  }
}
