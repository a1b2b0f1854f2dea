#!/usr/bin/env bash
# Stress limits of the transformer: a function nested 100,000 blocks deep, a function with
# 100,000 locals, a module with 100,000 functions and a function nested 100,000 constructs deep
# with a pausing call on every level must transform without a stack overflow,
# within a peak RSS bound (GNU time's "Maximum resident set size"), into valid modules (more
# locals than V8's limit of 50,000 may instead be rejected cleanly), and within 10 minutes (a
# guard against work that grows faster than the input, not a performance test). Functions whose
# instrumentation would grow with a product of their dimensions (100,000 values on the operand
# stack below 100,000 calls) must be refused cleanly, while 3,000 locals live across 3,000 calls
# make one frame of 3,000 values and must compute the same result paused at each call. Smaller
# versions (2,000 deep, 49,000 locals, 2,000 functions, 2,000 levels each calling) must also
# compute the same result when paused in Node: the engine's own compile cost grows with depth
# times locals. With --corpus, every module of .cache/corpus (see scripts/fetch-corpus.sh) is
# transformed too and its time and peak RSS reported.
#   fuzz/limits.sh [--n 100000] [--exec-n 2000] [--max-rss-mb 1024] [--corpus] [--tool PATH]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n=100000
exec_n=2000
max_rss_mb=1024
corpus=0
tool="${ASYNCIFY_TOOL:-$root/build/wasm-asyncify}"
while (($#)); do
  case "$1" in
    --n) n="$2"; shift 2 ;;
    --exec-n) exec_n="$2"; shift 2 ;;
    --max-rss-mb) max_rss_mb="$2"; shift 2 ;;
    --corpus) corpus=1; shift ;;
    --tool) tool="$2"; shift 2 ;;
    *) echo "usage: $0 [--n N] [--max-rss-mb MB] [--corpus] [--tool PATH]" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# transform NAME IN RSS_LIMIT_MB [REJECTION]: runs the tool under GNU time, checks exit, RSS,
# validity. A failure whose message matches the REJECTION pattern is a clean rejection.
transform() {
  local name="$1" in="$2" limit="$3" rejection="${4:-}" out="${2%.wasm}.async.wasm" code=0
  /usr/bin/time -v -o "$work/time.txt" timeout 600 "$tool" "$in" -o "$out" 2>"$work/err.txt" ||
    code=$?
  local rss seconds
  rss=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$work/time.txt")
  seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  printf '%-22s %8s KiB in  %6s MiB peak RSS  %9s elapsed  ' \
    "$name" "$(( $(stat -c %s "$in") / 1024 ))" "$rss" "$seconds"
  if ((code == 1)) && [[ -n "$rejection" ]] && grep -q "$rejection" "$work/err.txt"; then
    echo "rejected cleanly: $(head -c 200 "$work/err.txt")"; return 1
  fi
  if ((code == 124)); then
    echo "FAILED: still running after 600 s"; failures=$((failures + 1)); return 1
  fi
  if ((code != 0)); then
    echo "FAILED (exit $code): $(tail -c 300 "$work/err.txt")"
    failures=$((failures + 1)); return 1
  fi
  if ((rss > limit)); then
    echo "FAILED: peak RSS above ${limit} MiB"; failures=$((failures + 1)); return 1
  fi
  if ! wasm-validate --enable-all "$out" 2>"$work/err.txt"; then
    echo "FAILED: invalid output: $(head -c 300 "$work/err.txt")"; failures=$((failures + 1)); return 1
  fi
  echo "ok"
}

# same_result FILE [PAUSES [NODE_FLAG...]]: the original and the transformed module, paused at
# every call of the import (PAUSES of them, default 1), return the same value.
same_result() {
  local name="$1" pauses="${2:-1}" expected got
  shift $(($# < 2 ? $# : 2))
  name="${name%.wasm}"
  if ! expected=$(node --stack-size=50000 "$@" "$root/fuzz/lib/run-paused.mjs" "$name.wasm" 2>&1); then
    echo "  $name: not executable in Node (${expected##*$'\n'}), result not compared"; return 0
  fi
  got=$(node --stack-size=50000 "$@" "$root/fuzz/lib/run-paused.mjs" "$name.async.wasm" --pause 2>&1) ||
    true
  name="$(basename "$name")"
  if [[ "${got%% *}" != "${expected%% *}" || "$got" != *" pauses=$pauses" ]]; then
    echo "  $name: FAILED: original returned '$expected', transformed and paused '$got'"
    failures=$((failures + 1))
  else
    echo "  $name: paused $pauses time(s), returned ${got%% *} like the original"
  fi
}

mkdir -p "$work/big" "$work/small"
node "$root/fuzz/lib/gen-limits.mjs" "$work/big" "$n"
node "$root/fuzz/lib/gen-limits.mjs" "$work/small" "$exec_n" 49000
echo "== $n deep, $n locals, $n functions"
transform deep-nesting "$work/big/deep-nesting.wasm" "$max_rss_mb" || true
transform many-locals "$work/big/many-locals.wasm" "$max_rss_mb" "too many locals" || true
transform many-functions "$work/big/many-functions.wasm" "$max_rss_mb" || true
transform calls-at-every-level "$work/big/calls-at-every-level.wasm" "$max_rss_mb" || true
# Work that would grow with a product of the function's dimensions: refused, quickly.
if transform deep-operand-stack "$work/big/deep-operand-stack.wasm" "$max_rss_mb" \
  "cannot instrument function"; then
  echo "  deep-operand-stack: FAILED: accepted, should have been refused"
  failures=$((failures + 1))
fi
echo "== $exec_n deep, 49000 locals, $exec_n functions, $exec_n levels calling, executed with pauses"
for name in deep-nesting many-locals many-functions; do
  if transform "$name" "$work/small/$name.wasm" "$max_rss_mb"; then same_result "$work/small/$name.wasm"; fi
done
if transform calls-at-every-level "$work/small/calls-at-every-level.wasm" "$max_rss_mb"; then
  same_result "$work/small/calls-at-every-level.wasm" "$exec_n"
fi
# Every local live at every call: the frame is their union, saved by one piece of code. V8's
# optimizing compiler takes minutes on the result (merges grow with locals times calls, and the
# tool warns); its baseline compiler alone runs it.
if transform live-across-calls "$work/small/live-across-calls.wasm" "$max_rss_mb"; then
  same_result "$work/small/live-across-calls.wasm" 3000 --liftoff-only
fi

if ((corpus)); then
  shopt -s nullglob
  files=("$root"/.cache/corpus/*.wasm)
  if ((${#files[@]} == 0)); then echo "no corpus in .cache/corpus (scripts/fetch-corpus.sh)"; fi
  for f in "${files[@]}"; do
    # Bound: 4 GiB or 100 times the input, whichever is larger.
    limit=$(( $(stat -c %s "$f") * 100 / 1048576 ))
    ((limit < 4096)) && limit=4096
    # Modules shipped already instrumented (ruby, lightningcss) are refused by design.
    cp "$f" "$work/corpus.wasm"
    transform "$(basename "$f" .wasm)" "$work/corpus.wasm" "$limit" "already instrumented" || true
  done
fi

echo "limits: $failures failed"
((failures == 0))
