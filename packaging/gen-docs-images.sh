#!/usr/bin/env bash
# Regenerates the user guide's screenshots (docs/images/*.png) from the real window: runs the GUI
# screenshot test (tests/ui/test_screenshots.cpp), which also saves its 1100x700 shots into
# $IQL_DOCS_IMAGES. Under Xvfb when xvfb-run is installed, else on Qt's offscreen platform.
#   bash packaging/gen-docs-images.sh [BUILD_DIR]     (default build-release; build test_ui_screenshots first)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build-release}"
test_bin="$build/tests/test_ui_screenshots"
[ -x "$test_bin" ] || { echo "no $test_bin: cmake --build $build --target test_ui_screenshots" >&2; exit 1; }
export IQL_DOCS_IMAGES="$PWD/docs/images"
export IQL_SCREENSHOT_DIR="$(mktemp -d)"
export GOMP_SPINCOUNT=1000
trap 'rm -rf "$IQL_SCREENSHOT_DIR"' EXIT
if command -v xvfb-run >/dev/null; then
  xvfb-run -a -s "-screen 0 1920x1200x24" "$test_bin"
else
  QT_QPA_PLATFORM=offscreen "$test_bin"
fi
ls -l "$IQL_DOCS_IMAGES"
