#!/usr/bin/env bash
# IQL against BC on one dataset: 3 seeds of each as populations, evaluations every STEPS/6, then both
# learning curves over seeds side by side (`iql runs curves`), every member's last checkpoint evaluated
# again on EVAL_EPISODES fresh episodes (default 100: 10 per evaluation leave Hopper's scores noisy),
# and the wall time and peak RSS of each population.
# The two populations run side by side with --threads 0 (auto): each takes one core while both run and
# IQL takes both once BC is done: one IQL member-step costs less CPU on one thread than on two, so on the
# 2-core machine hopper took 86.5 min so, against an estimated 88 min or more one after the other (README).
# Usage: packaging/study-iql-vs-bc.sh DATASET.hdf5 ENV STEPS OUT_DIR [more `iql train` flags, e.g. --preset antmaze]
# Example (issue 13): packaging/study-iql-vs-bc.sh antmaze-umaze-1M.hdf5 antmaze-umaze 300000 out --preset antmaze
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,10p' "$0"; exit 2; }
DATA=$1 ENV=$2 STEPS=$3 OUT=$4
shift 4
IQL=${IQL:-build-release/app/iql}
EVAL_EPISODES=${EVAL_EPISODES:-100}
mkdir -p "$OUT"
interval=$((STEPS / 6))

train() {  # ALGO [flags]: one population of 3 seeds; its log, wall time and peak RSS go to OUT
  local algo=$1
  shift
  /usr/bin/time -f "$algo: %e s wall, %M KiB peak RSS" "$IQL" train --population \
    --dataset "$DATA" --env "$ENV" --algorithm "$algo" --seed 0,1,2 --steps "$STEPS" --eval-interval "$interval" \
    --checkpoint-interval "$interval" --threads 0 --db "$OUT/$algo.db" "$@" > "$OUT/$algo.log" 2> "$OUT/$algo.time"
}

echo "== bc and iql side by side: 3 seeds x $STEPS steps on $DATA ($(date -u +%H:%M:%S) UTC)"
train bc "$@" & bc=$!
train iql "$@" & iql=$!
status=0
wait "$bc" || { status=1; cat "$OUT/bc.time"; }  # a failed training's error is in its .time file
wait "$iql" || { status=1; cat "$OUT/iql.time"; }
[ "$status" = 0 ] || exit 1
for algo in bc iql; do tail -1 "$OUT/$algo.time"; done

echo "== normalised score per evaluation (mean +- sample std over the 3 seeds)"
"$IQL" runs curves --db "$OUT/iql.db,$OUT/bc.db"

echo "== last checkpoints on $EVAL_EPISODES fresh episodes (seeds 1000000 on)"
for algo in iql bc; do
  scores=()
  for ckpt in "$OUT/$algo-checkpoints"/run-*/step-"$STEPS".pt; do
    line=$("$IQL" eval "$ckpt" --episodes "$EVAL_EPISODES" --seed 1000000 | grep 'over .* episodes')
    echo "  $algo ${ckpt#"$OUT/"}: $line"
    scores+=("${line##*normalised score }")
  done
  # mean +- sample std over the seeds, as `iql runs curves` prints them
  printf '%s\n' "${scores[@]}" | awk -v a="$algo" '{ s[NR] = $1; t += $1 } END { m = t / NR; for (i = 1; i <= NR; i++) v += (s[i] - m) ^ 2;
    printf "%s: %.1f +- %.1f over %d seeds\n", a, m, (NR > 1 ? sqrt(v / (NR - 1)) : 0), NR }'
done
