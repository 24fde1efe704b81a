#!/usr/bin/env bash
# Installs onnxruntime for Node (npm, the CPU runtime whose binaries ship inside the package) into a
# cache folder for the export tests (tests/export/test_onnx_export.cpp), which run exported ONNX files
# with it. --ignore-scripts: the package's install script fetches CUDA binaries from a host that is
# unreachable here; the CPU runtime needs nothing from it. Idempotent; never fails the caller: without
# node/npm or the network the tests report the runtime as missing.
set -uo pipefail
VERSION="${IQL_ONNXRUNTIME_NODE_VERSION:-1.31.1}"
DIR="${IQL_ONNXRUNTIME_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/iql-workbench/onnxruntime-node}"
if [ -f "$DIR/node_modules/onnxruntime-node/package.json" ] &&
   grep -q "\"version\": \"$VERSION\"" "$DIR/node_modules/onnxruntime-node/package.json"; then
  echo "[onnxruntime-node] $VERSION already in $DIR"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "[onnxruntime-node] npm missing: installing Debian's nodejs and npm"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null ||
    { echo "[onnxruntime-node] could not install npm; the ONNX runtime tests will report it missing"; exit 0; }
fi
mkdir -p "$DIR"
if (cd "$DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error "onnxruntime-node@$VERSION" >/dev/null); then
  echo "[onnxruntime-node] $VERSION installed in $DIR"
else
  echo "[onnxruntime-node] npm install failed; the ONNX runtime tests will report it missing"
fi
exit 0
