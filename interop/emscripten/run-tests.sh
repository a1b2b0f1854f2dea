#!/usr/bin/env bash
# Builds every program in cases/ twice with Debian's emcc -O2: once with plain Binaryen, once
# through our wasm-opt front end (interop/binaryen-shim), runs both with Emscripten's own JS in
# Node, and checks that both print exactly the expected output (cases/NAME.expected) and exit
# as expected (cases/NAME.exit: "nonzero" for programs that must trap; default 0). Prints sizes
# and build times of both.
#
# Usage: run-tests.sh [--bless] [NAME...]
#   --bless   rewrite the expected files from the plain Binaryen build (review the diff!)
# Environment: WASM_ASYNCIFY as for the front end; when unset, build/wasm-asyncify if it exists,
#   otherwise `binaryen` (the front end's stand-in), which still tests the command-line split.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shim="$repo/interop/binaryen-shim"
cases="$here/cases"
out="${INTEROP_OUT:-$repo/build/interop/emscripten}"

bless=0
if [[ ${1:-} == --bless ]]; then bless=1; shift; fi

if [[ -z ${WASM_ASYNCIFY:-} ]]; then
  if [[ -x $repo/build/wasm-asyncify ]]; then WASM_ASYNCIFY=$repo/build/wasm-asyncify
  else WASM_ASYNCIFY=binaryen; fi
fi
# emcc runs from cases/: a relative tool path must not depend on that.
[[ $WASM_ASYNCIFY == binaryen ]] || WASM_ASYNCIFY=$(realpath "$WASM_ASYNCIFY")
export WASM_ASYNCIFY
export NODE_PATH=/usr/share/nodejs  # Debian's emcc needs acorn from there
for tool in emcc em++ node /usr/bin/wasm-opt; do
  command -v "$tool" >/dev/null || { echo "missing $tool (scripts/deps/interop.apt)"; exit 1; }
done

# The plain build must find the real wasm-opt even if the caller has the front end on PATH.
plain_path=$(tr ':' '\n' <<<"$PATH" | grep -vx "$shim/bin" | paste -sd: -)

