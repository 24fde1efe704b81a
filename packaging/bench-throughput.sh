#!/usr/bin/env bash
# Throughput figures of issue 9/10, measured side by side in one run (these machines are noisy):
#   1. which OpenBLAS core runs, and whether it was corrected;
#   2. the full IQL update against its GEMMs alone, single configuration and a population of P;
#   3. two concurrent 2-thread trainings against one alone, with the project's OpenMP wait setting and
#      with libgomp's default spinning (GOMP_SPINCOUNT=300000);
#   4. peak RSS of a 27-member population against a single run on a 1M-transition dataset (needs the
#      dataset: iql datasets generate hopper-random --out FILE).
# Usage: packaging/bench-throughput.sh [BUILD_DIR] [DATASET_1M.hdf5]
set -euo pipefail
BUILD=${1:-build-release}
DATA=${2:-}
IQL="$BUILD/app/iql"
echo "== BLAS"
OPENBLAS_VERBOSE=2 "$IQL" doctor 2>&1 | sed -n '1,12p'
echo "== update: single configuration vs population of 8 (obs 17, act 6, batch 256, hidden 256, 2 threads)"
"$IQL" bench update --steps 3000 --threads 2 --population 8
echo "== the same single configuration on 1 thread (what one core does alone; a population runs one member per core)"
"$IQL" bench update --steps 1500 --threads 1
echo "== two concurrent 2-thread updates vs one alone"
rate() { sed -n 's/^full update: *\([0-9.]*\) steps.*/\1/p'; }
for spin in project 300000; do
  if [ "$spin" = project ]; then envs=(); label="GOMP_SPINCOUNT=1000 (project default)"; else envs=(GOMP_SPINCOUNT=$spin); label="GOMP_SPINCOUNT=$spin (libgomp default)"; fi
  alone=$(env "${envs[@]}" "$IQL" bench update --steps 1500 --threads 2 | rate)
  a=$(mktemp); b=$(mktemp)
  env "${envs[@]}" "$IQL" bench update --steps 1500 --threads 2 > "$a" & p1=$!
  env "${envs[@]}" "$IQL" bench update --steps 1500 --threads 2 > "$b" & p2=$!
  wait $p1 $p2
  echo "$label: alone $alone steps/s; concurrently $(rate < "$a") + $(rate < "$b") steps/s"
  rm -f "$a" "$b"
done
if [ -n "$DATA" ]; then
  echo "== peak RSS on $DATA: single run vs population of 27"
  db=$(mktemp -d)
  /usr/bin/time -f "single:        %M KiB peak RSS, %e s" "$IQL" train --dataset "$DATA" --env hopper --steps 200 \
    --eval-interval 0 --eval-episodes 1 --probe-interval 0 --db "$db/s.db" > /dev/null
  /usr/bin/time -f "population 27: %M KiB peak RSS, %e s" "$IQL" train --population --dataset "$DATA" --env hopper \
    --tau 0.5,0.7,0.9 --beta 1,3,10 --seed 0,1,2 --steps 200 --eval-interval 0 --eval-episodes 1 --probe-interval 0 \
    --db "$db/p.db" > /dev/null
  rm -rf "$db"
fi
