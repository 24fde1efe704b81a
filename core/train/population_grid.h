// A population's members from per-hyperparameter value lists: the grid (cartesian product, the first
// list varying slowest), e.g. tau {0.5, 0.7, 0.9} x beta {1, 3, 10} x seed {0, 1, 2} = 27 members.
// Torch-free: the CLI, the GUI panel and sweep planning share it.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/train/train_config.h"

namespace iql {

using ValueLists = std::vector<std::pair<std::string, std::vector<double>>>;  // field name -> values

// Field names: expectile (tau), temperature (beta), discount, polyak, actor_lr, value_lr, critic_lr,
// max_weight, dropout, seed. ConfigError for an unknown name or an empty list.
std::vector<TrainConfig> population_grid(const TrainConfig& base, const ValueLists& lists);
// The fields that may vary within a population (scalar hyperparameters and the seed).
const std::vector<std::string>& population_fields();
// Sets one such field by name (aliases tau, beta); false if the name is not a population field.
bool set_population_field(TrainConfig& c, const std::string& name, double value);
// A new id for a population, unique across processes and hosts ("pop-<utc time>-<random hex>").
std::string new_population_id();

}  // namespace iql
