// `npm run bench:graphql`: the API's GraphQL stack (Fastify + Mercurius with JIT, guard,
// DataLoaders) against a bare `http` + `pg` handler running the same SQL and returning the same
// JSON, in one run on one database. Prints requests/s of each and the ratio (API ÷ bare).
// The page: every team with its manager and members (a nested-list page, like the incident page).
import 'reflect-metadata';
import { Pool } from 'pg';
import { benchPageAgainstBare, runBench } from './load.util';

const TEAMS = Number(process.env['BENCH_TEAMS'] ?? 50);
const MEMBERS = Number(process.env['BENCH_MEMBERS'] ?? 20);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 2000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 10);

const QUERY = '{ teams { id name slug manager { id name email } members { id name email role } } }';

async function seed(pool: Pool): Promise<void> {
  await pool.query(`INSERT INTO users (email, name, role, password_hash)
    SELECT 'user' || i || '@bench.local', 'User ' || i, 'COMMANDER', NULL FROM generate_series(1, $1::int * $2::int) i`, [TEAMS, MEMBERS]);
  await pool.query(`INSERT INTO teams (name, slug, manager_id)
    SELECT 'Team ' || t, 'team-' || t, (SELECT id FROM users WHERE email = 'user' || ((t - 1) * $2::int + 1) || '@bench.local') FROM generate_series(1, $1::int) t`, [TEAMS, MEMBERS]);
  await pool.query(`INSERT INTO team_members (team_id, user_id)
    SELECT tm.id, u.id FROM teams tm JOIN users u ON u.email LIKE 'user%@bench.local'
     WHERE tm.slug LIKE 'team-%' AND ((substring(u.email from 5 for position('@' in u.email) - 5))::int - 1) / $1::int + 1 = substring(tm.slug from 6)::int`, [MEMBERS]);
}

/** The same three statements the API's resolvers and loaders issue, assembled by hand. */
async function teamsPage(pool: Pool): Promise<string> {
  const teams = (await pool.query(`SELECT t.id, t.name, t.slug, t.manager_id AS "managerId" FROM teams t ORDER BY lower(t.name)`)).rows;
  const ids = teams.map((t) => t.id);
  const [managers, members] = await Promise.all([
    pool.query(`SELECT id, name, email FROM users WHERE id = ANY($1::uuid[])`, [teams.map((t) => t.managerId).filter(Boolean)]),
    pool.query(`SELECT m.team_id AS "teamId", u.id, u.name, u.email, u.role FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = ANY($1::uuid[]) ORDER BY lower(u.name)`, [ids]),
  ]);
  const byId = new Map(managers.rows.map((m) => [m.id, m]));
  const byTeam = new Map<string, unknown[]>();
  for (const { teamId, ...m } of members.rows) (byTeam.get(teamId) ?? byTeam.set(teamId, []).get(teamId))?.push(m);
  return JSON.stringify({ data: { teams: teams.map(({ managerId, ...t }) => ({ ...t, manager: byId.get(managerId) ?? null, members: byTeam.get(t.id) ?? [] })) } });
}

runBench(() =>
  benchPageAgainstBare({
    label: `page: ${TEAMS} teams × ${MEMBERS} members`,
    seed,
    request: () => ({ query: QUERY }),
    bare: teamsPage,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
  }),
);
