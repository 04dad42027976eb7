#!/usr/bin/env node
// `npm test`: every suite in one Jest run (unit, integration against the real Postgres and
// Redis, browser tests against the production web build), then one summary line.
// Extra arguments go to Jest (e.g. `npm test -- libs/domain`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const wantsBrowser = args.length === 0 || args.some((a) => a.includes('web-e2e') || a.includes('browser'));

if (wantsBrowser && !existsSync(join(root, 'dist/apps/web/index.html'))) {
  console.log('test: building the web app for the browser tests');
  const build = spawnSync('npm', ['run', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

mkdirSync(join(root, 'tmp'), { recursive: true });
const report = join(root, 'tmp', 'jest-report.json');
// Mercurius loads one dependency with a dynamic import(), which Jest only allows with vm modules.
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim() };
const jest = spawnSync('npx', ['jest', '--json', `--outputFile=${report}`, ...args], { cwd: root, stdio: 'inherit', env });

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
} else {
  failed = 1;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(jest.status === 0 && failed === 0 ? 0 : 1);
