// Module boundaries: apps wire libs; feature libs use data-access/util/domain; the domain
// library is pure (no I/O, no framework) so its rules can be tested for every edge.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import guardedResolvers from './tools/eslint/guarded-resolvers.rule.mjs';
import { noHardCodedColours } from './tools/eslint/theme-colours.mjs';
import roomBoundaries from './tools/eslint/room-boundaries.rule.mjs';

// @nx/enforce-module-boundaries reads Nx's cached project graph and, without one, prints a
// warning and skips itself: a fresh clone, an editor or a one-file lint would pass imports the
// boundaries forbid. So the graph is built here when it is missing, and lint fails if it can't be.
const require = createRequire(import.meta.url);
const { workspaceDataDirectory } = require('nx/src/utils/cache-directory');
const projectGraphFile = join(workspaceDataDirectory, 'project-graph.json');
if (!existsSync(projectGraphFile)) {
  execFileSync(process.execPath, [require.resolve('nx/bin/nx.js'), 'show', 'projects'], {
    cwd: import.meta.dirname,
    env: { ...process.env, NX_DAEMON: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(projectGraphFile)) {
    throw new Error(`Nx could not build its project graph (${projectGraphFile}); module boundaries cannot be checked. Run \`npx nx show projects\` to see why.`);
  }
}

const ioModules = ['pg', 'typeorm', 'ioredis', 'bullmq', 'fs', 'node:fs', 'http', 'node:http', 'net', 'node:net', 'child_process', 'node:child_process', '@nestjs/*', 'fastify', 'nodemailer'];

export default [
  { ignores: ['**/node_modules', '**/dist', '**/tmp', '.nx', 'libs/web/data-access/src/generated/**', 'apps/web-e2e/artifacts/**', '**/vite.config.*'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx, hindsight: { rules: { 'guarded-resolvers': guardedResolvers, 'room-boundaries': roomBoundaries } } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../*'], message: 'Import across folders through an @hindsight/* alias.' }] }],
      'hindsight/guarded-resolvers': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          // A room's specs that boot the whole API (startApi) live in its api-specs project
          // (libs/server/<room>/api-specs), above server-app, so no room depends on the app that
          // composes it: the project graph has no cycle, and none is ignored.
          depConstraints: [
            { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Browser tests drive the real API and the built web app, so they may reach both.
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:server', 'scope:web', 'scope:shared'] },
            // A room's API specs drive the whole API; nothing depends on them.
            { sourceTag: 'type:api-specs', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:domain'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util', 'type:domain'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:feature', 'type:util', 'type:domain', 'type:data-access'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util', 'type:domain'] },
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util', 'type:domain'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:domain'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:domain'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
          ],
        },
      ],
    },
  },
  {
    // A room reaches another through its services, ports and types, never its repositories
    // (tools/eslint/room-boundaries.rule.mjs). Tests may set up and inspect any room's rows.
    // No file is excepted (the rule's `allow` option names a file and a repository, and
    // reports the entry once the file no longer needs it).
    files: ['libs/server/**/*.ts', 'apps/api/**/*.ts', 'apps/worker/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: { 'hindsight/room-boundaries': 'error' },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules.filter((m) => !m.includes('*')), patterns: ['@nestjs/*', '../../*'] }],
    },
  },
  {
    // The web app: the rules of hooks, accessible JSX, and colours only from the theme
    // (libs/web/ui/src/theme.css; CSS files are checked by tools/eslint/css-colours.main.mjs).
    files: ['libs/web/**/*.ts', 'libs/web/**/*.tsx', 'apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    ignores: ['**/*.spec.ts', '**/*.spec.tsx'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y, 'hindsight-web': { rules: { 'no-hard-coded-colours': noHardCodedColours } } },
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      ...jsxA11y.flatConfigs.recommended.rules,
      // A page whose one purpose is a field (sign-in, "new due date") focuses it through our
      // field components; raw DOM elements still may not.
      'jsx-a11y/no-autofocus': ['error', { ignoreNonDOM: true }],
      'hindsight-web/no-hard-coded-colours': 'error',
    },
  },
  {
    // Root tool configs and Jest's test sequencer are CommonJS by design (Jest loads them with require).
    files: ['*.js', '*.cjs', 'tools/test/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', '**/testing/**/*.ts', 'tools/**/*.ts', 'apps/web-e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
