#!/usr/bin/env bash
# CI: the README's first command as a newcomer runs it — tools/up.sh from a checkout with no
# node_modules and no build — on its own database, port and queue prefix, until the banner is
# printed, the web app is served and the demo admin can sign in; then stops it with SIGINT,
# as Ctrl-C would, and checks both processes are gone. Run it on a clone, never a working
# checkout: it deletes node_modules and dist first.
set -u
cd "$(dirname "$0")/.."
db=hindsight_up_smoke
export PORT=${UP_SMOKE_PORT:-3950} WORKER_HEALTH_PORT=0 QUEUE_PREFIX=hindsight-up-smoke
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db
PGOPTIONS=--client-min-messages=warning psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || exit 1
rm -rf node_modules dist .hindsight
log=tmp/up-smoke.log
mkdir -p tmp
setsid bash tools/up.sh > "$log" 2>&1 &
up_pid=$!
status=1
for _ in $(seq 1 600); do
  if grep -q 'Hindsight is running on' "$log"; then status=0; break; fi
  kill -0 "$up_pid" 2>/dev/null || break
  sleep 1
done
if [ $status = 0 ]; then
  curl -fsS "http://127.0.0.1:$PORT/" | grep -q '<div id="root">' || { echo "up-smoke: / did not serve the web app"; status=1; }
  answer=$(curl -fsS "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' \
    -d '{"query":"mutation { login(email: \"admin@hindsight.local\", password: \"hindsight-admin\") { user { role } } }"}')
  echo "$answer" | grep -q '"role":"ADMIN"' || { echo "up-smoke: the demo admin could not sign in: $answer"; status=1; }
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" || { echo "up-smoke: /health/ready did not answer 200"; status=1; }
fi
kill -INT -- "-$up_pid" 2>/dev/null
for _ in $(seq 1 30); do kill -0 "$up_pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$up_pid" 2>/dev/null; then echo "up-smoke: tools/up.sh did not stop on Ctrl-C"; kill -KILL -- "-$up_pid"; status=1; fi
cat "$log"
PGOPTIONS=--client-min-messages=warning psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" > /dev/null
if command -v redis-cli > /dev/null; then redis-cli -h 127.0.0.1 --scan --pattern "$QUEUE_PREFIX:*" | xargs -r redis-cli -h 127.0.0.1 del > /dev/null; fi
[ $status = 0 ] && echo "up-smoke: tools/up.sh on a fresh checkout served the demo and stopped on Ctrl-C"
exit $status
