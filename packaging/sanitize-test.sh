#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer (gcc, RelWithDebInfo at -O1,
# frame pointers kept) into build-asan/ and runs the whole test suite there, one test at a time.
# LibTorch, Qt, HDF5 and BLAS are not instrumented; packaging/sanitizers/ holds the few run-time
# settings and leak suppressions they need, each with the reason. Any report from our own code
# fails its test (halt_on_error for UBSan, ASan aborts by default).
# Usage: packaging/sanitize-test.sh [ctest args, e.g. -R test_data_]
#   IQL_BUILD_JOBS (default 2), IQL_ASAN_BUILD_ONLY=1 to only build,
#   IQL_SANITIZE_SCOPE=base for the torch-free tests only (data, env, store, util).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
san="-fsanitize=address,undefined -fno-omit-frame-pointer"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DCMAKE_C_FLAGS="$san" -DCMAKE_CXX_FLAGS="$san" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DIQL_BUILD_TESTS=ON -DIQL_BUILD_GUI=ON >/dev/null
start=$(date +%s)
filter=()
if [ "${IQL_SANITIZE_SCOPE:-all}" = base ]; then  # torch-free tests only: minutes instead of an hour
  targets=$(ninja -C build-asan -t targets all | grep -oE '^tests/test_(data|env|store|util)_[a-z0-9_]+:' |
            grep -v autogen | sed 's#^tests/##; s/:$//' | sort -u)
  cmake --build build-asan -j"${IQL_BUILD_JOBS:-2}" --target $targets
  filter=(-R '^test_(data|env|store|util)_')
else
  cmake --build build-asan -j"${IQL_BUILD_JOBS:-2}"
fi
echo "[sanitize] build: $(( $(date +%s) - start )) s"
[ "${IQL_ASAN_BUILD_ONLY:-0}" = 1 ] && exit 0

supp="$PWD/packaging/sanitizers"
source "$supp/sanitizer-env.sh"
start=$(date +%s)
set +e
ctest --test-dir build-asan --output-on-failure --timeout 1800 "${filter[@]}" "$@" 2>&1 | tee build-asan/ctest.log
rc=${PIPESTATUS[0]}
set -e
echo "[sanitize] tests: $(( $(date +%s) - start )) s; $(grep -E 'tests passed|tests failed' build-asan/ctest.log | tail -1)"
reports=$(grep -cE 'ERROR: (Address|Leak)Sanitizer|runtime error:' build-asan/ctest.log || true)
echo "[sanitize] sanitizer reports in the log: $reports"
[ "$rc" -eq 0 ] && [ "$reports" -eq 0 ]
