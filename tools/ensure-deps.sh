#!/usr/bin/env bash
# Installs node_modules with `npm ci` (exactly the committed lockfile, never rewriting it) when
# they are missing or older than package-lock.json. Fails loudly: a lockfile that npm ci
# refuses is a bug to fix in the repository, not to paper over with `npm install`.
set -eu
cd "$(dirname "$0")/.."
# The build tools (swc, vite) are devDependencies, and tools/up.sh runs with NODE_ENV=production,
# under which npm would leave them out: include them explicitly, and reinstall a node_modules
# that an install without them left behind.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ ! -e node_modules/@swc-node/register ]; then
  echo "deps: npm ci (the committed lockfile)"
  if ! npm ci --include=dev --no-audit --no-fund --loglevel=error; then
    echo "deps: npm ci failed; see the lines above (the lockfile must match package.json)" >&2
    exit 1
  fi
fi
