#!/usr/bin/env bash
# Runs each libFuzzer target for a bounded time on the seed corpus plus the regression inputs.
#   fuzz/run.sh [--seconds N] [--targets "read validate transform"] [--jobs J]
# CI: the default, 60 s per target. Long run (a night on a spare machine):
#   fuzz/run.sh --seconds 28800 --jobs "$(nproc)"
# The evolving corpus lives in build/fuzz/corpus/<target> (kept between runs); crashes are
# written to build/fuzz/crashes/<target>/ and make this script fail. Move each one into
# fuzz/regressions/ (tests/unit/fuzz_regressions_test.cpp replays them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_BUILD_DIR:-$root/build/fuzz}"
seconds=60
targets="read validate transform"
jobs=1
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--targets LIST] [--jobs J]" >&2; exit 2 ;;
  esac
done

"$root/fuzz/build.sh" >/dev/null
if [[ ! -d "$out/seeds" ]]; then "$root/fuzz/make-seeds.sh" "$out/seeds"; fi

parallel=()
if ((jobs > 1)); then parallel=(-jobs="$jobs" -workers="$jobs"); fi
cd "$out"  # parallel workers write fuzz-<n>.log here
status=0
for target in $targets; do
  corpus="$out/corpus/$target"
  crashes="$out/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  log="$out/$target.log"
  echo "== fuzz_$target for ${seconds}s"
  # -rss_limit_mb bounds each input's memory; -timeout flags inputs slower than 10 s.
  if ! "$out/fuzz_$target" "$corpus" "$out/seeds" "$root/fuzz/regressions" \
      -max_total_time="$seconds" -max_len=100000 -timeout=10 -rss_limit_mb=2048 \
      "${parallel[@]}" -artifact_prefix="$crashes/" -print_final_stats=1 \
      >"$log" 2>&1; then
    echo "fuzz_$target FAILED: see $log and $crashes/"
    # The report and the input itself (base64, when small) so a CI log alone reproduces it.
    grep -m1 -A30 -E 'ERROR|transformed output is invalid' "$log" || tail -n 30 "$log"
    for input in "$crashes"/*; do
      [[ -f "$input" ]] || continue
      echo "input $(basename "$input"), $(stat -c %s "$input") bytes:"
      if (($(stat -c %s "$input") <= 4096)); then base64 -w 100 "$input"; fi
    done
    status=1
  fi
  grep -E 'stat::number_of_executed_units|cov:' "$log" | tail -2 || true
done
exit $status
