#!/usr/bin/env bash
# README command 2: on a fresh Debian 12 machine (as root) install everything, build, run all tests,
# then run each libFuzzer harness for IQL_FUZZ_SECONDS (default 60; 0 skips fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
bash packaging/install-onnxruntime-node.sh  # the export tests run exported ONNX files with it
bash packaging/build.sh -DIQL_BUILD_TESTS=ON -DIQL_BUILD_GUI=ON
./build-release/app/iql doctor
# GUI tests use Qt's offscreen platform (set per test by CTest), so no display is needed. Tests may run
# side by side: the programs and tests wait passively for OpenMP work (GOMP_SPINCOUNT, set per test
# by CTest), so two 2-thread torch tests share the 2 cores instead of spin-waiting each other.
set +e
# The export tests need python3-torch, python3-onnx and onnxruntime-node (installed above): here a
# missing one fails them instead of skipping.
export IQL_REQUIRE_EXPORT_RUNTIMES=1
ctest --test-dir build-release --output-on-failure --timeout 1200 -j"${IQL_TEST_JOBS:-2}" 2>&1 | tee build-release/ctest.log
test_rc=${PIPESTATUS[0]}
set -e
fuzz_rc=0
if [ "${IQL_FUZZ_SECONDS:-60}" != 0 ]; then
  # Hostile-file readers (D4RL HDF5, Minari, NPZ, format detection) under libFuzzer + ASan + UBSan.
  bash packaging/install-fuzz-deps.sh
  bash fuzz/run-fuzzers.sh "${IQL_FUZZ_SECONDS:-60}" || fuzz_rc=$?
fi
echo "== test summary (ctest)"
grep -E '^[0-9]+% tests passed|^Total Test time|^The following tests FAILED|^[[:space:]]+[0-9]+ - ' build-release/ctest.log || true
echo "== fuzzing: exit $fuzz_rc"
[ "$test_rc" -eq 0 ] && [ "$fuzz_rc" -eq 0 ]
