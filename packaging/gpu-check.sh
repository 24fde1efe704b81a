#!/usr/bin/env bash
# The device check of issue 20, one script for a lent GPU machine and for our CPU machines alike:
# builds the iql command line and the tests against the LibTorch it finds (a pip torch's, a PyTorch
# archive, or Debian's), runs the GPU tests (CTest label gpu) and the device-path tests, the device
# benchmarks (update: eager and CUDA graphs; populations 8, 64, 256; TF32 beside FP32), and a real
# training run (hopper-medium-replay, --device cuda, evaluations on the way) beside the same run on the
# CPU, and writes everything into one report. Without a CUDA GPU every GPU step is skipped and says so,
# and the same steps run on the CPU (the device path on the CPU, a short CPU run).
#
#   bash packaging/gpu-check.sh [--out DIR] [--torch DIR] [--steps N] [--cpu-steps N] [--dataset FILE]
#     --out DIR       where the report and logs go (default: $OUT when set, else build-gpu/report)
#     --torch DIR     LibTorch CMake prefix (default: the python3 torch's, else Debian's)
#     --steps N       training steps of the real run on the GPU (default 100000)
#     --cpu-steps N   steps of the same run on the CPU, for the wall-time comparison (default 5000:
#                     the CPU rate is steady after a few thousand steps; the report extrapolates)
#     --build DIR     use this existing build folder (its iql and tests) instead of building build-gpu
#     --dataset FILE  hopper-medium-replay HDF5 (default: .cache/gpu-check/hopper-medium-replay.hdf5,
#                     else generated here with a short SAC run)
# Libraries the machine lacks (HDF5, SQLite, MuJoCo, ONNX, Qt Core/Test) come from
# .cache/gpu-deps/prefix, which packaging/gpu-deps.sh fills from Debian packages on a development
# machine (the GPU machine has no network); that folder and the dataset travel with the working tree.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
out=${OUT:-$repo/build-gpu/report}
torch_dir=
steps=100000
cpu_steps=5000
dataset=$repo/.cache/gpu-check/hopper-medium-replay.hdf5
prebuilt=
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --torch) torch_dir=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --cpu-steps) cpu_steps=$2; shift 2 ;;
    --dataset) dataset=$2; shift 2 ;;
    --build) prebuilt=$(realpath "$2"); shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu-check.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
report=$out/gpu-check-report.md
t0=$SECONDS
say() { echo "== [gpu-check $((SECONDS - t0)) s] $*"; }
section() { printf '\n## %s\n\n' "$1" >> "$report"; }
fenced() { { echo '```'; cat; echo '```'; } >> "$report"; }

# --- what this machine has ---------------------------------------------------------------------
gpu=0
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then gpu=1; fi
if [ -z "$torch_dir" ] && python3 -c 'import torch' >/dev/null 2>&1; then
  torch_dir=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
fi
deps=$repo/.cache/gpu-deps/prefix
prefix_path=${torch_dir}
if [ -d "$deps" ]; then
  prefix_path="${prefix_path:+$prefix_path;}$deps/usr;$deps/usr/lib/x86_64-linux-gnu/cmake"
  export LD_LIBRARY_PATH="$deps/usr/lib/x86_64-linux-gnu:$deps/usr/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export PATH="$deps/usr/bin:$deps/usr/lib/qt6/libexec:$PATH"
fi
{
  echo "# IQL Workbench device check"
  echo
  echo "- date: $(date -u +%FT%TZ)"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(nproc) cores)"
  if [ $gpu = 1 ]; then echo "- GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader)"
  else echo "- GPU: none (every GPU step below is skipped and marked so)"; fi
  echo "- LibTorch: ${torch_dir:-the system one (Debian)}"
  echo "- dependency prefix: $([ -d "$deps" ] && echo "$deps" || echo 'none (system packages)')"
} > "$report"

# --- build -------------------------------------------------------------------------------------
build=${prebuilt:-$repo/build-gpu}
args=(--build-dir "$build" --no-gui)
[ -n "$prefix_path" ] && args+=(--torch "$prefix_path")
b0=$SECONDS
if [ -n "$prebuilt" ]; then
  say "using the build in $build"
  grep -m1 'Torch_DIR:' "$build/CMakeCache.txt" | sed 's/^/LibTorch /' > "$out/build.log"
elif say "configuring and building (iql and tests, no GUI)" && \
     ! IQL_BUILD_JOBS=$(nproc) bash packaging/build.sh "${args[@]}" > "$out/build.log" 2>&1; then
  section "Build: FAILED"
  tail -40 "$out/build.log" | fenced
  say "build failed; see $out/build.log"
  exit 1
