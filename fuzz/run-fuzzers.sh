#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang 14, ASan + UBSan, into build-fuzz/) and runs each for
# SECONDS (default 60) with a 1 GB RSS and allocation limit and leak detection. Seeds: the committed
# corpus fuzz/corpus/<target>/ (small files made for it + minimised finds) and the real fixtures in
# tests/fixtures/ (inputs up to 400 kB, so they fit whole); new inputs go to
# build-fuzz/corpus/<target>/ (not committed). A crash leaves build-fuzz/artifacts/<target>/crash-*
# to replay with: build-fuzz/fuzz/fuzz_<target> FILE
# Usage: fuzz/run-fuzzers.sh [SECONDS] [TARGET...]   (targets: d4rl_hdf5 minari npz detect_format)
#   IQL_FUZZ_SKIP_BUILD=1 runs what build-fuzz/ holds (e.g. two instances on different targets).
# Prints one summary line per target (executions, coverage, findings) and exits non-zero on any
# finding in our code; faults inside libhdf5 itself are counted and kept but do not fail the run.
# Each worker's sanitizer reports are kept in build-fuzz/reports/<target>/ (ubsan.PID: ASan and
# UBSan write there) and judged too, so a crash that needs earlier inputs' state is still placed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(d4rl_hdf5 minari npz detect_format)
command -v clang++-14 >/dev/null || { echo "clang++-14 missing: run packaging/install-fuzz-deps.sh" >&2; exit 2; }
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
san="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DCMAKE_C_FLAGS="$san" -DCMAKE_CXX_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DIQL_BUILD_FUZZERS=ON -DIQL_BUILD_TESTS=OFF -DIQL_BUILD_GUI=OFF >/dev/null
[ "${IQL_FUZZ_SKIP_BUILD:-0}" = 1 ] || cmake --build build-fuzz -j"${IQL_BUILD_JOBS:-2}" --target $(printf 'fuzz_%s ' "${targets[@]}")

