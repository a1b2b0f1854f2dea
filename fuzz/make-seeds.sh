#!/usr/bin/env bash
# Fills a seed corpus directory: the built test fixtures, the WAT fixtures assembled with
# wat2wasm, and small random valid modules from Binaryen's `wasm-opt -ttf` (fixed seeds, so
# the corpus is reproducible). Usage: fuzz/make-seeds.sh OUT_DIR [TTF_COUNT]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$1"
ttf_count="${2:-24}"
max_bytes=100000  # larger inputs only slow libFuzzer down
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

add() {  # copy $1 under a content-derived name when small enough
  local size
  size=$(stat -c %s "$1")
  if (( size > 0 && size <= max_bytes )); then
    cp "$1" "$out/$(sha1sum "$1" | cut -c1-16).wasm"
  fi
}

while IFS= read -r -d '' f; do add "$f"; done < <(
  find "$root/tests/fixtures" "$root/tests/exec/build" -path '*/build/random*' -prune \
    -o -name '*.wasm' -print0 2>/dev/null)

while IFS= read -r -d '' wat; do
  if wat2wasm --enable-all "$wat" -o "$tmp/w.wasm" 2>/dev/null; then add "$tmp/w.wasm"; fi
done < <(find "$root/tests/fixtures" "$root/fuzz/seeds" -name '*.wat' -print0 2>/dev/null)

features=("--mvp-features" "" "--enable-multivalue" "--enable-simd"
          "--enable-exception-handling" "--enable-tail-call"
          "--enable-reference-types --enable-bulk-memory")
for ((i = 0; i < ttf_count; i++)); do
  # Deterministic pseudo-random bytes per seed.
  for ((k = 0; k < 64; k++)); do printf '%s' "seed-$i-$k"; done | sha512sum | head -c 128 > "$tmp/r.bin"
  for ((k = 0; k < 8; k++)); do
    block=$(sha512sum "$tmp/r.bin" | head -c 128)
    printf '%s' "$block" >> "$tmp/r.bin"
  done
  # shellcheck disable=SC2086
  if wasm-opt -ttf "$tmp/r.bin" ${features[i % ${#features[@]}]} -o "$tmp/t.wasm" 2>/dev/null; then
    add "$tmp/t.wasm"
  fi
done
echo "seed corpus: $(find "$out" -name '*.wasm' | wc -l) files in $out"
