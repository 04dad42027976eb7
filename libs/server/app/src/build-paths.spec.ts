import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * `npm run build:server` compiles with swc, which rewrites `@hindsight/*` imports by the paths
 * in `.swcrc`, not tsconfig's. A server library missing there builds without a word and the
 * built API cannot start ("Cannot find module '@hindsight/server-…'"), as happened when the
 * drafts and Slack rooms landed; tests, which compile through tsconfig, never notice.
 */
it('.swcrc rewrites every server and domain alias tsconfig.base.json declares', () => {
  const root = join(__dirname, '..', '..', '..', '..');
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  const swc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8')) as { jsc: { paths: Record<string, string[]> } };
  const server = Object.entries(tsconfig.compilerOptions.paths).filter(([alias]) => !alias.startsWith('@hindsight/web-'));
  const missing = server.filter(([alias, target]) => JSON.stringify(swc.jsc.paths[alias]) !== JSON.stringify(target)).map(([alias]) => alias);
  expect(missing).toEqual([]);
});
