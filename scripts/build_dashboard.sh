#!/usr/bin/env bash
# The dashboard's static directory, for the server or any static host / CDN:
#   bash scripts/build_dashboard.sh [API_BASE_URL] [OUT_DIR]
# (`make dashboard API_URL=https://tracking.example.com OUT=site`). Without an API URL
# the dashboard calls the origin it is served from.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
api_url=${1:-}
out=$(realpath -m "${2:-$TRACKBOARD_ROOT/dist}")
cd "$TRACKBOARD_ROOT"
trunk build --release --dist "$out"
node scripts/precompress.mjs "$out"
if [ -n "$api_url" ]; then
  node scripts/dashboard_config.mjs "$out" "$api_url"
fi
echo "dashboard: $out/ is ready to upload; serve index.html for unknown paths (app routes)"
