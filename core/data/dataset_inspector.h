// Summary statistics of a Dataset, for the CLI `inspect` command and the GUI's dataset panel.
// Returns are per episode (Dataset::episode_returns); std is the population std (ddof = 0: every
// episode of the dataset is the whole being described) and quantiles interpolate linearly between
// order statistics (numpy's default), both from core/stats/summary_stats.h, so numbers match what
// users compute in Python.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace iql {

struct DatasetStats {
  int64_t transitions = 0, episodes = 0, terminals = 0, timeouts = 0;
  int obs_dim = 0, act_dim = 0;
  double return_min = 0, return_max = 0, return_mean = 0, return_std = 0;
  double return_q05 = 0, return_q25 = 0, return_q50 = 0, return_q75 = 0, return_q95 = 0;
  std::vector<float> obs_min, obs_max, act_min, act_max;  // per dimension
  double reward_min = 0, reward_max = 0, reward_mean = 0;
  // Goal-reaching data (AntMaze): every reward is 0 or 1. Trajectories are cut only at time-outs
  // and observation discontinuities, not at terminals (AntMaze data walks on through the goal).
  bool sparse_rewards = false;
  int64_t success_transitions = 0;      // rows with reward 1
  int64_t trajectories = 0;
  int64_t successful_trajectories = 0;  // holding at least one reward-1 row
};

// Expects a validated dataset (sizes consistent). An empty dataset gives all-zero stats. If episode_starts is empty it is rebuilt on a copy.
DatasetStats inspect_dataset(const Dataset& d);
std::string stats_to_json(const DatasetStats& s);  // pretty-printed, keys as the struct fields
std::string stats_to_text(const DatasetStats& s);  // a few human-readable lines

}  // namespace iql
