#!/usr/bin/env bash
# Installs node_modules when missing or older than package-lock.json. `npm install` (not
# `npm ci`): it keeps the locked versions, and npm ci refuses lockfiles that lack other
# platforms' optional binaries (e.g. @swc/core-darwin-*), which this npm setup omits.
set -eu
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: npm install (locked versions)"
  npm install --no-audit --no-fund
fi
