#!/usr/bin/env bash
# Runs every test of Eventyard, in order: format, lints, native tests of every crate, wasm tests
# in headless Chromium, and end-to-end tests of the release app in headless Chromium.
# Installs what it lacks first. The last line is the total: "N passed, M failed, K skipped".
# A test that finds nothing to check (the shared conformance corpus absent) writes a line
# "eventyard-skipped: NAME (why)" to its stderr and counts as skipped, not passed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
set -e
ensure_app_tools
ensure_chromium
set +e

export CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)}
export CARGO_TERM_COLOR=never
log_dir=$(mktemp -d)
passed=0
failed=0
skipped=0
failed_stages=()

# Adds up "N passed; M failed; K ignored" (cargo, wasm-bindgen-test) and "# pass N" / "# fail N" /
# "# skipped N" (node TAP); a test that reported "eventyard-skipped:" moves from passed to skipped.
count() {
  local log=$1 p f s n
  p=$(sed -nE 's/.*test result: [a-zA-Z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\1/p; s/^# pass ([0-9]+)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  f=$(sed -nE 's/.*test result: [a-zA-Z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\2/p; s/^# fail ([0-9]+)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  s=$(sed -nE 's/.*test result: .* ([0-9]+) ignored.*/\1/p; s/^# skipped ([0-9]+)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  n=$(grep -c '^eventyard-skipped: ' "$log")
  echo "$((p - n)) $f $((s + n))"
}

# stage NAME counted|check COMMAND...: a counted stage adds its tests; a check counts as one.
stage() {
  local name=$1 kind=$2 log="$log_dir/$1.log" status p f s
  shift 2
  say "$name"
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  if [ "$kind" = counted ]; then
    read -r p f s < <(count "$log")
  else
    p=1 f=0 s=0
  fi
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1 # it failed before any test could report (a build error, a crash)
    [ "$kind" = check ] && p=0
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
  [ "$status" -eq 0 ] || failed_stages+=("$name")
}

stage fmt check cargo fmt --all --check
stage clippy check cargo clippy --workspace --all-targets -- -D warnings
stage native-tests counted cargo test --workspace
stage wasm-tests counted cargo test -p eventyard --target wasm32-unknown-unknown --test web
stage wasm-trace-tests counted cargo test -p eventyard-sim --target wasm32-unknown-unknown --test trace_golden
# The pattern engine's unit tests in wasm with simd128 (the skipper's wasm-only classifier).
stage wasm-unit-tests counted scripts/wasm-unit-tests.sh eventyard-pattern
# A fresh build each time, so the end-to-end tests can never pass on a stale one; built beside
# dist/ (not into it), so a running ./scripts/serve.sh keeps serving.
export EVENTYARD_DIST="$PWD/target/e2e-dist"
stage release-build check bash -c 'rm -rf "$EVENTYARD_DIST" && trunk build --release --offline --dist "$EVENTYARD_DIST"'
stage e2e-tests counted node --test --test-reporter=tap tests/e2e/

rm -rf "$log_dir"
echo
[ ${#failed_stages[@]} -eq 0 ] || echo "failed stages: ${failed_stages[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#failed_stages[@]} -eq 0 ]
