#!/usr/bin/env bash
# Runs every cargo-fuzz target of the engine for a given time each, and prints, per target, the
# executions done and whether it found a crash (libFuzzer writes the input to the target's
# artifacts/ folder). Not part of the test command: fuzzing is open-ended and needs nightly.
# Record the figures in BENCHMARKS.md ("Fuzzing"); the goal is 0 crashes over 10 M executions
# per target.
#
# Usage: [FUZZ_SANITIZER=none] [FUZZ_RUNS=10000000] [FUZZ_NICE=19] scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   targets: pattern/parse_and_match template/load sim/run (default: all)
#   e.g. scripts/fuzz.sh 600            # ten minutes each
#        scripts/fuzz.sh 60 template/load
# FUZZ_SANITIZER (default address) is cargo-fuzz's --sanitizer: "none" runs several times more
# executions a second, for reaching the 10 M goal on the safe-Rust targets (panics and aborts
# are what they look for; keep AddressSanitizer for the pattern crate's unsafe SIMD code).
# FUZZ_RUNS stops a target after that many executions (SECONDS_PER_TARGET stays the cap).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pattern/parse_and_match template/load sim/run)
[[ $seconds =~ ^[0-9]+$ ]] || die "SECONDS_PER_TARGET must be a whole number, not '$seconds'"

# cargo-fuzz builds with sanitizers, which need the nightly toolchain.
if ! rustup toolchain list | grep -q '^nightly'; then
  say "installing the nightly Rust toolchain (for cargo-fuzz's sanitizer builds; once)"
  rustup toolchain install nightly --profile minimal \
    || die "could not install nightly; run by hand: rustup toolchain install nightly --profile minimal"
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (cargo install --locked; a few minutes, once)"
  cargo +nightly install --locked cargo-fuzz \
    || die "could not install cargo-fuzz; run by hand: cargo +nightly install --locked cargo-fuzz"
fi

status=0
summary=()
for target in "${targets[@]}"; do
  crate=${target%%/*} name=${target#*/}
  dir="crates/$crate/fuzz"
  [ -f "$dir/Cargo.toml" ] || die "no fuzz workspace at $dir (targets: pattern/parse_and_match template/load sim/run)"
  log=$(mktemp)
  # The committed seeds stay as they are: libFuzzer grows a working copy under target/.
  work="target/corpus/$name"
  mkdir -p "$dir/$work"
  cp -n "$dir/corpus/$name/"* "$dir/$work/" 2>/dev/null || true
  say "fuzzing $target for at most ${seconds}s"
  started=$SECONDS
  # -rss_limit_mb guards memory; a crash stops the run with libFuzzer's non-zero status.
  if (cd "$dir" && nice -n "${FUZZ_NICE:-10}" cargo +nightly fuzz run --sanitizer "${FUZZ_SANITIZER:-address}" "$name" "$work" -- \
        -max_total_time="$seconds" -runs="${FUZZ_RUNS:--1}" -rss_limit_mb=2048 \
        -print_final_stats=1) >"$log" 2>&1; then
    found=0
  else
    found=1
    status=1
  fi
  runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)
  crash=$(grep -Eo 'Test unit written to [^ ]+' "$log" | tail -1 || true)
  if [ "$found" = 1 ] && [ -z "$crash" ]; then
    tail -20 "$log" >&2
  fi
  summary+=("$(printf '%-24s %12s executions in %ss  %s' "$target" "${runs:-?}" "$((SECONDS - started))" \
    "$([ "$found" = 0 ] && echo 'no crash' || echo "CRASH: ${crash:-see the log above}")")")
  rm -f "$log"
done
printf '%s\n' "${summary[@]}"
exit $status
