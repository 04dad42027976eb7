#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: dependencies, Debian packages the tests drive,
# services, then `npm test` (unit, integration against real Postgres/Redis, topology and
# browser tests). Prints each stage's time and ends with "tests: N passed, N failed".
set -eu
cd "$(dirname "$0")/.."
# run-tests.mjs counts the whole run, set-up included, from here.
TEST_STARTED_AT=$(date +%s)
export TEST_STARTED_AT
stage() { echo "test: $1 ($((SECONDS - stage_started)) s)"; stage_started=$SECONDS; }
stage_started=$SECONDS

bash tools/ensure-deps.sh
stage "dependencies ready"

# Debian's packages, in one apt-get run: Chromium for the browser tests; PgBouncer, Redis's
# tools (redis-server also runs the sentinels) and openssl for the topology tests; kubectl
# (Debian's kubernetes-client) to render the Kubernetes manifests.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pgbouncer >/dev/null || missing+=(pgbouncer)
command -v redis-cli >/dev/null || missing+=(redis-tools)
command -v openssl >/dev/null || missing+=(openssl)
command -v kubectl >/dev/null || missing+=(kubernetes-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test: installing ${missing[*]}"
  (apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null) || echo "test: could not install ${missing[*]}; the tests that need them will fail" >&2
fi
stage "packages ready"

bash tools/services.sh
stage "services ready"

npm test -- "$@"
