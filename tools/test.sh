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
# The topology tests run throw-away PgBouncer, Postgres replicas and Redis servers (Debian's
# packages; redis-server also runs the sentinels) and render the Kubernetes manifests with
# kubectl (Debian's kubernetes-client when no newer kubectl package is available).
missing=()
command -v pgbouncer >/dev/null || missing+=(pgbouncer)
command -v redis-cli >/dev/null || missing+=(redis-tools)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test: installing ${missing[*]} for the topology tests"
  (apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null) || echo "test: could not install ${missing[*]}; the topology tests will fail" >&2
fi
if ! command -v kubectl >/dev/null; then
  echo "test: installing kubectl for the Kubernetes manifest tests"
  (apt-get install -y -qq kubectl >/dev/null 2>&1 || apt-get install -y -qq kubernetes-client >/dev/null) || echo "test: could not install kubectl; the manifest tests will fail" >&2
fi
bash tools/services.sh
npm test -- "$@"
