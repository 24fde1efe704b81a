// A run's settings as an algorithm sees them: TrainConfig -> algo::AgentHyperparameters (the trainer,
// checkpoint evaluation, benchmarks and tests build agents through it). Torch-free.
#pragma once
#include <vector>

#include "core/algo/agent_hyperparameters.h"
#include "core/config/train_config.h"

namespace iql {

algo::AgentHyperparameters agent_hyperparameters(const TrainConfig& c);
std::vector<algo::AgentHyperparameters> agent_hyperparameters(const std::vector<TrainConfig>& members);

}  // namespace iql
