// Runs a deterministic policy for N episodes in parallel: all live episodes share one batched
// policy forward per time step. Core-private (torch).
#pragma once
#include <torch/torch.h>

#include <functional>
#include <string>

#include "core/data/preprocess.h"
#include "core/train/training_types.h"

namespace iql::train {

using PolicyFn = std::function<torch::Tensor(const torch::Tensor&)>;  // normalised obs [N,o] -> [N,a] in [-1,1]

EvalResult evaluate_policy(const PolicyFn& policy, const std::string& env, const std::string& physics, int episodes,
                           uint64_t seed, const ObsNormalizer& norm, float action_high);

}  // namespace iql::train
