#!/usr/bin/env bash
# Prints the bytes the playground ships (wasm, js, css, html in dist/), raw and gzip -9.
# Run after a release build (scripts/serve.sh or scripts/test.sh builds one).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
[ -d "$dist" ] || { echo "no $dist/: build first (trunk build --release --offline)" >&2; exit 1; }
printf '%-6s %12s %12s\n' kind raw gzip
total_raw=0 total_gz=0
for kind in wasm js css html; do
  raw=0 gz=0
  while IFS= read -r -d '' file; do
    raw=$((raw + $(wc -c <"$file")))
    gz=$((gz + $(gzip -9 -c "$file" | wc -c)))
  done < <(find "$dist" -path "$dist/.*" -prune -o -type f -name "*.$kind" -print0)
  printf '%-6s %12d %12d\n' "$kind" "$raw" "$gz"
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
done
printf '%-6s %12d %12d\n' total "$total_raw" "$total_gz"
