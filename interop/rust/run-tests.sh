#!/usr/bin/env bash
# Builds the Rust example with Debian's rustc for wasm32-unknown-unknown, transforms it with
# plain Binaryen and with our transform (through the wasm-opt front end, and directly when
# build/wasm-asyncify exists), then runs every result through each Asyncify driver in Node and
# compares with the untransformed module run synchronously. Prints sizes and times.
#
# Environment: WASM_ASYNCIFY as for the front end; when unset, build/wasm-asyncify if it exists,
#   otherwise `binaryen` (the front end's stand-in). RUSTC overrides /usr/bin/rustc (Debian's:
#   a newer rustc elsewhere on PATH may lack the wasm32 standard library or differ in output).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="${INTEROP_OUT:-$repo/build/interop}/rust"
rustc="${RUSTC:-/usr/bin/rustc}"
imports='--pass-arg=asyncify-imports@env.get_answer'

if [[ -z ${WASM_ASYNCIFY:-} ]]; then
  if [[ -x $repo/build/wasm-asyncify ]]; then WASM_ASYNCIFY=$repo/build/wasm-asyncify
  else WASM_ASYNCIFY=binaryen; fi
fi
export WASM_ASYNCIFY
[[ -x $rustc ]] || { echo "missing $rustc (apt: rustc libstd-rust-dev-wasm32)"; exit 1; }
[[ -d $repo/interop/node_modules/asyncify-wasm ]] ||
  (cd "$repo/interop" && npm ci --no-audit --no-fund --silent)

mkdir -p "$out"
now_ms() { date +%s%3N; }
declare -a rows
transform_failures=0
timed() {  # timed LABEL FILE COMMAND...: runs the command, records size of FILE and time
  local label=$1 file=$2 start end status=0
  shift 2
  rm -f "$file"
  start=$(now_ms)
  "$@" || status=$?
  end=$(now_ms)
  if ((status)); then
    echo "FAIL $label exited $status"
    transform_failures=$((transform_failures + 1))
    rows+=("$(printf '%-28s %9s %8s' "$label" failed $((end - start)))")
    return 1
  fi
  rows+=("$(printf '%-28s %9s %8s' "$label" "$(stat -c %s "$file")" $((end - start)))")
}

# One command builds the crate (no cargo, no registry).
timed "rustc (untransformed)" "$out/answer.wasm" \
  "$rustc" --edition 2021 --target wasm32-unknown-unknown --crate-type cdylib \
  -C opt-level=2 -C panic=abort -C strip=debuginfo \
  "$here/answer/src/lib.rs" -o "$out/answer.wasm"

# A transform that fails counts as a failure; the others are still run.
modules=()
timed "binaryen -O2 --asyncify" "$out/answer.binaryen.wasm" \
  /usr/bin/wasm-opt "$out/answer.wasm" -O2 --asyncify "$imports" -o "$out/answer.binaryen.wasm" &&
  modules+=("binaryen=$out/answer.binaryen.wasm")
timed "front end -O2 --asyncify" "$out/answer.shim.wasm" \
  "$repo/interop/binaryen-shim/bin/wasm-opt" "$out/answer.wasm" -O2 --asyncify "$imports" \
  -o "$out/answer.shim.wasm" && modules+=("front-end=$out/answer.shim.wasm")
if [[ $WASM_ASYNCIFY != binaryen ]]; then
  timed "wasm-asyncify (direct)" "$out/answer.ours.wasm" \
    "$WASM_ASYNCIFY" "$out/answer.wasm" -o "$out/answer.ours.wasm" "$imports" &&
    modules+=("wasm-asyncify=$out/answer.ours.wasm")
fi
valid=()
for m in "${modules[@]}"; do
  if wasm-validate "${m#*=}"; then valid+=("$m")
  else echo "FAIL invalid output: ${m#*=}"; transform_failures=$((transform_failures + 1)); fi
done

echo "asyncify step of the front end: $WASM_ASYNCIFY"
printf '%-28s %9s %8s\n' step bytes ms
printf '%s\n' "${rows[@]}"
echo
PRIOR_FAILURES=$transform_failures node "$here/check.mjs" "$out/answer.wasm" "${valid[@]}"