# No allocation above 1 GB is served (max_allocation_size_mb): libhdf5 asks malloc for absurd sizes
# read from corrupt headers (seen: 2 GB, 8.3 GB, 3.4 PB) and handles the NULL, as on a machine where
# malloc refuses; in our code operator new throws std::bad_alloc, which no harness catches, so an
# allocation of ours above 1 GB is still a finding. Memory errors that libhdf5 itself makes inside
# intercepted libc calls are suppressed (fuzz/asan.supp, with the reason). ASan's quarantine of freed
# memory is 64 MB (default 256 MB), so it does not count against -rss_limit_mb as if it were ours.
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:max_allocation_size_mb=1024:quarantine_size_mb=64:suppressions=$PWD/fuzz/asan.supp"
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The first stack frame in libhdf5 or in our code (a symbolised source line) of a sanitizer report.
top_frame() { grep -E '^ *#[0-9]+ 0x' | grep -E 'libhdf5|iql::|\.(cpp|cc|h):[0-9]' | head -1 || true; }
status=0
summary=()
for t in "${targets[@]}"; do
  out="build-fuzz/corpus/$t" art="build-fuzz/artifacts/$t"
  rm -rf "$art"  # findings of this run only (copy out any you want to keep)
  mkdir -p "$out" "$art" "fuzz/corpus/$t"
  seeds=("fuzz/corpus/$t" tests/fixtures)  # the committed corpus + the real fixtures (read only)
  log="build-fuzz/$t.log"
  # Every sanitizer report of the run goes to its own file here (log_path: one per worker process),
  # so a finding's stack is kept even when fork mode does not pass the worker's output on (it drops
  # the last job's) and even when the input alone does not fail again.
  reports="$PWD/build-fuzz/reports/$t"
  rm -rf "$reports" && mkdir -p "$reports"
  echo "[fuzz] $t: ${seconds} s"
  set +e
  # fork mode: a finding is saved and fuzzing goes on, so one run reports all it finds
  ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$reports/asan" UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$reports/ubsan" \
  "build-fuzz/fuzz/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=1024 -malloc_limit_mb=1024 \
    -detect_leaks=1 -timeout=25 -max_len=409600 -print_final_stats=1 -artifact_prefix="$art/" \
    -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
    "$out" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  set -e
  # fork mode prints "#EXECS: cov: C ft: F ... oom/timeout/crash: O/T/C"
  execs=$(grep -oE '^#[0-9]+: cov' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  otc=$(grep -oE 'oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+' "$log" | tail -1 || true)
  # Replay each finding: whose code is at the top of its stack? The first frame in our code or in
  # libhdf5 decides; a libhdf5 fault on a corrupt file (fuzz/known-libhdf5/README.md) is counted
  # apart and does not fail the run; anything else, a stack-less one included, is ours and does.
  # One that does not fail when replayed alone depended on state left by earlier inputs (libhdf5
  # keeps files and caches across calls, and its out-of-bounds reads fault only where the heap
  # happens to end): it is counted as such and judged by the run's own sanitizer reports below.
  ours=0 hdf5=0 flaky=0
  pkill -9 -f "build-fuzz/fuzz/fuzz_$t" 2>/dev/null || true  # a fork-mode worker stuck in a hang outlives its parent
  hangs=0
  for f in $(ls "$art" | grep -E '^(crash|leak|oom|timeout|slow-unit)-' || true); do
    # A hang (timeout-*) cannot be replayed to a stack here: libFuzzer's alarm does not stop a loop inside
    # libhdf5 (seen: H5HG_read under H5Aread, fuzz/known-libhdf5/d4rl-hang-*), nor does SIGTERM. It is
    # counted and kept, and does not fail the run; the programs bound such reads by the child-process
    # timeout (core/data/crash_isolation.h).
    if [[ "$f" == timeout-* || "$f" == slow-unit-* ]]; then hangs=$((hangs + 1)); echo "[fuzz] hang kept: $art/$f"; continue; fi
    if replay=$(timeout -s KILL 120 "build-fuzz/fuzz/fuzz_$t" -rss_limit_mb=1024 -malloc_limit_mb=1024 "$art/$f" 2>&1); then
      flaky=$((flaky + 1)); echo "[fuzz] not reproducible alone: $art/$f"; continue
    fi
    first=$(echo "$replay" | top_frame)
    if echo "$first" | grep -q libhdf5; then hdf5=$((hdf5 + 1)); else ours=$((ours + 1)); echo "[fuzz] ours: $art/$f"; fi
  done
  # The run's sanitizer reports, judged the same way: any report whose top frame is ours fails the
  # run, whether or not its input fails again alone. A finding that did not fail alone is put down
  # to libhdf5 only when the run has reports and every one of them has libhdf5 on top.
  rep_ours=0 rep_hdf5=0
  for r in $(grep -lE 'ERROR: (AddressSanitizer|LeakSanitizer)|Sanitizer: CHECK failed|runtime error:' "$reports"/* 2>/dev/null || true); do
    if top_frame <"$r" | grep -q libhdf5; then rep_hdf5=$((rep_hdf5 + 1)); else rep_ours=$((rep_ours + 1)); echo "[fuzz] report with our code on top: $r"; fi
  done
  line="$t: exit $rc, $execs executions, ${cov:-cov: ?}, ${otc:-oom/timeout/crash: ?}, findings in our code $ours, in libhdf5 $hdf5, hangs $hangs, not reproducible alone $flaky; sanitizer reports: libhdf5 $rep_hdf5, ours $rep_ours"
  echo "[fuzz] $line"
  summary+=("$line")
  findings=$((ours + hdf5 + hangs + flaky))
  if [ "$ours" -ne 0 ] || [ "$rep_ours" -ne 0 ] || { [ "$flaky" -ne 0 ] && [ "$rep_hdf5" -eq 0 ]; } ||
     { [ "$rc" -ne 0 ] && [ "$findings" -eq 0 ]; }; then
    status=1
    grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -20 || true
    for r in "$reports"/*; do [ -f "$r" ] && { echo "--- $r"; head -30 "$r"; }; done
  fi
done
echo "[fuzz] summary:"
printf '  %s\n' "${summary[@]}"
exit $status
