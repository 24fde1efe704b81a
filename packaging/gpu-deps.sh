#!/usr/bin/env bash
# Fills .cache/gpu-deps/prefix with the Debian 12 libraries and headers the iql command line and its
# tests need beyond LibTorch (HDF5, SQLite, MuJoCo, ONNX + protobuf, zlib, JSON, Qt 6 Core + Test),
# downloaded as .deb files (apt-get download, no install) and unpacked with dpkg -x, never into /.
# Run it on a development machine before a device check: a lent GPU machine has no network and no
# Debian development packages, and this folder travels with the working tree (`carry`, 64 MiB at most;
# the script prints the size). packaging/gpu-check.sh then builds against it.
#
#   bash packaging/gpu-deps.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$repo/.cache/gpu-deps
mkdir -p "$dir/debs" "$dir/prefix"
pkgs=(
  libhdf5-dev libhdf5-103-1 libhdf5-hl-100 libsz2 libaec0 libcurl4 libsqlite3-dev libsqlite3-0
  libmujoco-dev libmujoco2.2.2 libccd2 liblodepng0 libtinyxml2-9 libqhull-r8.0 libtinyobjloader0 zlib1g-dev
  nlohmann-json3-dev libonnx-dev libonnx1 libprotobuf-dev libprotobuf32 protobuf-compiler libprotoc32
  qt6-base-dev qt6-base-dev-tools libqt6core6 libqt6test6 libdouble-conversion3 libpcre2-16-0 libb2-1 libicu72
)
cd "$dir/debs"
apt-get update -qq >/dev/null 2>&1 || true
for p in "${pkgs[@]}"; do
  ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download -qq "$p" 2>/dev/null || echo "gpu-deps: could not download $p (skipped)" >&2
done
for f in *.deb; do dpkg -x "$f" "$dir/prefix"; done
# Large parts a CLI build never reads.
rm -rf "$dir/prefix/usr/share/doc" "$dir/prefix/usr/share/man" "$dir/prefix/usr/lib/x86_64-linux-gnu"/*.a
echo "gpu-deps: $(du -sh "$dir/prefix" | cut -f1) in $dir/prefix (carry .cache/gpu-deps/prefix; keep under 64 MiB with the rest)"
