#!/usr/bin/env bash
# Builds and tests the project in a Debian 13 (trixie) root against Debian's LibTorch 2.6 with CUDA 12.4
# (libtorch-cuda-dev from contrib, the CUDA toolkit from non-free), so that the CUDA-only code
# (core/device/cuda_backend.cpp) compiles, and everything else builds with g++ 14 and LibTorch 2.6, on a
# machine without a GPU. The tests run there on the CPU; GPU tests (CTest label gpu) skip themselves.
# Run it before submitting a change that touches device code. Not part of CI (.ci/run): too slow.
#
#   sudo bash packaging/cuda-build-check.sh [options]
#     --root DIR      the Debian 13 root (default: .cache/trixie-root in this repository, ignored by git);
#                     made with mmdebstrap when missing or empty, reused (and its packages topped up) when present
#     --worktree      build the working tree as it is (tracked files with their uncommitted changes, plus
#                     untracked ones git does not ignore); default: the committed HEAD
#     --gui           build the GUI and its tests too (default: the iql command line and the core tests)
#     --tests REGEX   run only the tests matching REGEX (ctest -R); --no-tests builds only
#     --jobs N        parallel compile and test jobs (default: the number of CPUs)
#
# The source is the repository holding this script, copied into ROOT/iql/src (a git clone: later runs
# fetch and rewrite only what changed); the build folder is ROOT/iql/build and ccache's is
# ROOT/var/cache/iql-ccache, so a warm run recompiles only what changed. Each command in the root runs
# in its own mount namespace (unshare) with /proc and /dev mounted: nothing stays mounted afterwards.
# Measured on the 2-core development VM: see docs/development.md ("Building against another LibTorch / CUDA").
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
root=$repo/.cache/trixie-root
worktree=0
gui=OFF
tests_regex=
run_tests=1
jobs=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=$(realpath -m "$2"); shift 2 ;;
    --worktree) worktree=1; shift ;;
    --gui) gui=ON; shift ;;
    --tests) tests_regex=$2; shift 2 ;;
    --no-tests) run_tests=0; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cuda-build-check.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "run as root (mmdebstrap, chroot, mounts)" >&2; exit 2; }

t_start=$SECONDS
phase_times=()
phase_start=$SECONDS
end_phase() { phase_times+=("$1 $((SECONDS - phase_start)) s"); phase_start=$SECONDS; }
say() { echo "== [cuda-build-check] $*"; }

# Runs a command inside the root: a private mount namespace with /proc (torch reads cpuinfo) and /dev,
# and a clean environment.
in_root() {
  unshare --mount --propagation private -- /bin/sh -c '
    root=$1; shift
    mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && exec chroot "$root" "$@"' \
    sh "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive CCACHE_DIR=/var/cache/iql-ccache "$@"
}

# What the build and the tests need, Debian 13 names (packaging/install-deps.sh has Debian 12's).
PACKAGES=(
  libtorch-cuda-dev nvidia-cuda-toolkit    # LibTorch 2.6 with CUDA 12.4, and the CUDA headers it includes
  cmake g++ ninja-build ccache pkg-config
  libopenblas0-openmp                      # torch's BLAS on the CPU (the reference BLAS is ~40x slower)
  libhdf5-dev libsqlite3-dev sqlite3 nlohmann-json3-dev zlib1g-dev
  libmujoco-dev libqhull-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  qt6-base-dev                             # Qt Core and Test for the tests (Widgets too, for --gui)
  poppler-utils                            # pdfinfo/pdftotext: the study report tests read their PDF back
)
[ "$gui" = OFF ] || PACKAGES+=(qt6-base-dev-tools libqcustomplot-dev libgl-dev libxkbcommon-dev)

# --- the root -------------------------------------------------------------------------------------
if [ ! -x "$root/usr/bin/apt-get" ]; then
  if [ -d "$root" ] && [ -n "$(ls -A "$root")" ]; then
    echo "$root is neither empty nor a Debian root; give another --root" >&2; exit 2
  fi
  command -v mmdebstrap >/dev/null || apt-get install -y -qq --no-install-recommends mmdebstrap
  say "creating a Debian 13 root in $root"
  mkdir -p "$root"
  mmdebstrap --quiet --variant=apt --components="main contrib non-free" trixie "$root"
fi
end_phase "root"

