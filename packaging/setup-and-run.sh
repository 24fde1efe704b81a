#!/usr/bin/env bash
# README command 1: on a fresh Debian 12 machine (as root) install everything, build, and run the
# workbench with a built-in Pendulum dataset selected. Without a display, falls back to a headless
# training run on the same dataset that prints progress, the evaluation return and where it is stored.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
bash packaging/build.sh -DIQL_BUILD_TESTS=OFF -DIQL_BUILD_GUI=ON
./build-release/app/iql doctor
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build-release/app/iql-workbench ]; then
  exec ./build-release/app/iql-workbench "$@"
fi
echo "[iql] no display: training headless on the built-in pendulum-medium dataset"
exec ./build-release/app/iql train --dataset pendulum-medium --env pendulum --steps 20000 \
  --eval-interval 5000 --eval-episodes 10 "$@"
