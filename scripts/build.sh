#!/usr/bin/env bash
# Configures and builds the C++ library, the wasm-asyncify tool and the unit tests.
#   scripts/build.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -G Ninja -DASYNCIFY_WERROR=ON "$@" >/dev/null
ninja -C "$dir"
