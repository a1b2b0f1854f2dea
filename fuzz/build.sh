#!/usr/bin/env bash
# Builds the libFuzzer targets into build/fuzz (fuzz_read, fuzz_validate, fuzz_transform).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_BUILD_DIR:-$root/build/fuzz}"
cmake -S "$root/fuzz" -B "$out" -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null
ninja -C "$out"
