#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: dependencies, Chromium, services, then
# `npm test` (unit, integration against real Postgres/Redis, browser). Ends with
# "tests: N passed, N failed".
set -eu
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh
if [ ! -x /usr/bin/chromium ]; then
  echo "test: installing Debian's Chromium for the browser tests"
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "test: could not install chromium; browser tests will fail" >&2
fi
bash tools/services.sh
npm test -- "$@"
