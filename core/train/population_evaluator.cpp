#include "core/train/population_evaluator.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/env/antmaze_env.h"
#include "core/env/env_registry.h"
#include "core/env/normalized_score.h"
#include "core/stats/summary_stats.h"

namespace iql::train {

std::vector<EvalResult> evaluate_members(const MembersPolicyFn& policy, const std::string& env_name,
                                         const std::string& physics,
                                         const std::vector<std::vector<uint64_t>>& seeds, const ObsNormalizer& norm,
                                         float action_high, std::vector<EvaluationPaths>* out_paths,
                                         int64_t max_live_envs) {
  auto t0 = std::chrono::steady_clock::now();
  const int64_t P = static_cast<int64_t>(seeds.size()), N = static_cast<int64_t>(seeds.at(0).size()), total = P * N;
  std::vector<double> returns(total, 0.0);  // member k's episode e at k * N + e
  std::vector<int64_t> lengths(total, 0);
  const bool record_paths = out_paths != nullptr;
  std::vector<std::vector<float>> paths(record_paths ? total : 0);
  std::vector<std::array<double, 2>> goals(record_paths ? total : 0);
  // Episodes run in waves of `wave` per member, so that at most max_live_envs environments exist at
  // once. An episode depends on its seed alone, so waves change only the peak memory (and the batch the
  // policy's GEMMs see: BLAS may round differently at another row count). One wave up to 512 / P
  // episodes per member, e.g. a 3-member AntMaze population's 100 episodes each.
  const int64_t wave = std::clamp<int64_t>(max_live_envs / P, 1, N);
  for (int64_t first = 0; first < N; first += wave) {
    const int64_t n = std::min(wave, N - first), live_total = P * n;
    auto slot = [&](int64_t i) { return (i / n) * N + first + i % n; };  // wave index -> k * N + e
    std::vector<std::unique_ptr<Env>> envs;
    std::vector<std::vector<float>> obs(live_total);
    std::vector<char> live(live_total, 1);
    auto record = [&](int64_t i) {
      if (record_paths && obs[i].size() >= 2) paths[slot(i)].insert(paths[slot(i)].end(), {obs[i][0], obs[i][1]});
    };
    for (int64_t k = 0; k < P; ++k)
      for (int64_t e = first; e < first + n; ++e) {
        envs.push_back(make_env(env_name, physics));
        const int64_t i = static_cast<int64_t>(envs.size()) - 1;
        obs[i] = envs.back()->reset(seeds[k].at(e));
        record(i);
        if (record_paths)
          if (auto* maze = dynamic_cast<AntMazeEnv*>(envs.back().get())) goals[slot(i)] = maze->goal();
      }
    const int o = envs.front()->obs_dim(), a = envs.front()->act_dim();
    int64_t remaining = live_total;
    // Finished episodes keep their last observation in the batch: one fixed [P, n] shape per step.
    auto x = torch::empty({P, n, o});
    while (remaining > 0) {
      float* xp = x.data_ptr<float>();
      for (int64_t i = 0; i < live_total; ++i) std::copy(obs[i].begin(), obs[i].end(), xp + i * o);
      norm.apply(xp, live_total, o);
      auto act = policy(x).contiguous();
      const float* ap = act.data_ptr<float>();
      std::vector<int64_t> ids;
      for (int64_t i = 0; i < live_total; ++i)
        if (live[i]) ids.push_back(i);
      std::vector<StepResult> results(ids.size());
      at::parallel_for(0, static_cast<int64_t>(ids.size()), 1, [&](int64_t begin, int64_t end) {
        for (int64_t j = begin; j < end; ++j) {
          const int64_t i = ids[j];
          std::vector<float> u(ap + i * a, ap + (i + 1) * a);
          for (auto& v : u) v *= action_high;
          results[j] = envs[i]->step(u);
        }
      });
      for (size_t j = 0; j < ids.size(); ++j) {
        const int64_t i = ids[j];
        auto& r = results[j];
        returns[slot(i)] += r.reward;
        ++lengths[slot(i)];
        obs[i] = std::move(r.observation);
        record(i);
        if (r.terminal || r.timeout) {
          live[i] = 0;
          --remaining;
        }
      }
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<EvalResult> out(P);
  for (int64_t k = 0; k < P; ++k) {
    EvalResult& res = out[k];
    res.returns.assign(returns.begin() + k * N, returns.begin() + (k + 1) * N);
    res.lengths.assign(lengths.begin() + k * N, lengths.begin() + (k + 1) * N);
    // the episodes of this evaluation are the whole being described: population std, as D4RL reports it
    res.return_mean = stats::mean(res.returns);
    res.return_std = stats::std_dev(res.returns, stats::StdConvention::Population);
    res.normalized_score = normalized_score(env_name, res.return_mean);
    res.seconds = seconds;
  }
  if (record_paths) {
    out_paths->assign(P, EvaluationPaths{});
    for (int64_t k = 0; k < P; ++k) {
      auto& p = (*out_paths)[k];
      p.env = env_name;
      p.xy.assign(paths.begin() + k * N, paths.begin() + (k + 1) * N);
      if (env_name.rfind("antmaze", 0) == 0) p.goals.assign(goals.begin() + k * N, goals.begin() + (k + 1) * N);
    }
  }
  return out;
}

}  // namespace iql::train
