#!/usr/bin/env bash
# Schemathesis (PyPI, installed by scripts/setup.sh into .tools/venv) against the real
# server: a fresh SQLite database, an admin token, every operation of the OpenAPI
# document with positive and negative data and every check. Its settings live in
# tests/api_fuzz/schemathesis.toml; it must end with no failure.
#   bash scripts/api_fuzz.sh [extra schemathesis options]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$TRACKBOARD_ROOT"

server=${TRACKBOARD_SERVER_BIN:-target/debug/trackboard-server}
work=$(mktemp -d /tmp/trackboard-fuzz.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$server" --bind "127.0.0.1:$port" --database-url "sqlite://$work/trackboard.db" \
  --artifact-dir "$work/artifacts" --dashboard-dir "$work/no-dashboard" --no-demo \
  --max-artifact-bytes 1048576 --max-image-bytes 1048576 >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 200); do
  token=$(grep -o '#token=[a-z0-9_]*' "$work/server.log" 2>/dev/null | head -1 | cut -d= -f2 || true)
  [ -n "$token" ] && curl -fsS -o /dev/null "$base/api/v1/health" 2>/dev/null && break
  sleep 0.1
done
if [ -z "${token:-}" ]; then
  echo "api_fuzz: the server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/openapi.json" -o "$work/openapi.json"

# The admin token must survive the run: revoking tokens is left to the tests of its own.
"$TRACKBOARD_ROOT/.tools/venv/bin/schemathesis" \
  --config-file tests/api_fuzz/schemathesis.toml \
  run "$work/openapi.json" --url "$base" \
  -H "Authorization: Bearer $token" \
  "$@"