stamp=$root/var/lib/iql-cuda-build-check.packages
if [ "$(cat "$stamp" 2>/dev/null)" != "${PACKAGES[*]}" ]; then
  say "installing ${PACKAGES[*]} (3.5 GB on a fresh root)"
  in_root apt-get update -qq
  # nvidia-cudnn's postinst downloads cuDNN from NVIDIA, which this machine cannot reach; its failure
  # leaves the packages after it unconfigured. Make that postinst a no-op and configure the rest.
  in_root apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null || true
  if [ -f "$root/var/lib/dpkg/info/nvidia-cudnn.postinst" ]; then
    printf '#!/bin/sh\nexit 0\n' >"$root/var/lib/dpkg/info/nvidia-cudnn.postinst"
  fi
  in_root dpkg --configure -a
  in_root apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
  # as packaging/install-deps.sh: select OpenBLAS (OpenMP) for libblas.so.3 and liblapack.so.3
  in_root sh -c 'for lib in libblas.so.3 liblapack.so.3; do
      c=$(update-alternatives --list "$lib-x86_64-linux-gnu" 2>/dev/null | grep openblas-openmp | head -n1)
      [ -z "$c" ] || update-alternatives --set "$lib-x86_64-linux-gnu" "$c" >/dev/null; done'
  in_root apt-get clean
  echo "${PACKAGES[*]}" >"$stamp"
