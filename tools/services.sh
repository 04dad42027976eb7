#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer, starting the local ones where they are installed
# but stopped. Honours DATABASE_URL and REDIS_URL host/port when they are set.
set -u
db_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hindsight}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
pg_host=$(node -e "const u=new URL(process.argv[1]);console.log(u.hostname||'127.0.0.1')" "$db_url")
pg_port=$(node -e "const u=new URL(process.argv[1]);console.log(u.port||5432)" "$db_url")
r_host=$(node -e "const u=new URL(process.argv[1]);console.log(u.hostname||'127.0.0.1')" "$redis_url")
r_port=$(node -e "const u=new URL(process.argv[1]);console.log(u.port||6379)" "$redis_url")

pg_up() { node -e "const n=require('net').connect(+process.argv[2],process.argv[1]);n.on('connect',()=>process.exit(0));n.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),2000)" "$pg_host" "$pg_port"; }
redis_up() { node -e "const n=require('net').connect(+process.argv[2],process.argv[1]);n.on('connect',()=>{n.write('PING\r\n')});n.on('data',d=>process.exit(String(d).includes('PONG')?0:1));n.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),2000)" "$r_host" "$r_port"; }
wait_for() { for _ in $(seq 1 30); do "$1" && return 0; sleep 1; done; return 1; }

help_msg() {
  cat >&2 <<MSG
$1 does not answer at $2 and is not installed here to start.
Start it, for example with Docker:  docker compose -f docker/compose.yml up -d
or point $3 at a running server (see README, "Configuration").
MSG
}

ok=0
if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] && [ "$pg_host" = 127.0.0.1 -o "$pg_host" = localhost ]; then
    echo "services: starting the local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    wait_for pg_up || { help_msg PostgreSQL "$pg_host:$pg_port" DATABASE_URL; ok=1; }
  else
    help_msg PostgreSQL "$pg_host:$pg_port" DATABASE_URL; ok=1
  fi
fi
if ! redis_up; then
  if command -v redis-server >/dev/null && [ "$r_host" = 127.0.0.1 -o "$r_host" = localhost ]; then
    echo "services: starting the local Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$r_port" --save "" --appendonly no >/dev/null || true
    wait_for redis_up || { help_msg Redis "$r_host:$r_port" REDIS_URL; ok=1; }
  else
    help_msg Redis "$r_host:$r_port" REDIS_URL; ok=1
  fi
fi
[ $ok = 0 ] && echo "services: PostgreSQL ($pg_host:$pg_port) and Redis ($r_host:$r_port) answer"
exit $ok
