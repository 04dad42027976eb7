import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * The guarded-resolvers rule through ESLint's own API: alone on fixtures (what it reports),
 * and through the project's eslint.config.mjs (that it is switched on for server code).
 * ESLint and the rule are ES modules, so they run in a child Node process.
 */

const ROOT = join(__dirname, '..', '..');

interface Report { ruleId: string | null; message: string; line: number }

const SCRIPT = `
import { ESLint, Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import rule from './tools/eslint/guarded-resolvers.rule.mjs';
const { mode, sources, filePath } = JSON.parse(process.argv[1]);
const pick = (messages) => messages.map(({ ruleId, message, line }) => ({ ruleId, message, line }));
let out;
if (mode === 'rule') {
  const linter = new Linter({ configType: 'flat' });
  const config = [{
    files: ['**/*.ts'],
    languageOptions: { parser: tsParser },
    plugins: { hindsight: { rules: { 'guarded-resolvers': rule } } },
    rules: { 'hindsight/guarded-resolvers': 'error' },
  }];
  out = sources.map((code) => pick(linter.verify(code, config, 'fixture.resolver.ts')));
} else {
  const eslint = new ESLint({ cwd: process.cwd() });
  out = [];
  for (const code of sources) {
    const [result] = await eslint.lintText(code, { filePath });
    out.push(pick(result.messages));
  }
}
process.stdout.write(JSON.stringify(out));
`;

function lint(
  mode: 'rule' | 'project',
  sources: string[],
  { filePath = 'libs/server/identity/src/fixture.resolver.ts', env = {} }: { filePath?: string; env?: Record<string, string> } = {},
): Report[][] {
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, JSON.stringify({ mode, sources, filePath })], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', NX_DAEMON: 'false', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as Report[][];
}

const HEADER = `import { Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';\nimport { Authenticated, Public, RequireRole } from '@hindsight/server-graphql';\n`;

const UNGUARDED_QUERY = `${HEADER}
@Resolver()
export class LeakyResolver {
  @Authenticated()
  @Query(() => String)
  fine(): string { return 'ok'; }

  @Query(() => String)
  secrets(): string { return 'everything'; }
}
`;

const FIXTURES: [string, string, string[]][] = [
  ['an unguarded @Query among guarded ones', UNGUARDED_QUERY, ['LeakyResolver.secrets has no @RequireRole/@Authenticated/@Public: say who may call it.']],
  ['an unguarded @Mutation and @ResolveField', `${HEADER}
@Resolver()
export class R {
  @Mutation(() => String)
  wipe(): string { return ''; }

  @ResolveField(() => String)
  owner(): string { return ''; }

  helper(): string { return 'not an operation, needs nothing'; }
}
`, ['R.wipe has no @RequireRole/@Authenticated/@Public: say who may call it.', 'R.owner has no @RequireRole/@Authenticated/@Public: say who may call it.']],
  ['every operation guarded on the method', `${HEADER}
@Resolver()
export class R {
  @Public() @Query(() => String) a(): string { return ''; }
  @Authenticated() @Query(() => String) b(): string { return ''; }
  @RequireRole('ADMIN') @Mutation(() => String) c(): string { return ''; }
  @Authenticated() @ResolveField(() => String) d(): string { return ''; }
}
`, []],
  ['a class-level @RequireRole', `${HEADER}
@RequireRole('ADMIN')
@Resolver()
export class R {
  @Query(() => String) a(): string { return ''; }
  @Mutation(() => String) b(): string { return ''; }
}
`, []],
];

it('reports each unguarded resolver operation, and nothing else', () => {
  const results = lint('rule', FIXTURES.map(([, code]) => code));
  FIXTURES.forEach(([what, , expected], i) => {
    expect({ what, messages: results[i].map((m) => m.message) }).toEqual({ what, messages: expected });
    for (const m of results[i]) expect(m.ruleId).toBe('hindsight/guarded-resolvers');
  });
  // The report points at the unguarded method, not at the class.
  const secretsLine = UNGUARDED_QUERY.split('\n').findIndex((l) => l.includes('secrets()')) + 1;
  expect([secretsLine - 1, secretsLine]).toContain(results[0][0].line);
});

it('is switched on as an error by the project ESLint configuration for server code', () => {
  const [messages] = lint('project', [UNGUARDED_QUERY]);
  const reports = messages.filter((m) => m.ruleId === 'hindsight/guarded-resolvers');
  expect(reports.map((m) => m.message)).toEqual(['LeakyResolver.secrets has no @RequireRole/@Authenticated/@Public: say who may call it.']);
}, 60000);


it('enforces module boundaries even where Nx has no cached project graph yet (a fresh clone)', () => {
  // An empty workspace-data directory is what a fresh clone, an editor or a one-file lint sees.
  const dataDir = mkdtempSync(join(tmpdir(), 'nx-data-'));
  try {
    const [messages] = lint('project', [`import { DataSource } from '@hindsight/server-db';\nexport const leak = DataSource;\n`], {
      filePath: 'libs/domain/src/fixture.ts',
      env: { NX_WORKSPACE_DATA_DIRECTORY: dataDir },
    });
    expect(messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').length).toBeGreaterThan(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60000);
