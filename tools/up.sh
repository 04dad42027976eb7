#!/usr/bin/env bash
# Runs Hindsight on one port: installs what it needs, checks Postgres and Redis, migrates,
# seeds a demo, builds, starts the worker in the background and the API (with the web app).
set -eu
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh
bash tools/services.sh

mkdir -p .hindsight
[ -s .hindsight/jwt-secret ] || node -e "process.stdout.write(require('crypto').randomBytes(48).toString('base64url'))" > .hindsight/jwt-secret
export NODE_ENV=production
export JWT_SECRET=${JWT_SECRET:-$(cat .hindsight/jwt-secret)}
export PORT=${PORT:-3000}
export PUBLIC_URL=${PUBLIC_URL:-http://localhost:$PORT}
export HINDSIGHT_ADMIN_EMAIL=${HINDSIGHT_ADMIN_EMAIL:-admin@hindsight.local}
export HINDSIGHT_ADMIN_PASSWORD=${HINDSIGHT_ADMIN_PASSWORD:-hindsight-admin}

npm run --silent db:migrate
npm run --silent build
npm run --silent seed

npm run --silent start:worker > .hindsight/worker.log 2>&1 &
worker=$!
trap 'kill -TERM $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
cat <<MSG

  Hindsight is starting on $PUBLIC_URL
  Sign in as $HINDSIGHT_ADMIN_EMAIL / $HINDSIGHT_ADMIN_PASSWORD (ADMIN),
  or as a demo user: commander@demo.hindsight.local, manager@demo.hindsight.local,
  viewer@demo.hindsight.local (password: demo-password).
  Worker log: .hindsight/worker.log. Stop with Ctrl-C.

MSG
npm run --silent start:api
