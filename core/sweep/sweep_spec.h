// A sweep spec: what to train, as a small JSON file (or the same fields given as `iql train`-style flags).
//   {"name": "tau-beta",
//    "base":  {"dataset": "pendulum-medium", "steps": 300},          // any TrainConfig field
//    "datasets": ["pendulum-medium", {"dataset": "hopper-medium.hdf5", "env": "hopper"}],
//    "grid":  {"expectile": [0.5, 0.7], "temperature": [1, 3]},       // cartesian product, in this order
//    "random": {"count": 4, "seed": 0,                                // draws, each crossed with the grid
//               "params": {"actor_lr": {"log_uniform": [1e-4, 1e-3]}, "hidden": {"choice": [64, 256]}}},
//    "seeds": [0, 1],
//    "members_per_task": 4}                                           // packing (a population per task)
// Expansion order: dataset x grid x random draw x seed; the same spec always expands to the same list.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/config/train_config.h"

namespace iql {

struct SweepMember {
  int index = 0;            // position in the expanded list
  TrainConfig config;
  std::string point;        // "tau=0.5 beta=1 seed=0": the values that vary, for names and tables
};

struct SweepSpec {
  std::string name = "sweep";
  std::string json;         // the spec as given (normalised), stored in the sweep folder
  int members_per_task = 1;

  // Throws ConfigError naming the spec file and field on bad input (unknown field, wrong type,
  // empty axis, an expanded config that fails TrainConfig::validate()).
  static SweepSpec parse(const std::string& json_text, const std::string& origin = "spec");
  static SweepSpec load(const std::string& path);
  std::vector<SweepMember> expand() const;
};

}  // namespace iql
