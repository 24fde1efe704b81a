#include "core/train/evaluator.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "core/env/env_registry.h"
#include "core/env/normalized_score.h"
#include "core/train/population_evaluator.h"

namespace iql::train {

namespace {
// splitmix64's finaliser: a bijective mix, so distinct inputs give distinct, well-spread seeds.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
constexpr uint64_t kEvalDomain = 0x6576616c75617465ULL;  // "evaluate": apart from training streams
}  // namespace

std::vector<uint64_t> evaluation_seeds(uint64_t run_seed, int64_t step, int episodes) {
  std::vector<uint64_t> seeds(std::max(episodes, 0));
  const uint64_t base = mix(mix(run_seed ^ kEvalDomain) ^ static_cast<uint64_t>(step));
  for (int e = 0; e < episodes; ++e) seeds[e] = mix(base ^ static_cast<uint64_t>(e));
  return seeds;
}

std::vector<uint64_t> consecutive_seeds(uint64_t first, int episodes) {
  std::vector<uint64_t> seeds(std::max(episodes, 0));
  for (int e = 0; e < episodes; ++e) seeds[e] = first + static_cast<uint64_t>(e);
  return seeds;
}

EvalResult evaluate_policy(const PolicyFn& policy, const std::string& env_name, const std::string& physics,
                           const std::vector<uint64_t>& episode_seeds, const ObsNormalizer& norm, float action_high,
                           EvaluationPaths* paths) {
  if (episode_seeds.empty()) throw std::invalid_argument("evaluate_policy: no episodes");
  // One member of the population evaluator: the same episode loop, physics on the worker threads.
  auto one = [&](const torch::Tensor& obs) { return policy(obs[0]).unsqueeze(0); };  // [1, N, o]
  std::vector<EvaluationPaths> member_paths;
  EvalResult r = evaluate_members(one, env_name, physics, {episode_seeds}, norm, action_high,
                                  paths ? &member_paths : nullptr).at(0);
  if (paths) *paths = std::move(member_paths.at(0));
  return r;
}

}  // namespace iql::train
