#!/usr/bin/env bash
# Extra CI stage (not called by .ci/run; the lead decides): (a) every libFuzzer harness for
# ${IQL_FUZZ_SECONDS:-60} s, (b) the whole test suite under AddressSanitizer + UBSan.
# Installs clang/libFuzzer first if missing (packaging/install-fuzz-deps.sh). Each step prints a
# summary; the exit status is non-zero if either step found anything.
# Usage: packaging/ci-extra.sh    (IQL_FUZZ_SECONDS, IQL_SKIP_FUZZ=1, IQL_SKIP_SANITIZE=1)
set -uo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
fuzz_rc=skipped san_rc=skipped
if [ "${IQL_SKIP_FUZZ:-0}" != 1 ]; then
  bash packaging/install-fuzz-deps.sh
  t=$(date +%s)
  bash fuzz/run-fuzzers.sh "${IQL_FUZZ_SECONDS:-60}"
  fuzz_rc=$?
  echo "[ci-extra] fuzzing: exit $fuzz_rc in $(( $(date +%s) - t )) s"
fi
if [ "${IQL_SKIP_SANITIZE:-0}" != 1 ]; then
  t=$(date +%s)
  bash packaging/sanitize-test.sh
  san_rc=$?
  echo "[ci-extra] sanitizer test suite: exit $san_rc in $(( $(date +%s) - t )) s"
fi
echo "[ci-extra] summary: fuzzing $fuzz_rc, sanitizers $san_rc, total $(( $(date +%s) - t0 )) s"
status=0
for r in "$fuzz_rc" "$san_rc"; do [ "$r" = skipped ] || [ "$r" = 0 ] || status=1; done
exit $status