if (($#)); then names=("$@"); else
  names=()
  for f in "$cases"/*.c "$cases"/*.cpp; do names+=("$(basename "${f%.*}")"); done
fi

now_ms() { date +%s%3N; }

# build KIND NAME SOURCE: emcc as Debian ships it; KIND=shim puts the front end first on PATH
# (Debian's emcc runs `wasm-opt` from PATH) and in EM_BINARYEN_ROOT (upstream emcc uses that).
build() {
  local kind=$1 name=$2 src=$3 compiler=emcc flags_line
  [[ $src == *.cpp ]] && compiler=em++
  flags_line=$(sed -n 's|^// emcc-flags: *||p' "$src")
  local -a flags
  read -ra flags <<<"$flags_line"
  mkdir -p "$out/$kind"
  rm -rf "$out/$kind/$name".*
  local start end status=0
  start=$(now_ms)
  if [[ $kind == shim ]]; then
    (cd "$cases" && PATH="$shim/bin:$plain_path" EM_BINARYEN_ROOT="$shim" \
      WASM_OPT_SHIM_TRACE="$out/$kind/$name.trace" WASM_OPT_SHIM_KEEP="$out/$kind/$name.stages" \
      "$compiler" -O2 "${flags[@]}" "$(basename "$src")" -o "$out/$kind/$name.js") \
      >"$out/$kind/$name.build.log" 2>&1 || status=$?
  else
    (cd "$cases" && PATH="$plain_path" \
      "$compiler" -O2 "${flags[@]}" "$(basename "$src")" -o "$out/$kind/$name.js") \
      >"$out/$kind/$name.build.log" 2>&1 || status=$?
  fi
  end=$(now_ms)
  echo $((end - start)) >"$out/$kind/$name.build-ms"
  return $status
}

# execute KIND NAME: runs the program, keeps stdout and the exit status.
execute() {
  local kind=$1 name=$2 status=0
  (cd "$out/$kind" && timeout 60 node --no-experimental-fetch "$name.js" \
    >"$name.stdout" 2>"$name.stderr") || status=$?
  echo $status >"$out/$kind/$name.status"
}

# The time the asyncify step itself took inside the front end (from its trace).
asyncify_ms() {
  local trace=$1
  [[ -f $trace ]] || { echo "-"; return; }
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
    let ms = 0;
    for (const l of lines) for (const s of JSON.parse(l).stages) if (s.tool.endsWith("(asyncify)")) ms += s.ms;
    console.log(Math.round(ms));' "$trace"
}

passed=0 failed=0
declare -a rows
echo "asyncify step of the front-end build: $WASM_ASYNCIFY"
for name in "${names[@]}"; do
  src=""
  for candidate in "$cases/$name".c "$cases/$name".cpp; do [[ -f $candidate ]] && src=$candidate; done
  [[ -n $src ]] || { echo "FAIL $name: no source"; failed=$((failed + 1)); continue; }
  problems=()
  for kind in binaryen shim; do
    if build "$kind" "$name" "$src"; then execute "$kind" "$name"
    else
      problems+=("$kind build failed: $(grep -m1 -iE 'error' "$out/$kind/$name.build.log" | cut -c1-160)")
      rm -f "$out/$kind/$name.wasm"  # wasm-ld's output, not a result
    fi
  done
  if ((bless)) && [[ -f $out/binaryen/$name.stdout ]]; then
    cp "$out/binaryen/$name.stdout" "$cases/$name.expected"
    status=$(cat "$out/binaryen/$name.status")
    # A trap's exit status depends on where Emscripten's JS catches it: only "failed" matters.
    if [[ $status != 0 ]]; then echo nonzero >"$cases/$name.exit"; else rm -f "$cases/$name.exit"; fi
  fi
  # Without this the front-end build could silently have used the real wasm-opt alone.
  if [[ -f $out/shim/$name.wasm ]] && ! grep -q '(asyncify)' "$out/shim/$name.trace" 2>/dev/null; then
    problems+=("the front end did not run an asyncify step (is bin/ first on PATH?)")
  fi
  expected_status=0
  [[ -f $cases/$name.exit ]] && expected_status=$(cat "$cases/$name.exit")
  for kind in binaryen shim; do
    [[ -f $out/$kind/$name.status ]] || continue
    if ! cmp -s "$out/$kind/$name.stdout" "$cases/$name.expected"; then
      problems+=("$kind output differs from $name.expected:")
      problems+=("$(diff "$cases/$name.expected" "$out/$kind/$name.stdout" | head -10 || true)")
    fi
    status=$(cat "$out/$kind/$name.status")
    if [[ $status == 124 ]]; then problems+=("$kind timed out")
    elif [[ $expected_status == nonzero ]]; then
      [[ $status != 0 ]] || problems+=("$kind exited 0, expected a failure")
    elif [[ $status != "$expected_status" ]]; then problems+=("$kind exited $status, expected $expected_status")
    fi
  done
  if ((${#problems[@]})); then
    echo "FAIL $name"; printf '  %s\n' "${problems[@]}"; failed=$((failed + 1))
  else
    echo "PASS $name"; passed=$((passed + 1))
  fi
  size() { stat -c %s "$out/$1/$name.wasm" 2>/dev/null || echo -; }
  identical=no
  cmp -s "$out/binaryen/$name.wasm" "$out/shim/$name.wasm" && identical=yes
  rows+=("$(printf '%-20s %10s %9s %10s %9s %12s %10s' "$name" \
    "$(size binaryen)" "$(cat "$out/binaryen/$name.build-ms" 2>/dev/null || echo -)" \
    "$(size shim)" "$(cat "$out/shim/$name.build-ms" 2>/dev/null || echo -)" \
    "$(asyncify_ms "$out/shim/$name.trace")" "$identical")")
done

echo
printf '%-20s %10s %9s %10s %9s %12s %10s\n' case binaryen-B build-ms shim-B build-ms asyncify-ms same-bytes
printf '%s\n' "${rows[@]}"
printf '%s\n' "${rows[@]}" | awk '{ for (i = 2; i <= 6; i++) if ($i ~ /^[0-9]+$/) t[i] += $i }
  END { printf "%-20s %10d %9d %10d %9d %12d\n", "total", t[2], t[3], t[4], t[5], t[6] }'
echo
echo "$passed passed, $failed failed"
((failed == 0))
