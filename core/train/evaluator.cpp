#include "core/train/evaluator.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "core/env/env_registry.h"
#include "core/env/normalized_score.h"

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
                           const std::vector<uint64_t>& episode_seeds, const ObsNormalizer& norm, float action_high) {
  auto t0 = std::chrono::steady_clock::now();
  const int episodes = static_cast<int>(episode_seeds.size());
  if (episodes < 1) throw std::invalid_argument("evaluate_policy: no episodes");
  std::vector<std::unique_ptr<Env>> envs;
  std::vector<std::vector<float>> obs(episodes);
  std::vector<double> returns(episodes, 0.0);
  std::vector<int64_t> lengths(episodes, 0);
  std::vector<bool> live(episodes, true);
  for (int e = 0; e < episodes; ++e) {
    envs.push_back(make_env(env_name, physics));
    obs[e] = envs.back()->reset(episode_seeds[e]);
  }
  const int o = envs.front()->obs_dim(), a = envs.front()->act_dim();
  int remaining = episodes;
  while (remaining > 0) {
    std::vector<int> ids;
    for (int e = 0; e < episodes; ++e)
      if (live[e]) ids.push_back(e);
    auto x = torch::empty({static_cast<int64_t>(ids.size()), o});
    float* xp = x.data_ptr<float>();
    for (size_t k = 0; k < ids.size(); ++k) std::copy(obs[ids[k]].begin(), obs[ids[k]].end(), xp + k * o);
    norm.apply(xp, static_cast<int64_t>(ids.size()), o);
    auto act = policy(x).contiguous();
    const float* ap = act.data_ptr<float>();
    // Physics of the live episodes on the intra-op worker threads (each env owns its own state).
    std::vector<StepResult> results(ids.size());
    at::parallel_for(0, static_cast<int64_t>(ids.size()), 1, [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; ++k) {
        std::vector<float> u(ap + k * a, ap + (k + 1) * a);
        for (auto& v : u) v *= action_high;
        results[k] = envs[ids[k]]->step(u);
      }
    });
    for (size_t k = 0; k < ids.size(); ++k) {
      auto& r = results[k];
      returns[ids[k]] += r.reward;
      ++lengths[ids[k]];
      obs[ids[k]] = std::move(r.observation);
      if (r.terminal || r.timeout) {
        live[ids[k]] = false;
        --remaining;
      }
    }
  }
  EvalResult res;
  res.returns = returns;
  res.lengths = lengths;
  double mean = 0.0, sq = 0.0;
  for (double r : returns) mean += r;
  mean /= episodes;
  for (double r : returns) sq += (r - mean) * (r - mean);
  res.return_mean = mean;
  res.return_std = std::sqrt(sq / episodes);
  res.normalized_score = normalized_score(env_name, mean);
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace iql::train
