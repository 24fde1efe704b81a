// A population's members from per-hyperparameter value lists: the grid (cartesian product, the first
// list varying slowest), e.g. tau {0.5, 0.7, 0.9} x beta {1, 3, 10} x seed {0, 1, 2} = 27 members.
// Torch-free: the CLI, the GUI panel and sweep planning share it.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/config/train_config.h"
#include "core/config/train_settings.h"

namespace iql {

// Names: the numeric per-member settings of the settings table (population_fields()), by key or alias
// (tau, beta). ConfigError for another name or an empty list.
std::vector<TrainConfig> population_grid(const TrainConfig& base, const ValueLists& lists);
// The fields that may vary within a population: the table's numeric per-member settings (scalar
// hyperparameters and the seed), in table order.
const std::vector<std::string>& population_fields();
// Sets one such field by key or alias; false if the name is not a population field; ConfigError for a
// value its field cannot hold (a fractional seed).
bool set_population_field(TrainConfig& c, const std::string& name, double value);
// A new id for a population, unique across processes and hosts ("pop-<utc time>-<random hex>").
std::string new_population_id();

}  // namespace iql
