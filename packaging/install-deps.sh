#!/usr/bin/env bash
# Installs every Debian 12 package the build, tests and runtime need. Idempotent: skips apt when
# everything is already present. Run as root (CI and fresh machines are root).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-openmp
  libhdf5-dev libsqlite3-dev sqlite3 nlohmann-json3-dev
  qt6-base-dev qt6-base-dev-tools libqcustomplot-dev libqcustomplot2.1-qt6
  libgl-dev libxkbcommon-dev
  libmujoco-dev libqhull-dev
  xvfb xauth
  slurm-wlm munge  # packaging/slurm-local.sh: a single-node cluster for the sweep tests
  libonnx-dev  # policy export to ONNX (core/export)
  python3-torch python3-onnx  # export tests: torch.jit.load and onnx.checker on the exported files (~28 MB)
  poppler-utils  # study report tests: pdfinfo/pdftotext read the written PDF back (an independent reader)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "[install-deps] installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's libtorch calls whatever libblas.so.3 is selected; the reference BLAS is ~35x slower.
# Select OpenBLAS (OpenMP flavour) explicitly.
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for lib in libblas.so.3 liblapack.so.3; do
  cand=$(update-alternatives --list "${lib}-${arch}" 2>/dev/null | grep openblas-openmp | head -n1 || true)
  if [ -n "$cand" ]; then
    update-alternatives --set "${lib}-${arch}" "$cand" >/dev/null 2>&1 || true
  fi
done
echo "[install-deps] done; BLAS: $(readlink -f /usr/lib/${arch}/libblas.so.3)"
