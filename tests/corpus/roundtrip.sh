#!/usr/bin/env bash
# Round trip of the real-world corpus: for every .wasm in DIR (default .cache/corpus, filled by
# scripts/fetch-corpus.sh), `wasm-asyncify --roundtrip` must reproduce the file byte for byte,
# and an independent engine must accept the output (WebAssembly.validate in node, else wabt's
# wasm-validate --enable-all).
#
# Usage: tests/corpus/roundtrip.sh [DIR]      (WASM_ASYNCIFY=path/to/wasm-asyncify to choose the tool)
# Prints one line per module and "N passed, N failed"; exits 1 if any failed, 77 if there was
# no module to try (the corpus is not installed).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-$root/.cache/corpus}"
tool="${WASM_ASYNCIFY:-$root/build/wasm-asyncify}"
if [[ ! -x "$tool" ]]; then
  echo "roundtrip: no tool at $tool (build it, or set WASM_ASYNCIFY)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

validate() {
  if command -v node >/dev/null; then
    node -e 'const b = require("fs").readFileSync(process.argv[1]);
             process.exit(WebAssembly.validate(b) ? 0 : 1)' "$1"
  else
    wasm-validate --enable-all "$1" >/dev/null 2>&1
  fi
}

passed=0 failed=0
shopt -s nullglob
for wasm in "$dir"/*.wasm; do
  name="$(basename "$wasm")"
  out="$work/$name"
  start=$(date +%s%N)
  if ! msg="$("$tool" --roundtrip "$wasm" -o "$out" 2>&1)"; then
    echo "FAIL $name: $msg"; failed=$((failed + 1)); continue
  fi
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  if ! cmp -s "$wasm" "$out"; then
    echo "FAIL $name: output differs from the input"; failed=$((failed + 1)); continue
  fi
  if ! validate "$out"; then
    echo "FAIL $name: the engine rejects the output"; failed=$((failed + 1)); continue
  fi
  echo "ok   $name ($(stat -c %s "$wasm") bytes, ${ms} ms read+validate+write+check)"
  passed=$((passed + 1))
done
echo "$passed passed, $failed failed"
if [[ $((passed + failed)) -eq 0 ]]; then
  echo "roundtrip: no .wasm in $dir (run scripts/fetch-corpus.sh)" >&2
  exit 77
fi
[[ $failed -eq 0 ]]
