// Built-in Pendulum-v1 datasets in the D4RL layout, generated in well under a second, so the
// workbench has data to train on without downloading anything. Actions are torques in [-2, 2].
// They live in env, not data: generating them runs the Pendulum and its controllers (env already
// sits above data; data includes nothing from env).
//   pendulum-random         100 x 200 steps, uniform random torque
//   pendulum-medium         100 x 200 steps, degraded expert (pendulum_medium_behaviour)
//   pendulum-medium-replay   75 x 200 steps, a sequence of policies from random up to medium,
//                           like a SAC replay buffer until it reaches medium
//   pendulum-expert         100 x 200 steps, expert with small action noise
// Every episode runs the full 200 steps: timeouts set at each 200th row, terminals all 0.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace iql {

std::vector<std::string> builtin_dataset_names();
bool is_builtin_dataset(const std::string& name);

// Deterministic in (name, seed). Throws ConfigError for an unknown name.
Dataset generate_builtin_dataset(const std::string& name, uint64_t seed = 0);

// <$XDG_DATA_HOME or ~/.local/share>/iql-workbench/datasets/<name>.hdf5
std::string builtin_dataset_path(const std::string& name);

// Reads the cached file; generates (seed 0) and writes it on first use, or when the cached file
// is unreadable or from another generator version.
Dataset load_or_create_builtin(const std::string& name);

}  // namespace iql
