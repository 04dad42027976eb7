// `npm run lint`'s CSS half: no literal colour in the web app's CSS outside the theme
// (tools/eslint/theme-colours.mjs). Prints each one with its file and line; exits 1 if any.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cssColours, THEME_FILE } from './theme-colours.mjs';

const root = process.argv[2] ?? process.cwd();
const dirs = (process.argv[3] ? process.argv.slice(3) : ['libs/web', 'apps/web']).map((d) => join(root, d));

function* cssFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name === 'generated') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* cssFiles(path);
    else if (name.endsWith('.css')) yield path;
  }
}

let problems = 0;
for (const dir of dirs) {
  for (const file of cssFiles(dir)) {
    const rel = relative(root, file);
    if (rel === THEME_FILE) continue;
    for (const { line, text } of cssColours(readFileSync(file, 'utf8'))) {
      problems++;
      console.error(`${rel}:${line}  literal colour "${text}": use a theme token (var(--hs-…)) declared in ${THEME_FILE}`);
    }
  }
}
if (problems) {
  console.error(`\n${problems} literal colour(s) outside the theme.`);
  process.exit(1);
}
