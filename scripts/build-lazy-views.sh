#!/usr/bin/env bash
# Trunk post_build hook (Trunk.toml): builds the second wasm module, crates/lazy-views (the
# playground and sign-in views), beside the app Trunk just staged, and writes its file names into
# the staged index.html (<meta name="eventyard-lazy">) for static/lazy.js.
#
# Trunk builds one main wasm app per page, so this module is built the way Trunk builds that
# one: cargo for wasm32 with the same profile, wasm-bindgen --target web, and in release
# wasm-opt -Oz (the wasm-bindgen and wasm-opt on PATH that Trunk itself uses). Names carry a
# content hash, as Trunk's do, so a browser never mixes a cached module with a new shell.
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by trunk (Trunk.toml [[hooks]])}"
source_dir=${TRUNK_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
profile=${TRUNK_PROFILE:-debug}
target_dir=${CARGO_TARGET_DIR:-$source_dir/target}
base=${TRUNK_PUBLIC_URL:-/}

cargo_args=(build --locked --target wasm32-unknown-unknown -p eventyard-lazy-views --lib
  --manifest-path "$source_dir/Cargo.toml")
[ "$profile" = release ] && cargo_args+=(--release)
cargo "${cargo_args[@]}"

wasm="$target_dir/wasm32-unknown-unknown/$profile/eventyard_lazy_views.wasm"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name lazy-views "$wasm"
if [ "$profile" = release ]; then
  wasm-opt --output="$out/lazy-views_bg.opt.wasm" -Oz "$out/lazy-views_bg.wasm"
  mv "$out/lazy-views_bg.opt.wasm" "$out/lazy-views_bg.wasm"
fi

hash=$(cat "$out/lazy-views.js" "$out/lazy-views_bg.wasm" | sha256sum | cut -c1-16)
name="eventyard-lazy-views-$hash"
cp "$out/lazy-views.js" "$TRUNK_STAGING_DIR/$name.js"
cp "$out/lazy-views_bg.wasm" "$TRUNK_STAGING_DIR/${name}_bg.wasm"
# JS snippets of the shared library (same names and contents as the shell's).
[ -d "$out/snippets" ] && cp -rn "$out/snippets" "$TRUNK_STAGING_DIR/"

html="$TRUNK_STAGING_DIR/index.html"
grep -q 'name="eventyard-lazy"' "$html" || { echo "build-lazy-views: no <meta name=\"eventyard-lazy\"> in $html" >&2; exit 1; }
sed -i "s|<meta name=\"eventyard-lazy\"[^>]*>|<meta name=\"eventyard-lazy\" data-js=\"$base$name.js\" data-wasm=\"$base${name}_bg.wasm\">|" "$html"
echo "build-lazy-views: $name ($(wc -c < "$TRUNK_STAGING_DIR/${name}_bg.wasm") bytes of wasm)"
