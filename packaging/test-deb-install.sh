#!/usr/bin/env bash
# Builds the .deb with cpack from an existing build folder and installs it into a clean Debian 12
# (bookworm) root made from the Debian archive this machine's apt uses; inside the root it runs
# `iql --version`, `iql doctor`, generates built-in datasets (Pendulum; Hopper through MuJoCo and the
# installed models), trains 2,000 steps, evaluates the checkpoint, checks D4RL's AntMaze policy,
# runs `iql-workbench --help` without a display and takes a screenshot of the window under Xvfb.
# Outside, it validates the installed desktop entry and AppStream file and runs lintian on the .deb.
# Fails on any real failure; lintian's findings are printed (errors fail the run, warnings do not).
#
#   sudo bash packaging/test-deb-install.sh [BUILD_DIR]     (default build-release, configured and built;
#                                                           iql, iql-workbench and man_pages are rebuilt)
#
# Measured on the 2-core development VM: 12.5 min cold (the base root and 272 MB of the package's
# dependencies are downloaded) and 10.5 min warm (both cached under $CACHE: the mmdebstrap tarball and
# apt's .deb archive); apt unpacking 1.1 GB of LibTorch and its dependencies is 5-6 min of either.
# Not part of CI (.ci/run), which must stay short.
# Results (screenshot, logs, the .deb) go to $OUT (default /tmp/iql-deb-test).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$REPO" && realpath "${1:-build-release}")
CACHE=${IQL_DEB_TEST_CACHE:-/var/cache/iql-deb-test}
OUT=${IQL_DEB_TEST_OUT:-/tmp/iql-deb-test}
SUITE=bookworm
T0=$SECONDS

[[ $(id -u) == 0 ]] || { echo "run as root (mmdebstrap, chroot, mounts)" >&2; exit 2; }
[[ -f $BUILD/CPackConfig.cmake ]] || { echo "$BUILD is not a configured build folder" >&2; exit 2; }

RESULTS=()
pass() { RESULTS+=("PASS  $*"); echo "== PASS: $*"; }
fail() { RESULTS+=("FAIL  $*"); echo "== FAIL: $*" >&2; summary; exit 1; }
summary() {
  echo
  echo "======== summary ($((SECONDS - T0)) s) ========"
  printf '%s\n' "${RESULTS[@]}"
}
run_step() {  # run_step NAME COMMAND...: time it, record pass or fail
  local name=$1 t=$SECONDS
  shift
  if "$@"; then pass "$name ($((SECONDS - t)) s)"; else fail "$name"; fi
}

