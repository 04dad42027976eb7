#!/usr/bin/env bash
# Installs node_modules with `npm ci` (exactly the committed lockfile, never rewriting it) when
# they are missing or older than package-lock.json. Fails loudly: a lockfile that npm ci
# refuses is a bug to fix in the repository, not to paper over with `npm install`.
set -eu
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: npm ci (the committed lockfile)"
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    echo "deps: npm ci failed; see the lines above (the lockfile must match package.json)" >&2
    exit 1
  fi
fi