fi
# libtorch_cuda.so needs libcudnn.so.9, which nvidia-cudnn would have downloaded. It is linked with
# BIND_NOW and versioned symbols, so an empty library will not do: build a stand-in that defines every
# cudnn* symbol LibTorch asks for (each aborts with a message if ever called: without a GPU, none is).
cat >"$root/var/lib/iql-cudnn-stub.sh" <<'STUB'
set -eu
lib=$(ldconfig -p | awk '/libcudnn\.so\.9 /{print $NF; exit}')
case "$lib" in ""|/usr/local/lib/*) ;; *) exit 0 ;; esac  # a real cuDNN is installed
syms=$(for f in /usr/lib/x86_64-linux-gnu/libtorch*.so.*; do [ -L "$f" ] || nm -D --undefined-only "$f"; done |
       sed -n 's/^ *U \(cudnn[A-Za-z0-9_]*\)@libcudnn\.so\.9$/\1/p' | sort -u)
dir=$(mktemp -d)
{ printf '%s\n' '#include <stdio.h>' '#include <stdlib.h>' \
    'static void missing(const char* f) { fprintf(stderr, "%s: no cuDNN here (a stand-in)\n", f); abort(); }'
  for s in $syms; do echo "void $s(void) { missing(\"$s\"); }"; done; } >"$dir/cudnn_stub.c"
if ! cmp -s "$dir/cudnn_stub.c" /usr/local/lib/libcudnn_stub.c; then
  echo 'libcudnn.so.9 { global: *; };' >"$dir/cudnn.map"
  gcc -shared -fPIC -Wl,-soname,libcudnn.so.9 -Wl,--version-script="$dir/cudnn.map" \
      -o /usr/local/lib/libcudnn.so.9 "$dir/cudnn_stub.c"
  cp "$dir/cudnn_stub.c" /usr/local/lib/libcudnn_stub.c
  ldconfig
  echo "libcudnn.so.9: a stand-in with $(echo $syms | wc -w) symbols in /usr/local/lib"
fi
rm -rf "$dir"
STUB
in_root sh /var/lib/iql-cudnn-stub.sh
end_phase "packages"

# --- the source -----------------------------------------------------------------------------------
src=$root/iql/src
mkdir -p "$root/iql"
[ -d "$src/.git" ] || git clone -q --no-checkout "$repo" "$src"
git -C "$src" fetch -q "$repo" HEAD
git -C "$src" reset -q --hard FETCH_HEAD
git -C "$src" clean -qfdx
revision=$(git -C "$src" log -1 --format='%h %s' | cut -c1-100)
if [ "$worktree" = 1 ]; then
  # the working tree's changed and untracked files over HEAD (mtimes kept), its deletions removed
  (cd "$repo" && git ls-files -z -m -o --exclude-standard | tar --null -T - -cf -) | tar -C "$src" -xf -
  (cd "$repo" && git ls-files -z -d) | (cd "$src" && xargs -0 -r rm -f --)
  revision="$revision + working tree"
fi
say "source: $revision"

# Builds everything. With IQL_BUILD_LOCK=FILE (a machine whose builds share one lock, as
# /tmp/iql-build.lock on the development VM) it takes the lock for a few objects or programs at a time,
# so that other builds get their turn during a cold build of an hour.
build_in_root() {
  if [ -z "${IQL_BUILD_LOCK:-}" ]; then in_root cmake --build /iql/build -j"$jobs"; return; fi
  local listing objects programs i
  listing=$(in_root ninja -C /iql/build -t targets all)
  mapfile -t objects < <(grep -E ': CXX_COMPILER__' <<<"$listing" | cut -d: -f1)
  mapfile -t programs < <(grep -E ': CXX_(EXECUTABLE|STATIC_LIBRARY)_LINKER__' <<<"$listing" | cut -d: -f1)
  for ((i = 0; i < ${#objects[@]}; i += 8)); do
    (flock 9 && in_root ninja -C /iql/build -j"$jobs" "${objects[@]:i:8}") 9>>"$IQL_BUILD_LOCK" || return
  done
  for ((i = 0; i < ${#programs[@]}; i += 6)); do
    (flock 9 && in_root ninja -C /iql/build -j"$jobs" "${programs[@]:i:6}") 9>>"$IQL_BUILD_LOCK" || return
  done
  (flock 9 && in_root ninja -C /iql/build -j"$jobs") 9>>"$IQL_BUILD_LOCK"
}

# --- build and test -------------------------------------------------------------------------------
log=$root/iql
set +e
in_root cmake -S /iql/src -B /iql/build -G Ninja -DCMAKE_BUILD_TYPE=Release -DIQL_BUILD_GUI=$gui >"$log/configure.log" 2>&1
build_rc=$?
torch_line=$(grep -m1 -o 'LibTorch .*' "$log/configure.log")
say "${torch_line:-configure failed: $log/configure.log}"
if [ "$build_rc" -eq 0 ]; then
  # the build's own lines, without the [n/N] progress ones
  build_in_root 2>&1 | tee "$log/build.log" | grep -vE '^\[[0-9]+/[0-9]+\] |^ninja: (Entering|no work)'
  build_rc=${PIPESTATUS[0]}
fi
end_phase "build"
test_rc=0
if [ "$build_rc" -eq 0 ] && [ "$run_tests" = 1 ]; then
  ctest_args=(--test-dir /iql/build --output-on-failure --timeout 1200 -j"$jobs")
  [ -z "$tests_regex" ] || ctest_args+=(-R "$tests_regex")
  say "running the tests (ctest ${ctest_args[*]})"
  in_root ctest "${ctest_args[@]}" >"$log/ctest.log" 2>&1
  test_rc=$?
  end_phase "tests"
fi
set -e

echo
say "summary"
echo "source:   $revision"
echo "LibTorch: ${torch_line:-not found}"
cuda_rc=0
if ! grep -q 'CUDA: yes' <<<"$torch_line"; then
  echo "CUDA:     this LibTorch has no CUDA: core/device/cuda_backend.cpp was not compiled"; cuda_rc=1
elif [ "$build_rc" -eq 0 ]; then
  if [ -f "$src/core/device/cuda_backend.cpp" ]; then echo "CUDA:     core/device/cuda_backend.cpp compiled"
  else echo "CUDA:     there is no core/device/cuda_backend.cpp yet"; fi
fi
if [ "$build_rc" -ne 0 ]; then
  echo "build:    FAILED (exit $build_rc); the errors ($log/configure.log, $log/build.log):"
  grep -hE -A12 '^FAILED: |CMake Error' "$log/configure.log" "$log/build.log" | head -n 150
elif [ "$run_tests" = 1 ]; then
  echo "build:    ok"
  grep -E '^[0-9]+% tests passed|^Total Test time|^The following tests|^[[:space:]]+[0-9]+ - ' "$log/ctest.log"
  # the tests labelled gpu pass here by skipping themselves (no GPU): their count
  sed -n '/^Label Time Summary:/,/^$/p' "$log/ctest.log"
  echo "log:      $log/ctest.log"
else
  echo "build:    ok (tests not run)"
fi
times=$(printf '%s, ' "${phase_times[@]}")
echo "time:     $((SECONDS - t_start)) s in all (${times%, })"
[ "$build_rc" -eq 0 ] && [ "$test_rc" -eq 0 ] && [ "$cuda_rc" -eq 0 ]
