// Evaluates every member of a population at once: each member runs N deterministic episodes, and all
// members' episodes share one batched policy forward per environment step ([P, N, o] -> [P, N, a]);
// the physics of the live episodes runs on the intra-op worker threads. Core-private (torch).
#pragma once
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "core/data/preprocess.h"
#include "core/train/evaluation_paths.h"
#include "core/train/training_types.h"

namespace iql::train {

// Environments alive at once: an AntMaze episode's MuJoCo data grows to about 11 MB in contact, so
// 27 members x 100 episodes at once would need about 29 GB; members' episodes run in waves below this.
constexpr int64_t kMaxLiveEnvs = 512;

using MembersPolicyFn = std::function<torch::Tensor(const torch::Tensor&)>;  // [P, N, o] -> [P, N, a] in [-1, 1]

// Member k's episode e starts from reset(episode_seeds[k][e]) (every member has as many episodes), as
// a single run's evaluation would (see evaluator.h). With `paths`, member k's episodes' paths go to
// (*paths)[k]. At most max_live_envs environments exist at once (at least one episode per member).
std::vector<EvalResult> evaluate_members(const MembersPolicyFn& policy, const std::string& env,
                                         const std::string& physics,
                                         const std::vector<std::vector<uint64_t>>& episode_seeds,
                                         const ObsNormalizer& norm, float action_high,
                                         std::vector<EvaluationPaths>* paths = nullptr,
                                         int64_t max_live_envs = kMaxLiveEnvs);

}  // namespace iql::train
