#!/usr/bin/env bash
# README command 2: on a fresh Debian 12 machine (as root) install everything, build, run all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
bash packaging/build.sh -DIQL_BUILD_TESTS=ON -DIQL_BUILD_GUI=ON
./build-release/app/iql doctor
cd build-release
# GUI tests use Qt's offscreen platform (set per test by CTest), so no display is needed.
# One test at a time: each torch test runs 2 OpenMP threads; two at once on 2 cores oversubscribe and
# spin-wait each other to a crawl (a 20 s test took 10 min).
ctest --output-on-failure --timeout 1200 -j"${IQL_TEST_JOBS:-1}"
