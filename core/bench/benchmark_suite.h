// `iql bench suite`: trains IQL and BC on several datasets for a fixed budget and seeds, stores every
// run, and lays out final D4RL-normalised scores (mean +- std over seeds) like the paper's Table 1.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/config/train_config.h"

namespace iql {

struct SuiteOptions {
  std::vector<std::string> datasets;    // built-in names or files named ENV-KIND[...].hdf5
  std::vector<std::string> algorithms = {"bc", "iql"};
  int64_t steps = 100000;
  int seeds = 3;
  int eval_episodes = 10;
  std::string db_path;
  std::string physics = "d4rl";
  TrainConfig base;  // other hyperparameters
  std::function<void(const std::string& line)> on_progress;
};

struct SuiteCell {
  std::string dataset, algorithm;
  std::vector<double> scores;  // final normalised score per seed
  std::vector<int64_t> run_ids;
  double mean = 0.0, std = 0.0;
};

struct SuiteResult {
  std::vector<SuiteCell> cells;
  std::string table() const;  // text table, datasets x algorithms, with a total row
  std::string to_json() const;
};

// The env a dataset belongs to: its metadata "env", else the part of its file name before '-'.
std::string env_for_dataset(const std::string& dataset);
SuiteResult run_suite(const SuiteOptions& o);

// The same table rebuilt from runs already stored: every finished run carrying `tag` (and, when
// steps > 0, trained for exactly that many steps), grouped by dataset file stem and algorithm, scored
// by its last evaluation. Lets several `iql bench suite` processes, run side by side on one store,
// report one table.
SuiteResult suite_from_store(const std::string& db_path, const std::string& tag = "bench-suite", int64_t steps = 0);

}  // namespace iql
