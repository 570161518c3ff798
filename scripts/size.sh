#!/usr/bin/env bash
# Prints the bytes the app ships (wasm, js, css, html in dist/), raw and gzip -9, split into what
# the first view loads and what loads on demand (the second wasm module, eventyard-lazy-views-*:
# the playground and sign-in). Run after a release build (scripts/serve.sh or scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
[ -d "$dist" ] || { echo "no $dist/: build first (trunk build --release --offline)" >&2; exit 1; }
for part in "first view" "on demand"; do
  echo "== $part"
  printf '%-6s %12s %12s\n' kind raw gzip
  total_raw=0 total_gz=0
  for kind in wasm js css html; do
    raw=0 gz=0
    while IFS= read -r -d '' file; do
      case "$(basename "$file")" in
        eventyard-lazy-views-*) [ "$part" = "on demand" ] || continue ;;
        *) [ "$part" = "first view" ] || continue ;;
      esac
      raw=$((raw + $(wc -c <"$file")))
      gz=$((gz + $(gzip -9 -c "$file" | wc -c)))
    done < <(find "$dist" -path "$dist/.*" -prune -o -type f -name "*.$kind" -print0)
    printf '%-6s %12d %12d\n' "$kind" "$raw" "$gz"
    total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
  done
  printf '%-6s %12d %12d\n' total "$total_raw" "$total_gz"
done
