#!/usr/bin/env bash
# `make run`: builds the dashboard (release) and the server, then serves both on
# http://127.0.0.1:8080 with the data under ./data. Extra arguments go to the server
# (see `trackboard-server --help`, e.g. `--bind 0.0.0.0:9000`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$TRACKBOARD_ROOT"

bash scripts/setup.sh
bash scripts/build_dashboard.sh
cargo build --release --locked -p trackboard-server
exec target/release/trackboard-server --dashboard-dir dist "$@"
