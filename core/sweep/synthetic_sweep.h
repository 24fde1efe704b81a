// A sweep folder filled with synthetic shards (for `iql bench collect`): the plan of a tau x seed grid
// and, per task, a shard holding one finished run of `steps` steps written through RunStore the way a
// training run writes it (metrics every log_interval steps, evaluations, histograms, a checkpoint row).
#pragma once
#include <cstdint>
#include <string>

namespace iql {

struct SyntheticSweepOptions {
  int shards = 1000;
  int64_t steps = 10000;
  int64_t log_interval = 100;   // the training default: 9 metric keys per logged step
  int64_t eval_interval = 5000;
  int64_t probe_interval = 1000;  // 4 histograms of 40 bins per probe
};

// Creates the folder (which must not hold a sweep yet); returns the number of metric rows written.
int64_t make_synthetic_sweep(const std::string& dir, const SyntheticSweepOptions& o);

}  // namespace iql