fi
section "Build"
echo "$(grep -m1 'LibTorch' "$out/build.log" || echo 'LibTorch line not printed') — built in $((SECONDS - b0)) s" >> "$report"
iql=$build/app/iql

# --- tests ---------------------------------------------------------------------------------------
say "device tests"
section "Tests: GPU (label gpu) and device path"
ctest --test-dir "$build" -R 'test_device_' --output-on-failure > "$out/ctest-device.log" 2>&1
tail -8 "$out/ctest-device.log" | fenced
ctest --test-dir "$build" -L gpu -V > "$out/ctest-gpu-verbose.log" 2>&1
echo "GPU checks: $(grep -c 'PASS   :' "$out/ctest-gpu-verbose.log") passed, $(grep -c 'SKIP   :' "$out/ctest-gpu-verbose.log") skipped (ctest -L gpu -V: ctest-gpu-verbose.log)" >> "$report"
if [ $gpu = 0 ]; then grep -m1 'GPU check skipped' "$out/ctest-gpu-verbose.log" | sed 's/^[0-9]*: //' >> "$report"; fi

# --- benchmarks ----------------------------------------------------------------------------------
section "Benchmark: iql bench update (obs 17, act 6, batch 256, 2x256)"
if [ $gpu = 1 ]; then
  say "bench: single configuration, eager and graphs"
  "$iql" bench update --device cuda --populations 1 --cuda-graphs both --steps 5000 2>&1 | fenced
  say "bench: populations 8, 64, 256 (graphs)"
  "$iql" bench update --device cuda --populations 8,64,256 --cuda-graphs on --steps 500 2>&1 | fenced
  say "bench: TF32"
  "$iql" bench update --device cuda --populations 1,64 --cuda-graphs on --matmul-precision tf32 --steps 1000 2>&1 | fenced
else
  echo "GPU benchmarks skipped (no GPU). The device path on the CPU, and the CPU path, for reference:" >> "$report"
  "$iql" bench update --device cpu --device-path --populations 1,8 --steps 200 --threads "$(nproc)" 2>&1 | fenced
  "$iql" bench update --device cpu --steps 200 --threads "$(nproc)" 2>&1 | fenced
fi

# --- a real run ----------------------------------------------------------------------------------
section "Real run: hopper-medium-replay"
if [ ! -f "$dataset" ]; then
  say "generating hopper-medium-replay (short SAC run; copy a real one to $dataset to skip this)"
  mkdir -p "$(dirname "$dataset")"
  "$iql" datasets generate hopper-medium-replay --out "$dataset" --sac-steps 30000 --transitions 100000 \
    --threads "$(nproc)" > "$out/generate.log" 2>&1 || { echo "dataset generation failed (generate.log)" >> "$report"; }
fi
db=$out/runs.db
summary() {  # the outcome JSON of iql train --json: score and rate
  python3 -c '
import json, sys
try:
    j = json.load(open(sys.argv[1]))
    r = j[0] if isinstance(j, list) else j
    print("normalised score %s, %.0f steps/s" % (r.get("normalized_score", "?"), r.get("steps_per_s", 0)))
except Exception as e:
    print("no JSON outcome (%s)" % e)' "$1"
}
run() {  # device steps label
  local dev=$1 n=$2 label=$3 s=$SECONDS rc
  "$iql" train --db "$db" --dataset "$dataset" --env hopper --physics d4rl --device "$dev" --steps "$n" \
    --eval-interval $((n / 5)) --eval-episodes 5 --name "gpu-check $label" --json > "$out/train-$label.json" \
    2> "$out/train-$label.log"
  rc=$?
  echo "- $label: device $dev, $n steps, exit $rc, wall $((SECONDS - s)) s, $(summary "$out/train-$label.json")" >> "$report"
}
if [ -f "$dataset" ]; then
  if [ $gpu = 1 ]; then say "training on the GPU ($steps steps)"; run cuda "$steps" cuda; else echo "- GPU run skipped (no GPU)" >> "$report"; fi
  say "training on the CPU ($cpu_steps steps)"
  run cpu "$cpu_steps" cpu
  echo >> "$report"
  echo "Stored device facts of these runs:" >> "$report"
  "$iql" runs list --db "$db" --json 2>/dev/null | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print("- run %s %s" % (r.get("id"), r.get("name")))' >> "$report" 2>/dev/null
  sqlite3 "$db" "select run_id, payload from events where kind = 'runtime'" 2>/dev/null | fenced || true
fi
section "Time"
echo "whole check: $((SECONDS - t0)) s" >> "$report"
say "report: $report"
cat "$report"
