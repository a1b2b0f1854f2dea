#!/usr/bin/env bash
# Drop-in check: the same wasm-opt command lines given to wasm-asyncify and to Binaryen's
# wasm-opt both succeed and produce modules with the same Asyncify exports; bad input gives
# exit status 1 and no output file.
# Usage: tests/tool/wasm_opt_compat.sh path/to/wasm-asyncify
set -euo pipefail
tool="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
wat2wasm --debug-names "$root/tests/fixtures/binary/mvp.wat" -o "$work/in.wasm"

exports() {  # the sorted export names of a module
  wasm-objdump -x -j Export "$1" | sed -n 's/.* -> "\(.*\)"$/\1/p' | sort
}

status=0
check() {  # description, then the arguments after the input file
  local what="$1"; shift
  rm -f "$work/ours.wasm" "$work/theirs.wasm"
  "$tool" "$work/in.wasm" "$@" -o "$work/ours.wasm"
  if command -v wasm-opt >/dev/null; then
    wasm-opt "$work/in.wasm" "$@" -o "$work/theirs.wasm"
    if [[ "$(exports "$work/ours.wasm")" != "$(exports "$work/theirs.wasm")" ]]; then
      echo "FAIL $what: exports differ from wasm-opt's"; status=1; return
    fi
  fi
  wasm-validate "$work/ours.wasm" || { echo "FAIL $what: output does not validate"; status=1; return; }
  echo "ok   $what"
}
check "pass-arg with =" --asyncify --pass-arg=asyncify-imports@env.log
check "pass-arg separate, -O2" --asyncify -O2 --pass-arg asyncify-imports@env.log
check "ignore-indirect flag" --asyncify --pass-arg=asyncify-imports@env.log --pass-arg=asyncify-ignore-indirect
# Binaryen 108 predates asyncify-export-globals: check our output alone.
"$tool" "$work/in.wasm" --asyncify --pass-arg=asyncify-imports@env.log \
  --pass-arg=asyncify-export-globals -o "$work/ours.wasm"
if exports "$work/ours.wasm" | grep -qx __asyncify_state; then
  echo "ok   export-globals"
else
  echo "FAIL export-globals: __asyncify_state is not exported"; status=1
fi

# Bad input: exit status 1, one line naming the problem, no output.
printf '\0asm\2\0\0\0' > "$work/bad.wasm"
set +e
msg="$("$tool" "$work/bad.wasm" -o "$work/bad-out.wasm" 2>&1)"
rc=$?
set -e
if [[ $rc -ne 1 || -e "$work/bad-out.wasm" || "$msg" != "wasm-asyncify: error: unsupported binary version 2 (expected 1) (at offset 0x4)" ]]; then
  echo "FAIL bad input: rc=$rc message='$msg'"; status=1
else
  echo "ok   bad input"
fi
exit $status
