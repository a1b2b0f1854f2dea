#!/usr/bin/env bash
# Installs what the benchmarks need (Debian packages from scripts/deps/*.apt, playwright-core
# from bench/package-lock.json), then runs them: bench/run.sh [--quick] [options of run.mjs].
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
if [[ ! -d "$root/bench/node_modules/playwright-core" ]]; then
  (cd "$root/bench" && npm ci --no-audit --no-fund --silent)
fi
exec node "$root/bench/run.mjs" "$@"
