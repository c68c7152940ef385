#!/usr/bin/env bash
# `make test`: everything CI checks, in the order that fails fastest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$TRACKBOARD_ROOT"

step() {
  local name=$1
  shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  local started=$SECONDS
  "$@"
  printf '\033[1m<== %s: ok (%ss)\033[0m\n' "$name" "$((SECONDS - started))"
}

step "setup" bash scripts/setup.sh
step "format" cargo fmt --all -- --check
step "clippy (native)" cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (wasm32)" cargo clippy -p trackboard -p trackboard-api -p trackboard-series --all-targets --locked \
  --target wasm32-unknown-unknown -- -D warnings
step "native tests" cargo test --workspace --locked
# The server suite a second time, on what a team runs at scale: PostgreSQL 15 and an
# S3-compatible bucket, each a throwaway on loopback; then two replicas over both.
# `--workspace` as above, not `-p trackboard-server`: the same features, so nothing is
# compiled again (with -p, 80 crates were, 2 min 20 s on a fresh clone).
step "server tests on PostgreSQL 15 + S3 (moto), and two replicas" \
  bash scripts/with_postgres.sh bash scripts/with_s3.sh bash -c \
  'cargo test --workspace --locked && cargo test --workspace --locked --test replicas -- --ignored'
step "browser unit tests (headless Chromium)" cargo test -p trackboard --locked --target wasm32-unknown-unknown
step "dashboard release build" bash scripts/build_dashboard.sh
# The native tests built the debug server already (with their dev-dependencies' features;
# a plain `cargo build` unifies others and compiled 68 s again): this only checks it is there.
step "server build" cargo test --workspace --locked --no-run
step "API fuzzing from the OpenAPI document (schemathesis)" bash scripts/api_fuzz.sh
step "Python client: ruff and mypy --strict" bash -c \
  'cd clients/python && ../../.tools/venv/bin/ruff check src tests && ../../.tools/venv/bin/mypy'
step "Python client (pytest against the real server)" \
  env TRACKBOARD_SERVER_BIN=target/debug/trackboard-server .tools/venv/bin/python -m pytest -q clients/python/tests
step "MLflow's client, 3.x and 2.x (pytest against the real server)" bash -c \
  'for venv in .tools/mlflow-venv .tools/mlflow2-venv; do TRACKBOARD_SERVER_BIN=target/debug/trackboard-server $venv/bin/python -m pytest -q -p no:warnings clients/mlflow/tests || exit 1; done'
# Each e2e file starts its own server and browser (nothing shared but e2e/output, where
# screenshot names differ), so two files run at once, one per core.
step "end-to-end tests (headless Chromium)" node --test --test-concurrency=2 e2e/
printf '\nAll checks passed.\n'
