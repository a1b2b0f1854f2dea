#!/usr/bin/env bash
# A module that already carries the Asyncify exports must be refused: transforming it twice
# would add a second set of asyncify_* exports. Binaryen stops with an internal-looking fatal
# ("Module::addExport: asyncify_start_unwind already exists"); our tool must exit 1 with a
# message that says the module is already asyncified, and write no output.
#
# Fixtures (made here from pauser.wat with Binaryen): the plain transform's output, and the
# asyncify-relocatable variant whose state globals are imports.
# The checks of our tool run when build/wasm-asyncify exists (or WASM_ASYNCIFY names it);
# the front end's error propagation is checked in any case.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="${INTEROP_OUT:-$repo/build/interop}/already-asyncified"
shim="$repo/interop/binaryen-shim/bin/wasm-opt"
tool="${WASM_ASYNCIFY:-$repo/build/wasm-asyncify}"
mkdir -p "$out"

passed=0 failed=0 skipped=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; shift; printf '  %s\n' "$@"; failed=$((failed + 1)); }
skip() { echo "SKIP $1"; skipped=$((skipped + 1)); }

# The fixtures.
wat2wasm "$here/pauser.wat" -o "$out/pauser.wasm"
/usr/bin/wasm-opt "$out/pauser.wasm" -O2 --asyncify --pass-arg=asyncify-imports@env.sleep \
  -o "$out/asyncified.wasm"
/usr/bin/wasm-opt "$out/pauser.wasm" --enable-mutable-globals --asyncify \
  --pass-arg=asyncify-relocatable -o "$out/asyncified-relocatable.wasm"

# The fixtures must really carry the ABI, or the checks below prove nothing.
for f in asyncified asyncified-relocatable; do
  exports=$(node -e '
    const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
    console.log(WebAssembly.Module.exports(m).map((e) => e.name).filter((n) => n.startsWith("asyncify_")).sort().join(","));
  ' "$out/$f.wasm")
  want=asyncify_get_state,asyncify_start_rewind,asyncify_start_unwind,asyncify_stop_rewind,asyncify_stop_unwind
  if [[ $exports == "$want" ]]; then pass "fixture $f carries the five Asyncify exports"
  else fail "fixture $f carries the five Asyncify exports" "got: $exports"; fi
done

# expect_refusal LABEL COMMAND...: exit status 1, a message naming the cause, no output file.
expect_refusal() {
  local label=$1 status=0
  shift
  rm -f "$out/twice.wasm"
  "$@" >"$out/stdout.txt" 2>"$out/stderr.txt" || status=$?
  local message
  message=$(cat "$out/stdout.txt" "$out/stderr.txt")
  if [[ $status != 1 ]]; then
    fail "$label" "exit status $status, expected 1" "$message"
  elif ! grep -qi 'already' <<<"$message" || ! grep -qi 'asyncif' <<<"$message"; then
    fail "$label" "message does not say the module is already asyncified:" "$message"
  elif [[ -e $out/twice.wasm ]]; then
    fail "$label" "an output file was written"
  else
    pass "$label"
  fi
}

# The front end passes the stand-in's refusal through (Binaryen's own message qualifies).
for f in asyncified asyncified-relocatable; do
  expect_refusal "front end (stand-in) refuses $f.wasm" \
    env WASM_ASYNCIFY=binaryen "$shim" "$out/$f.wasm" --enable-mutable-globals -O2 --asyncify \
    --pass-arg=asyncify-imports@env.sleep -o "$out/twice.wasm"
done

if [[ -x $tool ]]; then
  for f in asyncified asyncified-relocatable; do
    expect_refusal "wasm-asyncify refuses $f.wasm" \
      "$tool" "$out/$f.wasm" -o "$out/twice.wasm" --pass-arg=asyncify-imports@env.sleep
    expect_refusal "front end with wasm-asyncify refuses $f.wasm" \
      env WASM_ASYNCIFY="$tool" "$shim" "$out/$f.wasm" --enable-mutable-globals -O2 --asyncify \
      --pass-arg=asyncify-imports@env.sleep -o "$out/twice.wasm"
  done
  # The untransformed module is accepted: the refusal is about the exports, not the input.
  if "$tool" "$out/pauser.wasm" -o "$out/once.wasm" --pass-arg=asyncify-imports@env.sleep &&
    wasm-validate "$out/once.wasm"; then pass "wasm-asyncify transforms pauser.wasm"
  else fail "wasm-asyncify transforms pauser.wasm"; fi
else
  if [[ $tool == binaryen ]]; then skip "wasm-asyncify checks (WASM_ASYNCIFY=binaryen)"
  else skip "wasm-asyncify checks ($tool not built)"; fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
