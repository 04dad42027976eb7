import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Colours only from the theme: the CSS check on fixtures, and the ESLint rule through the
 * project's eslint.config.mjs (switched on for web code). Both are ES modules, so they run in
 * a child Node process.
 */
const ROOT = join(__dirname, '..', '..');

function cssCheck(files: Record<string, string>): { status: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'css-colours-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const output = execFileSync(process.execPath, [join(ROOT, 'tools/eslint/css-colours.main.mjs'), dir, 'libs/web'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, output };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { status: err.status, output: err.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('no literal colours outside the theme', () => {
  it('allows colours in the theme and tokens everywhere else', () => {
    const r = cssCheck({
      'libs/web/ui/src/theme.css': ':root { --hs-danger: #a8211a; --hs-shade: rgba(0, 0, 0, 0.1); }',
      'libs/web/feature-x/src/x.css': '.x { color: var(--hs-danger); background: transparent; border: 1px solid currentColor; } /* was #fff */',
    });
    expect(r).toEqual({ status: 0, output: '' });
  });

  it('names each literal colour in a feature stylesheet with its line', () => {
    const r = cssCheck({
      'libs/web/feature-x/src/x.css': '.a { color: var(--hs-text); }\n.b { background: #fff; box-shadow: 0 0 2px rgba(0, 0, 0, 0.2); }\n.c { border: 1px solid red; content: "red"; }',
    });
    expect(r.status).toBe(1);
    expect(r.output).toContain('libs/web/feature-x/src/x.css:2  literal colour "#fff"');
    expect(r.output).toContain('libs/web/feature-x/src/x.css:2  literal colour "rgba("');
    expect(r.output).toContain('libs/web/feature-x/src/x.css:3  literal colour "red"');
    expect(r.output).toContain('3 literal colour(s) outside the theme.');
  });

  it('the ESLint rule reports colour literals in web code, not anchors or tokens', () => {
    const script = `
      import { ESLint } from 'eslint';
      const eslint = new ESLint({ cwd: process.cwd() });
      const [result] = await eslint.lintText(process.argv[1], { filePath: 'libs/web/feature-x/src/x.tsx' });
      process.stdout.write(JSON.stringify(result.messages.filter((m) => m.ruleId === 'hindsight-web/no-hard-coded-colours').map((m) => m.line)));
    `;
    const code = [
      "export const a = '#a8211a';",
      "export const b = 'rgba(48, 72, 184, 0.16)';",
      "export const c = '#main';",
      "export const d = 'var(--hs-danger)';",
      'export const e = `#3048b8`;',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, code], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([1, 2, 5]);
  });
});
