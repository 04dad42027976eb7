// The web app: built to dist/apps/web and served by the API on the same port in production;
// in development Vite serves it and proxies the API.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { compilerOptions } = JSON.parse(readFileSync(resolve(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
const alias = Object.entries(compilerOptions.paths)
  .filter(([name]) => name.startsWith('@hindsight/web-') || name === '@hindsight/domain')
  .map(([find, [target]]) => ({ find: new RegExp(`^${find}$`), replacement: resolve(root, target) }));

/**
 * `graphql(\`query Name …\`)` becomes the generated `NameDocument` (`NameFragmentDoc`), each in a
 * module of its own, so a page's chunk carries only its own documents: the codegen client
 * preset's `graphql()` looks each one up in a map of all of them, which put every page's
 * documents into the shared chunk (bench:web). Types are unchanged (tsc still sees `graphql()`);
 * line numbers are kept, so source maps hold.
 */
function typedDocuments(): Plugin {
  const generated = resolve(root, 'libs/web/data-access/src/generated/graphql.ts');
  const PREFIX = 'virtual:hindsight-document/';
  let documents = new Map<string, string>();
  return {
    name: 'hindsight-typed-documents',
    enforce: 'pre',
    buildStart() {
      // The generated file writes each document as one line of JSON: `export const XDocument = {…} as unknown as DocumentNode<…>;`.
      const lines = [...readFileSync(generated, 'utf8').matchAll(/^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*$/gm)];
      documents = new Map(lines.map((m) => [m[1] ?? '', m[2] ?? '']));
    },
    resolveId(source) {
      return source.startsWith(PREFIX) ? `\0${source}` : null;
    },
    load(id) {
      if (!id.startsWith(`\0${PREFIX}`)) return null;
      const json = documents.get(id.slice(PREFIX.length + 1));
      return json === undefined ? null : `export default ${json};\n`;
    },
    transform(code, id) {
      if (!/\/libs\/web\/[^/]+\/src\/.*\.tsx?$/.test(id) || id.includes('/generated/') || !code.includes('graphql(`')) return null;
      const names = new Set<string>();
      const out = code.replace(/\bgraphql\(\s*`([^`]*)`\s*\)/g, (call: string, doc: string) => {
        const m = /^\s*(?:#[^\n]*\n\s*)*(query|mutation|subscription|fragment)\s+(\w+)/.exec(doc);
        const name = m ? `${m[2]}${m[1] === 'fragment' ? 'FragmentDoc' : 'Document'}` : '';
        if (!documents.has(name)) throw new Error(`${id}: no generated document for graphql(\`${doc.trim().slice(0, 60)}…\`); run npm run codegen`);
        names.add(name);
        return `__doc_${name}${'\n'.repeat(call.split('\n').length - 1)}`;
      });
      // At the end, so every line keeps its number (imports are hoisted).
      const imports = [...names].map((n) => `import __doc_${n} from '${PREFIX}${n}';`).join('\n');
      return { code: `${out}\n${imports}\n`, map: null };
    },
  };
}

const api = process.env['HINDSIGHT_API_URL'] ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias },
  plugins: [typedDocuments(), react()],
  build: {
    outDir: resolve(root, 'dist/apps/web'),
    emptyOutDir: true,
    sourcemap: true,
    // .vite/manifest.json: which chunk is the entry and what each imports (bench:web sizes routes by it).
    manifest: true,
    // The size report (with gzip) is printed by Vite for every chunk; keep it on.
    reportCompressedSize: true,
    // The entry chunk (React, Apollo, router, shell) is ~145 kB gzipped, under the 250 kB budget;
    // warn only well past that.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      treeshake: {
        // Nothing imports one of our libraries' modules for its effects alone (index files,
        // which import CSS, excepted), so a module none of whose exports a chunk uses is left
        // out of it; a used module keeps all its code (the sanitiser's hook, say). A page that
        // imports one panel from a feature's index carries that panel, not the whole feature,
        // and the shared chunk no longer carries every @hindsight/domain rule some page uses.
        moduleSideEffects: [{ test: /\/libs\/(web\/[^/]+|domain)\/src\/(?!index\.ts$)[^?]*\.tsx?$/, sideEffects: false }],
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/graphql': api,
      '/health': api,
      '/api': api,
      '^/incidents/[^/]+/postmortem\\.md$': api,
    },
  },
});
