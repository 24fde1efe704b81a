#!/usr/bin/env bash
# Configures and builds the project (Release, Ninja, ccache, -j2); by default into build-release/
# against the LibTorch CMake finds (Debian 12: libtorch-dev 1.13, CPU), with the GUI and the tests.
# Usage: packaging/build.sh [options] [extra cmake args]
#   --torch DIR       build against this LibTorch: its CMake prefix, e.g. the unpacked archive from the
#                     PyTorch site (.../libtorch) or a pip torch wheel's
#                     `python3 -c 'import torch; print(torch.utils.cmake_prefix_path)'`
#                     (CUDA or not, 1.13 or 2.x; passed as CMAKE_PREFIX_PATH and Torch_DIR)
#   --no-gui          the iql command line and the tests only: no Qt Widgets/QCustomPlot needed
#   --build-dir DIR   build here instead of build-release/
#   anything else goes to cmake, e.g. -DIQL_BUILD_TESTS=OFF
# IQL_BUILD_JOBS sets the parallel jobs (default 2).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$repo/build-release
cmake_args=()
prefix_path=()  # --torch's prefix first, then any -DCMAKE_PREFIX_PATH=... given (one list, not two -D)
while [ $# -gt 0 ]; do
  case "$1" in
    --torch)
      [ $# -ge 2 ] || { echo "build.sh: --torch needs a directory" >&2; exit 2; }
      torch_dir=$(cd "$2" && pwd) || { echo "build.sh: no such directory: $2" >&2; exit 2; }
      # the archive's root (libtorch/) and a wheel's share/cmake both work as a prefix;
      # Torch_DIR is the folder holding TorchConfig.cmake
      for d in "$torch_dir/share/cmake/Torch" "$torch_dir/Torch" "$torch_dir"; do
        if [ -f "$d/TorchConfig.cmake" ]; then cmake_args+=("-DTorch_DIR=$d"); break; fi
      done
      prefix_path=("$torch_dir" "${prefix_path[@]}")
      shift 2 ;;
    --no-gui) cmake_args+=(-DIQL_BUILD_GUI=OFF); shift ;;
    --build-dir)
      [ $# -ge 2 ] || { echo "build.sh: --build-dir needs a directory" >&2; exit 2; }
      build_dir=$(realpath -m "$2"); shift 2 ;;  # relative to where build.sh was called
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -DCMAKE_PREFIX_PATH=*|-DCMAKE_PREFIX_PATH:*=*) prefix_path+=("${1#*=}"); shift ;;
    *) cmake_args+=("$1"); shift ;;
  esac
done
if [ ${#prefix_path[@]} -gt 0 ]; then
  cmake_args+=("-DCMAKE_PREFIX_PATH=$(IFS=';'; echo "${prefix_path[*]}")")
fi
cd "$repo"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# configure quietly, but say which LibTorch was found and whether it has CUDA (cmake/torch_cuda.cmake)
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${cmake_args[@]}" | { grep '^-- LibTorch ' || true; }
cmake --build "$build_dir" -j"${IQL_BUILD_JOBS:-2}"
