#!/usr/bin/env bash
# Installs what the fuzzers (fuzz/run-fuzzers.sh) need beyond packaging/install-deps.sh: clang 14
# and its runtime libraries (libFuzzer, ASan, UBSan) from Debian 12. Kept separate because they
# are large and only fuzzing needs them. Idempotent; run as root.
set -euo pipefail
PACKAGES=(clang-14 libclang-rt-14-dev)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "[install-fuzz-deps] installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "[install-fuzz-deps] done; $(clang-14 --version | head -n1)"
