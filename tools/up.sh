#!/usr/bin/env bash
# Runs Hindsight on one port: installs what it needs, checks Postgres and Redis, migrates,
# builds, seeds a demo, starts the worker in the background and the API (with the web app).
# One line per stage with its time; each stage's output goes to .hindsight/up-<stage>.log and
# is shown only when the stage fails. The banner comes last, once the API answers.
set -eu
cd "$(dirname "$0")/.."

if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 11) ? 0 : 1)' 2>/dev/null; then
  echo "up: Hindsight needs Node.js 20.11 or newer; found $(node -v 2>/dev/null || echo 'no node')." >&2
  echo "up: install a current Node.js LTS (e.g. with your package manager, nvm or fnm), then run this again." >&2
  exit 1
fi

mkdir -p .hindsight
[ -s .hindsight/jwt-secret ] || node -e "process.stdout.write(require('crypto').randomBytes(48).toString('base64url'))" > .hindsight/jwt-secret
[ -s .hindsight/encryption-key ] || node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))" > .hindsight/encryption-key
export NODE_ENV=production
export JWT_SECRET=${JWT_SECRET:-$(cat .hindsight/jwt-secret)}
export HINDSIGHT_ENCRYPTION_KEY=${HINDSIGHT_ENCRYPTION_KEY:-$(cat .hindsight/encryption-key)}
export PORT=${PORT:-3000}
export PUBLIC_URL=${PUBLIC_URL:-http://localhost:$PORT}
export HINDSIGHT_ADMIN_EMAIL=${HINDSIGHT_ADMIN_EMAIL:-admin@hindsight.local}
export HINDSIGHT_ADMIN_PASSWORD=${HINDSIGHT_ADMIN_PASSWORD:-hindsight-admin}

now() { date +%s%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", (b - a) / 1e9 }'; }
fail() {
  local name=$1 log=$2
  echo "FAILED"
  echo "---- last lines of $log ----" >&2
  tail -n 25 "$log" >&2
  echo "---- up: the $name stage failed; the lines above say why (full log: $log)" >&2
  exit 1
}
# stage NAME what-it-does COMMAND...: runs COMMAND with its output in the stage's log.
stage() {
  local name=$1 what=$2; shift 2
  local log=.hindsight/up-$name.log start
  start=$(now)
  printf '  %-9s %-44s ' "$name" "$what"
  if "$@" > "$log" 2>&1; then echo "done ($(elapsed "$start"))"; else fail "$name" "$log"; fi
}

echo "Hindsight: starting (logs of each stage in .hindsight/)"
stage deps "dependencies (npm ci when needed)" bash tools/ensure-deps.sh
stage services "PostgreSQL and Redis" bash tools/services.sh
stage migrate "database migrations" npm run --silent db:migrate
stage build "server and web app" npm run --silent build
stage seed "demo organisation" npm run --silent seed

pids=()
stop_all() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT INT TERM

# wait_for NAME LOG PID CHECK: waits until CHECK succeeds, or fails the stage if PID exits.
wait_for() {
  local name=$1 log=$2 pid=$3; shift 3
  for _ in $(seq 1 240); do
    "$@" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

start=$(now)
printf '  %-9s %-44s ' worker "background jobs (log: .hindsight/worker.log)"
# node itself, not `npm run start:worker`: npm would not pass our SIGTERM on at Ctrl-C.
LOG_FORMAT=pretty HINDSIGHT_PROCESS=worker node --max-semi-space-size=64 --enable-source-maps dist/server/apps/worker/src/main.js > .hindsight/worker.log 2>&1 &
pids+=($!)
wait_for worker .hindsight/worker.log "${pids[0]}" grep -q 'worker started' .hindsight/worker.log || fail worker .hindsight/worker.log
echo "done ($(elapsed "$start"))"

start=$(now)
printf '  %-9s %-44s ' api "API and web app on port $PORT"
LOG_FORMAT=pretty HINDSIGHT_PROCESS=api node --max-semi-space-size=64 --enable-source-maps dist/server/apps/api/src/main.js > .hindsight/api.log 2>&1 &
pids+=($!)
api_ready() { node -e "fetch('http://127.0.0.1:$PORT/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; }
wait_for api .hindsight/api.log "${pids[1]}" api_ready || fail api .hindsight/api.log
echo "done ($(elapsed "$start"))"

cat <<MSG

  Hindsight is running on $PUBLIC_URL
  Sign in as $HINDSIGHT_ADMIN_EMAIL / $HINDSIGHT_ADMIN_PASSWORD (ADMIN),
  or as a demo user: commander@demo.hindsight.local, manager@demo.hindsight.local,
  viewer@demo.hindsight.local (password: demo-password).
  Logs: .hindsight/api.log (shown below) and .hindsight/worker.log. Stop with Ctrl-C.

MSG
# From here the API's log follows on this terminal: readable lines, routine requests only at debug.
tail -n 0 -F .hindsight/api.log 2>/dev/null &
pids+=($!)
api_status=0
wait "${pids[1]}" || api_status=$?
exit "$api_status"
