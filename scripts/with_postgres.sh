#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 cluster: made in a temporary folder,
# listening on a free loopback port, removed when the command ends (whatever its end).
# The command finds the server in TRACKBOARD_TEST_POSTGRES_URL.
#   bash scripts/with_postgres.sh cargo test -p trackboard-server
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

cluster=$(mktemp -d /tmp/trackboard-postgres.XXXXXX)
# Postgres refuses to run as root: then the cluster belongs to the `postgres` user the
# Debian package creates.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres "$cluster"

stop() {
  as_owner "$POSTGRES_BIN/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner "$POSTGRES_BIN/initdb" -D "$cluster/data" -U postgres --auth=trust \
  --encoding=UTF8 --locale=C >"$cluster/initdb.log"
# fsync off: this cluster lives for one test run; durability is SQLite's test's business.
as_owner "$POSTGRES_BIN/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w start \
  -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$cluster \
      -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null

export TRACKBOARD_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with_postgres: PostgreSQL $("$POSTGRES_BIN/postgres" --version | awk '{print $3}') at $TRACKBOARD_TEST_POSTGRES_URL"
"$@"
