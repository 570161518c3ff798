#!/usr/bin/env bash
# Builds the release app and serves the playground on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
ensure_app_tools
say "serving Eventyard on http://127.0.0.1:8080 (Ctrl-C stops)"
exec trunk serve --release --offline --no-autoreload --address 127.0.0.1 --port 8080