# --- host tools ----------------------------------------------------------------------------------
need=()
for tool in mmdebstrap:mmdebstrap lintian:lintian desktop-file-validate:desktop-file-utils \
            appstreamcli:appstream dpkg-shlibdeps:dpkg-dev groff:groff-base; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if ((${#need[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

mkdir -p "$CACHE/apt-archives/partial" "$OUT"
rm -rf "$OUT/pkg" "$OUT/work"
mkdir -p "$OUT/pkg"

# --- the package ---------------------------------------------------------------------------------
build_deb() {
  # the build lock: other builds in this tree must not relink a binary while cpack copies it
  # (IQL_DEB_TEST_BUILD=0 packages what is built, e.g. while someone else's change does not link yet)
  local build="cmake --build '$BUILD' --target iql iql-workbench man_pages &&"
  [[ ${IQL_DEB_TEST_BUILD:-1} == 0 ]] && build=""
  flock /tmp/iql-build.lock bash -c "$build cd '$BUILD' && cpack -G DEB -B '$OUT/pkg'" \
    >"$OUT/cpack.log" 2>&1 || { tail -30 "$OUT/cpack.log"; return 1; }
  rm -rf "$OUT/pkg/_CPack_Packages"
  DEB=$(ls "$OUT"/pkg/iql-workbench_*.deb)
  dpkg-deb --field "$DEB" Package Version Section Depends Installed-Size
  dpkg-deb --contents "$DEB" | awk '{print $6}' | grep -v '/$'
}
run_step "cpack builds the .deb" build_deb
DEB=$(ls "$OUT"/pkg/iql-workbench_*.deb)

# --- a clean Debian 12 root ----------------------------------------------------------------------
BASE="$CACHE/$SUITE-base.tar"
make_base() {
  # the Debian archive (and its security and updates suites) that this machine's apt is configured with
  mapfile -t sources < <(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Identifier: Packages' |
                         awk -v s="$SUITE" '$2 ~ "^"s"(-updates|-security)?$" {print "deb " $1 " " $2 " main"}' | sort -u)
  ((${#sources[@]})) || { echo "no $SUITE source in /etc/apt" >&2; return 1; }
  printf '%s\n' "${sources[@]}"
  mmdebstrap --variant=apt --format=tar "$SUITE" "$BASE.tmp" "${sources[@]}" && mv "$BASE.tmp" "$BASE"
}
if [[ -s $BASE ]]; then pass "base root cached: $BASE"; else run_step "mmdebstrap $SUITE base root" make_base; fi

ROOT=$(mktemp -d /tmp/iql-deb-root.XXXXXX)
cleanup() {
  for m in var/cache/apt/archives dev/shm proc; do
    mountpoint -q "$ROOT/$m" 2>/dev/null && umount -l "$ROOT/$m"
  done
  # never follow a mount that is still there into the host
  if ! findmnt -rno TARGET | grep -q "^$ROOT"; then rm -rf --one-file-system "$ROOT"; fi
}
trap cleanup EXIT
tar -C "$ROOT" -xf "$BASE"
# /dev stays the tarball's own nodes (null, zero, urandom, ...): binding the host's /dev would let
# mounts below it propagate back to the host
mount -t proc proc "$ROOT/proc"
mkdir -p "$ROOT/dev/shm" && mount -t tmpfs tmpfs "$ROOT/dev/shm"
mount --bind "$CACHE/apt-archives" "$ROOT/var/cache/apt/archives"
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
in_root() { chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

cp "$DEB" "$ROOT/tmp/"
install_deb() {
  in_root apt-get update -qq &&
  in_root bash -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./tmp/iql-workbench_*.deb' >"$OUT/apt-install.log" 2>&1 ||
    { tail -40 "$OUT/apt-install.log"; return 1; }
  grep -E '^(Need to get|After this operation)' "$OUT/apt-install.log"
}
run_step "apt-get install ./iql-workbench_*.deb in a clean $SUITE root" install_deb
# test-only extras, after the package's own dependencies have been checked alone
run_step "install xvfb, xauth (test only)" in_root bash -c \
  'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends xvfb xauth >/dev/null'

# --- inside the root -----------------------------------------------------------------------------
cat >"$ROOT/tmp/inside.sh" <<'INSIDE'
set -euo pipefail
mkdir -p /tmp/work && cd /tmp/work
step() { echo; echo "---- $*"; }
step "iql --version";            iql --version
step "iql doctor";               iql doctor | tee doctor.txt
grep -Eq '^BLAS: +openblas-openmp' doctor.txt || { echo "BLAS is not openblas-openmp"; exit 1; }
step "installed files";          ls /usr/share/iql-workbench/mjcf /usr/share/iql-workbench/antmaze
test -f /usr/share/man/man1/iql.1.gz && test -f /usr/share/man/man1/iql-workbench.1.gz
test -f /usr/share/doc/iql-workbench/copyright
step "bash completion lists the commands of 'iql --help'"
help_cmds=$(iql --help | sed -n '/^commands:/,/^$/p' | awk 'NF && $1 != "commands:" {print $1}' | sort | xargs)
comp_cmds=$(sed -n 's/^ *local commands="\(.*\)"$/\1/p' /usr/share/bash-completion/completions/iql | xargs -n1 | sort | xargs)
echo "iql --help: $help_cmds"; echo "completion: $comp_cmds"
[[ -n $help_cmds && $help_cmds == "$comp_cmds" ]]
step "generate pendulum-medium";  iql datasets generate pendulum-medium --out pendulum-medium.hdf5
step "train 2,000 steps";         iql train --dataset pendulum-medium.hdf5 --env pendulum --steps 2000 \
                                    --eval-interval 1000 --eval-episodes 5 --db runs.db
ckpt=$(find runs-checkpoints -name '*.pt' | sort -V | tail -1)
[[ -n $ckpt ]] || { echo "no checkpoint under runs-checkpoints"; exit 1; }
step "evaluate $ckpt";            iql eval "$ckpt" --episodes 5
step "MuJoCo + installed models: generate hopper-random"
iql datasets generate hopper-random --transitions 2000 --out hopper-random.hdf5
step "installed AntMaze policy: check-antmaze-policy"
iql datasets check-antmaze-policy --maze umaze --trials 20 --episodes 10   # ~10 s; the full check is 100 + 100
step "iql-workbench --help, no display"
env -u DISPLAY -u WAYLAND_DISPLAY iql-workbench --help
step "iql-workbench under Xvfb, screenshot"
xvfb-run -a -s '-screen 0 1600x1000x24' iql-workbench --db gui.db --screenshot /tmp/work/workbench.png
test -s /tmp/work/workbench.png
INSIDE
run_step "inside the root: version, doctor, dataset, train 2,000, eval, MuJoCo, AntMaze policy, GUI" \
  bash -c "chroot '$ROOT' /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin \
           bash /tmp/inside.sh 2>&1 | tee '$OUT/inside.log'; exit \${PIPESTATUS[0]}"
mkdir -p "$OUT/work"
cp "$ROOT/tmp/work/workbench.png" "$OUT/workbench.png"
pass "screenshot: $OUT/workbench.png"

# --- validators on the installed files and the package ---------------------------------------------
run_step "desktop-file-validate" desktop-file-validate "$ROOT/usr/share/applications/iql-workbench.desktop"
run_step "appstreamcli validate" appstreamcli validate --no-net "$ROOT/usr/share/metainfo/io.github.iqlworkbench.metainfo.xml"
check_man() {
  local page
  for page in "$ROOT"/usr/share/man/man1/iql.1.gz "$ROOT"/usr/share/man/man1/iql-workbench.1.gz; do
    zcat "$page" | groff -man -Tutf8 -ww -z 2>&1 | tee /dev/stderr | grep -q . && return 1
  done
  return 0
}
run_step "man pages render without groff warnings" check_man
lintian --info --display-info "$DEB" >"$OUT/lintian.txt" 2>&1 || true
echo "---- lintian"
grep -E '^[EWIP]: ' "$OUT/lintian.txt" | sort -u || true
# errors known and waiting on a decision: the project has no maintainer address yet (see
# packaging/CMakeLists.txt, IQL_PACKAGE_CONTACT); any other error fails the run
KNOWN_LINTIAN_ERRORS='malformed-contact|no-changelog'
if grep '^E: ' "$OUT/lintian.txt" | grep -Evq ": ($KNOWN_LINTIAN_ERRORS) "; then
  fail "lintian errors (see $OUT/lintian.txt)"
fi
pass "lintian: no new errors ($(grep -c '^E: ' "$OUT/lintian.txt") known errors, $(grep -c '^W: ' "$OUT/lintian.txt") warnings, $(grep -c '^I: ' "$OUT/lintian.txt") infos; $OUT/lintian.txt)"
summary
