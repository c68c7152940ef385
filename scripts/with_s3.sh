#!/usr/bin/env bash
# Runs a command beside a throwaway S3-compatible server on a free loopback port:
# moto's server (PyPI, installed by scripts/setup.sh into .tools/venv), with one empty
# bucket. The command finds it through the usual AWS_* variables and
# TRACKBOARD_TEST_OBJECT_STORE_URL=s3://trackboard-test.
#   bash scripts/with_s3.sh cargo test -p trackboard-server --test api_artifacts
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

log=$(mktemp /tmp/trackboard-s3.XXXXXX.log)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$TRACKBOARD_ROOT/.tools/venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true; wait $moto 2>/dev/null || true; rm -f "$log"' EXIT

endpoint="http://127.0.0.1:$port"
for _ in $(seq 100); do
  curl -fsS -o /dev/null "$endpoint/moto-api/" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -X PUT "$endpoint/trackboard-test" -o /dev/null || {
  echo "with_s3: the S3 server did not start:" >&2
  cat "$log" >&2
  exit 1
}

export AWS_ENDPOINT_URL="$endpoint" AWS_ALLOW_HTTP=true AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=trackboard AWS_SECRET_ACCESS_KEY=trackboard-secret
export TRACKBOARD_TEST_OBJECT_STORE_URL=s3://trackboard-test
echo "with_s3: moto S3 server at $endpoint, bucket trackboard-test"
"$@"
