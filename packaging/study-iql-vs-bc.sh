#!/usr/bin/env bash
# IQL against BC on one dataset: 3 seeds of each as populations (one process each, one after the other,
# so each has both cores), evaluations every STEPS/6, then both learning curves over seeds side by side
# (`iql runs curves`) with the wall time and peak RSS of each population.
# Usage: packaging/study-iql-vs-bc.sh DATASET.hdf5 ENV STEPS OUT_DIR [more `iql train` flags, e.g. --preset antmaze]
# Example (issue 13): packaging/study-iql-vs-bc.sh antmaze-umaze-1M.hdf5 antmaze-umaze 300000 out --preset antmaze
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,6p' "$0"; exit 2; }
DATA=$1 ENV=$2 STEPS=$3 OUT=$4
shift 4
IQL=${IQL:-build-release/app/iql}
mkdir -p "$OUT"
interval=$((STEPS / 6))
for algo in bc iql; do
  echo "== $algo: 3 seeds x $STEPS steps on $DATA ($(date -u +%H:%M:%S) UTC)"
  /usr/bin/time -f "$algo: %e s wall, %M KiB peak RSS" "$IQL" train --population --dataset "$DATA" --env "$ENV" \
    --algorithm "$algo" --seed 0,1,2 --steps "$STEPS" --eval-interval "$interval" --checkpoint-interval "$interval" \
    --db "$OUT/$algo.db" "$@" > "$OUT/$algo.log" 2> "$OUT/$algo.time" || { cat "$OUT/$algo.time"; exit 1; }
  tail -1 "$OUT/$algo.time"
done
echo "== normalised score per evaluation (mean +- sample std over the 3 seeds)"
"$IQL" runs curves --db "$OUT/iql.db,$OUT/bc.db"
