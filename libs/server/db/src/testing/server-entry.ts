import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

/**
 * How to start one of the server's TypeScript files (`apps/worker/src/main.ts`, relative to the
 * repository or absolute) in a child process. `npm test` compiles the server once per run
 * (tools/test/run-tests.mjs, into the directory HINDSIGHT_TEST_SERVER_BUILD names, a fresh one
 * each run, so it is never older than the run): a process then loads in about half the time it
 * takes to compile on the fly. A spec run another way (`npx jest <file>`) compiles on the fly.
 */
export function serverEntry(source: string): { file: string; execArgv: string[] } {
  const build = process.env['HINDSIGHT_TEST_SERVER_BUILD'];
  if (build) {
    const built = join(ROOT, build, relative(ROOT, isAbsolute(source) ? source : join(ROOT, source)).replace(/\.ts$/, '.js'));
    if (existsSync(built)) return { file: built, execArgv: [] };
  }
  return { file: source, execArgv: ['-r', '@swc-node/register'] };
}

/** `node` arguments that run `source` (see serverEntry), for spawn(process.execPath, …). */
export function serverArgs(source: string): string[] {
  const { file, execArgv } = serverEntry(source);
  return [...execArgv, file];
}
