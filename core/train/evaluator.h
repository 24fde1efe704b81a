// Runs a deterministic policy for N episodes in parallel: all live episodes share one batched
// policy forward per time step. Core-private (torch).
#pragma once
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "core/data/preprocess.h"
#include "core/train/evaluation_paths.h"
#include "core/train/training_types.h"

namespace iql::train {

using PolicyFn = std::function<torch::Tensor(const torch::Tensor&)>;  // normalised obs [N,o] -> [N,a] in [-1,1]

// Episode e resets its environment with episode_seeds[e]; as many episodes as seeds. With `paths`,
// also each episode's path (and AntMaze goal).
EvalResult evaluate_policy(const PolicyFn& policy, const std::string& env, const std::string& physics,
                           const std::vector<uint64_t>& episode_seeds, const ObsNormalizer& norm, float action_high,
                           EvaluationPaths* paths = nullptr);

// The episode seeds of a run's evaluation at a step: a hash of (run seed, step, episode index), so
// evaluating the same checkpoint again (a resumed run, `iql eval`) reproduces its numbers, and
// evaluations at different steps or of different seeds see different episodes.
std::vector<uint64_t> evaluation_seeds(uint64_t run_seed, int64_t step, int episodes);
// Episodes seeded first, first + 1, ... (an explicit seed given by the user).
std::vector<uint64_t> consecutive_seeds(uint64_t first, int episodes);

}  // namespace iql::train
