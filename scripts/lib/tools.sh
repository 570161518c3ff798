# Installs, once, the tools that building and testing Eventyard need, and skips what is there.
# Sourced by scripts/serve.sh and scripts/test.sh. Every step says what to do by hand if it fails.

TRUNK_VERSION=0.21.14 # trunk 0.22 needs a newer rustc than 1.95

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Tools that npm and cargo install must come first on PATH (Debian's wasm-opt is too old).
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# The version of wasm-bindgen the app is locked to: the CLI must be exactly the same.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_rust_target() { # target triple
  rustup target list --installed 2>/dev/null | grep -qx "$1" && return
  say "adding the $1 Rust target"
  rustup target add "$1" || die "could not add the $1 target; run by hand: rustup target add $1"
}

# The app's target, and WASI for running the engine's own tests and benchmarks in wasm (Node).
ensure_wasm_target() { ensure_rust_target wasm32-unknown-unknown; }
ensure_wasi_target() { ensure_rust_target wasm32-wasip1; }

ensure_cargo_tool() { # binary, version line it prints, crate@version
  "$1" --version 2>/dev/null | grep -qx "$2" && return
  say "installing $3 (cargo install --locked; a few minutes, once)"
  cargo install --locked "$3" \
    || die "could not install $3; run by hand: cargo install --locked $3"
}

ensure_trunk() { ensure_cargo_tool trunk "trunk $TRUNK_VERSION" "trunk@$TRUNK_VERSION"; }

ensure_wasm_bindgen() {
  local version
  version=$(wasm_bindgen_version)
  [ -n "$version" ] || die "Cargo.lock names no wasm-bindgen version"
  ensure_cargo_tool wasm-bindgen "wasm-bindgen $version" "wasm-bindgen-cli@$version"
  ensure_cargo_tool wasm-bindgen-test-runner "wasm-bindgen-test-runner $version" "wasm-bindgen-cli@$version"
}

ensure_npm_packages() {
  # npm ci reinstalls everything; only run it when the lockfile changed since the last install.
  if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.eventyard-lock; then
    return
  fi
  command -v npm >/dev/null || die "npm is missing; install Node.js 20 or newer (apt-get install nodejs npm)"
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund || die "npm ci failed; run it by hand in $PWD"
  cp package-lock.json node_modules/.eventyard-lock
}

ensure_chromium() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && return
  say "installing Chromium and ChromeDriver from Debian's packages"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } \
    || die "could not install Chromium; run by hand: sudo apt-get install chromium chromium-driver"
}

ensure_app_tools() {
  ensure_wasm_target
  ensure_wasi_target
  ensure_npm_packages
  ensure_trunk
  ensure_wasm_bindgen
}
