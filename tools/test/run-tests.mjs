#!/usr/bin/env node
// `npm test`: every suite in one Jest run (unit, integration against the real Postgres and
// Redis, browser tests against the production web build), then where the time went (per
// project, the slowest files) and one summary line. Extra arguments go to Jest (e.g.
// `npm test -- libs/domain`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const wantsBrowser = args.length === 0 || args.some((a) => a.includes('web-e2e') || a.includes('browser'));
const started = Number(process.env['TEST_STARTED_AT'] ?? 0) * 1000 || Date.now();

// The web build (for the browser tests) and the server build below run side by side: each waits
// on its own child, and neither needs the other.
let webBuilt = Promise.resolve(0);
if (wantsBrowser && !existsSync(join(root, 'dist/apps/web/index.html'))) {
  console.log('test: building the web app for the browser tests (once, shared by every browser spec)');
  webBuilt = run('npm', ['run', 'build:web']);
}

// Most of a spec's time is spent waiting on Postgres, Redis, a child process or the browser,
// not on this process's CPU: twice as many files as cores run at once (TEST_WORKERS overrides).
const workers = process.env['TEST_WORKERS'] ?? String(Math.max(2, availableParallelism() * 2));

mkdirSync(join(root, 'tmp'), { recursive: true });
const report = join(root, 'tmp', 'jest-report.json');
// Mercurius loads one dependency with a dynamic import(), which Jest only allows with vm modules.
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim() };

// Specs start the API and the worker as child processes (libs/server/db/src/testing/server-entry.ts):
// compiled once here (a second or two), each loads in half the time it takes to compile on the
// fly. A directory of this run's own, beside dist/ in depth as the production build is, so no
// run ever loads code older than itself, nor one run's build another's.
const serverBuild = `tmp/test-server-${process.pid}`;
for (const old of readdirSync(join(root, 'tmp')).filter((d) => /^test-server-\d+$/.test(d) && !alive(Number(d.slice(12))))) {
  rmSync(join(root, 'tmp', old), { recursive: true, force: true });
}
process.on('exit', () => rmSync(join(root, serverBuild), { recursive: true, force: true }));
const [web, swc] = await Promise.all([webBuilt, run(join(root, 'node_modules/.bin/swc'), ['apps/api', 'apps/worker', 'libs/server', 'libs/domain', '--config-file', '.swcrc', '-d', serverBuild, '--ignore', '**/*.spec.ts', '--quiet'])]);
if (web !== 0) process.exit(web);
if (swc === 0) env['HINDSIGHT_TEST_SERVER_BUILD'] = serverBuild;
else console.log('test: could not compile the server; child processes compile it on the fly');
const jestStarted = Date.now();
const jest = spawnSync('npx', ['jest', '--json', `--outputFile=${report}`, `--maxWorkers=${workers}`, ...args], { cwd: root, stdio: 'inherit', env });
const jestSeconds = (Date.now() - jestStarted) / 1000;

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  printTimes(r.testResults);
} else {
  failed = 1;
}
console.log(`test: Jest ran ${workers} files at a time for ${Math.round(jestSeconds)} s; the whole run took ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(jest.status === 0 && failed === 0 ? 0 : 1);

/** Runs a command in the repository with this terminal; resolves with its exit status. */
function run(command, commandArgs) {
  return new Promise((done) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
    child.on('error', () => done(1));
    child.on('exit', (status) => done(status ?? 1));
  });
}

/** Whether a process with this id is running (its build directory is still in use). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** The Nx project a spec file belongs to: the name in the nearest project.json above it. */
function projectOf(file, cache) {
  for (let dir = dirname(file); dir.startsWith(root) && dir.length >= root.length; dir = dirname(dir)) {
    if (cache.has(dir)) return cache.get(dir);
    const manifest = join(dir, 'project.json');
    if (existsSync(manifest)) {
      const name = JSON.parse(readFileSync(manifest, 'utf8')).name ?? relative(root, dir);
      cache.set(dir, name);
      return name;
    }
  }
  return 'tools';
}

/** Where the time went: the busiest projects (time summed over their files) and the slowest files. */
function printTimes(results) {
  const cache = new Map();
  const perProject = new Map();
  const files = results.map((t) => ({ file: relative(root, t.name), seconds: (t.endTime - t.startTime) / 1000, tests: t.assertionResults.length }));
  for (const f of files) {
    const p = projectOf(join(root, f.file), cache);
    const e = perProject.get(p) ?? { seconds: 0, files: 0, tests: 0 };
    perProject.set(p, { seconds: e.seconds + f.seconds, files: e.files + 1, tests: e.tests + f.tests });
  }
  const rows = [...perProject.entries()].sort((a, b) => b[1].seconds - a[1].seconds);
  console.log('\ntest: time per project (seconds summed over its files, which run side by side)');
  for (const [name, e] of rows) console.log(`  ${e.seconds.toFixed(0).padStart(5)} s  ${String(e.files).padStart(3)} files ${String(e.tests).padStart(5)} tests  ${name}`);
  console.log('test: the slowest files');
  for (const f of files.sort((a, b) => b.seconds - a.seconds).slice(0, 10)) console.log(`  ${f.seconds.toFixed(1).padStart(6)} s  ${f.file}`);
}
