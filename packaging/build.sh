#!/usr/bin/env bash
# Configures and builds the project (Release, Ninja, ccache, -j2) into build-release/.
# Usage: packaging/build.sh [extra cmake args]
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build-release -j"${IQL_BUILD_JOBS:-2}"
