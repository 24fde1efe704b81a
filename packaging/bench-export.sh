#!/usr/bin/env bash
# The figures of README's "Policy export", measured in one go on this machine: one IQL run with the
# default network (2 x 256) on pendulum-medium, exported to ONNX and TorchScript; file sizes, export
# time, and the mean time of one forward at batch 1 and batch 1,000 in LibTorch C++ (torch::jit::load),
# Python's torch.jit.load (Debian python3-torch), onnxruntime-node, and the workbench's own forward.
# One intra-op thread everywhere. Usage: bash packaging/bench-export.sh [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
IQL=${IQL:-build-release/app/iql}
STEPS=${1:-200}
ORT_DIR="${IQL_ONNXRUNTIME_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/iql-workbench/onnxruntime-node}"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$IQL" doctor --threads 1 | grep -iE "torch|BLAS|core"
"$IQL" train --dataset pendulum-medium --steps "$STEPS" --threads 1 --eval-interval 0 --db "$W/runs.db" >/dev/null
for f in policy.onnx policy.pt; do
  "$IQL" export 1 --db "$W/runs.db" --out "$W/$f" --threads 1 --json |
    /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); print(f\"{j['format']:12s} file {j['bytes']} bytes, export {j['seconds']*1e3:.1f} ms\")"
done
"$IQL" export --check "$W/policy.pt" --threads 1 --json | /usr/bin/python3 -c "
import json, sys
j = json.load(sys.stdin)['seconds_per_forward']
print(f\"workbench forward      batch 1 {j['workbench_batch_1']*1e6:8.1f} us   batch 1000 {j['workbench_batch_n']*1e6:8.1f} us\")
print(f\"LibTorch C++ (jit)     batch 1 {j['export_batch_1']*1e6:8.1f} us   batch 1000 {j['export_batch_n']*1e6:8.1f} us\")"
/usr/bin/python3 - "$W/policy.pt" <<'PY'
import sys, time, torch
torch.set_num_threads(1)
m = torch.jit.load(sys.argv[1])
x = torch.randn(1000, 3)
def per(fn, reps):
    fn(); t = time.perf_counter()
    for _ in range(reps): fn()
    return (time.perf_counter() - t) / reps
with torch.no_grad():
    b1 = per(lambda: m(x[:1]), 1000); bn = per(lambda: m(x), 50)
print(f"Python torch.jit.load  batch 1 {b1*1e6:8.1f} us   batch 1000 {bn*1e6:8.1f} us")
PY
NODE_PATH="$ORT_DIR/node_modules" node - "$W/policy.onnx" <<'JS'
const ort = require('onnxruntime-node');
(async () => {
  const s = await ort.InferenceSession.create(process.argv[2], {intraOpNumThreads: 1, interOpNumThreads: 1});
  const x = new Float32Array(3000).map(() => Math.random() * 2 - 1);
  const per = async (n, reps) => {
    const t = new ort.Tensor('float32', x.slice(0, n * 3), [n, 3]);
    await s.run({observation: t});
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; ++i) await s.run({observation: t});
    return Number(process.hrtime.bigint() - t0) / 1e3 / reps;
  };
  const b1 = await per(1, 1000), bn = await per(1000, 50);
  console.log(`onnxruntime-node       batch 1 ${b1.toFixed(1).padStart(8)} us   batch 1000 ${bn.toFixed(1).padStart(8)} us`);
})();
JS
