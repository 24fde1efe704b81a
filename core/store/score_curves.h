// Learning curves over seeds from stored runs: runs that differ only in their seed (same store,
// algorithm, dataset and every other config field) form one group, and each evaluation step gets the
// mean and sample standard deviation of the group's normalised scores. `iql runs curves` prints it,
// e.g. to compare an IQL population and a BC population trained side by side into two stores. A run
// tuned mid-run (core/store/hyperparameter_history.h) is never pooled with others.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace iql {

struct ScorePoint {
  int64_t step = 0;
  int n = 0;         // runs of the group evaluated at this step
  double mean = 0;   // of their normalised scores
  double std = 0;    // stats::std_dev, Sample convention (n - 1); 0 when n == 1
  std::vector<double> scores;  // in run order
};

struct ScoreCurve {
  std::string label;  // algorithm, dataset stem, steps and the hyperparameters that set groups apart
  std::string db_path;
  std::vector<int64_t> run_ids;
  std::vector<int64_t> seeds;
  std::vector<ScorePoint> points;  // by step
};

// A run's config_json without what does not change what it computes (seed, name, thread count), as
// compact JSON with sorted keys: runs with equal keys are seeds of one configuration. Shared with the
// GUI's compare view so both group runs alike.
std::string seed_free_config_key(const std::string& config_json);

// Finished, stopped or running runs alike (a curve shows how far each got); runs without a normalised
// score at any evaluation are left out. Throws ConfigError naming a store that does not exist.
std::vector<ScoreCurve> score_curves(const std::vector<std::string>& db_paths);

std::string score_curves_table(const std::vector<ScoreCurve>& curves);
std::string score_curves_json(const std::vector<ScoreCurve>& curves);

}  // namespace iql
