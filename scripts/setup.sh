#!/usr/bin/env bash
# First command for a newcomer on a fresh Debian 12 machine: installs what the project needs,
# builds wasm-asyncify, and runs the main job on an example (a C program whose `sleep` import
# is asynchronous, transformed by wasm-asyncify and run in Node).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
(cd runtime/js && npm ci --no-audit --no-fund --loglevel=error)
node examples/run.mjs sleep
