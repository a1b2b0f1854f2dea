#!/usr/bin/env bash
# Runs every test: C++ unit and tool tests (CTest), execution tests of transformed modules in
# Node, the JavaScript runtime and WASI suites (Node and headless Chromium), the browser shell,
# interop with Emscripten and Rust, the corpus round trip, real-world packages run on transformed
# binaries, differential execution, short fuzzing runs, and the benchmark script in its quick mode.
#   scripts/test.sh            everything
#   QUICK=1 scripts/test.sh    skip the slow suites (interop, corpus, benchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
failed=()
# Each step's output is also kept so that a failure's details are printed again at the very end,
# where a CI log that shows only its tail still has them.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
step() {
  local name=$1
  shift
  echo "==== $name"
  steps=$((steps + 1))
  local start=$SECONDS log="$logs/$steps.log"
  if "$@" 2>&1 | tee "$log"; then
    echo "==== $name: ok ($((SECONDS - start)) s)"
  else
    echo "==== $name: FAILED ($((SECONDS - start)) s)"
    failed+=("$name")
    failure_logs+=("$log")
  fi
}
steps=0
failure_logs=()

# A test that never ends (wasm spinning after a transform bug) is killed after this long,
# far above any file's normal time, so that a broken build fails instead of hanging.
backstop=--test-timeout=900000

step "build" scripts/build.sh build
step "unit tests (ctest)" ctest --test-dir build --output-on-failure -j2 --timeout 300
step "runtime/js install" bash -c "cd runtime/js && npm ci --no-audit --no-fund --loglevel=error"
step "execution tests install" bash -c "cd tests/exec && npm ci --no-audit --no-fund --loglevel=error"
step "execution tests (transformed C and WAT programs in Node; exnref, GC and typed references in Chromium)" node --test $backstop tests/exec/
step "runtime/js tests (Node and Chromium)" bash -c "cd runtime/js && ASYNCIFY_TOOL=$root/build/wasm-asyncify npm test"
step "browser shell (web, Chromium)" bash -c "cd web && npm ci --no-audit --no-fund --loglevel=error && ASYNCIFY_TOOL=$root/build/wasm-asyncify npm test"
if [ -z "${QUICK:-}" ]; then
  step "corpus round trip" bash -c "scripts/fetch-corpus.sh .cache/corpus && tests/corpus/roundtrip.sh .cache/corpus"
  step "real-world packages (sql.js, oniguruma, wabt, brotli, resvg, QuickJS, tree-sitter, CanvasKit, binaryen.js, swc, esbuild through their own JavaScript, every import pausing; ours and Binaryen's)" \
    bash -c "cd tests/realworld && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && cd ../.. && REALWORLD_REQUIRED=1 ASYNCIFY_TOOL=$root/build/wasm-asyncify node --test $backstop --test-concurrency=2 tests/realworld/"
  step "interop (Emscripten, Rust)" bash -c "WASM_ASYNCIFY=$root/build/wasm-asyncify interop/run-tests.sh"
  step "differential execution (random modules, original vs transformed; Binaryen 132's in Chromium)" bash -c "cd fuzz && npm ci --no-audit --no-fund --loglevel=error && cd .. && node fuzz/differential.mjs --count 128 && node fuzz/differential.mjs --replay fuzz/differential-regressions"
  step "limits (100,000-deep nesting, with a pausing call on every level too; 100,000 functions; every local live at 3,000 calls; a quadratic shape refused)" fuzz/limits.sh
  step "libFuzzer (read, validate, transform; short run)" fuzz/run.sh --seconds 20
  step "benchmark tests and script (quick)" bash -c "node --test bench/test/ scripts/corpus/ && bench/run.sh --quick --strict"
fi

if ((${#failed[@]})); then
  for i in "${!failed[@]}"; do
    echo "==== the last lines of the failed step \"${failed[$i]}\":"
    tail -n 60 "${failure_logs[$i]}"
  done
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all test steps passed"
