import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The production server build (swc) resolves @hindsight/* aliases from .swcrc, the type checker
 * and Jest from tsconfig.base.json. A library added to one and not the other type-checks and
 * passes its tests, then fails at `npm run start:*` with "Cannot find module".
 */
const ROOT = join(__dirname, '..', '..');
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

it('the server build resolves every server-side alias the type checker knows', () => {
  const tsPaths: Record<string, string[]> = read('tsconfig.base.json').compilerOptions.paths;
  const swcPaths: Record<string, string[]> = read('.swcrc').jsc.paths;
  const serverSide = Object.fromEntries(Object.entries(tsPaths).filter(([alias]) => !alias.startsWith('@hindsight/web-') && alias !== '@hindsight/shared-schema'));
  expect(swcPaths).toEqual(expect.objectContaining(serverSide));
});
