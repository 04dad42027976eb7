// A room (a server library: action items, chase, identity …) reaches another room only
// through what that room offers others: its services, ports and types. Its repositories are
// its own: a second room writing through them skips the owner's rules, audit and ledger
// (issue 28: trackers completed items behind ActionItemsService). So this rule refuses, in
// server code, importing another library's repository class (any class declared in one of its
// `*.repository.ts` files), a namespace import of a library that has repositories, and a deep
// import past a library's public entry point. Row types exported next to a repository are
// types, and stay importable.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SERVER_LIB = /^libs\/server\/([^/]+)\//;

/** Per workspace root: alias → library folder, from tsconfig.base.json's paths. */
const aliasCache = new Map();
function aliases(root) {
  if (!aliasCache.has(root)) {
    const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
    const map = new Map();
    for (const [alias, [target]] of Object.entries(compilerOptions.paths ?? {})) {
      const lib = SERVER_LIB.exec(target);
      map.set(alias, lib ? lib[1] : null);
    }
    aliasCache.set(root, map);
  }
  return aliasCache.get(root);
}

/** Per library folder: the classes its repository files declare, and its service classes. */
const classCache = new Map();
function classesOf(root, lib) {
  const key = `${root}\0${lib}`;
  if (!classCache.has(key)) {
    const repositories = new Set();
    const services = new Set();
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'testing' && entry.name !== 'node_modules') walk(path);
          continue;
        }
        const into = entry.name.endsWith('.repository.ts') ? repositories : entry.name.endsWith('.service.ts') ? services : null;
        if (!into) continue;
        for (const m of readFileSync(path, 'utf8').matchAll(/export\s+(?:abstract\s+)?class\s+(\w+)/g)) into.add(m[1]);
      }
    };
    try {
      walk(join(root, 'libs', 'server', lib, 'src'));
    } catch {
      // A library without sources has nothing to guard.
    }
    classCache.set(key, { repositories, services });
  }
  return classCache.get(key);
}

export default {
  meta: {
    type: 'problem',
    docs: { description: "a server room reaches another room through its services and types, never its repositories" },
    messages: {
      repository: '{{name}} belongs to {{alias}}: reach that room through {{suggestion}}, not its repository.',
      namespace: 'Import what you use from {{alias}} by name: a namespace import would reach its repositories too.',
      deep: "Import from {{entry}} (the library's public entry point), not {{source}}.",
      stale: '{{name}} is no longer imported here: remove it from the room-boundaries exceptions in eslint.config.mjs.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          // file (relative to the workspace root) → repository classes it may still import, each a named, temporary exception
          allow: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename).split(sep).join('/');
    const own = SERVER_LIB.exec(file)?.[1] ?? null;
    const allowed = new Set(context.options[0]?.allow?.[file] ?? []);
    const used = new Set();
    const byAlias = aliases(root);

    const check = (node, source, importedNames, namespace) => {
      if (!source.startsWith('@hindsight/')) return;
      if (!byAlias.has(source)) {
        const entry = [...byAlias.keys()].filter((a) => source.startsWith(`${a}/`)).sort((a, b) => b.length - a.length)[0];
        if (entry) context.report({ node, messageId: 'deep', data: { entry, source } });
        return;
      }
      const lib = byAlias.get(source);
      if (lib === null || lib === own) return;
      const { repositories, services } = classesOf(root, lib);
      if (namespace) {
        if (repositories.size > 0) context.report({ node, messageId: 'namespace', data: { alias: source } });
        return;
      }
      for (const { name, at } of importedNames) {
        if (!repositories.has(name)) continue;
        if (allowed.has(name)) {
          used.add(name);
          continue;
        }
        const service = name.replace(/Repository$/, 'Service');
        const suggestion = services.has(service) ? service : 'a service or port it exports';
        context.report({ node: at, messageId: 'repository', data: { name, alias: source, suggestion } });
      }
    };

    const specifierNames = (specifiers, key) =>
      specifiers.filter((s) => s[key]?.type === 'Identifier').map((s) => ({ name: s[key].name, at: s }));

    return {
      ImportDeclaration(node) {
        const namespace = node.specifiers.some((s) => s.type === 'ImportNamespaceSpecifier');
        check(node, node.source.value, specifierNames(node.specifiers.filter((s) => s.type === 'ImportSpecifier'), 'imported'), namespace);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, specifierNames(node.specifiers, 'local'), false);
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, [], true);
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal' && typeof node.source.value === 'string') check(node, node.source.value, [], true);
      },
      'Program:exit'(node) {
        for (const name of allowed) if (!used.has(name)) context.report({ node, loc: { line: 1, column: 0 }, messageId: 'stale', data: { name } });
      },
    };
  },
};
