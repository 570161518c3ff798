#!/usr/bin/env bash
# Runs a benchmark binary (harness = false) compiled to wasm, under Node's WASI, so that the
# engine's speed in wasm is measured by the same code as natively.
# Usage: scripts/bench-wasm.sh PACKAGE BENCH [ARGS...]
#   e.g. scripts/bench-wasm.sh eventyard-pattern citylots --passes 5
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
[ $# -ge 2 ] || die "usage: scripts/bench-wasm.sh PACKAGE BENCH [ARGS...]"
package=$1 bench=$2
shift 2

ensure_wasi_target

# Node 20's V8 can crash collecting garbage while a large wasm memory grows; starting with
# 3 GiB reserved means the benchmark never grows it.
export CARGO_TARGET_WASM32_WASIP1_RUSTFLAGS="-C link-arg=--initial-memory=3221225472 -C link-arg=--max-memory=4294967296"
program=$(cargo bench -p "$package" --bench "$bench" --target wasm32-wasip1 --no-run --message-format=json \
  | sed -nE 's/.*"executable":"([^"]+\.wasm)".*/\1/p' | tail -1)
[ -n "$program" ] || die "the wasm build of $package/$bench produced no program"
exec node --no-warnings scripts/wasi-run.mjs "$program" "$@"
