#!/usr/bin/env bash
# Runs a crate's unit tests compiled to wasm32-wasip1 (with simd128, as the app ships: see
# .cargo/config.toml) under Node's WASI, so the wasm-only code paths (the pattern skipper's
# simd128 classifier) are tested by the same tests as natively.
# Usage: scripts/wasm-unit-tests.sh PACKAGE
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
[ $# -eq 1 ] || die "usage: scripts/wasm-unit-tests.sh PACKAGE"
ensure_wasi_target
program=$(cargo test -p "$1" --lib --target wasm32-wasip1 --no-run --message-format=json \
  | sed -nE 's/.*"executable":"([^"]+\.wasm)".*/\1/p' | tail -1)
[ -n "$program" ] || die "the wasm build of $1's unit tests produced no program"
# The tests read no files: give the runner's two preopened directories an empty one.
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
EVENTYARD_BENCH_DATA=$empty EVENTYARD_BENCH_SPEC=$empty node --no-warnings scripts/wasi-run.mjs "$program"
