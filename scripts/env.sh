# Sourced by the other scripts: the tools setup.sh installs, on PATH.
# shellcheck shell=bash
TRACKBOARD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TRACKBOARD_ROOT
export PATH="$TRACKBOARD_ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# trunk must not look for updates (no network beyond the registries).
export TRUNK_SKIP_VERSION_CHECK=true
# wasm-bindgen-test-runner drives Debian's Chromium through this driver.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
# Debian's PostgreSQL 15 server programs (initdb, pg_ctl), for scripts/with_postgres.sh.
export POSTGRES_BIN="${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
