import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/*
 * The room-boundaries rule through ESLint's own API: alone on fixtures set in this workspace's
 * real libraries (what it reports), and through the project's eslint.config.mjs (where it is
 * switched on, and that its exceptions are named files). ESLint and the rule are ES modules,
 * so they run in a child Node process.
 */

const ROOT = join(__dirname, '..', '..');

interface Report { ruleId: string | null; message: string; line: number }

const SCRIPT = `
import { ESLint, Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import rule from './tools/eslint/room-boundaries.rule.mjs';
const { mode, cases, allow } = JSON.parse(process.argv[1]);
const pick = (messages) => messages.map(({ ruleId, message, line }) => ({ ruleId, message, line }));
const out = [];
if (mode === 'rule') {
  const linter = new Linter({ configType: 'flat' });
  const config = [{
    files: ['**/*.ts'],
    languageOptions: { parser: tsParser },
    plugins: { hindsight: { rules: { 'room-boundaries': rule } } },
    rules: { 'hindsight/room-boundaries': ['error', { allow }] },
  }];
  for (const [filePath, code] of cases) out.push(pick(linter.verify(code, config, filePath)));
} else {
  const eslint = new ESLint({ cwd: process.cwd() });
  for (const [filePath, code] of cases) {
    const [result] = await eslint.lintText(code, { filePath });
    out.push(pick(result.messages).filter((m) => m.ruleId === 'hindsight/room-boundaries'));
  }
}
process.stdout.write(JSON.stringify(out));
`;

function lint(mode: 'rule' | 'project', cases: [string, string][], allow: Record<string, string[]> = {}): Report[][] {
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, JSON.stringify({ mode, cases, allow })], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', NX_DAEMON: 'false' },
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as Report[][];
}

const WORK = 'libs/server/work/src/fixture.service.ts';

const CASES: [string, [string, string], string[]][] = [
  [
    "another room's repository, next to its service and row type",
    [WORK, `import { ActionItemRow, ActionItemsRepository, ActionItemsService } from '@hindsight/server-action-items';\nexport const x: [ActionItemRow?, unknown?, unknown?] = [undefined, ActionItemsRepository, ActionItemsService];\n`],
    ['ActionItemsRepository belongs to @hindsight/server-action-items: reach that room through ActionItemsService, not its repository.'],
  ],
  [
    'a type-only import of a repository, and one without a service of the same name',
    [WORK, `import type { AuditRepository } from '@hindsight/server-audit';\nimport { IdentityRepository } from '@hindsight/server-identity';\nexport type X = [AuditRepository, IdentityRepository];\n`],
    [
      'AuditRepository belongs to @hindsight/server-audit: reach that room through AuditService, not its repository.',
      'IdentityRepository belongs to @hindsight/server-identity: reach that room through a service or port it exports, not its repository.',
    ],
  ],
  [
    'a namespace import, a re-export and a deep import',
    [WORK, `import * as chase from '@hindsight/server-chase';\nexport { ChaseRepository } from '@hindsight/server-chase';\nexport * from '@hindsight/server-incidents';\nimport { X } from '@hindsight/server-chase/src/chase.repository';\nexport const y = [chase, X];\n`],
    [
      'Import what you use from @hindsight/server-chase by name: a namespace import would reach its repositories too.',
      'ChaseRepository belongs to @hindsight/server-chase: reach that room through ChaseService, not its repository.',
      'Import what you use from @hindsight/server-incidents by name: a namespace import would reach its repositories too.',
      "Import from @hindsight/server-chase (the library's public entry point), not @hindsight/server-chase/src/chase.repository.",
    ],
  ],
  [
    'services, ports, types and libraries without repositories',
    [WORK, `import { CatalogService, ServiceNamesPort } from '@hindsight/server-catalog';\nimport { queryRows } from '@hindsight/server-db';\nimport * as common from '@hindsight/server-common';\nimport { createTestDatabase } from '@hindsight/server-db/testing';\nexport const z: [unknown, ServiceNamesPort?, ...unknown[]] = [CatalogService, undefined, queryRows, common, createTestDatabase];\n`],
    [],
  ],
  [
    "a room's own repository through its alias, and the composition importing modules",
    ['libs/server/chase/src/fixture.ts', `import { ChaseRepository } from '@hindsight/server-chase';\nexport const a = ChaseRepository;\n`],
    [],
  ],
  [
    'an app importing a repository',
    ['apps/worker/src/fixture.ts', `import { TrackersRepository } from '@hindsight/server-trackers';\nexport const a = TrackersRepository;\n`],
    ['TrackersRepository belongs to @hindsight/server-trackers: reach that room through TrackersService, not its repository.'],
  ],
];

it("reports another room's repositories, namespace and deep imports, and nothing else", () => {
  const results = lint('rule', CASES.map(([, c]) => c));
  CASES.forEach(([what, , expected], i) => {
    expect({ what, messages: results[i].map((m) => m.message) }).toEqual({ what, messages: expected });
    for (const m of results[i]) expect(m.ruleId).toBe('hindsight/room-boundaries');
  });
});

it('lets a named file keep a named repository, and reports the exception once it is not needed', () => {
  const allow = { [WORK]: ['ChaseRepository'] };
  const [kept, gone] = lint(
    'rule',
    [
      [WORK, `import { ChaseRepository, ChaseService } from '@hindsight/server-chase';\nimport { IncidentsRepository } from '@hindsight/server-incidents';\nexport const a = [ChaseRepository, ChaseService, IncidentsRepository];\n`],
      [WORK, `import { ChaseService } from '@hindsight/server-chase';\nexport const a = ChaseService;\n`],
    ],
    allow,
  );
  // The exception covers that repository in that file only.
  expect(kept.map((m) => m.message)).toEqual(['IncidentsRepository belongs to @hindsight/server-incidents: reach that room through IncidentsService, not its repository.']);
  expect(gone.map((m) => m.message)).toEqual(['ChaseRepository is no longer imported here: remove it from the room-boundaries exceptions in eslint.config.mjs.']);
});

it('is on for server libraries and apps in the project configuration, not for their tests', () => {
  const code = `import { ActionItemsRepository } from '@hindsight/server-action-items';\nexport const a = ActionItemsRepository;\n`;
  const [service, app, spec, testing] = lint('project', [
    ['libs/server/runbooks/src/fixture.service.ts', code],
    ['apps/api/src/fixture.ts', code],
    ['libs/server/runbooks/src/fixture.spec.ts', code],
    ['libs/server/runbooks/src/testing/fixture.ts', code],
  ]);
  const refusal = 'ActionItemsRepository belongs to @hindsight/server-action-items: reach that room through ActionItemsService, not its repository.';
  expect(service.map((m) => m.message)).toEqual([refusal]);
  expect(app.map((m) => m.message)).toEqual([refusal]);
  expect(spec).toEqual([]);
  expect(testing).toEqual([]);
}, 60000);
