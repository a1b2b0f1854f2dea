#!/usr/bin/env bash
# Every interop suite: the wasm-opt front end's unit tests, Emscripten programs built both ways,
# the Rust example through each Asyncify driver, and the refusal of already-asyncified modules.
# Ends with one 'N passed, N failed, N skipped' line summing them all.
# Environment: WASM_ASYNCIFY (see binaryen-shim/lib/main.mjs); INTEROP_OUT (build/interop).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
log_dir="${INTEROP_OUT:-$here/../build/interop}"
mkdir -p "$log_dir"
[[ -d $here/node_modules/asyncify-wasm ]] ||
  (cd "$here" && npm ci --no-audit --no-fund --silent) || { echo "npm ci failed in interop/"; exit 1; }

passed=0 failed=0 skipped=0 broken=()

# suite NAME COMMAND...: runs one suite, echoes its output, adds up its closing counts.
suite() {
  local name=$1 log="$log_dir/$1.log" status=0
  shift
  echo "=== $name"
  "$@" 2>&1 | tee "$log" || status=$?
  local p f s
  if grep -q '^# pass ' "$log"; then  # node's test runner
    p=$(sed -n 's/^# pass //p' "$log"); f=$(sed -n 's/^# fail //p' "$log")
    s=$(sed -n 's/^# skipped //p' "$log")
  else
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
    s=$(sed -nE 's/.*, ([0-9]+) skipped.*/\1/p' <<<"$line")
  fi
  if [[ -z $p || -z $f ]]; then
    broken+=("$name (no result line, exit $status)"); failed=$((failed + 1)); return
  fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
  # A suite that failed without counting a failure still fails the run.
  if ((status != 0 && f == 0)); then broken+=("$name (exit $status)"); failed=$((failed + 1)); fi
}

suite binaryen-shim node --test "$here"/binaryen-shim/test/*.test.mjs
suite emscripten "$here/emscripten/run-tests.sh"
suite rust "$here/rust/run-tests.sh"
suite already-asyncified "$here/already-asyncified/run-tests.sh"

echo
((${#broken[@]})) && printf 'broken suite: %s\n' "${broken[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
